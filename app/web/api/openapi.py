"""The OpenAPI 3 document, built with apispec from the route registry and the schemas."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import g

from app.forms import fields as form_fields
from app.forms.registry import FORMS
from app.web.api.blueprint import OPERATIONS, ApiOperation, api_route, bp
from app.web.api.schemas import ErrorSchema, FormDataSchema, TokenInfoSchema, dump
from app.web.api.support import actor

#: Dutch descriptions of the error statuses every operation may answer
ERROR_TEXTS = {
    400: "Geen geldige JSON",
    401: "Geen of een ongeldig API-token",
    403: "Uw rol mag dit niet",
    404: "Niet gevonden (of niet zichtbaar voor uw rol en organisatie)",
    409: "Iemand anders was eerder (opgepakt, afgehandeld, gewijzigd)",
    422: "Ongeldige gegevens; per veld een Nederlandse melding in 'errors'",
}

_PARAM = re.compile(r"<(?:(?P<converter>[a-z]+):)?(?P<name>\w+)>")


def openapi_path(rule: str) -> tuple[str, list[dict[str, Any]]]:
    """A Flask rule as an OpenAPI path with its path parameters."""
    params = []
    for match in _PARAM.finditer(rule):
        kind = "integer" if match.group("converter") == "int" else "string"
        params.append(
            {"in": "path", "name": match.group("name"), "required": True, "schema": {"type": kind}}
        )
    return (bp.url_prefix or "") + _PARAM.sub(lambda m: "{" + m.group("name") + "}", rule), params


def _json(schema: Any) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _form_component(form_key: str) -> str:
    return f"Form_{form_key}"


def _body(schema: type[Any]) -> Any:
    """Form data is any one of the registered forms (which one: the task's form_key)."""
    if schema is FormDataSchema:
        return {
            "anyOf": [{"$ref": f"#/components/schemas/{_form_component(key)}"} for key in FORMS],
            "description": FormDataSchema.__doc__,
        }
    return schema


def _operation(op: ApiOperation) -> tuple[str, dict[str, Any]]:
    path, params = openapi_path(op.rule)
    parameters: list[dict[str, Any]] = list(params)
    if op.query is not None:
        parameters.append({"in": "query", "schema": op.query})
    responses: dict[str, Any] = {
        str(op.status): {
            "description": op.summary,
            **({"content": _json(op.response)} if op.response else {}),
        }
    }
    statuses = set(op.errors) | ({400} if op.body else set()) | (set() if op.public else {401})
    for status in sorted(statuses):
        responses[str(status)] = {"description": ERROR_TEXTS[status], "content": _json("Error")}
    operation: dict[str, Any] = {
        "operationId": op.endpoint,
        "summary": op.summary,
        "description": op.description,
        "tags": [op.tag],
        "parameters": parameters,
        "responses": responses,
        "security": [] if op.public else [{"bearer": []}],
    }
    if op.body is not None:
        operation["requestBody"] = {
            "required": op.method == "POST",
            "content": _json(_body(op.body)),
        }
    return path, operation


@cache
def openapi_document() -> dict[str, Any]:
    """The whole API as an OpenAPI 3.0 document (built once per process)."""
    plugin = MarshmallowPlugin()
    spec = APISpec(
        title="Voorkom API",
        version="1",
        openapi_version="3.0.3",
        plugins=[plugin],
        info={
            "description": "Het convenant voorkoming huisuitzettingen Krimpenerwaard, voor "
            "koppelingen: zaken starten, taken oppakken en afhandelen, berichten sturen. "
            "Authenticatie met een API-token per gebruiker of systeemaccount "
            "(`voorkom create-token GEBRUIKERSNAAM`)."
        },
    )
    for field_class, kind, fmt in (
        (form_fields.Count, "integer", None),
        (form_fields.Amount, "number", None),
        (form_fields.IsoDate, "string", "date"),
        (form_fields.IsoDateTime, "string", "date-time"),
    ):
        plugin.map_to_openapi_type(field_class, kind, fmt)
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", schema=ErrorSchema)
    for key, form in FORMS.items():
        spec.components.schema(_form_component(key), schema=form)
    by_path: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        path, operation = _operation(op)
        by_path.setdefault(path, {})[op.method.lower()] = operation
    for path, operations in by_path.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()


@api_route(
    "/openapi.json",
    "GET",
    tag="api",
    summary="This document: the API in OpenAPI 3",
    public=True,
)
def openapi_view() -> Any:
    return openapi_document()


@api_route(
    "/me",
    "GET",
    tag="api",
    summary="Whose token is this: account, role and organisation",
    response=TokenInfoSchema,
)
def me_view() -> Any:
    user = g.api_user
    who = actor()
    return dump(
        TokenInfoSchema,
        {
            "username": who.username,
            "display_name": who.display_name,
            "role": who.role,
            "organisation": user.organisation.key,
        },
    )
