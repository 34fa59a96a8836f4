"""The API blueprint and its route registry: every route carries its OpenAPI description."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Blueprint
from marshmallow import Schema

bp = Blueprint("api", __name__, url_prefix="/api/v1")

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class ApiOperation:
    """One documented route: what it takes, what it gives, how it can fail."""

    rule: str
    method: str
    endpoint: str
    summary: str
    description: str
    tag: str
    query: type[Schema] | None
    body: type[Schema] | None
    response: type[Schema] | None
    status: int
    errors: tuple[int, ...]
    public: bool


#: every API route in registration order (the OpenAPI document is built from this)
OPERATIONS: list[ApiOperation] = []


def api_route(
    rule: str,
    method: str,
    *,
    summary: str,
    tag: str,
    description: str = "",
    query: type[Schema] | None = None,
    body: type[Schema] | None = None,
    response: type[Schema] | None = None,
    status: int = 200,
    errors: tuple[int, ...] = (),
    public: bool = False,
) -> Callable[[View], View]:
    """Register a view under /api/v1 together with its OpenAPI description."""

    def decorator(view: View) -> View:
        endpoint = view.__name__
        OPERATIONS.append(
            ApiOperation(
                rule=rule, method=method.upper(), endpoint=endpoint, summary=summary,
                description=description or (view.__doc__ or "").strip(), tag=tag, query=query,
                body=body, response=response, status=status, errors=errors, public=public,
            )
        )  # fmt: skip
        bp.add_url_rule(rule, endpoint=endpoint, view_func=view, methods=[method.upper()])
        return view

    return decorator


#: undocumented endpoints that need no token (the JSON 'not found' for unknown addresses)
OPEN_ENDPOINTS = frozenset({"unknown_route"})


def public_endpoints() -> frozenset[str]:
    """Blueprint endpoints reachable without a token."""
    names = {op.endpoint for op in OPERATIONS if op.public} | OPEN_ENDPOINTS
    return frozenset(f"{bp.name}.{name}" for name in names)
