"""The evaluation meeting in a real browser (issue 6): after a simulated year, ``evaluatie``
signs in and sees a meaningful dashboard, the heatmap on the diagram, and downloads the yearly
report as PDF; the process owner's what-if form; axe finds nothing serious on any page."""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.engine import SPEC_CACHE
from app.extensions import db
from app.services import transaction
from app.services.actors import SYSTEM
from app.services.deployments import deploy, read_directory
from app.services.seed import seed_demo_users
from app.services.simulation import simulate
from tests.e2e.conftest import ROOT, SHOTS, LiveApp, User, Visits

pytestmark = pytest.mark.e2e

#: last calendar year, simulated in full: the meeting reviews a complete year
YEAR = date.today().year - 1
CASES = 120


@pytest.fixture(scope="module")
def meeting_app() -> Iterator[LiveApp]:
    """The app with the demo users and a simulated year, on its own database in memory-backed
    storage (so the simulation is not slowed down by disk flushes)."""
    shm = Path("/dev/shm")
    folder = Path(
        tempfile.mkdtemp(prefix="voorkom-e2e-evaluatie-", dir=shm if shm.is_dir() else None)
    )
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'evaluatie.sqlite3'}",
            "SECRET_KEY": "e2e-only",
            "SESSION_COOKIE_SECURE": False,
            "VOORKOM_DEMO": True,
            "VOORKOM_JOBS_DIR": str(folder / "taken"),
        }
    )
    SPEC_CACHE.clear()  # version ids of this database must not meet another's cached specs
    with app.app_context():
        db.create_all()
        with transaction():
            seed_demo_users()
        with transaction():
            deploy(read_directory(ROOT / "processes" / "bpmn"), actor=SYSTEM, name="e2e")
        simulate(cases=CASES, seed=2025, days=365, start=datetime(YEAR, 1, 1, 6, tzinfo=UTC))
        db.session.commit()
        db.session.remove()
    SPEC_CACHE.clear()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-evaluatie", daemon=True)
    thread.start()
    yield LiveApp(f"http://127.0.0.1:{server.server_port}", app)
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def attendee(meeting_app: LiveApp, browser: Any, visits: Visits) -> Iterator[Callable[[str], User]]:
    opened: list[User] = []

    def open_as(username: str) -> User:
        user = User(meeting_app, browser, visits, username)
        opened.append(user)
        user.sign_in()
        return user

    yield open_as
    for user in opened:
        user.close()


def _number(text: str) -> int:
    return int(text.replace(".", ""))


def test_the_meeting_sees_a_meaningful_year(attendee: Callable[[str], User]) -> None:
    meeting = attendee("evaluatie")
    page = meeting.page
    with page.expect_navigation():
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
            "link", name="Evaluatie"
        ).click()
    meeting.check("evaluatie-kengetallen")
    assert page.locator("#jaar").input_value() == str(YEAR)
    heading = page.inner_text("h1")
    assert "Kengetallen voor het evaluatieoverleg" in heading and str(YEAR) in heading
    # CV-06 up front: 0 in green, or the breach in red (the simulation decides which)
    panel = page.locator("section.cv06")
    shown = panel.locator(".big strong").inner_text()
    if panel.get_attribute("class") == "cv06 kept":
        assert shown == "0" and "Zoals afgesproken: 0." in panel.inner_text()
    else:
        assert panel.get_attribute("class") == "cv06 breach"
        assert shown in ("<5", *map(str, range(5, CASES))) and "Moet 0 zijn" in panel.inner_text()
    # a real year: most reports of the simulation fall in it, per corporation and in total
    total = page.locator("table:has(caption:text('Meldingen bij het Meldpunt')) tr.total td")
    reports = _number(total.first.inner_text())
    assert CASES // 2 <= reports <= CASES
    assert page.locator("svg[role='img']").count() >= 8  # charts, each with its table
    steps = page.locator("table:has(caption:text('Kalenderdagen van de melding')) tbody tr")
    assert steps.count() == 4
    assert "Huisuitzetting voorkomen" in meeting.text()
    # narrowed to QuaWonen in the second quarter
    page.select_option("#periode", "K2")
    page.select_option("#corporatie", "quawonen")
    with page.expect_navigation():
        page.get_by_role("button", name="Tonen").click()
    assert f"K2 {YEAR} · QuaWonen" in page.inner_text("h1")
    rows = page.locator("table:has(caption:text('Meldingen bij het Meldpunt')) tbody tr")
    assert rows.count() == 1 and "QuaWonen" in rows.first.inner_text()
    meeting.check("evaluatie-gefilterd")


def test_heatmap_on_the_meldpunt_diagram(attendee: Callable[[str], User]) -> None:
    owner = attendee("procesbeheer")
    page = owner.page
    owner.go(f"/evaluatie/?jaar={YEAR}")
    with page.expect_navigation():
        page.get_by_role("link", name="Knelpunten op het diagram").click()
    page.wait_for_selector("#heatmap-diagram .djs-overlay .heat-badge")
    badges = page.locator("#heatmap-diagram .heat-badge")
    assert badges.count() >= 4
    assert re.search(r"\d+× · [\d,]+ d · P90 [\d,]+ d · \d+% te laat", badges.first.inner_text())
    coloured = page.locator("#heatmap-diagram .djs-element.heat-laag, "
                            "#heatmap-diagram .djs-element.heat-midden, "
                            "#heatmap-diagram .djs-element.heat-hoog")  # fmt: skip
    assert coloured.count() >= 4
    table = page.locator("table.heat-table tbody tr")
    assert table.count() >= 8 and "Melding beoordelen (triage)" in page.inner_text(
        "table.heat-table"
    )
    owner.check("evaluatie-knelpunten")
    # stricter limits, kept in the address: everything at or above 1% late is red
    page.fill("#oranje", "0,5")
    page.fill("#rood", "1")
    with page.expect_navigation():
        page.get_by_role("button", name="Tonen").click()
    assert "rood=1" in page.url
    page.wait_for_selector("#heatmap-diagram .djs-overlay .heat-badge")
    assert "Knelpunt: 1% of meer" in page.inner_text(".legend")


def test_yearly_report_downloads_as_pdf(attendee: Callable[[str], User]) -> None:
    meeting = attendee("evaluatie")
    page = meeting.page
    meeting.go("/evaluatie/jaarverslag")
    meeting.check("jaarverslag-kiezen")
    page.select_option("#jaar", str(YEAR))
    with page.expect_navigation():
        page.get_by_role("button", name="Jaarverslag maken").click()
    assert f"Jaarverslag {YEAR}" in page.inner_text("h1")
    download_link = page.get_by_role("link", name="Downloaden als PDF")
    download_link.wait_for(timeout=240_000)  # the page reloads itself when the job is done
    meeting.check("jaarverslag-klaar")
    with page.expect_download() as event:
        download_link.click()
    pdf = Path(event.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
    (SHOTS / f"jaarverslag-{YEAR}.pdf").write_bytes(pdf)
    with page.expect_navigation():
        page.get_by_role("link", name="Bekijken in de browser (om af te drukken)").click()
    assert f"{YEAR}" in page.title() or f"{YEAR}" in page.inner_text("body")
    meeting.check("jaarverslag-html")


def test_process_owner_what_if_form_and_exports(attendee: Callable[[str], User]) -> None:
    owner = attendee("procesbeheer")
    owner.go("/evaluatie/what-if")
    owner.check("what-if-formulier")
    assert "Conceptdiagram" in owner.text()
    owner.go("/evaluatie/exports")
    owner.check("exports")
    with owner.page.expect_download() as event:
        owner.page.get_by_role("button", name="Kengetallen downloaden").click()
    text = Path(event.value.path()).read_text(encoding="utf-8")
    assert text.startswith("jaar;kengetal;periode;groep")
