"""The case page and the corporation's actions: reports, signals, and what each party sees."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import CASE_CLOSED, AuditEntry, Case
from tests.scenarios.helpers import do, example
from tests.web.conftest import case_by_reference, report


def _count(model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_corporation_reports_a_household(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    client = client_for("qua")
    form = client.get("/melden").get_data(as_text=True)
    assert "Huurachterstand gesignaleerd" in form and "QuaWonen" in form
    answer = client.send("/melden", example("signalering"))
    assert answer.status_code == 302
    case = db.session.scalar(select(Case).order_by(Case.id.desc()).limit(1))
    assert case is not None and answer.headers["Location"] == f"/zaken/{case.reference}"
    assert case.household == "Jan de Vries"
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert f"Zaak {case.reference} is gestart" in page
    assert '<a href="/taken/' in page  # the corporation's next step, as a link


def test_bad_report_starts_nothing(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    bad = example("signalering", postcode="99", huurprijs="-5")
    answer = client_for("qua").send("/melden", bad)
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "Vul een geldige Nederlandse postcode in" in page
    assert "Het bedrag mag niet negatief zijn." in page
    assert _count(Case) == 0


def test_only_corporations_report(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    answer = client_for("mp").get("/melden")
    assert answer.status_code == 403
    assert "Alleen een woningcorporatie" in answer.get_data(as_text=True)
    assert "Huishouden melden" not in client_for("mp").get("/taken").get_data(as_text=True)


def test_corporation_sees_status_never_the_assessment(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    case = report(accounts)
    mp = accounts.meldpunt
    case = do(mp, case, "Task_Triage", toegewezen_medewerker="Pieter Smit")
    case = do(mp, case, "Task_ContactLeggen", contact_bereikt=True)
    case = do(mp, case, "Task_Kwetsbaarheid", bereid_tot_medewerking=False,
              onderbouwing="Wil geen hulp.")  # fmt: skip
    assert case.status == CASE_CLOSED and case.outcome == "geen_medewerking"
    page = client_for("qua").get(f"/zaken/{case.reference}").get_data(as_text=True)
    assert "Afgesloten" in page
    assert "Statusberichten van het Meldpunt" in page
    for hidden in ("Pieter Smit", "Wil geen hulp", "Uitkomst", "Kwetsbaarheid", "Triage",
                   "Prioriteit"):  # fmt: skip
        assert hidden not in page, hidden
    meldpunt_page = client_for("mp").get(f"/zaken/{case.reference}").get_data(as_text=True)
    assert "Uitkomst" in meldpunt_page and "Geen medewerking" in meldpunt_page
    assert "Pieter Smit" in meldpunt_page and "Kwetsbaarheid" in meldpunt_page
    reads = _count(AuditEntry, AuditEntry.case_id == case.id, AuditEntry.reason == "zaakpagina")
    assert reads == 2  # both looks at the case are in the audit log


def test_other_corporation_gets_not_found_and_is_logged(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    case = report(accounts)
    answer = client_for("vest").get(f"/zaken/{case.reference}")
    assert answer.status_code == 404
    assert "Niet gevonden" in answer.get_data(as_text=True)
    db.session.expire_all()
    denied = _count(
        AuditEntry,
        AuditEntry.case_id == case.id,
        AuditEntry.action == "denied",
        AuditEntry.user_id == accounts.vestia.user_id,
    )
    assert denied == 1
    signal = client_for("vest").send(
        f"/zaken/{case.reference}/signaal", {"signaal": "achterstand_opgelost"}
    )
    assert signal.status_code == 404
    assert case_by_reference(case.reference).is_open
    for username in ("pb", "sdv"):  # no personal data / not involved
        assert client_for(username).get(f"/zaken/{case.reference}").status_code == 404
    assert client_for("qua").get("/zaken/VK-1999-000000").status_code == 404


def test_signals_from_the_corporation(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    case = report(accounts)
    client = client_for("qua")
    page = client.get(f"/zaken/{case.reference}").get_data(as_text=True)
    assert "Signaal doorgeven aan het Meldpunt" in page
    missing = client.send(f"/zaken/{case.reference}/signaal", {})
    assert missing.status_code == 422
    assert "Kies welk signaal u wilt doorgeven." in missing.get_data(as_text=True)
    early = client.send(
        f"/zaken/{case.reference}/signaal", {"signaal": "ontruimingsvonnis"},
        follow_redirects=True,
    )  # fmt: skip
    text = early.get_data(as_text=True)
    assert "kan nu niet worden verwerkt" in text and "Er is niets gewijzigd" in text
    assert case_by_reference(case.reference).is_open
    solved = client.send(
        f"/zaken/{case.reference}/signaal", {"signaal": "achterstand_opgelost"},
        follow_redirects=True,
    )  # fmt: skip
    assert "is doorgegeven" in solved.get_data(as_text=True)
    db.session.expire_all()
    assert case_by_reference(case.reference).status == CASE_CLOSED
    closed = client.get(f"/zaken/{case.reference}").get_data(as_text=True)
    assert "Signaal doorgeven" not in closed
    assert "Signaal ontvangen: Achterstand opgelost" in closed


def test_signals_need_the_csrf_token(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    case = report(accounts)
    client = client_for("qua")
    answer = client.post(
        f"/zaken/{case.reference}/signaal", data={"signaal": "achterstand_opgelost"}
    )
    assert answer.status_code == 400
    assert case_by_reference(case.reference).is_open
