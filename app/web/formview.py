"""HTML forms drawn from the marshmallow schemas: widgets, values, posted data and messages.

Field names in the page: ``name`` for a plain field, ``name-3-sub`` for field ``sub`` of item 3
of the repeating group ``name``, and a hidden ``name-3-_item`` marker per item so that an item
whose boxes are all unticked still exists. Errors come back in marshmallow's shape and are put
beside each field and in the summary at the top, each linking to its field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from marshmallow import Schema, fields, validate
from werkzeug.datastructures import MultiDict

from app.forms.fields import (
    Amount,
    Bool,
    Choice,
    ChoiceList,
    Count,
    EmailAddress,
    Group,
    IsoDate,
    IsoDateTime,
    Phone,
    Postcode,
    Quantity,
    Repeat,
)

#: a choice with at most this many options is drawn as radio buttons, else as a list box
RADIO_LIMIT = 4
#: texts longer than this get a text area
TEXTAREA_FROM = 200
ITEM_MARKER = "_item"
#: a required yes/no question gets two radio buttons: an unticked box cannot say "nee"
YES_NO: tuple[tuple[str, str], ...] = (("ja", "Ja"), ("nee", "Nee"))
INDEX_PLACEHOLDER = "__index__"


@dataclass
class FieldView:
    """One input (or group of inputs) as the template draws it."""

    name: str
    input_id: str
    label: str
    help: str
    required: bool
    widget: str
    value: Any = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    items: list[list[FieldView]] = field(default_factory=list)
    template: list[FieldView] = field(default_factory=list)
    item_label: str = ""
    maxlength: int | None = None
    prefix: str = ""

    @property
    def describedby(self) -> str:
        ids = []
        if self.help:
            ids.append(f"{self.input_id}-hulp")
        if self.errors:
            ids.append(f"{self.input_id}-fout")
        return " ".join(ids)


@dataclass(frozen=True)
class SummaryItem:
    """One line of the error summary, linking to its field."""

    target: str
    label: str
    message: str


def input_fields(schema: Schema) -> list[tuple[str, fields.Field]]:
    """The fields a person fills in (computed, dump-only fields are left out)."""
    return [
        (f.data_key or name, f)
        for name, f in schema.fields.items()
        if not f.dump_only and not f.metadata.get("hidden")
    ]


def output_fields(schema: Schema) -> list[tuple[str, fields.Field]]:
    """The computed fields a form shows once the case has them (e.g. the afloscapaciteit)."""
    return [(f.data_key or name, f) for name, f in schema.fields.items() if f.dump_only]


def item_schema(repeat: fields.Field) -> Schema:
    inner = getattr(repeat, "inner", None)
    if isinstance(inner, Group | fields.Nested):
        nested = inner.schema
        if isinstance(nested, Schema):
            return nested
    raise TypeError(f"repeating group without a nested schema: {repeat!r}")


def max_length(f: fields.Field) -> int | None:
    """The most characters a field takes (its Length validator), if limited."""
    for validator in f.validators:
        if isinstance(validator, validate.Length) and validator.max is not None:
            return int(validator.max)
    return None


def widget_of(f: fields.Field) -> str:
    """The kind of input a field gets."""
    if isinstance(f, Repeat):
        return "repeat"
    if isinstance(f, ChoiceList):
        return "checkboxes"
    if isinstance(f, Choice):
        choices = f.metadata.get("choices") or []
        return "radios" if len(choices) <= RADIO_LIMIT else "select"
    if isinstance(f, Bool):
        return "yesno" if f.required else "checkbox"
    if isinstance(f, IsoDateTime):
        return "datetime"
    if isinstance(f, IsoDate):
        return "date"
    if isinstance(f, Quantity):
        return "decimal"
    if isinstance(f, Amount):
        return "amount"
    if isinstance(f, Count):
        return "number"
    if isinstance(f, EmailAddress):
        return "email"
    if isinstance(f, Phone):
        return "tel"
    if isinstance(f, Postcode):
        return "postcode"
    length = max_length(f)
    if length is not None and length > TEXTAREA_FROM:
        return "textarea"
    return "text"


# -- values: case data / drafts <-> what the inputs show -----------------------------------


def _display(f: fields.Field, value: Any) -> Any:
    """A stored value as its input shows it (Dutch decimal comma for amounts)."""
    if value is None:
        return ""
    if isinstance(f, Bool):
        return bool(value) and str(value).lower() not in ("nee", "false", "0", "off", "")
    if isinstance(f, ChoiceList):
        return [str(v) for v in value] if isinstance(value, list) else []
    if isinstance(f, Amount) and isinstance(value, int | float) and not isinstance(value, bool):
        text = f"{value:.2f}"
        if isinstance(f, Quantity):
            text = text.rstrip("0").rstrip(".")
        return text.replace(".", ",")
    if isinstance(f, IsoDateTime) and isinstance(value, str):
        return value[:16]
    return str(value)


def form_values(schema: Schema, data: Mapping[str, Any]) -> dict[str, Any]:
    """What each input shows for known data (case variables, a draft or a posted form)."""
    values: dict[str, Any] = {}
    for key, f in input_fields(schema):
        if key not in data:
            continue
        raw = data[key]
        if isinstance(f, Repeat):
            sub_schema = item_schema(f)
            items = raw if isinstance(raw, list) else []
            values[key] = [
                form_values(sub_schema, item) for item in items if isinstance(item, Mapping)
            ]
        else:
            values[key] = _display(f, raw)
    return values


def read_form(
    schema: Schema, form: MultiDict[str, str], *, keep_empty: bool = False
) -> dict[str, Any]:
    """The posted inputs as data for ``schema.load``; wholly empty group items are dropped
    unless keep_empty (when only adding or removing items)."""
    data: dict[str, Any] = {}
    for key, f in input_fields(schema):
        if isinstance(f, Repeat):
            data[key] = _read_items(item_schema(f), form, key, keep_empty=keep_empty)
        elif isinstance(f, ChoiceList):
            data[key] = [v for v in form.getlist(key) if v]
        elif key in form:
            data[key] = form.get(key, "")
    return data


def _read_items(
    sub_schema: Schema, form: MultiDict[str, str], key: str, *, keep_empty: bool
) -> list[dict[str, Any]]:
    pattern = re.compile(rf"^{re.escape(key)}-(\d+)-")
    indices = sorted({int(m.group(1)) for name in form if (m := pattern.match(name))})
    items = []
    for index in indices:
        prefix = f"{key}-{index}-"
        sub = MultiDict(
            [(name[len(prefix) :], value) for name, value in form.items(multi=True)
             if name.startswith(prefix) and name[len(prefix) :] != ITEM_MARKER]
        )  # fmt: skip
        item = read_form(sub_schema, sub, keep_empty=keep_empty)
        filled = any(
            (v.strip() if isinstance(v, str) else v) for v in item.values() if v is not None
        )
        if filled or keep_empty:
            items.append(item)
    return items


# -- errors ---------------------------------------------------------------------------------


def _messages(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [m for v in value for m in _messages(v)]
    if isinstance(value, dict):
        return [m for k, v in value.items() if not str(k).isdigit() for m in _messages(v)]
    return []


def _item_errors(value: Any) -> dict[int, Any]:
    if not isinstance(value, dict):
        return {}
    return {int(k): v for k, v in value.items() if str(k).isdigit()}


# -- building the views ---------------------------------------------------------------------


def build_fields(
    schema: Schema,
    values: Mapping[str, Any],
    errors: Mapping[str, Any] | None = None,
    *,
    prefix: str = "",
) -> list[FieldView]:
    """The views of every input of a schema, with values and messages."""
    errors = errors or {}
    views = []
    for key, f in input_fields(schema):
        name = f"{prefix}{key}"
        meta = f.metadata
        view = FieldView(
            name=name,
            input_id=f"f-{name}",
            label=str(meta.get("label") or key),
            help=str(meta.get("help") or ""),
            required=bool(f.required),
            widget=widget_of(f),
            choices=[(str(v), str(label)) for v, label in meta.get("choices") or []],
            errors=_messages(errors.get(key)),
            maxlength=max_length(f),
            prefix="€" if isinstance(f, Amount) and not isinstance(f, Quantity) else "",
        )
        if view.widget == "repeat":
            sub_schema = item_schema(f)
            item_values = values.get(key) or []
            item_errors = _item_errors(errors.get(key))
            view.item_label = _singular(view.label)
            view.items = [
                build_fields(sub_schema, item, item_errors.get(index), prefix=f"{name}-{index}-")
                for index, item in enumerate(item_values)
            ]
            view.template = build_fields(
                sub_schema, {}, None, prefix=f"{name}-{INDEX_PLACEHOLDER}-"
            )
        elif view.widget == "checkboxes":
            view.value = list(values.get(key) or [])
        elif view.widget == "checkbox":
            view.value = bool(values.get(key))
        elif view.widget == "yesno":
            view.choices = list(YES_NO)
            answer = values.get(key)
            view.value = "" if answer in (None, "") else ("ja" if answer else "nee")
        else:
            view.value = values.get(key, "")
        views.append(view)
    return views


def _singular(label: str) -> str:
    """'Contactpogingen' -> 'Contactpoging', for the legend of one item."""
    words = {"Schulden": "Schuld", "Vaste lasten": "Vaste last", "Netto inkomsten": "Inkomen"}
    if label in words:
        return words[label]
    if label.endswith("en") and len(label) > 4:
        return label[:-2]
    return label


def error_summary(views: list[FieldView], errors: Mapping[str, Any]) -> list[SummaryItem]:
    """Every message in page order, each linking to its input."""
    items: list[SummaryItem] = []
    for view in views:
        for message in view.errors:
            items.append(SummaryItem(_target(view), view.label, message))
        for index, item in enumerate(view.items, start=1):
            for sub in item:
                for message in sub.errors:
                    items.append(
                        SummaryItem(
                            _target(sub), f"{view.item_label} {index}: {sub.label}", message
                        )
                    )
    for message in _messages(errors.get("_schema")):
        items.append(SummaryItem("formulier", "Formulier", message))
    known = {v.name.split("-")[0] for v in views}
    for key, value in errors.items():
        if key not in known and key != "_schema":
            for message in _messages(value):
                items.append(SummaryItem("formulier", key, message))
    return items


def _target(view: FieldView) -> str:
    """Where a summary link leads: the input, or the first option of a group of options."""
    if view.widget in ("radios", "checkboxes", "yesno") and view.choices:
        return f"{view.input_id}-0"
    return view.input_id


def change_items(
    values: dict[str, Any], schema: Schema, action: str
) -> tuple[dict[str, Any], str | None]:
    """Apply an 'add:<group>' or 'remove:<group>:<n>' button (the no-JavaScript way);
    returns the new values and the id of the input to focus."""
    parts = action.split(":")
    groups = {key for key, f in input_fields(schema) if isinstance(f, Repeat)}
    if len(parts) < 2 or parts[1] not in groups:
        return values, None
    key = parts[1]
    items = list(values.get(key) or [])
    if parts[0] == "add":
        items.append({})
        values[key] = items
        return values, f"f-{key}-{len(items) - 1}"
    if parts[0] == "remove" and len(parts) == 3 and parts[2].isdigit():
        index = int(parts[2])
        if 0 <= index < len(items):
            del items[index]
        values[key] = items
        return values, f"f-{key}-toevoegen"
    return values, None
