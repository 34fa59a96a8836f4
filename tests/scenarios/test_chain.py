"""The Meldpunt chain after the report, through the real services, for every corporation variant:
the municipal services chosen in the plan (CV-18..CV-22), monitoring every four weeks (CV-16,
CV-17), the corporation's signals during the trajectory (§3 D, CV-07, CV-13), closing as
*vertrokken* or *ontruimd* (§3 E), extreme nuisance to OOV (CV-03, CV-22), and the yearly
evaluation timer (CV-24; the five-year review is in tests/integration/test_scheduled.py). Each
test asserts the outcome, the tasks each party saw (the roles of ``created`` events) and the
event log.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.engine import ManualClock
from app.engine.workdays import add_working_days
from app.extensions import db
from app.models import (
    CASE_CLOSED,
    CASE_OPEN,
    Case,
    CaseEvent,
    Organisation,
    OutboxMessage,
    ProcessVersion,
)
from app.services.actors import Actor
from app.services.cases import correlate_message, start_case, view_case
from app.services.errors import Forbidden
from app.services.scheduled import ensure_scheduled_cases
from app.services.timers import fire_due_timers
from tests.conftest import Parties
from tests.scenarios import test_variants
from tests.scenarios.helpers import do, example, lifecycle, open_tasks, task_named

#: the catalogue, deployed once per run and copied into each test's database (pytest finds
#: the fixture by this name)
deployed = test_variants.deployed

#: every corporation variant; each chain scenario runs on each of them
VARIANTS = (
    "quawonen",
    "groenwonenvlist",
    "beterwonen",
    "samenwerking",
    "gouderak",
    "woonzorg",
    "vestia",
)
TODAY = date(2026, 3, 2)  # the clock fixture's Monday
#: the corporation's own steps before a report: tenant reached, nothing solved or arranged
NOT_SOLVED = {
    "contactpoging_bereikt": True,
    "betalingsregeling_getroffen": False,
    "achterstand_opgelost": False,
}
#: a P3 household (no children, two months of arrears), with a municipal benefit
MELDING = {"kinderen_onder_18": "0", "huishoudgrootte": "1", "gemeentelijke_uitkering": "ja"}
#: F6 of a single tenant with wages: afloscapaciteit 429.39 on the 1-7-2025 norm
#: (2,240.00 − (0.95 × 1,369.06 + (700 − 250) + 60)), see tests/unit/test_afloscapaciteit.py
INVENTARISATIE = {
    "inkomsten": [{"bron": "loon", "bedrag_netto_per_maand": "2100"}],
    "vakantiegeld_per_maand": "140",
    "toeslagen": "0",
    "vaste_lasten": [],
    "schulden": [{"schuldeiser": "Energieleverancier", "bedrag": "320,10"}],
    "leefsituatie": "alleenstaand",
    "woonkosten": "700",
    "extra_kosten_reiskosten": "60",
    "voorstel_inkomensbeheer": "on",
}


# --- helpers --------------------------------------------------------------------------------


def corporation(parties: Parties, process_id: str) -> Actor:
    """A caseworker of the corporation whose variant this is (org key = process id)."""
    return parties.user(f"chain_{process_id}", process_id, "corporatie")


def party(parties: Parties, role: str) -> Actor:
    orgs = {"meldpunt": "ggd", "regiehouder": "wijkteam"}
    return parties.user(f"chain_{role}", orgs.get(role, "gemeente"), role)


def report(parties: Parties, process_id: str, **melding: Any) -> Case:
    """Start a case, do the corporation's own steps without a solution, report (F1)."""
    corp = corporation(parties, process_id)
    case = start_case(corp, example("signalering", achterstand_maanden="2",
                                    achterstand_bedrag="1491,00"))  # fmt: skip
    db.session.commit()
    for _ in range(10):
        ids = [t.activity_id for t in open_tasks(case)]
        if "Task_Melding" in ids:
            return do(corp, case, "Task_Melding", **{**MELDING, **melding})
        own = next(t for t in open_tasks(case) if t.role == "corporatie")
        case = do(corp, case, own.activity_id, **NOT_SOLVED)
    raise AssertionError(f"no report task in {process_id}")


def to_plan(parties: Parties, process_id: str, diensten: list[str], **melding: Any) -> Case:
    """Report, triage, contact, assessment and the plan with these municipal services."""
    mp = party(parties, "meldpunt")
    case = report(parties, process_id, **melding)
    case = do(mp, case, "Task_Triage")
    case = do(mp, case, "Task_ContactLeggen", contact_bereikt=True)
    case = do(mp, case, "Task_Kwetsbaarheid", bereid_tot_medewerking=True)
    return do(mp, case, "Task_Plan", diensten=diensten)


def finish(parties: Parties, case: Case) -> Case:
    """Work the remaining open tasks of other parties (e.g. Woonzorg's senior adviser), then
    the Meldpunt's handover."""
    for _ in range(10):
        others = [t for t in open_tasks(case) if t.activity_id != "Task_Overdracht"]
        if not others:
            break
        case = do(party(parties, others[0].role), case, others[0].activity_id)
    return do(party(parties, "meldpunt"), case, "Task_Overdracht")


def settle(parties: Parties, case: Case) -> Case:
    """Work what other parties still have open once the Meldpunt's part ended (Woonzorg's senior
    adviser runs beside the chain in that variant)."""
    for task in open_tasks(case):
        case = do(party(parties, task.role), case, task.activity_id)
    return case


def created(case: Case) -> list[tuple[str | None, str | None]]:
    """(role, activity id) of every task created for the case, in order."""
    return [(role, act) for kind, act, role in events(case) if kind == "created"]


def events(case: Case) -> list[tuple[str, str | None, str | None]]:
    rows = db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    )
    return [(e.lifecycle, e.activity_id, e.role) for e in rows]


def roles_seen(case: Case) -> set[str | None]:
    return {role for role, _ in created(case)}


def in_order(items: list[Any], expected: list[Any]) -> bool:
    """Whether ``expected`` occurs in ``items`` in this order (other items may be between)."""
    rest = iter(items)
    return all(item in rest for item in expected)


def outbox(case: Case) -> list[dict[str, Any]]:
    """The status messages queued for the corporation about this case."""
    return [
        dict(m.payload)
        for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        if m.kind == "status" and m.payload.get("case") == case.reference
    ]


def codes(case: Case) -> list[str]:
    return [str(m["status_code"]) for m in outbox(case)]


def due_in_working_days(case: Case, activity_id: str, start: datetime) -> int:
    """How many working days after ``start`` the open task is due."""
    due = task_named(case, activity_id).due_at
    assert due is not None
    return next(n for n in range(0, 40) if add_working_days(start, n) >= due)


def closed(case: Case, outcome: str) -> None:
    db.session.refresh(case)
    assert (case.status, case.outcome) == (CASE_CLOSED, outcome)
    assert open_tasks(case) == []
    log = lifecycle(case)
    assert log[0][0] == "case_started" and log[-1][0] == "case_closed"


def advance(clock: ManualClock, case: Case, until: datetime) -> None:
    """Let time pass to ``until``, firing every timer that falls due on the way."""
    while True:
        db.session.refresh(case)
        due = case.next_timer_due
        if due is None or due > until:
            break
        clock.set(max(clock.now(), due + timedelta(minutes=1)))
        fire_due_timers()
    clock.set(max(clock.now(), until))


# --- coverage of the catalogue --------------------------------------------------------------


def test_every_deployed_variant_is_in_the_chain_tests(deployed: Any, parties: Parties) -> None:
    """No corporation process is skipped silently: each deployed one runs these scenarios."""
    corporations = db.session.scalars(
        select(Organisation.process_id).where(Organisation.kind == "corporatie")
    )
    assert {p for p in corporations if p in deployed} <= set(VARIANTS)


# --- the plan's services --------------------------------------------------------------------


@pytest.mark.parametrize("process_id", VARIANTS)
def test_debt_help_computes_capacity_and_income_management_ends_rent_from_benefit(
    deployed: Any, parties: Parties, clock: ManualClock, process_id: str
) -> None:
    """CV-18..CV-20: schuldhulp and huur uit uitkering start together; the afloscapaciteit is
    computed (indicative, with the norm date); inkomensbeheer_gestart, thrown in
    schulddienstverlening, ends the rent from the benefit in the sibling subprocess that day."""
    case = to_plan(parties, process_id, ["schuldhulp", "huur_uit_uitkering"])
    assert case.priority == "P3"
    assert {"Task_IntakeSchuldhulp", "Task_HuurUitUitkering"} <= {
        t.activity_id for t in open_tasks(case)
    }
    # the intake within 4 weeks (no judgment, not P1: Wgs norm)
    assert task_named(case, "Task_IntakeSchuldhulp").due_at == clock.now() + timedelta(days=28)
    sz, sdv = party(parties, "sociale_zaken"), party(parties, "schuldhulp")
    end = "2026-06-02"
    case = do(sz, case, "Task_HuurUitUitkering", huur_uit_uitkering_start=TODAY.isoformat(),
              huur_uit_uitkering_eind=end)  # fmt: skip
    started = outbox(case)[-1]
    assert started["status_code"] == "huur_uit_uitkering_gestart"
    assert (started["huur_uit_uitkering_start"], started["huur_uit_uitkering_eind"]) == (
        "2026-03-02",
        end,
    )
    clock.advance(days=9)  # Wednesday 11 March
    case = do(sdv, case, "Task_IntakeSchuldhulp")
    case = do(sdv, case, "Task_Inventarisatie", **INVENTARISATIE)
    seen = view_case(party(parties, "meldpunt"), case.reference).data
    assert seen["afloscapaciteit"] == 429.39
    assert seen["afloscapaciteit_indicatief"] is True
    assert "inkomsten" not in seen  # the Meldpunt sees the result, not the inventory (§7)
    ended = outbox(case)[-1]
    assert ended["status_code"] == "huur_uit_uitkering_beeindigd"
    assert ended["huur_uit_uitkering_eind"] == "2026-03-11"  # the day income management began
    corp_view = view_case(corporation(parties, process_id), case.reference).data
    assert corp_view["huur_uit_uitkering_eind"] == "2026-03-11"
    assert "afloscapaciteit" not in corp_view
    case = finish(parties, case)
    closed(case, "voorkomen")
    assert {"corporatie", "meldpunt", "schuldhulp", "sociale_zaken"} <= roles_seen(case)
    assert in_order(
        created(case),
        [
            ("meldpunt", "Task_Plan"),
            ("schuldhulp", "Task_IntakeSchuldhulp"),
            ("schuldhulp", "Task_Inventarisatie"),
            ("meldpunt", "Task_Overdracht"),
        ],
    )
    assert in_order(codes(case), ["traject_gestart", "huur_uit_uitkering_gestart",
                                  "huur_uit_uitkering_beeindigd", "overgedragen"])  # fmt: skip


@pytest.mark.parametrize("process_id", VARIANTS)
def test_rent_from_benefit_ends_at_the_cap_while_the_meldpunt_monitors(
    deployed: Any, parties: Parties, clock: ManualClock, process_id: str
) -> None:
    """CV-20: without income management the payment ends on the F7 end date (start + 3 months)
    by the timer. CV-16, CV-17: meanwhile a monitoring task every 28 days sends the status the
    Meldpunt chose to the corporation; once the service is done no new one comes, and the
    handover closes one that is still open."""
    case = to_plan(parties, process_id, ["huur_uit_uitkering"])
    start = clock.now()
    case = do(
        party(parties, "sociale_zaken"), case, "Task_HuurUitUitkering",
        huur_uit_uitkering_start="2026-03-02", huur_uit_uitkering_eind="2026-06-02",
    )  # fmt: skip
    mp = party(parties, "meldpunt")
    advance(clock, case, start + timedelta(days=27))
    assert "Task_Monitoring" not in [a for _, a in created(case)]
    advance(clock, case, datetime(2026, 6, 1, 12, tzinfo=UTC))
    monitoring = [(role, a) for role, a in created(case) if a == "Task_Monitoring"]
    assert monitoring == [("meldpunt", "Task_Monitoring")] * 3  # days 28, 56 and 84
    assert "Task_Overdracht" not in {t.activity_id for t in open_tasks(case)}
    case = do(mp, case, "Task_Monitoring", status_code="in_behandeling")
    case = do(mp, case, "Task_Monitoring", status_code="traject_gestart")
    assert codes(case)[-2:] == ["in_behandeling", "traject_gestart"]
    advance(clock, case, datetime(2026, 6, 2, 6, tzinfo=UTC))
    assert ("timer_fired", "Timer_Maximum", "sociale_zaken") in events(case)
    ended = outbox(case)[-1]
    assert ended["status_code"] == "huur_uit_uitkering_beeindigd"
    assert ended["huur_uit_uitkering_eind"] == "2026-06-02"
    assert task_named(case, "Task_Overdracht")  # the service is done: the handover is next
    advance(clock, case, datetime(2026, 8, 1, 12, tzinfo=UTC))
    assert len([a for _, a in created(case) if a == "Task_Monitoring"]) == 3  # the cycle stopped
    for task in open_tasks(case):  # Woonzorg's senior adviser may still be at work
        if task.role != "meldpunt":
            case = do(party(parties, task.role), case, task.activity_id)
    case = do(mp, case, "Task_Overdracht")  # the third monitoring task is still open
    closed(case, "voorkomen")
    assert ("cancelled", "Task_Monitoring", "meldpunt") in events(case)
    assert {"sociale_zaken", "meldpunt", "corporatie"} <= roles_seen(case)
    assert "schuldhulp" not in roles_seen(case)


@pytest.mark.parametrize("process_id", VARIANTS)
def test_indication_and_nuisance_run_side_by_side(
    deployed: Any, parties: Parties, clock: ManualClock, process_id: str
) -> None:
    """CV-21: Sociaal Domein decides the indication within 10 working days. CV-22: OOV assesses,
    warns and announces a behaviour order; the nuisance stops, so no order and no enforcement.
    The handover waits for both services (inclusive join)."""
    case = to_plan(parties, process_id, ["indicatie", "woonoverlast"])
    assert due_in_working_days(case, "Task_Indicatie", clock.now()) == 10
    oov = party(parties, "oov")
    case = do(oov, case, "Task_BeoordelingOverlast", woonoverlast_aanpak_nodig="on")
    case = do(party(parties, "sociaal_domein"), case, "Task_Indicatie")
    assert "Task_Overdracht" not in [t.activity_id for t in open_tasks(case)]
    case = do(oov, case, "Task_Waarschuwing", woonoverlast_stap="waarschuwing",
              overlast_opgelost="nee")  # fmt: skip
    case = do(oov, case, "Task_Voornemen", woonoverlast_stap="voornemen", overlast_opgelost="on")
    case = finish(parties, case)
    closed(case, "voorkomen")
    assert ("sociaal_domein", "Task_Indicatie") in created(case)
    oov_tasks = [a for role, a in created(case) if role == "oov"]
    assert oov_tasks == ["Task_BeoordelingOverlast", "Task_Waarschuwing", "Task_Voornemen"]
    assert in_order(
        events(case),
        [
            ("completed", "Task_Indicatie", "sociaal_domein"),
            ("completed", "Task_Voornemen", "oov"),
            ("created", "Task_Overdracht", "meldpunt"),
        ],
    )
    assert codes(case)[-2:] == ["traject_gestart", "overgedragen"]


# --- signals during the trajectory (§3 D) ---------------------------------------------------


@pytest.mark.parametrize("process_id", VARIANTS)
def test_broken_agreements_mid_trajectory_end_the_protection(
    deployed: Any, parties: Parties, clock: ManualClock, process_id: str
) -> None:
    """CV-07, CV-08: the corporation signals a broken agreement while debt help runs; the
    Meldpunt talks with the tenant within 5 working days and goes on; at the second signal it
    ends the protection: outcome geen_medewerking, the corporation may resume collection, the
    running service stops."""
    corp, mp = corporation(parties, process_id), party(parties, "meldpunt")
    case = to_plan(parties, process_id, ["schuldhulp"])
    case = correlate_message(corp, case.reference, "afspraken_niet_nagekomen")
    db.session.commit()
    assert due_in_working_days(case, "Task_GesprekAfspraken", clock.now()) == 5
    case = do(mp, case, "Task_GesprekAfspraken", gesprek_besluit="doorgaan")
    assert case.status == CASE_OPEN and task_named(case, "Task_IntakeSchuldhulp")
    clock.advance(days=3)
    case = correlate_message(corp, case.reference, "afspraken_niet_nagekomen")
    db.session.commit()
    case = do(mp, case, "Task_GesprekAfspraken", gesprek_besluit="beeindigen")
    case = settle(parties, case)
    closed(case, "geen_medewerking")
    assert codes(case)[-1] == "beeindigd"
    assert [a for _, a in created(case)].count("Task_GesprekAfspraken") == 2
    assert in_order(
        events(case),
        [
            ("message", None, "corporatie"),
            ("completed", "Task_GesprekAfspraken", "meldpunt"),
            ("message", None, "corporatie"),
            ("completed", "Task_GesprekAfspraken", "meldpunt"),
            ("cancelled", "Task_IntakeSchuldhulp", "schuldhulp"),
            ("case_closed", None, None),
        ],
    )


@pytest.mark.parametrize("process_id", VARIANTS)
def test_eviction_judgment_at_the_report_makes_debt_help_urgent(
    deployed: Any, parties: Parties, clock: ManualClock, process_id: str
) -> None:
    """CV-13, DMN-2: a judgment with eviction within 14 days is P1; contact within 1 working
    day and the debt-help intake within 3 working days (Wgs crisis norm)."""
    eviction = (TODAY + timedelta(days=10)).isoformat()
    mp = party(parties, "meldpunt")
    case = report(
        parties, process_id, reden_melding="ontruimingsvonnis", vonnis="ja",
        vonnisdatum="2026-02-20", ontruimingsdatum=eviction, incassofase="vonnis",
    )  # fmt: skip
    case = do(mp, case, "Task_Triage")
    assert case.priority == "P1"
    assert due_in_working_days(case, "Task_ContactLeggen", clock.now()) == 1
    case = do(mp, case, "Task_ContactLeggen", contact_bereikt=True)
    case = do(mp, case, "Task_Kwetsbaarheid", bereid_tot_medewerking=True)
    case = do(mp, case, "Task_Plan", diensten=["schuldhulp"])
    assert due_in_working_days(case, "Task_IntakeSchuldhulp", clock.now()) == 3
    assert task_named(case, "Task_IntakeSchuldhulp").priority == "P1"


@pytest.mark.parametrize("process_id", VARIANTS)
def test_eviction_judgment_mid_trajectory_makes_the_open_intake_urgent(
    deployed: Any, parties: Parties, clock: ManualClock, process_id: str
) -> None:
    """CV-13: a judgment signalled while the 4-week intake is open: the intake is replaced by an
    urgent one within 3 working days and the Meldpunt talks with the tenant within 5."""
    corp = corporation(parties, process_id)
    case = to_plan(parties, process_id, ["schuldhulp"])
    assert due_in_working_days(case, "Task_IntakeSchuldhulp", clock.now()) > 3
    clock.advance(hours=2)
    case = correlate_message(corp, case.reference, "ontruimingsvonnis")
    db.session.commit()
    ids = {t.activity_id for t in open_tasks(case)}
    assert {"Task_IntakeSpoed", "Task_GesprekVonnis"} <= ids
    assert "Task_IntakeSchuldhulp" not in ids
    assert due_in_working_days(case, "Task_IntakeSpoed", clock.now()) == 3
    assert due_in_working_days(case, "Task_GesprekVonnis", clock.now()) == 5
    assert case.priority == "P1"  # the judgment makes the case P1 (DMN-2)
    assert task_named(case, "Task_GesprekVonnis").priority == "P1"
    assert ("cancelled", "Task_IntakeSchuldhulp", "schuldhulp") in events(case)
    case = do(party(parties, "meldpunt"), case, "Task_GesprekVonnis", gesprek_besluit="doorgaan")
    case = do(party(parties, "schuldhulp"), case, "Task_IntakeSpoed", financiele_problemen="nee")
    case = finish(parties, case)
    closed(case, "voorkomen")


#: §3 E outcomes the Meldpunt records on F10, alternating over the variants
CLOSINGS = [
    (process_id, ("vertrokken", "ontruimd")[index % 2]) for index, process_id in enumerate(VARIANTS)
]


@pytest.mark.parametrize(("process_id", "outcome"), CLOSINGS)
def test_meldpunt_closes_a_case_when_the_tenant_left_or_was_evicted(
    deployed: Any, parties: Parties, clock: ManualClock, process_id: str, outcome: str
) -> None:
    """§3 E: the Meldpunt signals zaak_afsluiten and records the outcome on F10; an eviction of
    a tenant who kept the conditions is recorded as such (CV-06, counted in the metrics)."""
    mp = party(parties, "meldpunt")
    case = to_plan(parties, process_id, ["schuldhulp"])
    with pytest.raises(Forbidden):  # a corporation cannot send this signal
        correlate_message(corporation(parties, process_id), case.reference, "zaak_afsluiten")
    db.session.rollback()
    case = correlate_message(mp, case.reference, "zaak_afsluiten")
    db.session.commit()
    case = do(mp, case, "Task_Afsluiting", uitkomst=outcome, voorwaarden_nagekomen="on")
    case = settle(parties, case)
    closed(case, outcome)
    recorded = view_case(mp, case.reference).data
    assert (recorded["uitkomst"], recorded["voorwaarden_nagekomen"]) == (outcome, True)
    assert codes(case)[-1] == "afgesloten"
    assert ("cancelled", "Task_IntakeSchuldhulp", "schuldhulp") in events(case)


# --- extreme nuisance -----------------------------------------------------------------------


@pytest.mark.parametrize("process_id", VARIANTS)
def test_extreme_nuisance_is_excluded_and_goes_to_oov(
    deployed: Any, parties: Parties, clock: ManualClock, process_id: str
) -> None:
    """CV-03, CV-22: excluded for extreme nuisance; the corporation is told at once; OOV
    assesses and takes the steps; the case closes as uitgesloten:overlast."""
    oov = party(parties, "oov")
    case = report(parties, process_id)
    case = do(party(parties, "meldpunt"), case, "Task_Triage", extreme_overlast="on")
    assert case.status == CASE_OPEN
    assert codes(case)[-1] == "afgesloten"
    case = do(oov, case, "Task_BeoordelingOverlast", woonoverlast_aanpak_nodig="on")
    case = do(oov, case, "Task_Waarschuwing", overlast_opgelost="on")
    case = settle(parties, case)
    closed(case, "uitgesloten:overlast")
    assert [a for role, a in created(case) if role == "oov"] == [
        "Task_BeoordelingOverlast",
        "Task_Waarschuwing",
    ]
    assert "Task_ContactLeggen" not in [a for _, a in created(case)]


# --- the covenant's own processes -----------------------------------------------------------


def test_yearly_evaluation_timer_fires_and_the_meeting_records_it(
    deployed: Any, parties: Parties, clock: ManualClock
) -> None:
    """CV-24: the waiting instance of jaarlijkse_evaluatie gives the evaluation meeting its task
    on 1 February (first in 2027, 09:00 Amsterdam), the meeting records it (no personal data),
    and the cycle waits for the next year."""
    ensure_scheduled_cases()
    db.session.commit()
    case = db.session.scalar(
        select(Case)
        .join(ProcessVersion, ProcessVersion.id == Case.process_version_id)
        .where(ProcessVersion.process_id == "jaarlijkse_evaluatie")
    )
    assert case is not None and case.next_timer_due == datetime(2027, 2, 1, 8, 0, tzinfo=UTC)
    advance(clock, case, datetime(2027, 2, 1, 12, tzinfo=UTC))
    task = task_named(case, "Task_Evaluatie")
    assert (task.role, task.form_key) == ("evaluatie", "evaluatie_review")
    assert task.due_at == datetime(2027, 3, 1, 8, 1, tzinfo=UTC)  # 4 weeks after the timer
    meeting = parties.user("chain_evaluatie", "convenant", "evaluatie")
    case = do(meeting, case, "Task_Evaluatie")
    assert case.status == CASE_OPEN and open_tasks(case) == []
    assert case.next_timer_due == datetime(2028, 2, 1, 8, 0, tzinfo=UTC)
    assert [(kind, act) for kind, act, _ in events(case)] == [
        ("case_started", None),
        ("timer_fired", "StartEvent_Jaarlijks"),
        ("created", "Task_Evaluatie"),
        ("claimed", "Task_Evaluatie"),
        ("completed", "Task_Evaluatie"),
    ]
