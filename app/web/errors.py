"""Error pages in Dutch; the JSON API answers its own errors in JSON."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from app.services.errors import ServiceError

log = logging.getLogger("voorkom.web")

MESSAGES: dict[int, str] = {
    400: "Het verzoek kon niet worden verwerkt.",
    401: "Log in om verder te gaan.",
    403: "U heeft geen toegang tot deze pagina.",
    404: "Niet gevonden. De pagina of zaak bestaat niet, of u heeft er geen toegang toe.",
    405: "Deze actie kan hier niet.",
    409: "Iemand anders was u voor; er is niets gewijzigd.",
    413: "Het bestand of formulier is te groot.",
    422: "Het formulier bevat fouten.",
    500: "Er ging iets mis aan onze kant. Probeer het opnieuw of meld het bij functioneel beheer.",
}


def _page(status: int, message: str) -> tuple[str | Response, int]:
    if request.path.startswith("/api/"):
        return jsonify({"status": status, "message": message}), status
    return render_template("error.html", status=status, message=message), status


def register_error_pages(app: Flask) -> None:
    """Dutch pages for service errors, CSRF failures and HTTP errors."""

    @app.errorhandler(ServiceError)
    def service_error(exc: ServiceError) -> tuple[str | Response, int]:
        if exc.status >= 500:
            log.error("service error: %s", exc.message)
        return _page(exc.status, exc.message)

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> tuple[str | Response, int]:
        return _page(
            400,
            "Het formulier is verlopen of niet compleet verstuurd; er is niets gewijzigd. "
            "Ga terug, laad de pagina opnieuw en probeer het nog eens.",
        )

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str | Response, int]:
        status = exc.code or 500
        return _page(status, MESSAGES.get(status, exc.description or MESSAGES[400]))
