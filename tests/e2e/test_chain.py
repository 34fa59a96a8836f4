"""The chain in a real browser: a corporation reports, the Meldpunt takes it up, the
corporation sees only the status, another corporation sees nothing (CV-12, CV-14, CV-23)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry, Case, User
from tests.e2e.conftest import LiveApp, reference_in
from tests.e2e.helpers import fill, open_task, submit

pytestmark = pytest.mark.e2e

SIGNAL = {
    "corporatie_dossiernummer": "HC-2026-0077",
    "huurder_naam": "Jan de Vries",
    "postcode": "2931 AB",
    "huisnummer": "12",
    "huishoudgrootte": "4",
    "kinderen_onder_18": "2",
    "huurprijs": "745,50",
    "achterstand_bedrag": "1491,00",
    "achterstand_maanden": "2",
    "ontstaansdatum": "2026-01-01",
    "signaaldatum": "2026-02-20",
    "gemeentelijke_uitkering": True,
}


def test_report_to_meldpunt_and_back_to_status(people: Any, live_app: LiveApp) -> None:
    """Report → the corporation's steps → melding → triage, contact, assessment and plan by
    the Meldpunt → intake and inventory by debt help, which sees the afloscapaciteit; status
    only for the corporation; 'niet gevonden' (and an audit entry) for another corporation."""
    qua = people("quawonen")
    assert qua.page.url.endswith("/taken")
    qua.check("takenlijst-leeg")
    with qua.page.expect_navigation():
        qua.page.get_by_role("link", name="Huishouden melden").click()
    qua.check("melden")
    fill(qua.page, SIGNAL)
    submit(qua.page, "Zaak starten")
    reference = reference_in(qua.page.inner_text("h1"))
    assert "Zaak" in qua.page.inner_text("h1")
    qua.check("zaak-gestart")

    for step in range(5):  # the variant's own steps before the report (CV-11)
        own = qua.page.locator("ul.open-tasks a").first.inner_text()
        if own == "Melding doen bij Meldpunt":
            break
        open_task(qua.page, own)
        if step == 0:
            qua.check("taak-contact")
        fill(
            qua.page,
            {
                "contactpoging_soort": "huisbezoek",
                "contactpoging_datum": "2026-02-24",
                "contactpoging_bereikt": True,
                "contactpoging_notities": "Huurder thuis getroffen; wil hulp.",
            },
        )
        submit(qua.page, "Taak afronden")
        assert "is afgerond" in qua.text()

    open_task(qua.page, "Melding doen bij Meldpunt")
    page = qua.page
    assert page.input_value("#f-huurder_naam") == "Jan de Vries"  # prefilled from the signal
    assert page.input_value("#f-achterstand_bedrag") == "1491,00"
    page.get_by_role("button", name="Contactpoging toevoegen").click()
    assert page.locator("#f-contactpogingen-0-soort").is_visible()
    fill(
        page,
        {
            "geboortedatum": "1984-06-15",
            "reden_melding": "vermoeden_doelgroep",
            "incassofase": "aanmaning",
            "contactpogingen-0-soort": "huisbezoek",
            "contactpogingen-0-datum": "2026-02-24",
            "contactpogingen-0-bereikt": True,
            "signaaldatum": "2026-03-02",
        },
    )
    qua.check("taak-melding")
    submit(page, "Taak afronden")
    assert "is afgerond" in qua.text()
    qua.check("zaak-gemeld")

    mp = people("meldpunt")
    assert mp.page.url.endswith("/taken")
    mp.page.fill("#zaak", reference)
    submit(mp.page, "Filteren")
    mp.check("takenlijst-meldpunt")
    row = mp.page.locator("tr", has_text=reference)
    assert "Jan de Vries" in row.inner_text()  # the Meldpunt may see the household
    with mp.page.expect_navigation():
        row.get_by_role("button", name="Oppakken").click()
    assert "U heeft de taak" in mp.text()
    assert mp.page.locator("#diagram svg").first.is_visible()
    assert mp.page.locator(".current-task").count() == 1
    mp.check("taak-triage")
    fill(mp.page, {"toegewezen_medewerker": "Pieter Smit"})
    submit(mp.page, "Taak afronden")

    open_task(mp.page, "Contact leggen met huurder")
    mp.page.locator(".current-task").wait_for()
    mp.check("taak-contactpoging")
    fill(
        mp.page,
        {
            "contact_kanaal": "telefoon",
            "contact_datum": "2026-03-03",
            "contact_bereikt": True,
            "contact_notities": "Gesproken; afspraak voor huisbezoek.",
        },
    )
    submit(mp.page, "Taak afronden")
    assert "is afgerond" in mp.text()
    mp.check("zaak-meldpunt")

    open_task(mp.page, "Kwetsbaarheid en medewerking vaststellen")
    fill(
        mp.page,
        {
            "financiele_problemen": True,
            "bereid_tot_medewerking": True,
            "conclusie_kwetsbaar": True,
            "onderbouwing": "Schulden en weinig netwerk; wil meewerken.",
        },
    )
    submit(mp.page, "Taak afronden")
    open_task(mp.page, "Plan en toeleiding")
    fill(
        mp.page,
        {
            "doelen": "Huurachterstand structureel oplossen.",
            "afspraken": "Huurder betaalt de lopende huur.",
            "diensten": ["schuldhulp"],
            "beoogde_regiehouder": "Wijkteam Krimpenerwaard",
            "evaluatiedatum": "2026-04-01",
        },
    )
    mp.check("taak-plan")
    submit(mp.page, "Taak afronden")
    assert "is afgerond" in mp.text()

    debt = people("schuldhulp")
    debt.check("takenlijst-schuldhulp")
    row = debt.page.locator("tr", has_text=reference)
    with debt.page.expect_navigation():
        row.get_by_role("link", name="Intake schuldhulp").click()
    assert "Jan de Vries" in debt.text()  # identity is for every party on the case (§7)
    fill(debt.page, {"intake_datum": "2026-03-04", "financiele_problemen": True})
    submit(debt.page, "Taak afronden")
    open_task(debt.page, "Inventarisatie inkomsten en uitgaven")
    page = debt.page
    page.get_by_role("button", name="Inkomen toevoegen").click()
    page.get_by_role("button", name="Schuld toevoegen").click()
    page.get_by_role("button", name="Schuld toevoegen").click()
    fill(
        page,
        {
            "inkomsten-0-bron": "loon",
            "inkomsten-0-bedrag_netto_per_maand": "2150,00",
            "leefsituatie": "alleenstaand",
            "woonkosten": "745,50",
            "schulden-0-schuldeiser": "QuaWonen",
            "schulden-0-bedrag": "1491",
            "schulden-1-schuldeiser": "Energieleverancier",
            "schulden-1-bedrag": "380,25",
        },
    )
    page.get_by_role("button", name="Schuld 2 verwijderen").click()
    assert page.locator("#f-schulden-1-schuldeiser").count() == 0
    debt.check("taak-inventarisatie")
    submit(page, "Taak afronden")
    assert "is afgerond" in debt.text()
    debt.check("zaak-schuldhulp")
    top = debt.page.locator("dl.task-facts div", has_text="Afloscapaciteit (indicatief)")
    assert "€" in top.inner_text()  # the computed repayment capacity, on top (CV-18)
    assert "Energieleverancier" not in debt.text()  # the removed line never reached the case

    qua.go(f"/zaken/{reference}")
    qua.check("zaak-status-corporatie")
    seen = qua.text()
    assert "Melding ontvangen" in seen  # the status code the Meldpunt sent
    for hidden in ("Pieter Smit", "Triage", "Contact leggen", "Kwetsbaarheid", "Uitkomst",
                   "Afloscapaciteit", "Schuld", "2150"):  # fmt: skip
        assert hidden not in seen, hidden

    other = people("vestia")
    response = other.go(f"/zaken/{reference}")
    assert response.status == 404
    assert "Niet gevonden" in other.page.inner_text("h1")
    other.check("niet-gevonden")
    with live_app.app.app_context():
        vestia = db.session.scalar(select(User.id).where(User.username == "vestia"))
        denied = db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.user_id == vestia, AuditEntry.action == "denied")
        )
        db.session.remove()
    assert denied == 1


def test_bad_report_shows_dutch_errors_and_starts_nothing(people: Any, live_app: LiveApp) -> None:
    """A report with a bad postcode and missing fields: summary first, messages beside the
    fields, the typed values kept, and no case started."""
    with live_app.app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Case))
        db.session.remove()
    qua = people("quawonen")
    qua.go("/melden")
    fill(qua.page, {"huurder_naam": "Fien Bakker", "postcode": "12345", "huisnummer": "nul"})
    with qua.page.expect_navigation():
        qua.page.press("#f-huisnummer", "Enter")  # Enter starts the case, as the button does
    summary = qua.page.locator("#foutoverzicht")
    assert summary.is_visible()
    assert qua.page.evaluate("document.activeElement.id") == "foutoverzicht"
    text = summary.inner_text()
    assert "Vul een geldige Nederlandse postcode in" in text
    assert "Dit veld is verplicht." in text
    assert qua.page.title().startswith("Fout:")
    assert qua.page.input_value("#f-huurder_naam") == "Fien Bakker"
    assert "Vul een geheel getal in." in qua.page.inner_text("#f-huisnummer-fout")
    qua.check("melden-fouten")
    qua.page.get_by_role("link", name="Postcode").first.click()
    assert qua.page.evaluate("document.activeElement.id") == "f-postcode"
    with live_app.app.app_context():
        after = db.session.scalar(select(func.count()).select_from(Case))
        db.session.remove()
    assert after == before
