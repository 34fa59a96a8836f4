"""Exports for the meeting and for process mining: metrics as CSV, the event log as XES, OCEL
2.0 JSON or CSV. Pseudonymised: case and task ids are keyed hashes (HMAC-SHA256) with a
secret from the settings; no user ids, no names, no case data; roles and organisations only.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import hmac
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any

from lxml import etree
from sqlalchemy import select

from app.extensions import db
from app.models import Case, CaseEvent, Organisation, ProcessVersion
from app.services.metrics import suppression as sup
from app.services.metrics.dashboard import Dashboard
from app.services.metrics.periods import year_period

FORMATS = ("xes", "ocel", "csv")
XES_NS = "http://www.xes-standard.org/"
XES_EXTENSIONS = (
    ("Concept", "concept", "http://www.xes-standard.org/concept.xesext"),
    ("Time", "time", "http://www.xes-standard.org/time.xesext"),
    ("Lifecycle", "lifecycle", "http://www.xes-standard.org/lifecycle.xesext"),
    ("Organizational", "org", "http://www.xes-standard.org/org.xesext"),
)
#: Voorkom lifecycle -> XES standard lifecycle transition (IEEE 1849-2016, lifecycle.xesext)
XES_TRANSITIONS = {
    "created": "schedule",
    "assigned": "assign",
    "claimed": "start",
    "released": "suspend",
    "completed": "complete",
    "cancelled": "ate_abort",
}
CASE_EVENT_NAMES = {
    "case_started": "Zaak gestart",
    "case_closed": "Zaak afgesloten",
    "case_migrated": "Zaak naar nieuwe procesversie",
}
Progress = Callable[[int], None]


class Pseudonymiser:
    """Keyed hashes: the same id gives the same pseudonym with the same key, nothing else."""

    def __init__(self, key: str | bytes) -> None:
        if not key:
            raise ValueError("a pseudonymisation key is required")
        self._key = key.encode() if isinstance(key, str) else key

    def __call__(self, kind: str, value: object) -> str:
        digest = hmac.new(self._key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
        return digest[:32]


# -- metrics CSV --------------------------------------------------------------------------

_DIMENSIONS = {"period", "group", "label", "step", "step_label", "outcome", "role", "year"}
_DIMENSIONS |= {"activity_id", "name"}


def metrics_rows(d: Dashboard) -> Iterator[list[str]]:
    """The dashboard in long form: one row per figure, suppressed values as "<5"."""
    yield ["jaar", "kengetal", "periode", "groep", "omschrijving", "onderverdeling", "maat",
           "waarde"]  # fmt: skip
    for field in dataclasses.fields(d):
        value = getattr(d, field.name)
        records = value if isinstance(value, list) else [value]
        for record in records:
            if not dataclasses.is_dataclass(record) or field.name == "corporations":
                continue
            data = dataclasses.asdict(record)  # type: ignore[arg-type]
            period = str(data.get("period", d.year))
            group = str(data.get("group", data.get("activity_id", "totaal")))
            label = str(data.get("label", data.get("name", "")))
            detail = str(data.get("step") or data.get("outcome") or data.get("role") or "")
            base = next((data[k] for k in ("n", "count", "reports", "evicted") if k in data), 1)
            for measure, figure in data.items():
                if measure in _DIMENSIONS:
                    continue
                yield [str(d.year), field.name, period, group, label, detail, measure,
                       _csv_value(figure, base)]  # fmt: skip


def _csv_value(value: object, base: object) -> str:
    """A figure as text: "<5" when it (or the count it rests on) is suppressed, "" = no data."""
    if value is None:
        return sup.SUPPRESSED if base is None or base == value else ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1 else f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def metrics_csv(d: Dashboard) -> str:
    """The dashboard as CSV text (semicolon-separated, as Dutch spreadsheets expect)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerows(metrics_rows(d))
    return buffer.getvalue()


# -- the event log ------------------------------------------------------------------------


@dataclass(frozen=True)
class LogEvent:
    """One exported event, pseudonymised, with nothing personal in it."""

    case: str
    task: str | None
    name: str
    activity_id: str | None
    lifecycle: str
    at: datetime
    role: str | None
    organisation: str | None
    corporation: str
    process: str
    outcome: str | None
    due_at: datetime | None


def log_events(
    pseudonym: Pseudonymiser, *, year: int | None = None, batch: int = 5_000
) -> Iterator[LogEvent]:
    """Every event (of cases started in ``year``, if given), ordered by case and time."""
    orgs = {i: k for i, k in db.session.execute(select(Organisation.id, Organisation.key))}
    stmt = (
        select(
            CaseEvent.case_id,
            CaseEvent.at,
            CaseEvent.lifecycle,
            CaseEvent.activity_id,
            CaseEvent.activity_name,
            CaseEvent.role,
            CaseEvent.organisation_id,
            CaseEvent.task_id,
            CaseEvent.details,
            Case.reference,
            Case.corporation_id,
            ProcessVersion.process_id,
        )
        .join(Case, Case.id == CaseEvent.case_id)
        .join(ProcessVersion, ProcessVersion.id == Case.process_version_id)
        .order_by(CaseEvent.case_id, CaseEvent.id)
        .execution_options(yield_per=batch)
    )
    if year is not None:
        p = year_period(year)
        stmt = stmt.where(Case.created_at >= p.start, Case.created_at < p.end)
    for row in db.session.execute(stmt):
        (case_id, at, lifecycle, activity_id, activity_name, role, org_id, task_id, details,
         reference, corporation_id, process_id) = row  # fmt: skip
        details = details if isinstance(details, dict) else {}
        name = activity_name or CASE_EVENT_NAMES.get(lifecycle)
        if lifecycle == "message":
            name = f"Bericht: {details.get('message') or activity_name or '?'}"
        yield LogEvent(
            case=pseudonym("zaak", reference),
            task=pseudonym("taak", f"{case_id}/{task_id}") if task_id else None,
            name=name or activity_id or lifecycle,
            activity_id=activity_id,
            lifecycle=lifecycle,
            at=at,
            role=role,
            organisation=orgs.get(org_id) if org_id else None,
            corporation=orgs.get(corporation_id, "?"),
            process=process_id,
            outcome=(details.get("outcome") if lifecycle == "case_closed" else None) or None,
            due_at=_parse(details.get("due_at")) if lifecycle == "created" else None,
        )


def _parse(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _xes_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def write_xes(events: Iterator[LogEvent], out: IO[bytes], progress: Progress | None = None) -> int:
    """IEEE 1849-2016 XES, one trace per (pseudonymised) case, written as it streams."""
    written = 0
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        attrs = {"xes.version": "1849.2016", "xes.features": "nested-attributes"}
        with xf.element("log", attrs, nsmap={None: XES_NS}):
            for name, prefix, uri in XES_EXTENSIONS:
                xf.write(etree.Element("extension", name=name, prefix=prefix, uri=uri))
            trace_global = etree.Element("global", scope="trace")
            etree.SubElement(trace_global, "string", key="concept:name", value="onbekend")
            xf.write(trace_global)
            event_global = etree.Element("global", scope="event")
            etree.SubElement(event_global, "string", key="concept:name", value="onbekend")
            etree.SubElement(event_global, "string", key="lifecycle:transition", value="complete")
            etree.SubElement(event_global, "date", key="time:timestamp",
                             value="1970-01-01T00:00:00.000+00:00")  # fmt: skip
            xf.write(event_global)
            xf.write(etree.Element("classifier", name="Activiteit", keys="concept:name"))
            xf.write(etree.Element("classifier", name="Activiteit_en_levenscyclus",
                                   keys="concept:name lifecycle:transition"))  # fmt: skip
            xf.write(etree.Element("string", key="concept:name", value="Voorkom gebeurtenissen"))
            trace: etree._Element | None = None
            current = None
            suspended: set[str] = set()
            for event in events:
                if event.case != current:
                    if trace is not None:
                        xf.write(trace)
                    current, suspended = event.case, set()
                    trace = etree.Element("trace")
                    etree.SubElement(trace, "string", key="concept:name", value=event.case)
                    etree.SubElement(trace, "string", key="voorkom:corporatie",
                                     value=event.corporation)  # fmt: skip
                    etree.SubElement(trace, "string", key="voorkom:proces", value=event.process)
                assert trace is not None
                trace.append(_xes_event(event, suspended))
                written += 1
                if progress and written % 10_000 == 0:
                    progress(written)
            if trace is not None:
                xf.write(trace)
    return written


def _xes_event(event: LogEvent, suspended: set[str]) -> etree._Element:
    element = etree.Element("event")
    transition = XES_TRANSITIONS.get(event.lifecycle, "complete")
    if event.task and event.lifecycle == "released":
        suspended.add(event.task)
    elif event.task and event.lifecycle == "claimed" and event.task in suspended:
        suspended.discard(event.task)
        transition = "resume"
    etree.SubElement(element, "string", key="concept:name", value=event.name)
    if event.task:
        etree.SubElement(element, "string", key="concept:instance", value=event.task)
    etree.SubElement(element, "string", key="lifecycle:transition", value=transition)
    etree.SubElement(element, "date", key="time:timestamp", value=_xes_time(event.at))
    if event.role:
        etree.SubElement(element, "string", key="org:role", value=event.role)
    if event.organisation:
        etree.SubElement(element, "string", key="org:group", value=event.organisation)
    if event.activity_id:
        etree.SubElement(element, "string", key="voorkom:activiteit", value=event.activity_id)
    etree.SubElement(element, "string", key="voorkom:levenscyclus", value=event.lifecycle)
    if event.due_at:
        etree.SubElement(element, "date", key="voorkom:termijn", value=_xes_time(event.due_at))
    if event.outcome:
        etree.SubElement(element, "string", key="voorkom:uitkomst", value=event.outcome)
    return element


def _ocel_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def write_ocel(events: Iterator[LogEvent], out: IO[str], progress: Progress | None = None) -> int:
    """OCEL 2.0 JSON: objects zaak, taak, partij, organisatie; events relate to them."""
    epoch = "1970-01-01T00:00:00Z"
    cases: dict[str, dict[str, Any]] = {}
    tasks: dict[str, dict[str, Any]] = {}
    parties: set[str] = set()
    organisations: set[str] = set()
    event_types: set[str] = set()
    out.write('{"events": [')
    written = 0
    for event in events:
        if event.case not in cases:
            organisations.add(event.corporation)
            cases[event.case] = {
                "id": event.case,
                "type": "zaak",
                "attributes": [
                    {"name": "proces", "time": epoch, "value": event.process},
                    {"name": "corporatie", "time": epoch, "value": event.corporation},
                ],
                "relationships": [
                    {"objectId": f"organisatie:{event.corporation}", "qualifier": "corporatie"}
                ],
            }
        if event.outcome:
            cases[event.case]["attributes"].append(
                {"name": "uitkomst", "time": _ocel_time(event.at), "value": event.outcome}
            )
        relationships = [{"objectId": event.case, "qualifier": "zaak"}]
        if event.task:
            relationships.append({"objectId": event.task, "qualifier": "taak"})
            tasks.setdefault(event.task, {
                "id": event.task, "type": "taak",
                "attributes": [
                    {"name": "activiteit", "time": epoch, "value": event.activity_id or ""}
                ],
                "relationships": [{"objectId": event.case, "qualifier": "hoort bij zaak"}],
            })  # fmt: skip
        if event.role:
            parties.add(event.role)
            relationships.append({"objectId": f"partij:{event.role}", "qualifier": "partij"})
        event_types.add(event.name)
        record = {
            "id": f"e{written + 1}",
            "type": event.name,
            "time": _ocel_time(event.at),
            "attributes": [
                {"name": "levenscyclus", "value": event.lifecycle},
                {"name": "activiteit_id", "value": event.activity_id or ""},
            ],
            "relationships": relationships,
        }
        out.write(("," if written else "") + json.dumps(record, ensure_ascii=False))
        written += 1
        if progress and written % 10_000 == 0:
            progress(written)
    objects = [
        *cases.values(),
        *tasks.values(),
        *({"id": f"partij:{p}", "type": "partij", "attributes": []} for p in sorted(parties)),
        *(
            {"id": f"organisatie:{o}", "type": "organisatie", "attributes": []}
            for o in sorted(organisations)
        ),
    ]
    out.write('], "objects": ')
    json.dump(objects, out, ensure_ascii=False)
    out.write(', "objectTypes": ')
    json.dump(
        [
            {"name": "zaak", "attributes": [
                {"name": "proces", "type": "string"},
                {"name": "corporatie", "type": "string"},
                {"name": "uitkomst", "type": "string"},
            ]},
            {"name": "taak", "attributes": [{"name": "activiteit", "type": "string"}]},
            {"name": "partij", "attributes": []},
            {"name": "organisatie", "attributes": []},
        ],
        out,
    )  # fmt: skip
    out.write(', "eventTypes": ')
    json.dump(
        [
            {"name": name, "attributes": [
                {"name": "levenscyclus", "type": "string"},
                {"name": "activiteit_id", "type": "string"},
            ]}
            for name in sorted(event_types)
        ],
        out,
        ensure_ascii=False,
    )  # fmt: skip
    out.write("}\n")
    return written


CSV_HEADER = ["zaak", "taak", "activiteit", "activiteit_id", "levenscyclus", "tijdstip",
              "partij", "organisatie", "corporatie", "proces", "termijn", "uitkomst"]  # fmt: skip


def write_csv(events: Iterator[LogEvent], out: IO[str], progress: Progress | None = None) -> int:
    """The event log as CSV, one row per event (semicolon-separated)."""
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(CSV_HEADER)
    written = 0
    for e in events:
        writer.writerow([
            e.case, e.task or "", e.name, e.activity_id or "", e.lifecycle, _xes_time(e.at),
            e.role or "", e.organisation or "", e.corporation, e.process,
            _xes_time(e.due_at) if e.due_at else "", e.outcome or "",
        ])  # fmt: skip
        written += 1
        if progress and written % 10_000 == 0:
            progress(written)
    return written


def export_log(
    fmt: str,
    path: str,
    *,
    key: str | bytes,
    year: int | None = None,
    progress: Progress | None = None,
) -> int:
    """Write the pseudonymised event log to ``path`` as xes, ocel or csv; returns the events."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    events = log_events(Pseudonymiser(key), year=year)
    if fmt == "xes":
        with open(path, "wb") as binary:
            return write_xes(events, binary, progress)
    with open(path, "w", encoding="utf-8", newline="") as text:
        writer = write_ocel if fmt == "ocel" else write_csv
        return writer(events, text, progress)
