"""The workbench in a real browser (issue 5 §9): a process owner opens the QuaWonen variant in
the app, changes the Meldpunt's contact deadline from 5 to 3 working days by choosing, not
typing, checks and deploys it; a new case gets 3 working days while an existing case keeps 5;
the dry-run migration reports the existing case as movable. Every page passes axe."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import select

from app.engine.workdays import working_days_between
from app.extensions import db
from app.models import Case, ProcessVersion, User
from app.services.actors import Actor
from app.services.cases import start_case
from tests.e2e.conftest import LiveApp
from tests.scenarios.helpers import do, example, task_named

pytestmark = pytest.mark.e2e

P4 = {
    "kinderen_onder_18": 0, "achterstand_maanden": 1.5, "vonnis": False, "vonnisdatum": "",
    "ontruimingsdatum": "", "reden_melding": "vermoeden_doelgroep", "incassofase": "aanmaning",
}  # fmt: skip


@contextmanager
def database(live: LiveApp) -> Iterator[None]:
    """The live app's database, for what caseworkers do elsewhere in the chain."""
    with live.app.app_context():
        try:
            yield
        finally:
            db.session.remove()


def actor(username: str) -> Actor:
    user = db.session.scalar(select(User).where(User.username == username))
    assert user is not None
    return Actor.of(user)


def at_contact() -> Case:
    """A new QuaWonen case, worked by the corporation and triaged: the Meldpunt makes contact."""
    case = start_case(actor("quawonen"), example("signalering"))
    db.session.commit()
    case = do(actor("quawonen"), case, "Task_ContactCorporatie", achterstand_opgelost=False)
    case = do(actor("quawonen"), case, "Task_Melding", **P4)
    return do(actor("meldpunt"), case, "Task_Triage")


def contact_deadline(case: Case) -> tuple[int, int]:
    """(working days the contact task was given, the version the case runs on)."""
    row = task_named(case, "Task_ContactLeggen")
    assert row.due_at is not None
    version = db.session.get(ProcessVersion, case.process_version_id)
    assert version is not None
    return working_days_between(row.created_at, row.due_at), version.version


def test_a_process_owner_shortens_the_contact_deadline_in_the_browser(
    people: Any, live_app: LiveApp
) -> None:
    with database(live_app):
        existing = at_contact()
        assert contact_deadline(existing) == (5, 1)
        reference = existing.reference

    owner = people("procesbeheer")
    page = owner.page
    with page.expect_navigation():
        page.get_by_role("link", name="Werkbank").click()
    owner.check("werkbank")
    assert "Voorkomen huisuitzetting — QuaWonen" in owner.text()

    with page.expect_navigation():
        page.get_by_role("link", name="Bewerken (Voorkomen huisuitzetting — QuaWonen)").click()
    page.wait_for_selector("#modeller[data-ready='1']")
    assert page.locator(".bjs-powered-by").is_visible()  # the bpmn.io watermark stays
    owner.check("modeller-quawonen")

    with page.expect_navigation():
        page.get_by_role("link", name="shared/meldpunt.bpmn").click()
    page.wait_for_selector("#modeller[data-ready='1']")
    parsed = page.evaluate(
        "['${werkdagen(2)}', 'P5D', '', 'werkdagen(1) if prioriteit == \"P1\" else werkdagen(5)',"
        " 'timedelta(days=termijn)'].map(v => window.VoorkomPanel.parseDeadline(v))"
    )
    assert parsed[0] == {"kind": "simple", "n": 2, "unit": "werkdagen"}
    assert parsed[1] == {"kind": "simple", "n": 5, "unit": "kalenderdagen"}
    assert parsed[2] == {"kind": "none"}
    assert parsed[3]["parts"] == [1, 5] and parsed[3]["labels"] == [
        'als prioriteit == "P1"',
        "anders",
    ]
    assert parsed[4]["kind"] == "other"
    page.get_by_label("Ga naar element").select_option("Task_ContactLeggen")
    panel = page.locator("#wb-voorkom")
    assert "Contact leggen met huurder" in panel.inner_text()
    assert page.get_by_label("Formulier").input_value() == "contactpoging"
    otherwise = page.get_by_label("anders", exact=True)
    assert otherwise.input_value() == "5"
    assert page.get_by_label("Ook de timer ‘Termijn contactpoging verstreken’").is_checked()
    otherwise.fill("3")
    otherwise.press("Tab")
    assert "Niet opgeslagen wijzigingen" in page.inner_text("#wb-status")
    xml = page.evaluate("window.werkbankModeler.saveXML().then(r => r.xml)")
    assert 'camunda:dueDate="werkdagen(1) if prioriteit == &#34;P1&#34; else werkdagen(3)"' in xml
    assert '>werkdagen(1) if prioriteit == "P1" else werkdagen(3)</bpmn:timeDuration>' in xml
    owner.check("modeller-termijn")

    page.get_by_role("button", name="Concept opslaan").click()
    page.wait_for_selector("#wb-message:has-text('Concept opgeslagen')")
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_selector("#wb-message:has-text('Geen problemen gevonden')")
    page.get_by_role("button", name="Uitrollen…").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    assert "uitrollen als nieuwe versie" in dialog.inner_text()
    owner.check("uitrollen-bevestigen")
    dialog.get_by_role("button", name="Ja, uitrollen").click()
    page.wait_for_selector("#wb-message:has-text('Uitgerold als nieuwe versie van 8 processen')")
    message = page.inner_text("#wb-message")
    assert "QuaWonen (quawonen) versie 2" in message and "(meldpunt) versie 2" in message
    owner.check("uitgerold")

    with database(live_app):
        fresh = at_contact()
        assert contact_deadline(fresh) == (3, 2)  # a new case: 3 working days
        existing = db.session.scalar(select(Case).where(Case.reference == reference))
        assert existing is not None
        assert contact_deadline(existing) == (5, 1)  # the existing case keeps its 5

    with page.expect_navigation():
        page.get_by_role(
            "link", name="Voorkomen huisuitzetting — QuaWonen (quawonen) versie 2"
        ).click()
    owner.check("versies")
    with page.expect_navigation():
        page.get_by_role("link", name="Verschil met versie 1 (naar versie 2)").click()
    with page.expect_navigation():
        page.get_by_label("Bestand").select_option("shared/meldpunt.bpmn")
        page.get_by_role("button", name="Tonen").click()
    page.wait_for_selector("#wb-diff[data-ready='1']")
    assert page.locator("#wb-new .wb-diff-badge-changed").count() >= 1
    assert "Contact leggen met huurder" in page.inner_text(".wb-changes-changed")
    owner.check("verschil")

    page.go_back()
    page.go_back()
    with page.expect_navigation():
        page.get_by_role("link", name="Proefmigratie naar versie 2").click()
    row = page.locator("#wb-plan tr", has_text=reference)
    assert row.locator("td").nth(2).inner_text() == "ja"
    assert "Task_ContactLeggen" in row.locator("td").nth(3).inner_text()
    owner.check("proefmigratie")
    with database(live_app):
        still = db.session.scalar(select(Case).where(Case.reference == reference))
        assert still is not None and contact_deadline(still) == (5, 1)  # a dry run only

    page.once("dialog", lambda dialog: dialog.accept())  # "De zaken nu echt verplaatsen?"
    page.locator("#wb-migrate-start").click()
    page.wait_for_selector("#wb-progress-box[data-done='1']")
    assert "Klaar." in page.inner_text("#wb-progress-text")
    owner.check("gemigreerd")
    with database(live_app):
        moved = db.session.scalar(select(Case).where(Case.reference == reference))
        assert moved is not None
        assert contact_deadline(moved) == (5, 2)  # on version 2, keeping its promised deadline


def test_live_view_upload_and_decision_editor_pass_axe(people: Any, live_app: LiveApp) -> None:
    """The other workbench pages a process owner uses, checked with axe and photographed."""
    with database(live_app):
        case = at_contact()
        reference = case.reference
        _days, version = contact_deadline(case)
    owner = people("procesbeheer")
    page = owner.page
    owner.go(f"/werkbank/quawonen/v{version}/live?bestand=shared/meldpunt.bpmn")
    page.wait_for_selector("#wb-live[data-ready='1']")
    page.locator("#wb-live .wb-count:has-text('Contact leggen met huurder')").click()
    page.wait_for_selector(f"#wb-cases td:has-text('{reference}')")
    assert "Zaken bij ‘Contact leggen met huurder’" in page.inner_text("#wb-cases-title")
    assert "Jan de Vries" not in page.inner_text("main")  # references, never names
    owner.check("live")
    owner.go("/werkbank/uploaden")
    owner.check("uploaden")
    owner.go("/werkbank/quawonen/bewerken?bestand=decisions/prioriteit.dmn")
    page.wait_for_selector("#modeller[data-ready='1']")
    assert "Prioriteit" in page.inner_text("#wb-canvas")
    owner.check("beslistabel")
