"""The JSON API under /api/v1: the same services as the UI, for other systems (bearer tokens)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from werkzeug.exceptions import HTTPException, NotFound

from app.extensions import csrf
from app.services.errors import ServiceError
from app.web.api import cases, forms, openapi, tasks  # noqa: F401  (register the routes)
from app.web.api.blueprint import bp
from app.web.api.support import (
    add_server_timing,
    authenticate,
    http_error,
    internal_error,
    service_error,
)

bp.before_request(authenticate)
bp.after_request(add_server_timing)
bp.register_error_handler(ServiceError, service_error)
bp.register_error_handler(HTTPException, http_error)
bp.register_error_handler(Exception, internal_error)


@bp.route("/<path:_unknown>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown_route(_unknown: str) -> Any:
    """Unknown API addresses answer in JSON too."""
    raise NotFound()


def register_api(app: Flask) -> None:
    """Mount the API; bearer tokens replace the session, so no CSRF token is asked."""
    csrf.exempt(bp)
    app.register_blueprint(bp)
