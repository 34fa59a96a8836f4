"""Request and response schemas of the JSON API (also the source of its OpenAPI document)."""

from __future__ import annotations

from functools import cache
from typing import Any

from marshmallow import RAISE, Schema, fields, validate

#: Dutch messages for the schema-level errors of API requests
REQUEST_MESSAGES = {
    "type": "Ongeldige invoer: verwacht een JSON-object.",
    "unknown": "Onbekend veld.",
}
FIELD_MESSAGES = {
    "required": "Dit veld is verplicht.",
    "null": "Dit veld mag niet leeg zijn.",
    "invalid": "Ongeldige waarde.",
}


def _msgs(**extra: str) -> dict[str, str]:
    return {**FIELD_MESSAGES, **extra}


class RequestSchema(Schema):
    """Base of request schemas: unknown fields are refused with a Dutch message."""

    error_messages = REQUEST_MESSAGES

    class Meta:
        unknown = RAISE


class ErrorSchema(Schema):
    message = fields.String(required=True, metadata={"description": "Dutch, safe to show"})
    errors = fields.Dict(
        keys=fields.String(),
        metadata={"description": "per field: a list of Dutch messages (or nested per item)"},
    )


class TaskQuerySchema(RequestSchema):
    """Task-list filters (query string)."""

    mine = fields.Boolean(
        load_default=False,
        error_messages=_msgs(invalid="Gebruik true of false."),
        metadata={"description": "only tasks claimed by me ('Mijn taken'); else the team's"},
    )
    activity_id = fields.String(validate=validate.Length(max=100))
    corporation_id = fields.Integer(
        strict=False, error_messages=_msgs(invalid="Vul een geheel getal in.")
    )
    priority = fields.String(validate=validate.Length(max=4))
    overdue = fields.Boolean(
        load_default=False, error_messages=_msgs(invalid="Gebruik true of false.")
    )
    reference = fields.String(
        validate=validate.Length(max=40), metadata={"description": "part of a case reference"}
    )
    sort = fields.String(
        load_default="due",
        validate=validate.OneOf(
            ["due", "created", "priority"], error="Sorteer op due, created of priority."
        ),
    )
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=100_000, error="Vul een paginanummer vanaf 1 in."),
        error_messages=_msgs(invalid="Vul een geheel getal in."),
    )
    per_page = fields.Integer(
        load_default=25,
        validate=validate.Range(min=1, max=200, error="Vul een aantal van 1 tot en met 200 in."),
        error_messages=_msgs(invalid="Vul een geheel getal in."),
    )


class StartQuerySchema(RequestSchema):
    process_id = fields.String(
        validate=validate.Length(max=100),
        metadata={"description": "only for corporations without a fixed process (tests, pilots)"},
    )


class MessageRequestSchema(RequestSchema):
    """A signal for a waiting case, e.g. 'achterstand_opgelost' (§3 D)."""

    message = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100, error="Geef de naam van het bericht."),
        error_messages=_msgs(invalid="Geef de naam van het bericht als tekst."),
    )
    payload = fields.Dict(
        keys=fields.String(),
        load_default=dict,
        error_messages=_msgs(invalid="Geef de gegevens als JSON-object."),
    )


class FormDataSchema(Schema):
    """The fields of the task's form (see GET /api/v1/forms/{form_key})."""

    class Meta:
        unknown = RAISE


class TaskSchema(Schema):
    id = fields.Integer(required=True)
    case = fields.String(required=True, metadata={"description": "case reference"})
    activity_id = fields.String(required=True)
    name = fields.String(required=True)
    process_id = fields.String(required=True)
    role = fields.String(required=True)
    form_key = fields.String(allow_none=True)
    corporation = fields.String(allow_none=True, metadata={"description": "corporation name"})
    household = fields.String(
        allow_none=True, metadata={"description": "only for roles that may see identity (§7)"}
    )
    due_at = fields.DateTime(allow_none=True)
    overdue = fields.Boolean(required=True)
    due_soon = fields.Boolean(required=True, metadata={"description": "due within 2 days"})
    priority = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    claimed_by = fields.String(allow_none=True, metadata={"description": "username"})
    claimed_by_name = fields.String(allow_none=True)


class TaskPageSchema(Schema):
    tasks = fields.List(fields.Nested(TaskSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class EventSchema(Schema):
    at = fields.DateTime(required=True)
    lifecycle = fields.String(required=True)
    activity_id = fields.String(allow_none=True)
    activity_name = fields.String(allow_none=True)
    role = fields.String(allow_none=True, metadata={"description": "the party"})
    organisation = fields.String(allow_none=True, metadata={"description": "organisation key"})
    details = fields.Dict(allow_none=True)


class CaseSchema(Schema):
    reference = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "open, closed or error"})
    outcome = fields.String(allow_none=True)
    priority = fields.String(allow_none=True)
    process_id = fields.String(required=True)
    process_version = fields.Integer(required=True)
    corporation = fields.String(required=True)
    household = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    closed_at = fields.DateTime(allow_none=True)
    open_tasks = fields.List(
        fields.Nested(TaskSchema),
        required=True,
        metadata={"description": "open tasks of every party; act only on those of your role"},
    )


class CaseViewSchema(CaseSchema):
    data = fields.Dict(
        required=True, metadata={"description": "only the variables your role may read (§7)"}
    )
    events = fields.List(fields.Nested(EventSchema), required=True)


class TaskDetailSchema(Schema):
    task = fields.Nested(TaskSchema, required=True)
    draft = fields.Dict(allow_none=True)
    form = fields.Nested(
        lambda: FormSchema(),
        allow_none=True,
        metadata={"description": "the body 'complete' takes (also forms drawn in the diagram)"},
    )
    case = fields.Nested(CaseViewSchema, required=True)


class ChoiceSchema(Schema):
    value = fields.String(required=True)
    label = fields.String(required=True)


class FormFieldSchema(Schema):
    name = fields.String(required=True)
    label = fields.String(required=True)
    help = fields.String(required=True)
    type = fields.String(
        required=True,
        metadata={
            "description": "text, choice, choices, boolean, integer, amount, number, date, "
            "datetime, postcode, phone, email or repeat"
        },
    )
    required = fields.Boolean(required=True)
    personal = fields.Boolean(required=True)
    max_length = fields.Integer(allow_none=True)
    choices = fields.List(fields.Nested(ChoiceSchema), allow_none=True)
    item_fields = fields.List(
        fields.Nested(lambda: FormFieldSchema()),
        allow_none=True,
        data_key="fields",
        metadata={"description": "the fields of one item of a repeating group"},
    )


class FormSchema(Schema):
    key = fields.String(required=True)
    title = fields.String(required=True)
    form_fields = fields.List(fields.Nested(FormFieldSchema), required=True, data_key="fields")


class TokenInfoSchema(Schema):
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    role = fields.String(required=True)
    organisation = fields.String(required=True)


@cache
def _instance(schema: type[Schema]) -> Schema:
    return schema()


def dump(schema: type[Schema], obj: Any) -> Any:
    """Serialise with a response schema (one place, so every response follows its schema)."""
    return _instance(schema).dump(obj)
