"""Exports: XES valid against the IEEE 1849-2016 schema, OCEL 2.0 consistent, all pseudonymised."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from lxml import etree

from app.services.metrics.dashboard import compute_dashboard
from app.services.metrics.exports import (
    Pseudonymiser,
    log_events,
    metrics_csv,
    write_csv,
    write_ocel,
    write_xes,
)
from tests.metrics.conftest import EventLog, utc

SCHEMA_DIR = Path(__file__).parent / "schema"
XES = "{http://www.xes-standard.org/}"


def _small_log(log: EventLog) -> None:
    for i in range(6):
        case = log.case("quawonen", utc(2025, 3, 3 + i, 9), conditions_kept=True)
        log.report(case, utc(2025, 3, 4 + i, 9))
        log.task(case, "T_Contact", "meldpunt", utc(2025, 3, 4 + i, 9), due=utc(2025, 3, 11, 9),
                 claimed=utc(2025, 3, 5 + i, 9), completed=utc(2025, 3, 6 + i, 9))  # fmt: skip
        log.close(case, utc(2025, 4, 1 + i, 9), "voorkomen")
    log.commit()


def _xes(key: str = "geheim") -> bytes:
    out = io.BytesIO()
    write_xes(log_events(Pseudonymiser(key)), out)
    return out.getvalue()


def test_xes_is_valid_against_the_ieee_schema(log: EventLog) -> None:
    _small_log(log)
    document = etree.fromstring(_xes())
    namespaced = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "xes-namespaced.xsd")))
    namespaced.assertValid(document)
    # the standard's own schema, unchanged, on the same log without the namespace
    for element in document.iter():
        element.tag = etree.QName(element).localname
    etree.cleanup_namespaces(document)
    standard = etree.XMLSchema(etree.parse(str(SCHEMA_DIR / "xes-ieee-1849-2016.xsd")))
    standard.assertValid(document)
    assert len(document.findall("trace")) == 6
    # the schema does catch a broken log
    del document.attrib["xes.version"]
    assert not standard.validate(document)


def test_xes_events_carry_standard_lifecycle_and_no_personal_data(log: EventLog) -> None:
    _small_log(log)
    text = _xes().decode()
    assert "VK-T-" not in text  # case references are pseudonymised
    document = etree.fromstring(text.encode())
    trace = document.find(f"{XES}trace")
    transitions = [
        e.find(f"{XES}string[@key='lifecycle:transition']").get("value")
        for e in trace.findall(f"{XES}event")
    ]
    assert transitions[:2] == ["complete", "schedule"]  # case started, melding created
    assert {"schedule", "start", "complete"} <= set(transitions)
    assert "user" not in text and "org:resource" not in text  # no persons, only roles


def test_pseudonyms_are_keyed(log: EventLog) -> None:
    _small_log(log)
    first = [e.case for e in log_events(Pseudonymiser("a"))]
    again = [e.case for e in log_events(Pseudonymiser("a"))]
    other = [e.case for e in log_events(Pseudonymiser("b"))]
    assert first == again and len(set(first)) == 6
    assert not set(first) & set(other)
    with pytest.raises(ValueError):
        Pseudonymiser("")


def test_ocel_objects_and_events_are_consistent(log: EventLog) -> None:
    _small_log(log)
    out = io.StringIO()
    written = write_ocel(log_events(Pseudonymiser("k")), out)
    data = json.loads(out.getvalue())
    assert set(data) == {"objectTypes", "eventTypes", "objects", "events"}
    assert written == len(data["events"])
    objects = {o["id"]: o for o in data["objects"]}
    object_types = {t["name"] for t in data["objectTypes"]}
    event_types = {t["name"]: {a["name"] for a in t["attributes"]} for t in data["eventTypes"]}
    for event in data["events"]:
        assert event["type"] in event_types
        assert {a["name"] for a in event["attributes"]} <= event_types[event["type"]]
        assert event["time"].endswith("Z")
        for rel in event["relationships"]:
            assert rel["objectId"] in objects
    for obj in data["objects"]:
        assert obj["type"] in object_types
        for rel in obj.get("relationships", []):
            assert rel["objectId"] in objects
    cases = [o for o in data["objects"] if o["type"] == "zaak"]
    assert len(cases) == 6
    assert all(any(a["name"] == "uitkomst" for a in c["attributes"]) for c in cases)


def test_csv_log_and_metrics_csv(log: EventLog) -> None:
    _small_log(log)
    out = io.StringIO()
    written = write_csv(log_events(Pseudonymiser("k")), out)
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert rows[0][:3] == ["zaak", "taak", "activiteit"]
    assert len(rows) == written + 1
    metrics = list(csv.reader(io.StringIO(metrics_csv(compute_dashboard(2025))), delimiter=";"))
    header = metrics[0]
    assert header[-2:] == ["maat", "waarde"]
    reports = [r for r in metrics if r[1] == "reports" and r[3] == "quawonen" and r[6] == "count"]
    assert reports == [["2025", "reports", "2025", "quawonen", "QuaWonen", "", "count", "6"]]
    # no count-like figure below 5 leaves as a number
    counts = {"count", "n", "reports", "on_time", "with_children", "evicted"}
    small = [r for r in metrics[1:] if r[6] in counts and r[-1] in {"1", "2", "3", "4"}]
    assert small == []
