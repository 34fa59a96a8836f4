"""What every API view shares: the token's actor, request parsing, one transaction, errors."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, current_app, g, jsonify, request
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.services import transaction
from app.services.actors import Actor
from app.services.errors import InvalidInput, ServiceError
from app.services.tokens import user_for_token
from app.web.api.blueprint import public_endpoints
from app.web.support import audited

T = TypeVar("T")

#: Dutch texts for HTTP errors that happen before a view runs
HTTP_MESSAGES = {
    400: "Het verzoek is niet goed opgebouwd.",
    404: "Onbekend adres in de API.",
    405: "Deze methode kan hier niet.",
    413: "Het verzoek is te groot.",
    415: "Stuur de gegevens als JSON (Content-Type: application/json).",
}


class Unauthorised(ServiceError):
    """No token, or one that belongs to no active account."""

    status = 401


class BadRequest(ServiceError):
    """A body that is not JSON at all."""

    status = 400


def authenticate() -> None:
    """Bearer token -> the account's actor in ``g.api_actor``; 401 otherwise."""
    g.api_started = time.perf_counter()
    g.api_cpu = time.process_time()
    if request.endpoint in public_endpoints():
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorised("Geef een API-token mee: Authorization: Bearer <token>.")
    user = user_for_token(token.strip())
    if user is None:
        raise Unauthorised(
            "Dit API-token is ongeldig of ingetrokken, of het account is niet actief."
        )
    g.api_user = user
    g.api_actor = Actor.of(user)


def actor() -> Actor:
    """The account this request acts for (set by ``authenticate``)."""
    current: Actor = g.api_actor
    return current


def add_server_timing(response: Response) -> Response:
    """Server time of the request, wall clock and this process's CPU (Server-Timing header)."""
    started, cpu = g.get("api_started"), g.get("api_cpu")
    if started is not None and cpu is not None:
        wall_ms = (time.perf_counter() - started) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
        response.headers["Server-Timing"] = f"app;dur={wall_ms:.3f}, cpu;dur={cpu_ms:.3f}"
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def json_body() -> dict[str, Any]:
    """The request body as a JSON object (an empty body counts as {})."""
    if not request.get_data(cache=True):
        return {}
    if not request.is_json:
        raise BadRequest(HTTP_MESSAGES[415])
    try:
        body = request.get_json(force=True, silent=False)
    except Exception as exc:  # werkzeug raises BadRequest subclasses with English text
        raise BadRequest("De inhoud is geen geldige JSON.") from exc
    if not isinstance(body, dict):
        raise InvalidInput("Stuur een JSON-object met de velden van het formulier.")
    return body


def load(schema: type[Schema], data: Any) -> dict[str, Any]:
    """Validate request data with a schema; per-field Dutch messages on failure (422)."""
    try:
        loaded: dict[str, Any] = schema().load(data)
    except ValidationError as exc:
        raise InvalidInput("Het verzoek bevat fouten.", exc.normalized_messages()) from exc
    return loaded


def query_args(schema: type[Schema]) -> dict[str, Any]:
    """The query string, validated (a repeated key keeps its last value)."""
    return load(schema, {key: request.args.getlist(key)[-1] for key in request.args})


def perform(call: Callable[[], T], *, keep_denials: bool = False) -> T:
    """Run a service call as the request's one transaction.

    With ``keep_denials`` a 'not found' still commits, as on the pages (``audited``): the
    services refuse to show a case only after writing the 'denied' audit entry (CV-23).
    """
    if keep_denials:
        return audited(call)()
    with transaction():
        return call()


def error_response(message: str, status: int, errors: dict[str, Any] | None = None) -> Response:
    response = jsonify({"message": message, "errors": errors or {}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="voorkom"'
    return response


def service_error(exc: ServiceError) -> Response:
    """ServiceError -> {"message", "errors"} with the service's status code."""
    db.session.rollback()
    errors: dict[str, Any] = dict(getattr(exc, "errors", {}) or {})
    problems = getattr(exc, "problems", None)
    if problems:
        errors["problems"] = list(problems)
    return error_response(exc.message, exc.status, errors)


def http_error(exc: HTTPException) -> Response:
    """Werkzeug's errors (too large, bad method) as Dutch JSON."""
    status = exc.code or 500
    return error_response(
        HTTP_MESSAGES.get(status, "Het verzoek kon niet worden verwerkt."), status
    )


def internal_error(exc: Exception) -> Response:
    """Anything unforeseen: logged with its traceback, answered in Dutch JSON, nothing saved."""
    db.session.rollback()
    current_app.logger.exception("API request failed", exc_info=exc)
    return error_response("Er ging iets mis op de server; er is niets opgeslagen.", 500)
