"""Forms a process owner draws inside the diagram (``camunda:formData``), run like registered forms.

At deploy time every user task's diagram form is read (``app.engine.form_data``) and kept in the
version's summary under ``diagram_forms``; completing such a task validates the data with a
marshmallow schema built from that definition with the fields of ``app.forms``, Dutch messages
and the usual metadata (label, help, readers, personal, choices). A field is readable by the
task's own party only, unless the diagram names other readers (CV-23, COVENANT.md §7).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from marshmallow import Schema, ValidationError, missing
from sqlalchemy import func, select

from app.engine import ParsedProcess
from app.engine.form_data import DEFAULT_MAX_LENGTH, LONG_RANGE, FormFieldDef, read_form_fields
from app.engine.parser import CAMUNDA_NS, UnsafeXml, safe_xml
from app.extensions import db
from app.forms.base import VoorkomSchema, meta
from app.forms.fields import Bool, Choice, Count, IsoDate, Text
from app.models import Case, HumanTask, ProcessVersion
from app.roles import role_for_lane

#: form keys of diagram forms: ``diagram:<process id>/<activity id>``
PREFIX = "diagram:"
SUMMARY_KEY = "diagram_forms"


def form_key_for(process_id: str, activity_id: str) -> str:
    """The form key a diagram form goes by (task lists, audit log)."""
    return f"{PREFIX}{process_id}/{activity_id}"


def collect_forms(process: ParsedProcess) -> dict[str, dict[str, Any]]:
    """Every user task's diagram form in a parsed process: ``{"<process>/<activity>": form}``."""
    forms: dict[str, dict[str, Any]] = {}
    for spec in [process.spec, *process.subprocess_specs.values()]:
        if spec is None:
            continue
        for task_spec in spec.task_specs.values():
            raw = (getattr(task_spec, "extensions", None) or {}).get("formData")
            if not raw or not getattr(task_spec, "manual", False) or not task_spec.bpmn_id:
                continue
            role = role_for_lane(task_spec.lane)
            fields, _problems = read_form_fields(raw, role)  # lint refused any problem
            forms[f"{spec.name}/{task_spec.bpmn_id}"] = {
                "title": task_spec.bpmn_name or task_spec.bpmn_id,
                "role": role,
                "fields": [f.to_json() for f in fields],
            }
    return forms


def form_in(summary: Mapping[str, Any], process_id: str, activity_id: str) -> dict[str, Any] | None:
    """The diagram form of one task in a version's summary, if the task has one."""
    form: dict[str, Any] | None = (summary.get(SUMMARY_KEY) or {}).get(
        f"{process_id}/{activity_id}"
    )
    return form


def task_form(row: HumanTask) -> dict[str, Any] | None:
    """The diagram form of an open task (None: the task uses its registered form key)."""
    summary = db.session.scalar(
        select(ProcessVersion.summary)
        .join(Case, Case.process_version_id == ProcessVersion.id)
        .where(Case.id == row.case_id)
    )
    return form_in(summary or {}, row.process_id, row.activity_id)


def schema_for(form: Mapping[str, Any], form_key: str = PREFIX) -> type[VoorkomSchema]:
    """A marshmallow schema class for a diagram form (built once per definition)."""
    return _schema(json.dumps({"form": form, "key": form_key}, sort_keys=True))


@lru_cache(maxsize=512)
def _schema(definition: str) -> type[VoorkomSchema]:
    parsed = json.loads(definition)
    form = parsed["form"]
    attributes: dict[str, Any] = {
        "form_key": parsed["key"],
        "title": form.get("title") or "",
        "__doc__": f"Diagram form {parsed['key']}: {form.get('title') or ''}",
    }
    for raw in form.get("fields", []):
        field = FormFieldDef.from_json(raw)
        attributes[field.id] = _field(field)
    return type("DiagramFormSchema", (VoorkomSchema,), attributes)


class WholeNumber(Count):
    """A whole number that may be negative (a ``long`` form field)."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and value < 0:
            value = str(value)  # a negative JSON number: checked like a typed one
        if isinstance(value, str) and re.fullmatch(r"\s*-\s*\d+\s*", value):
            number = -int(value.replace("-", "").strip())
            if not self.minimum <= number <= self.maximum:
                raise self.make_error("range", minimum=self.minimum, maximum=self.maximum)
            return number
        return super()._deserialize(value, attr, data, **kwargs)


def _field(field: FormFieldDef) -> Any:
    readers = field.readers
    metadata = meta(field.label, field.help, readers, personal=field.personal)
    metadata["default"] = field.default
    options: dict[str, Any] = {"metadata": metadata, "required": field.required}
    if field.default is not None and not field.required:
        options["load_default"] = field.default
    if field.type == "long":
        low = field.minimum if isinstance(field.minimum, int) else LONG_RANGE[0]
        high = field.maximum if isinstance(field.maximum, int) else LONG_RANGE[1]
        return WholeNumber(minimum=low, maximum=high, **options)
    if field.type == "boolean":
        if field.required:
            options["load_default"] = missing
        return Bool(**options)
    if field.type == "enum":
        return Choice(list(field.choices), **options)
    if field.type == "date":
        return IsoDate(validate=_date_range(field), **options)
    return Text(
        max_length=field.max_length or DEFAULT_MAX_LENGTH,
        validate=_text_rules(field),
        **options,
    )


def _text_rules(field: FormFieldDef) -> list[Callable[[str], None]]:
    rules: list[Callable[[str], None]] = []
    if field.min_length:
        least = field.min_length

        def long_enough(value: str) -> None:
            if len(value) < least:
                raise ValidationError(f"Gebruik minstens {least} tekens.")

        rules.append(long_enough)
    if field.pattern:
        pattern = re.compile(field.pattern)

        def matches(value: str) -> None:
            if not pattern.fullmatch(value):
                raise ValidationError("De invoer heeft niet de gevraagde vorm.")

        rules.append(matches)
    return rules


def _date_range(field: FormFieldDef) -> list[Callable[[str], None]]:
    first, last = field.minimum, field.maximum

    def within(value: str) -> None:
        if isinstance(first, str) and value < first:
            raise ValidationError(f"Vul een datum op of na {_dutch(first)} in.")
        if isinstance(last, str) and value > last:
            raise ValidationError(f"Vul een datum op of voor {_dutch(last)} in.")

    return [within] if first or last else []


def _dutch(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}-{month}-{year}"


def task_schema(row: HumanTask) -> type[Schema] | None:
    """The schema an open task's form is validated and rendered with (None: no form)."""
    if row.form_key:
        from app.forms.registry import get_form

        return get_form(row.form_key)
    form = task_form(row)
    return None if form is None else schema_for(form, form_key_for(row.process_id, row.activity_id))


# --- privacy ------------------------------------------------------------------------------------

_READERS_LOCK = threading.Lock()
_READERS: tuple[tuple[Any, ...], dict[str, frozenset[str]]] | None = None


def field_readers() -> dict[str, frozenset[str]]:
    """Who may read each diagram-form variable, over every deployed version (CV-23).

    A name that several versions or processes define is readable only by the roles all of them
    allow: widening the readers takes effect once no older definition is deployed, narrowing
    at once.
    """
    global _READERS
    key = tuple(
        db.session.execute(
            select(
                func.count(ProcessVersion.id),
                func.max(ProcessVersion.id),
                func.min(ProcessVersion.content_hash),
                func.max(ProcessVersion.content_hash),
            )
        ).one()
    )
    with _READERS_LOCK:
        if _READERS is not None and _READERS[0] == key:
            return _READERS[1]
    readers: dict[str, frozenset[str]] = {}
    for summary in db.session.scalars(select(ProcessVersion.summary)):
        for name, roles in summary_readers(summary).items():
            readers[name] = readers[name] & roles if name in readers else roles
    with _READERS_LOCK:
        _READERS = (key, readers)
    return readers


def summary_readers(summary: Mapping[str, Any]) -> dict[str, frozenset[str]]:
    """Who may read each diagram-form variable of one version."""
    readers: dict[str, frozenset[str]] = {}
    for form in (summary.get(SUMMARY_KEY) or {}).values():
        for raw in form.get("fields", []):
            roles = frozenset(raw.get("readers") or ())
            name = raw["id"]
            readers[name] = readers[name] & roles if name in readers else roles
    return readers


# --- deploy-time checks -------------------------------------------------------------------------


def reserved_variables() -> dict[str, str]:
    """Variable names a diagram form may not use: registered form fields and engine variables."""
    from app.forms.registry import FORMS
    from app.services.privacy import ENGINE_VARIABLES

    names = {name: "engine" for name in ENGINE_VARIABLES}
    for key, schema in FORMS.items():
        for name, field in schema._declared_fields.items():
            names.setdefault(field.data_key or name, key)
    return names


def name_problems(sources: Mapping[str, bytes | str]) -> list[str]:
    """Diagram-form fields that would overwrite a registered form's field or an engine variable.

    Such a field would change data that other parties read under their own rules (CV-23).
    """
    reserved = reserved_variables()
    problems: list[str] = []
    for name, data in sorted(sources.items()):
        if name.lower().endswith(".dmn"):
            continue
        try:
            root = safe_xml(data, name).getroot()
        except UnsafeXml:
            continue  # lint reports it
        for field in root.iter(f"{{{CAMUNDA_NS}}}formField"):
            field_id = (field.get("id") or "").strip()
            if field_id not in reserved:
                continue
            owner = next((a.get("id") for a in field.iterancestors() if a.get("id")), None)
            where = (
                "de engine"
                if reserved[field_id] == "engine"
                else (f"het geregistreerde formulier {reserved[field_id]!r}")
            )
            problems.append(
                f"{name} [{owner}]: formulierveld {field_id!r}: de naam wordt al gebruikt door "
                f"{where}; kies een ander ID"
            )
    return problems
