"""The shapes Camunda 7's REST API answers in: deployments, definitions, errors, CORS, auth."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from flask import Response, jsonify, request

from app.models import ProcessVersion, User
from app.services import transaction
from app.services.accounts import authenticate
from app.services.actors import Actor
from app.services.tokens import user_for_token
from app.services.workbench.files import own_file

#: the Camunda 7 version the Modeler is told it talks to (features are chosen by it)
ENGINE_VERSION = "7.22.0"
#: the prefix that makes Camunda Modeler show an error as "could not parse the diagram"
PARSE_ERROR = "ENGINE-09005 Could not parse BPMN process."
#: origins the desktop Camunda Modeler sends (an Electron page loaded from file://)
DESKTOP_ORIGINS = frozenset({"null", "file://"})
CORS_HEADERS = "Authorization, Content-Type, Accept"
REALM = 'Basic realm="Voorkom engine-rest", charset="UTF-8"'
_PROBLEM = re.compile(r"^(?P<file>[^:\[\]]+?)(?::(?P<line>\d+))?(?: \[(?P<element>[^\]]+)\])?: ")


class EngineRestError(Exception):
    """An error answered as Camunda does: ``{"type": ..., "message": ...}`` with a status."""

    def __init__(
        self, status: int, kind: str, message: str, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.message = message
        self.details = details


def error_response(error: EngineRestError) -> Response:
    body: dict[str, Any] = {"type": error.kind, "message": error.message}
    if error.details is not None:
        body["details"] = error.details
    response = jsonify(body)
    response.status_code = error.status
    if error.status == 401:
        response.headers["WWW-Authenticate"] = REALM
    return response


def parse_error(problems: Sequence[str], files: Iterable[str], summary: str) -> EngineRestError:
    """A refused deployment in the shape of Camunda's ParseException (status 400)."""
    names = ", ".join(sorted(files)) or "de bestanden"
    message = f"{PARSE_ERROR} Fouten in {names}: " + " | ".join(problems) + f" ({summary})"
    details: dict[str, Any] = {}
    for problem in problems:
        match = _PROBLEM.match(problem)
        resource = match.group("file") if match else next(iter(sorted(files)), "")
        entry: dict[str, Any] = {"message": problem, "line": 0, "column": 0}
        if match and match.group("line"):
            entry["line"] = int(match.group("line"))
        if match and match.group("element"):
            entry["mainElementId"] = match.group("element")
            entry["elementIds"] = [match.group("element")]
        details.setdefault(resource, {"errors": [], "warnings": []})["errors"].append(entry)
    return EngineRestError(400, "ParseException", message, details)


# --- who is calling -----------------------------------------------------------------------------


def caller() -> Actor:
    """The actor of the request's credentials (Basic or Bearer); 401 when there are none."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.strip().partition(" ")
    user: User | None = None
    if scheme.lower() == "bearer" and value.strip():
        user = user_for_token(value.strip())
    elif scheme.lower() == "basic" and value.strip():
        username, password = _basic(value.strip())
        with transaction():  # a failed attempt counts towards the lock-out
            user = authenticate(username, password)
    if user is None:
        raise EngineRestError(
            401,
            "AuthenticationException",
            "Aanmelden mislukt: geef een geldige gebruikersnaam en wachtwoord (Basic) of een "
            "API-token (Bearer). Na vijf mislukte pogingen is het account 15 minuten geblokkeerd.",
        )
    return Actor.of(user)


def _basic(value: str) -> tuple[str, str]:
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return "", ""
    username, _, password = decoded.partition(":")
    return username, password


# --- CORS ---------------------------------------------------------------------------------------


def allowed_origin() -> str | None:
    """The request's Origin when it is the desktop Modeler's, else None."""
    origin = request.headers.get("Origin")
    return origin if origin in DESKTOP_ORIGINS else None


def add_cors(response: Response) -> Response:
    """Let the desktop app read the answer (and pass its preflight)."""
    origin = allowed_origin()
    response.headers.add("Vary", "Origin")
    if origin is None:
        return response
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
    response.headers["Access-Control-Max-Age"] = "600"
    return response


# --- Camunda's JSON shapes ----------------------------------------------------------------------


def camunda_time(moment: datetime) -> str:
    """``2026-03-02T09:00:00.000+0000``: Camunda's date format."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}+0000"


def deployment_json(version: ProcessVersion, *, source: str | None = None) -> dict[str, Any]:
    """A version as a Camunda deployment (a Voorkom version is its own deployment)."""
    deployment_id = str(version.id)
    base = f"{request.url_root}engine-rest/deployment"
    return {
        "links": [{"method": "GET", "href": f"{base}/{deployment_id}", "rel": "self"}],
        "id": deployment_id,
        "name": version.deployment_name or f"{version.process_id} v{version.version}",
        "source": source,
        "deploymentTime": camunda_time(version.deployed_at),
        "tenantId": None,
    }


def definition_id(version: ProcessVersion) -> str:
    return f"{version.process_id}:{version.version}:{version.id}"


def process_definition_json(version: ProcessVersion, deployment_id: str) -> dict[str, Any]:
    """A version as a Camunda process definition."""
    return {
        "id": definition_id(version),
        "key": version.process_id,
        "category": "http://bpmn.io/schema/bpmn",
        "description": None,
        "name": version.name,
        "version": version.version,
        "resource": own_file(version),
        "deploymentId": deployment_id,
        "diagram": None,
        "suspended": False,
        "tenantId": None,
        "versionTag": None,
        "historyTimeToLive": None,
        "startableInTasklist": bool(version.summary.get("startable")),
    }


def decision_definition_json(
    decision_id: str, resource: str, version: ProcessVersion, deployment_id: str
) -> dict[str, Any]:
    """A decision table, deployed with the process versions that use it."""
    return {
        "id": f"{decision_id}:{version.process_id}:{version.version}",
        "key": decision_id,
        "category": "http://camunda.org/schema/1.0/dmn",
        "name": decision_id,
        "version": version.version,
        "resource": resource,
        "deploymentId": deployment_id,
        "tenantId": None,
        "decisionRequirementsDefinitionId": None,
        "decisionRequirementsDefinitionKey": None,
        "historyTimeToLive": None,
        "versionTag": None,
    }
