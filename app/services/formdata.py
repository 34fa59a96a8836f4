"""Form data in: validate with the form's schema and give every field of the form a value."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from marshmallow import Schema, ValidationError, fields

from app.forms.registry import get_form
from app.services.errors import CaseFailed, InvalidInput


def load_form(form_key: str, data: dict[str, Any]) -> dict[str, Any]:
    """Validated values; fields left empty become None (lists: []) so diagrams can test them."""
    try:
        schema_class = get_form(form_key)
    except KeyError as exc:
        raise CaseFailed(f"Formulier {form_key!r} bestaat niet.") from exc
    return load_with(schema_class, data)


@lru_cache(maxsize=1024)
def _schema(schema_class: type[Schema]) -> Schema:
    """One reusable instance per schema class: building one costs about as much as a load.

    Bounded, because diagram forms are classes built per definition (``diagram_forms``).
    """
    return schema_class()


def load_with(schema_class: type[Schema], data: dict[str, Any]) -> dict[str, Any]:
    """Validate with a schema class (registered or drawn in the diagram); see load_form."""
    schema = _schema(schema_class)
    try:
        loaded: dict[str, Any] = schema.load(data)
    except ValidationError as exc:
        raise InvalidInput("Het formulier bevat fouten.", exc.normalized_messages()) from exc
    values: dict[str, Any] = {
        field.data_key or name: [] if isinstance(field, fields.List) else None
        for name, field in schema.load_fields.items()
    }
    values.update(loaded)
    return values
