"""The evaluation pages' background jobs: the yearly report (HTML and PDF), the event-log
export and the what-if, each in a child process with progress; only its owner sees a job."""

from __future__ import annotations

import io
import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from app.extensions import db
from app.services.workbench.drafts import save_draft
from app.web.dashboard.jobs import MAX_RUNNING
from tests.conftest import PROCESSES
from tests.web import test_dashboard as pages
from tests.web.conftest import report
from tests.web.test_dashboard import PERSONAL, text_of

meeting = pages.meeting  # the fixture, shared

#: a child process starts Python, the app and its libraries: allow for a busy test machine
TIMEOUT = 240


def wait_for(client: Any, location: str) -> dict[str, Any]:
    """Poll the job's status as the page's script does, until it is finished."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        status: dict[str, Any] = client.get(f"{location}/status").get_json()
        assert status["status"] in ("wachtrij", "bezig", "klaar", "mislukt")
        if status["finished"]:
            return status
        time.sleep(0.5)
    raise AssertionError(f"job {location} did not finish in {TIMEOUT} s")


def test_yearly_report_as_html_and_pdf_for_its_owner_only(
    meeting: Any, deployed: Any, client_for: Any, clock: Any
) -> None:
    cases = [report(meeting, **PERSONAL) for _ in range(2)]
    client = client_for("eval")
    started = client.send("/evaluatie/jaarverslag", {"jaar": "2026"})
    assert started.status_code == 303
    location = started.headers["Location"]
    running = text_of(client.get(location))
    assert "Jaarverslag 2026" in running
    assert wait_for(client, location)["status"] == "klaar"
    page = text_of(client.get(location))
    assert "Bekijken in de browser" in page and "Downloaden als PDF" in page
    status, headers, body = fetch(client, f"{location}/bestand/html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    document = body.decode("utf-8")
    assert "2026" in document and "<svg" in document
    for value in (*PERSONAL.values(), *(c.reference for c in cases)):
        assert value not in document
    status, headers, body = fetch(client, f"{location}/bestand/pdf")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF") and "attachment" in headers["Content-Disposition"]
    # the process owner did not start it: for them it does not exist
    other = client_for("pb")
    assert other.get(location).status_code == 404
    assert other.get(f"{location}/bestand/pdf").status_code == 404
    assert client.get(f"{location}/bestand/geheim").status_code == 404
    assert client.get("/evaluatie/taken/..%2F..%2Fetc").status_code == 404


def test_event_log_export_is_pseudonymised_xes(
    meeting: Any, deployed: Any, client_for: Any, clock: Any
) -> None:
    cases = [report(meeting, **PERSONAL) for _ in range(2)]
    client = client_for("pb")
    bad = client.send("/evaluatie/exports/gebeurtenissen", {"formaat": "pdf"})
    assert bad.status_code == 422 and "Kies XES, OCEL of CSV." in text_of(bad)
    started = client.send("/evaluatie/exports/gebeurtenissen", {"formaat": "xes", "jaar_log": ""})
    assert started.status_code == 303
    location = started.headers["Location"]
    assert wait_for(client, location)["status"] == "klaar"
    assert "gebeurtenissen" in text_of(client.get(location))
    status, headers, body = fetch(client, f"{location}/bestand/log")
    assert status == 200 and "gebeurtenissen-alle.xes" in headers["Content-Disposition"]
    root = etree.fromstring(body)
    assert root.tag == "{http://www.xes-standard.org/}log"
    traces = root.findall("{http://www.xes-standard.org/}trace")
    assert len(traces) == 2
    text = body.decode("utf-8")
    for value in (*PERSONAL.values(), *(c.reference for c in cases), "Jan de Vries"):
        assert value not in text


def fetch(client: Any, url: str) -> tuple[int, dict[str, str], bytes]:
    """A download's status, headers and bytes (its file closed again)."""
    answer = client.get(url)
    try:
        return answer.status_code, dict(answer.headers), answer.get_data()
    finally:
        answer.close()


def _fake_job(folder: Path, *, owner: int, status: str, updated: datetime) -> str:
    job_id = f"nep{len(list(folder.iterdir())) if folder.exists() else 0}"
    (folder / job_id).mkdir(parents=True)
    state = {
        "id": job_id, "kind": "jaarverslag", "owner": owner, "title": "Jaarverslag 2025",
        "params": {"year": 2025}, "status": status, "step": "Grafieken tekenen",
        "created_at": updated.isoformat(), "updated_at": updated.isoformat(),
    }  # fmt: skip
    (folder / job_id / "state.json").write_text(json.dumps(state), encoding="utf-8")
    return job_id


def test_a_busy_machine_starts_nothing_and_a_dead_job_reads_as_failed(
    meeting: Any, app: Any, client_for: Any
) -> None:
    folder = Path(app.config["VOORKOM_JOBS_DIR"])
    owner = meeting.user("eval", "convenant", "evaluatie").user_id
    now = datetime.now(UTC)
    for _ in range(MAX_RUNNING):
        _fake_job(folder, owner=owner, status="bezig", updated=now)
    client = client_for("eval")
    answer = client.send("/evaluatie/jaarverslag", {"jaar": "2025"})
    assert answer.status_code == 409
    assert f"Er lopen al {MAX_RUNNING} berekeningen" in text_of(answer)
    assert len(list(folder.iterdir())) == MAX_RUNNING
    dead = _fake_job(folder, owner=owner, status="bezig", updated=now - timedelta(hours=1))
    page = text_of(client.get(f"/evaluatie/taken/{dead}"))
    assert "gestopt zonder resultaat" in page and "Niet gelukt" in page
    running = text_of(client.get("/evaluatie/taken/nep0"))
    assert '<progress id="job-bar"' in running and "Grafieken tekenen" in running
    assert '<meta http-equiv="refresh"' in running  # without JavaScript it refreshes itself
    bad_year = client.send("/evaluatie/jaarverslag", {"jaar": "negentien"})
    assert bad_year.status_code == 422


def _draft_with_problem() -> str:
    text = (PROCESSES / "shared" / "meldpunt.bpmn").read_text(encoding="utf-8")
    # a user task whose form does not exist: lint refuses it
    return text.replace('camunda:formKey="triage"', 'camunda:formKey="bestaat_niet"', 1)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "concept", "Kies het conceptdiagram (.bpmn) op uw computer"),
        ({"werkbank": "meldpunt|shared/weg.bpmn"}, "werkbank", "staat niet (meer) in uw werkbank"),
        ({"concept": (b"geen xml", "notitie.txt")}, "concept", "notitie.txt:"),
        ({"concept": (b"<x/>", "a.bpmn"), "zaken": "0"}, "zaken", "van 5 tot en met 2000"),
        ({"concept": (b"<x/>", "a.bpmn"), "dagen": "veel"}, "dagen", "van 30 tot en met 730"),
    ],
)
def test_what_if_refuses_bad_input_and_starts_nothing(
    meeting: Any, deployed: Any, app: Any, client_for: Any, data: Any, field: str, message: str
) -> None:
    client = client_for("pb")
    sent = {k: v if isinstance(v, str) else (io.BytesIO(v[0]), v[1]) for k, v in data.items()}
    answer = client.send("/evaluatie/what-if", sent, content_type="multipart/form-data")
    assert answer.status_code == 422
    page = text_of(answer)
    assert message in page and f'href="#{field}"' in page
    assert not Path(app.config["VOORKOM_JOBS_DIR"]).exists()


def test_what_if_lists_the_drafts_problems(
    meeting: Any, deployed: Any, app: Any, client_for: Any
) -> None:
    client = client_for("pb")
    draft = (io.BytesIO(_draft_with_problem().encode()), "meldpunt.bpmn")
    answer = client.send("/evaluatie/what-if", {"concept": draft},
                         content_type="multipart/form-data")  # fmt: skip
    assert answer.status_code == 422
    page = text_of(answer)
    assert "Het concept bevat fouten; er is niets gesimuleerd." in page
    assert "bestaat_niet" in page
    assert not Path(app.config["VOORKOM_JOBS_DIR"]).exists()


def test_what_if_takes_a_draft_from_the_workbench(
    meeting: Any, deployed: Any, app: Any, client_for: Any
) -> None:
    owner = meeting.procesbeheer
    save_draft(owner, "meldpunt", "shared/meldpunt.bpmn", _draft_with_problem(), base_version=1)
    db.session.commit()
    client = client_for("pb")
    form = text_of(client.get("/evaluatie/what-if"))
    assert 'value="meldpunt|shared/meldpunt.bpmn"' in form
    answer = client.send("/evaluatie/what-if", {"werkbank": "meldpunt|shared/meldpunt.bpmn"})
    assert answer.status_code == 422
    assert "bestaat_niet" in text_of(answer)  # the draft itself was checked
    assert not Path(app.config["VOORKOM_JOBS_DIR"]).exists()


def test_what_if_compares_draft_and_deployed_on_the_same_load(
    meeting: Any, deployed: Any, client_for: Any
) -> None:
    """A draft that gives the Meldpunt one working day for triage instead of two."""
    text = (PROCESSES / "shared" / "meldpunt.bpmn").read_text(encoding="utf-8")
    faster = text.replace(
        'camunda:formKey="triage" camunda:dueDate="${werkdagen(2)}"',
        'camunda:formKey="triage" camunda:dueDate="${werkdagen(1)}"',
    )
    assert faster != text
    client = client_for("pb")
    started = client.send(
        "/evaluatie/what-if",
        {"concept": (io.BytesIO(faster.encode()), "meldpunt.bpmn"), "zaken": "6", "dagen": "30"},
        content_type="multipart/form-data",
    )
    assert started.status_code == 303, text_of(started)[:2000]
    location = started.headers["Location"]
    status = wait_for(client, location)
    page = text_of(client.get(location))
    assert status["status"] == "klaar", page[:3000]
    assert "6 gesimuleerde zaken over 30 dagen (seed 1)" in page
    assert "shared/meldpunt.bpmn" in page
    for caption in ("Doorlooptijd vanaf de melding", "Termijnen en werklast per partij"):
        assert caption in page
    assert page.count('role="img"') == 3  # three charts, each with its table
