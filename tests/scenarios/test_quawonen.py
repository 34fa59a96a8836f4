"""QuaWonen's chain end to end through the real services (CV-04, CV-09, CV-12, CV-14..17)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import CASE_CLOSED, CASE_OPEN, OutboxMessage
from app.services.cases import correlate_message, start_case
from app.services.timers import fire_due_timers
from tests.scenarios.helpers import do, example, lifecycle, open_tasks, task_named


def report(parties: Any, **overrides: Any) -> Any:
    case = start_case(parties.quawonen, example("signalering", **overrides))
    db.session.commit()
    case = do(parties.quawonen, case, "Task_ContactCorporatie", achterstand_opgelost=False)
    return do(parties.quawonen, case, "Task_Melding")


def test_eviction_prevented_handover(deployed: Any, parties: Any, clock: Any) -> None:
    """Report -> triage -> contact -> assessment -> plan -> handover: outcome voorkomen."""
    case = report(parties)
    assert case.status == CASE_OPEN
    mp = parties.meldpunt
    case = do(mp, case, "Task_Triage")
    case = do(mp, case, "Task_ContactLeggen", contact_bereikt=True)
    case = do(mp, case, "Task_Kwetsbaarheid", bereid_tot_medewerking=True)
    # no municipal services: straight to the handover (services: tests/scenarios/test_chain.py)
    case = do(mp, case, "Task_Plan", diensten=[])
    case = do(mp, case, "Task_Overdracht")
    assert case.status == CASE_CLOSED
    assert case.outcome == "voorkomen"
    assert open_tasks(case) == []
    kinds = [k for k, _ in lifecycle(case)]
    assert kinds[0] == "case_started" and kinds[-1] == "case_closed"
    assert ("completed", "Task_Triage") in lifecycle(case)


def test_solved_before_report(deployed: Any, parties: Any, clock: Any) -> None:
    """The corporation's own contact solves the arrears: opgelost, no report (§3 A2)."""
    case = start_case(parties.quawonen, example("signalering"))
    db.session.commit()
    case = do(parties.quawonen, case, "Task_ContactCorporatie", achterstand_opgelost=True)
    assert case.status == CASE_CLOSED
    assert case.outcome == "opgelost"


def test_no_contact_timer_closes_case(deployed: Any, parties: Any, clock: Any) -> None:
    """Fourteen days without contact: the boundary timer ends the trajectory (geen_contact)."""
    case = report(parties)
    case = do(parties.meldpunt, case, "Task_Triage")
    assert task_named(case, "Task_ContactLeggen").due_at is not None
    clock.advance(days=8)
    assert fire_due_timers() >= 1  # the working-day escalation fires first
    db.session.refresh(case)
    assert task_named(case, "Task_EscalatieContact")
    clock.advance(days=7)
    fire_due_timers()
    db.session.refresh(case)
    assert case.status == CASE_CLOSED
    assert case.outcome == "geen_contact"
    assert ("timer_fired", "Timer_GeenContact") in lifecycle(case)


def test_arrears_solved_message(deployed: Any, parties: Any, clock: Any) -> None:
    """The corporation signals the arrears are solved during the trajectory (§3 D)."""
    case = report(parties)
    case = correlate_message(parties.quawonen, case.reference, "achterstand_opgelost")
    db.session.commit()
    assert case.status == CASE_CLOSED
    assert case.outcome == "opgelost"
    assert ("cancelled", "Task_Triage") in lifecycle(case)


def test_contact_deadline_is_working_days(deployed: Any, parties: Any, clock: Any) -> None:
    """Contact within 5 working days of triage, skipping the weekend (CV-04, DMN-2 P4)."""
    case = start_case(parties.quawonen, example("signalering"))
    db.session.commit()
    case = do(parties.quawonen, case, "Task_ContactCorporatie", achterstand_opgelost=False)
    case = do(
        parties.quawonen, case, "Task_Melding",
        kinderen_onder_18=0, achterstand_maanden=1.5, vonnis=False,
        vonnisdatum="", ontruimingsdatum="", reden_melding="vermoeden_doelgroep",
        incassofase="aanmaning",
    )  # fmt: skip
    case = do(parties.meldpunt, case, "Task_Triage")
    assert case.priority == "P4"
    due = task_named(case, "Task_ContactLeggen").due_at
    assert due is not None
    assert due - clock.now() == timedelta(days=7)  # Monday + 5 working days = next Monday


def test_priority_one_gets_one_working_day(deployed: Any, parties: Any, clock: Any) -> None:
    """Children under 18 and two months of arrears: P1, contact within 1 working day (CV-02)."""
    case = report(parties, kinderen_onder_18=2, huishoudgrootte=4)
    case = do(parties.meldpunt, case, "Task_Triage")
    assert case.priority == "P1"
    due = task_named(case, "Task_ContactLeggen").due_at
    assert due is not None and due - clock.now() == timedelta(days=1)


EXCLUSIONS = {
    "opiumwet": "uitgesloten:opiumwet",
    "onrechtmatige_bewoning": "uitgesloten:bewoning",
    "geen_verblijfsstatus": "uitgesloten:verblijfsstatus",
    "extreme_overlast": "uitgesloten:overlast",
    "geen_legaal_inkomen": "uitgesloten:inkomen",
}


@pytest.mark.parametrize("field,outcome", sorted(EXCLUSIONS.items()))
def test_exclusions_end_the_case(
    deployed: Any, parties: Any, clock: Any, field: str, outcome: str
) -> None:
    """CV-03: each exclusion ends the case with its own outcome; the corporation is told."""
    case = report(parties)
    case = do(parties.meldpunt, case, "Task_Triage", **{field: True})
    if field == "extreme_overlast":  # CV-22: OOV assesses the nuisance before the case closes
        oov = parties.user("oov", "gemeente", "oov")
        case = do(oov, case, "Task_BeoordelingOverlast", woonoverlast_aanpak_nodig=False)
    assert case.status == CASE_CLOSED
    assert case.outcome == outcome
    statuses = [
        m.payload["status_code"]
        for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        if m.payload.get("case") == case.reference
    ]
    assert statuses[-1] == "afgesloten"


def test_not_in_target_group(deployed: Any, parties: Any, clock: Any) -> None:
    """CV-01: a household that can solve it alone is not in the target group."""
    case = report(parties)
    case = do(parties.meldpunt, case, "Task_Triage", kan_zelf_oplossen=True)
    assert (case.status, case.outcome) == (CASE_CLOSED, "geen_doelgroep")


def test_no_cooperation(deployed: Any, parties: Any, clock: Any) -> None:
    """CV-07: no willingness to cooperate ends the protection."""
    case = report(parties)
    case = do(parties.meldpunt, case, "Task_Triage")
    case = do(parties.meldpunt, case, "Task_ContactLeggen", contact_bereikt=True)
    case = do(parties.meldpunt, case, "Task_Kwetsbaarheid", bereid_tot_medewerking=False)
    assert (case.status, case.outcome) == (CASE_CLOSED, "geen_medewerking")


def test_failed_attempt_loops_back(deployed: Any, parties: Any, clock: Any) -> None:
    """An unanswered contact attempt opens a new attempt with a fresh deadline."""
    case = report(parties)
    case = do(parties.meldpunt, case, "Task_Triage")
    first = task_named(case, "Task_ContactLeggen").task_id
    clock.advance(hours=3)
    case = do(parties.meldpunt, case, "Task_ContactLeggen", contact_bereikt=False)
    again = task_named(case, "Task_ContactLeggen")
    assert again.task_id != first
    assert again.due_at is not None and again.due_at > clock.now()
