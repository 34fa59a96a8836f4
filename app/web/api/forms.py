"""API route describing a form, so clients can build it: fields, labels, types, choices."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from app.forms import fields as form_fields
from app.forms.registry import FORMS
from app.services.errors import NotFound
from app.web.api.blueprint import api_route
from app.web.api.schemas import FormSchema, dump
from app.web.formview import max_length

#: field class -> type name; subclasses before their bases (Choice is a Text)
FIELD_TYPES: tuple[tuple[type[fields.Field], str], ...] = (
    (form_fields.ChoiceList, "choices"),
    (form_fields.Repeat, "repeat"),
    (form_fields.Choice, "choice"),
    (form_fields.Postcode, "postcode"),
    (form_fields.Phone, "phone"),
    (form_fields.Text, "text"),
    (form_fields.EmailAddress, "email"),
    (form_fields.Bool, "boolean"),
    (form_fields.Count, "integer"),
    (form_fields.Quantity, "number"),
    (form_fields.Amount, "amount"),
    (form_fields.IsoDateTime, "datetime"),
    (form_fields.IsoDate, "date"),
)


def field_type(field: fields.Field) -> str:
    for cls, name in FIELD_TYPES:
        if isinstance(field, cls):
            return name
    return type(field).__name__.lower()


def describe_field(name: str, field: fields.Field) -> dict[str, Any]:
    """One field as a client needs it to render and fill the form."""
    meta = field.metadata
    item_fields = None
    if isinstance(field, form_fields.Repeat):
        inner = field.inner
        if isinstance(inner, fields.Nested) and isinstance(inner.schema, Schema):
            item_fields = describe_fields(inner.schema)
    choices = meta.get("choices")
    return {
        "name": field.data_key or name,
        "label": meta.get("label", name),
        "help": meta.get("help", ""),
        "type": field_type(field),
        "required": bool(field.required),
        "personal": bool(meta.get("personal", True)),
        "max_length": max_length(field),
        "choices": [{"value": v, "label": lbl} for v, lbl in choices] if choices else None,
        "item_fields": item_fields,
    }


def describe_fields(schema: Schema) -> list[dict[str, Any]]:
    return [
        describe_field(name, field) for name, field in schema.fields.items() if not field.dump_only
    ]


def describe_form(key: str, schema_class: type[Schema]) -> dict[str, Any]:
    """A whole form: key, title and fields (the shape of FormSchema)."""
    return {
        "key": key,
        "title": getattr(schema_class, "title", "") or key,
        "form_fields": describe_fields(schema_class()),
    }


@api_route(
    "/forms/<form_key>",
    "GET",
    tag="formulieren",
    summary="Describe a form: its fields, labels, types, required marks and choices",
    response=FormSchema,
    errors=(404,),
)
def describe_form_view(form_key: str) -> Any:
    """The fields of one form (the body of 'complete' for tasks with this form key)."""
    schema_class = FORMS.get(form_key)
    if schema_class is None:
        raise NotFound(f"Formulier {form_key!r} bestaat niet.")
    return dump(FormSchema, describe_form(form_key, schema_class))
