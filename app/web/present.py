"""Case data as people read it: the forms' Dutch labels, Dutch dates and amounts, sections.

Only data the viewer's role may see reaches this module (``view_case`` filters it first).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import fields

from app.forms.fields import (
    Amount,
    Bool,
    Choice,
    ChoiceList,
    IsoDate,
    IsoDateTime,
    Quantity,
    Repeat,
)
from app.forms.registry import FORMS
from app.services.diagram_forms import SUMMARY_KEY, schema_for
from app.services.timeline import outcome_label, status_label
from app.web.formview import item_schema

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

#: Dutch labels of the variables the engine and service tasks write
ENGINE_LABELS: dict[str, str] = {
    "status_code": "Huidige status",
    "statusberichten": "Statusberichten aan de corporatie",
    "incasso_opgeschort": "Incasso opgeschort",
    "opschorting_datum": "Incasso opgeschort sinds",
    "uitkomst": "Uitkomst",
    "prioriteit": "Prioriteit",
    "doelgroep_uitkomst": "Uitkomst doelgroepbeslissing",
    "dagen_tot_ontruiming": "Dagen tot de geplande ontruiming",
    "afloscapaciteit": "Afloscapaciteit (indicatief)",
    "afloscapaciteit_indicatief": "Afloscapaciteit is een indicatie",
    "huur_uit_uitkering_start": "Huur uit uitkering vanaf",
    "huur_uit_uitkering_eind": "Huur uit uitkering tot en met",
}
ENGINE_SECTION = "Status en uitkomsten"
#: results worth showing at the top of the case page, to the roles that may see them
HIGHLIGHTS = ("afloscapaciteit", "huur_uit_uitkering_start", "huur_uit_uitkering_eind")
ENGINE_AMOUNTS = frozenset({"afloscapaciteit"})
ENGINE_DATES = frozenset(
    {"opschorting_datum", "huur_uit_uitkering_start", "huur_uit_uitkering_eind"}
)

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


@dataclass(frozen=True)
class Shown:
    """One variable as shown: label and text, or rows of label/text pairs for a group."""

    name: str
    label: str
    text: str
    rows: list[list[tuple[str, str]]]


@dataclass(frozen=True)
class Section:
    title: str
    items: list[Shown]


@functools.cache
def _catalogue() -> dict[str, tuple[str, str, fields.Field]]:
    """variable -> (section title, label, field): the first form that asks for it wins."""
    found: dict[str, tuple[str, str, fields.Field]] = {}
    for schema_class in FORMS.values():
        schema = schema_class()
        title = str(getattr(schema_class, "title", "") or getattr(schema_class, "form_key", ""))
        for name, f in schema.fields.items():
            key = f.data_key or name
            if key not in found:
                found[key] = (title, str(f.metadata.get("label") or key), f)
    return found


def label_of(name: str) -> str:
    """The Dutch label of a case variable."""
    if name in ENGINE_LABELS:
        return ENGINE_LABELS[name]
    entry = _catalogue().get(name)
    return entry[1] if entry else name.replace("_", " ").capitalize()


def money(value: float | int) -> str:
    """€ 1.491,00"""
    text = f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {text}"


def number(value: float | int) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def day_text(value: str | date | None) -> str:
    """'2026-03-02' -> '2 maart 2026'"""
    if not value:
        return ""
    try:
        day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def moment_text(value: datetime | str | None) -> str:
    """A moment in Dutch time: '2 maart 2026, 10:00'."""
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    local = moment.astimezone(AMSTERDAM)
    return f"{day_text(local.date())}, {local:%H:%M}"


def format_value(f: fields.Field | None, value: Any, name: str = "") -> str:
    """One value as Dutch text, by its field's kind."""
    if value is None or value == "":
        return "—"
    if name == "status_code":
        return status_label(value) or "—"
    if name == "uitkomst":
        return outcome_label(str(value)) or "—"
    if name in ENGINE_AMOUNTS and isinstance(value, int | float):
        return money(value)
    if name in ENGINE_DATES:
        return day_text(str(value))
    if isinstance(value, bool) or isinstance(f, Bool):
        return "ja" if value else "nee"
    if isinstance(f, ChoiceList) and isinstance(value, list):
        labels = dict(f.metadata.get("choices") or [])
        return ", ".join(str(labels.get(v, v)) for v in value) or "—"
    if isinstance(f, Choice):
        return str(dict(f.metadata.get("choices") or []).get(value, value))
    if isinstance(f, Quantity) and isinstance(value, int | float):
        return number(value)
    if isinstance(f, Amount) and isinstance(value, int | float):
        return money(value)
    if isinstance(f, IsoDateTime):
        return moment_text(str(value))
    if isinstance(f, IsoDate):
        return day_text(str(value))
    return str(value)


def _shown(name: str, value: Any, f: fields.Field | None) -> Shown:
    if isinstance(f, Repeat) and isinstance(value, list):
        sub_schema = item_schema(f)
        rows = []
        for item in value:
            if isinstance(item, dict):
                rows.append(
                    [
                        (str(sf.metadata.get("label") or key), format_value(sf, item.get(key)))
                        for key, sf in sub_schema.fields.items()
                    ]
                )
        return Shown(name, label_of(name), "" if rows else "—", rows)
    if name == "statusberichten" and isinstance(value, list):
        rows = [
            [
                ("Datum", day_text(str(item.get("datum") or ""))),
                ("Status", status_label(item.get("status_code")) or "—"),
            ]
            for item in value
            if isinstance(item, dict)
        ]
        return Shown(name, label_of(name), "" if rows else "—", rows)
    return Shown(name, label_of(name), format_value(f, value, name), [])


def diagram_fields(summary: Mapping[str, Any] | None) -> dict[str, tuple[str, fields.Field]]:
    """The fields of the forms drawn in a version's diagrams: variable -> (form title, field)."""
    found: dict[str, tuple[str, fields.Field]] = {}
    for form in ((summary or {}).get(SUMMARY_KEY) or {}).values():
        schema = schema_for(form)()
        for name, f in schema.fields.items():
            found.setdefault(f.data_key or name, (str(form.get("title") or ""), f))
    return found


def case_sections(
    data: dict[str, Any],
    *,
    skip: Iterable[str] = (),
    drawn: Mapping[str, tuple[str, fields.Field]] | None = None,
) -> list[Section]:
    """The visible case data in sections per form, in the forms' order, then the forms drawn
    in the diagram; engine data last."""
    catalogue = _catalogue()
    skipped = set(skip)
    data = {name: value for name, value in data.items() if name not in skipped}
    sections: dict[str, list[Shown]] = {}
    for name, (title, _label, f) in catalogue.items():
        if name in data and name not in ENGINE_LABELS:
            sections.setdefault(title, []).append(_shown(name, data[name], f))
    for name, (title, f) in (drawn or {}).items():
        if name in data and name not in catalogue and name not in ENGINE_LABELS:
            shown = _shown(name, data[name], f)
            label = str(f.metadata.get("label") or name)
            sections.setdefault(title, []).append(Shown(name, label, shown.text, shown.rows))
    engine = [_shown(name, data[name], None) for name in ENGINE_LABELS if name in data]
    if engine:
        sections[ENGINE_SECTION] = engine
    return [Section(title, items) for title, items in sections.items()]


def highlights(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Key results of the case (e.g. the afloscapaciteit), as far as the viewer may see them."""
    return [
        (label_of(name), format_value(None, data[name], name))
        for name in HIGHLIGHTS
        if name in data
    ]
