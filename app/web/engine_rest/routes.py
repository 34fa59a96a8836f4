"""The /engine-rest routes: load credentials → authorise → call a service → answer as Camunda."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from app.engine.diff import defined_ids
from app.extensions import db
from app.models import ProcessVersion
from app.services import transaction
from app.services.actors import Actor
from app.services.errors import DeploymentRefused, InvalidInput, ServiceError
from app.services.workbench import WORKBENCH_ROLES
from app.services.workbench.uploads import ALLOWED_SUFFIXES, Upload, upload_diagrams
from app.web.engine_rest.protocol import (
    ENGINE_VERSION,
    EngineRestError,
    add_cors,
    caller,
    decision_definition_json,
    definition_id,
    deployment_json,
    error_response,
    parse_error,
    process_definition_json,
)
from app.web.workbench.blueprint import max_bytes

bp = Blueprint("engine_rest", __name__, url_prefix="/engine-rest")
#: the most deployments one list answers with
MAX_RESULTS = 1000
_FIELDS = (
    "deployment-name", "deployment-source", "enable-duplicate-filtering", "deploy-changed-only",
    "tenant-id", "deployment-activation-time",
)  # fmt: skip


@bp.before_request
def authorise() -> None:
    """Every route but the CORS preflight needs a process owner's credentials."""
    if request.method == "OPTIONS":
        return
    actor = caller()
    if actor.role not in WORKBENCH_ROLES:
        raise EngineRestError(
            403,
            "AuthorizationException",
            f"Gebruiker {actor.username!r} mag geen processen uitrollen: alleen procesbeheer en "
            "functioneel beheer.",
        )
    g.engine_rest_actor = actor


def _actor() -> Actor:
    actor: Actor = g.engine_rest_actor
    return actor


bp.after_request(add_cors)


@bp.errorhandler(EngineRestError)
def _engine_rest_error(error: EngineRestError) -> Response:
    return error_response(error)


@bp.errorhandler(ServiceError)
def _service_error(error: ServiceError) -> Response:
    kinds = {403: "AuthorizationException", 404: "InvalidRequestException"}
    return error_response(
        EngineRestError(
            error.status if error.status < 500 else 500,
            kinds.get(error.status, "RestException"),
            error.message,
        )
    )


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    if status == 413:
        limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
        message = f"Het verzoek is groter dan {limit // 1024} kB; er is niets uitgerold."
    elif status == 404:
        message = "Onbekend adres: Voorkom kent alleen /version en /deployment."
    elif status == 405:
        message = "Deze methode kan hier niet."
    else:
        message = error.description or "Het verzoek kon niet worden verwerkt."
    return error_response(EngineRestError(status, "InvalidRequestException", message))


@bp.get("/version")
def version() -> Response:
    """The engine version, as Camunda 7 reports it."""
    return jsonify({"version": ENGINE_VERSION})


@bp.get("/deployment")
def deployments() -> Response:
    """Deployed versions, newest first (the Modeler's connection check asks maxResults=0)."""
    first = _int_arg("firstResult", 0)
    limit = min(_int_arg("maxResults", MAX_RESULTS), MAX_RESULTS)
    stmt = select(ProcessVersion).order_by(ProcessVersion.deployed_at.desc(), ProcessVersion.id)
    name = request.args.get("name")
    if name:
        stmt = stmt.where(ProcessVersion.deployment_name == name)
    if limit == 0:
        return jsonify([])
    rows = db.session.scalars(stmt.offset(first).limit(limit))
    return jsonify([deployment_json(v) for v in rows])


@bp.get("/deployment/count")
def deployment_count() -> Response:
    """How many deployments (versions) there are."""
    count = db.session.scalar(select(func.count()).select_from(ProcessVersion)) or 0
    return jsonify({"count": count})


@bp.get("/deployment/<deployment_id>")
def deployment(deployment_id: str) -> Response:
    """One deployment (version) by id."""
    found = db.session.get(ProcessVersion, int(deployment_id)) if deployment_id.isdigit() else None
    if found is None:
        raise EngineRestError(
            404, "InvalidRequestException", f"Deployment met id {deployment_id!r} bestaat niet."
        )
    return jsonify(deployment_json(found))


@bp.post("/deployment/create")
def create_deployment() -> Response:
    """Deploy the diagram files of a multipart request as new versions (Camunda Modeler)."""
    if not request.mimetype.startswith("multipart/"):
        raise EngineRestError(
            400, "InvalidRequestException",
            "Stuur de diagrammen als multipart/form-data, elk bestand als deel met zijn naam.",
        )  # fmt: skip
    fields = request.form
    if (fields.get("tenant-id") or "").strip():
        raise EngineRestError(
            400, "InvalidRequestException",
            "Voorkom kent geen tenants: laat 'Tenant ID' leeg. Er is niets uitgerold.",
        )  # fmt: skip
    uploads = _uploads()
    files = sorted({u.name for u in uploads})
    name = (fields.get("deployment-name") or "").strip() or None
    source = (fields.get("deployment-source") or "").strip() or None
    try:
        with transaction():
            results = upload_diagrams(_actor(), uploads, name=name, max_bytes=max_bytes())
    except DeploymentRefused as refused:
        raise parse_error(refused.problems, files, refused.message) from refused
    except InvalidInput as invalid:
        problems = [f"{key}: {_text(msgs)}" for key, msgs in invalid.errors.items()]
        message = " ".join([invalid.message, *problems])
        raise EngineRestError(400, "InvalidRequestException", message) from invalid
    return jsonify(_created(results, uploads, source))


def _uploads() -> list[Upload]:
    """Every file part (any part name) and every text part named like a diagram file."""
    uploads = [
        Upload(storage.filename or key, storage.read())
        for key, storage in request.files.items(multi=True)
    ]
    for key, value in request.form.items(multi=True):
        if key not in _FIELDS and key.lower().endswith(ALLOWED_SUFFIXES):
            uploads.append(Upload(key, value.encode("utf-8")))
    if not uploads:
        raise EngineRestError(
            400, "InvalidRequestException",
            "Er zit geen .bpmn- of .dmn-bestand in het verzoek; er is niets uitgerold.",
        )  # fmt: skip
    return uploads


def _created(results: list[Any], uploads: list[Upload], source: str | None) -> dict[str, Any]:
    """Camunda's answer to a deployment: the new definitions, or none when nothing changed."""
    created = [r.version for r in results if r.created]
    shown = created[0] if created else results[0].version
    body = deployment_json(shown, source=source)
    deployment_id = body["id"]
    body["deployedProcessDefinitions"] = (
        {definition_id(v): process_definition_json(v, deployment_id) for v in created}
        if created
        else None
    )
    decisions: dict[str, Any] = {}
    for upload in uploads:
        for item in sorted(defined_ids(upload.name, upload.data)):
            kind, _, key = item.partition(":")
            if kind == "decision" and created:
                entry = decision_definition_json(key, upload.name, created[0], deployment_id)
                decisions[entry["id"]] = entry
    body["deployedCaseDefinitions"] = None
    body["deployedDecisionDefinitions"] = decisions or None
    body["deployedDecisionRequirementsDefinitions"] = None
    return body


def _text(messages: object) -> str:
    if isinstance(messages, list | tuple):
        return " ".join(str(m) for m in messages)
    return str(messages)


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise EngineRestError(
            400, "InvalidRequestException", f"{name} moet een geheel getal zijn, niet {raw!r}."
        )
    return int(raw)


@bp.route("/<path:_unknown>", methods=["GET", "POST", "PUT", "DELETE"])
def unknown(_unknown: str) -> Response:
    """Addresses Voorkom does not offer answer in Camunda's JSON too."""
    raise EngineRestError(
        404,
        "InvalidRequestException",
        "Onbekend adres: Voorkom kent alleen /version en /deployment.",
    )
