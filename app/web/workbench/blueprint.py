"""The workbench blueprint, who may use it, and how its JSON endpoints answer errors."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, request
from flask_login import current_user

from app.extensions import login_manager
from app.services.actors import Actor
from app.services.errors import DeploymentRefused, InvalidInput, ServiceError
from app.services.workbench import WORKBENCH_ROLES
from app.services.workbench.drafts import structured

bp = Blueprint("workbench", __name__, url_prefix="/werkbank")


#: the workbench loads only its own scripts and the vendored bundles (fonts and the bpmn.io
#: logo come as data: URLs; bpmn-js styles its SVG inline)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


@bp.after_request
def secure(response: Response) -> Response:
    """Security headers on every workbench answer; nothing here is cached."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.before_request
def only_process_owners() -> Any:
    """Anonymous visitors sign in first; roles other than procesbeheer and beheer get 403."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.actor.role not in WORKBENCH_ROLES:
        abort(403)
    return None


def owner() -> Actor:
    """The signed-in process owner (the blueprint let only them in)."""
    who: Actor = current_user.actor
    return who


def max_bytes() -> int:
    """The largest diagram file accepted (VOORKOM_MAX_UPLOAD_BYTES)."""
    return int(current_app.config.get("MAX_CONTENT_LENGTH") or 2 * 1024 * 1024)


def json_body() -> dict[str, Any]:
    """The request's JSON object; a Dutch 400 for anything else."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, "Het verzoek bevat geen geldige gegevens.")
    return data


def json_error(exc: ServiceError, file_name: str | None = None) -> tuple[Response, int]:
    """A service error as JSON for the page's scripts: message, and problems or field errors."""
    body: dict[str, Any] = {"ok": False, "message": exc.message}
    if isinstance(exc, DeploymentRefused):
        body["problems"] = [
            p.to_json() for p in structured(exc.problems, [file_name] if file_name else [])
        ]
    if isinstance(exc, InvalidInput):
        body["errors"] = {key: list(value) if isinstance(value, list) else [str(value)]
                          for key, value in exc.errors.items()}  # fmt: skip
    return jsonify(body), exc.status
