"""The seven corporation variants (COVENANT.md §6, CV-25) end to end through the real services.

For every variant: eviction prevented (handover), arrears solved before a report, not in the
target group, one exclusion (CV-03), no contact (the 14-day timer) and no cooperation (CV-07).
Then each variant's own rules: its reporting threshold (CV-04, CV-12), the payment arrangement
that keeps a case below the threshold with the CV-13 signals that end it, Vestia's three-month
deadline, Woonzorg's senior adviser in parallel and Beter Wonen's last-chance agreement.
Each test asserts the outcome, the tasks each party saw (the roles of ``created`` events) and
the event log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from app.engine import ManualClock
from app.extensions import db
from app.models import CASE_CLOSED, CASE_OPEN, Case, CaseEvent, OutboxMessage, ProcessVersion
from app.services.actors import SYSTEM, Actor
from app.services.cases import correlate_message, may_see_case, start_case, view_case
from app.services.deployments import deploy, read_directory
from app.services.errors import InvalidInput
from app.services.tasks import complete_task, list_tasks
from app.services.timers import fire_due_timers
from tests.conftest import PROCESSES, Parties
from tests.scenarios.helpers import do, example, lifecycle, open_tasks, task_named

TODAY = "2026-03-02"  # the clock fixture's Monday
RENT = 745.50


@dataclass(frozen=True)
class Variant:
    """What a test needs to know of one corporation's diagram."""

    process_id: str
    #: the corporation's own user tasks before a report, in order
    own_steps: tuple[str, ...]
    #: the exclusion this variant's test uses (triage field, outcome)
    exclusion: tuple[str, str]
    #: months of arrears just below and at the reporting threshold
    below: float
    at: float
    #: whether a payment arrangement below the threshold keeps the case at the corporation
    waits_on_arrangement: bool = True
    #: own steps done before the report when the tenant is reached but nothing is solved
    report_after: int = 1
    extra_roles: frozenset[str] = field(default_factory=frozenset)


VARIANTS = {
    v.process_id: v
    for v in (
        Variant(
            "quawonen",
            ("Task_ContactCorporatie", "Task_Aanmaning", "Task_Huisbezoek"),
            ("opiumwet", "uitgesloten:opiumwet"),
            below=1,
            at=2,
            waits_on_arrangement=False,
        ),
        Variant(
            "groenwonenvlist",
            ("Task_Telefoongesprek",),
            ("onrechtmatige_bewoning", "uitgesloten:bewoning"),
            below=0.5,
            at=1,
        ),
        Variant(
            "beterwonen",
            ("Task_Betalingsregeling",),
            ("geen_verblijfsstatus", "uitgesloten:verblijfsstatus"),
            below=1.5,
            at=2,
        ),
        Variant(
            "samenwerking",
            ("Task_Herinnering", "Task_Aanmaning"),
            ("extreme_overlast", "uitgesloten:overlast"),
            below=1,
            at=1.5,
            report_after=2,
        ),
        Variant(
            "gouderak",
            ("Task_Contactpoging",),
            ("geen_legaal_inkomen", "uitgesloten:inkomen"),
            below=0.5,
            at=1,
        ),
        Variant(
            "woonzorg",
            ("Task_Contactpoging",),
            ("opiumwet", "uitgesloten:opiumwet"),
            below=0.5,
            at=1,
            extra_roles=frozenset({"sociaal_domein"}),
        ),
        Variant(
            "vestia",
            ("Task_Incassoteam",),
            ("onrechtmatige_bewoning", "uitgesloten:bewoning"),
            below=0.5,  # far enough from the 3-month deadline for two monthly checks
            at=2,
        ),
    )
}
ALL = sorted(VARIANTS)
WAITING = sorted(p for p, v in VARIANTS.items() if v.waits_on_arrangement)

#: the corporation's contact: tenant reached, nothing solved, no arrangement
NO_ARRANGEMENT = {
    "contactpoging_bereikt": True,
    "betalingsregeling_getroffen": False,
    "achterstand_opgelost": False,
}
ARRANGEMENT = {**NO_ARRANGEMENT, "betalingsregeling_getroffen": True}
SOLVED = {**NO_ARRANGEMENT, "achterstand_opgelost": True}
UNREACHED = {**NO_ARRANGEMENT, "contactpoging_bereikt": False}

#: the Meldpunt's path to a handover (no municipal services, to keep the variant in focus)
HANDOVER: dict[str, dict[str, Any]] = {
    "Task_ContactLeggen": {"contact_bereikt": True},
    "Task_Kwetsbaarheid": {"bereid_tot_medewerking": True},
    "Task_Plan": {"diensten": []},
}
MELDPUNT_PATH = ["Task_Triage", "Task_ContactLeggen", "Task_Kwetsbaarheid", "Task_Plan"]


# --- helpers --------------------------------------------------------------------------------

#: column values of the catalogue as ``deploy`` stored it the first time in this test run
_CATALOGUE: list[dict[str, Any]] = []
_COLUMNS = (
    "process_id", "name", "version", "content_hash", "sources", "spec_blob", "summary",
    "deployed_at", "deployment_name",
)  # fmt: skip


@pytest.fixture
def deployed(session: Any, parties: Parties) -> dict[str, ProcessVersion]:
    """The catalogue in processes/bpmn, deployed through the service once per test run and
    copied into each test's empty database after that (deploying lints and parses every file,
    which would make these ~100 tests slow; test_lint_catalogue checks the catalogue)."""
    if not _CATALOGUE:
        results = deploy(read_directory(PROCESSES), actor=SYSTEM)
        db.session.commit()
        _CATALOGUE.extend({c: getattr(r.version, c) for c in _COLUMNS} for r in results)
        return {r.version.process_id: r.version for r in results}
    versions = [ProcessVersion(**row) for row in _CATALOGUE]
    db.session.add_all(versions)
    db.session.commit()
    return {v.process_id: v for v in versions}


def corporation(parties: Parties, process_id: str) -> Actor:
    """A caseworker of the corporation whose variant this is (org key = process id)."""
    if process_id == "quawonen":
        return parties.quawonen
    return parties.user(f"corp_{process_id}", process_id, "corporatie")


def actor_for(parties: Parties, corp: Actor, role: str) -> Actor:
    users = {
        "corporatie": corp,
        "meldpunt": parties.meldpunt,
        "schuldhulp": parties.schuldhulp,
        "sociale_zaken": parties.user("sz", "gemeente", "sociale_zaken"),
        "sociaal_domein": parties.user("sd", "gemeente", "sociaal_domein"),
        "oov": parties.user("oov", "gemeente", "oov"),
        "regiehouder": parties.user("rh", "wijkteam", "regiehouder"),
    }
    return users[role]


def signal(months: float = 1, amount: float | None = None, **overrides: Any) -> dict[str, Any]:
    """The corporation's signal of today, with arrears of ``months`` of rent."""
    bedrag = round(months * RENT, 2) if amount is None else amount
    data = {
        "achterstand_maanden": str(months).replace(".", ","),
        "achterstand_bedrag": f"{bedrag:.2f}".replace(".", ","),
        "ontstaansdatum": "2026-01-01",
        "signaaldatum": TODAY,
        **overrides,
    }
    return example("signalering", **data)


def start(parties: Parties, process_id: str, **signal_data: Any) -> Case:
    case = start_case(corporation(parties, process_id), signal(**signal_data))
    db.session.commit()
    return case


def own_steps(parties: Parties, v: Variant, case: Case, answer: dict[str, Any]) -> Case:
    """Complete the corporation's own open steps with the same answer, in the diagram's order."""
    corp = corporation(parties, v.process_id)
    for _ in range(len(v.own_steps) + 1):
        step = next((t for t in open_tasks(case) if t.activity_id in v.own_steps), None)
        if step is None:
            return case
        case = do(corp, case, step.activity_id, **answer)
    return case


def report(parties: Parties, v: Variant, **signal_data: Any) -> Case:
    """Start, run the own steps without a solution and make the report (F1)."""
    case = own_steps(parties, v, start(parties, v.process_id, **signal_data), NO_ARRANGEMENT)
    assert "Task_Melding" in open_ids(case)
    return do(corporation(parties, v.process_id), case, "Task_Melding")


def drive(
    parties: Parties,
    v: Variant,
    case: Case,
    clock: ManualClock,
    answers: dict[str, dict[str, Any]] | None = None,
) -> Case:
    """Work every open task (oldest first) as its party would, letting time pass when only
    timers are left, until the case closes."""
    answers = answers or {}
    corp = corporation(parties, v.process_id)
    for _ in range(80):
        db.session.refresh(case)
        if not case.is_open:
            return case
        tasks = open_tasks(case)
        if tasks:
            task = tasks[0]
            actor = actor_for(parties, corp, task.role)
            case = do(actor, case, task.activity_id, **answers.get(task.activity_id, {}))
            continue
        assert case.next_timer_due is not None, "open case without task or timer"
        clock.set(max(clock.now(), case.next_timer_due) + timedelta(minutes=1))
        fire_due_timers()
    raise AssertionError(f"case did not close; open: {open_ids(case)}")


def open_ids(case: Case) -> list[str]:
    return [t.activity_id for t in open_tasks(case)]


def created(case: Case, role: str | None = None) -> list[str]:
    """Activity ids of the tasks created for the case, in order (optionally for one role)."""
    stmt = select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.lifecycle == "created")
    if role is not None:
        stmt = stmt.where(CaseEvent.role == role)
    return [e.activity_id or "" for e in db.session.scalars(stmt.order_by(CaseEvent.id))]


def roles_seen(case: Case) -> set[str]:
    events = db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.lifecycle == "created")
    )
    return {e.role or "" for e in events}


def in_order(items: list[Any], expected: list[Any]) -> bool:
    """Whether ``expected`` occurs in ``items`` in this order (other items may be between)."""
    rest = iter(items)
    return all(item in rest for item in expected)


def statuses(case: Case) -> list[str]:
    """The status labels queued for the corporation about this case (outbox)."""
    return [
        str(m.payload.get("label"))
        for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        if m.payload.get("case") == case.reference
    ]


def closes_with(case: Case, outcome: str) -> None:
    assert (case.status, case.outcome) == (CASE_CLOSED, outcome)
    assert open_tasks(case) == []
    log = lifecycle(case)
    assert log[0][0] == "case_started" and log[-1][0] == "case_closed"


# --- every variant, every outcome -----------------------------------------------------------
# Each outcome is its own case; one test per variant runs them side by side in one database
# (a database per outcome would multiply the set-up and clean-up time by six).


def eviction_prevented(parties: Parties, v: Variant, clock: ManualClock) -> None:
    """Own steps -> report (CV-12) -> suspension (CV-09) -> Meldpunt -> handover: voorkomen."""
    case = report(parties, v)
    assert case.status == CASE_OPEN
    case = drive(parties, v, case, clock, HANDOVER)
    closes_with(case, "voorkomen")
    assert created(case, "corporatie") == [*v.own_steps[: v.report_after], "Task_Melding"]
    assert in_order(created(case, "meldpunt"), [*MELDPUNT_PATH, "Task_Overdracht"])
    assert {"corporatie", "meldpunt"} | v.extra_roles <= roles_seen(case)
    log = lifecycle(case)
    assert in_order(log, [("completed", "Task_Melding"), ("completed", "Task_Overdracht")])
    assert "Incasso opgeschort" in statuses(case)  # CV-09, recorded with its date
    assert statuses(case)[-1] == "Overgedragen aan regiehouder"


def solved_before_report(parties: Parties, v: Variant, clock: ManualClock) -> None:
    """The corporation's first own step solves the arrears: opgelost, no report (§3 A2)."""
    case = start(parties, v.process_id)
    case = do(corporation(parties, v.process_id), case, v.own_steps[0], **SOLVED)
    case = drive(parties, v, case, clock)  # Woonzorg: the senior adviser finishes too
    closes_with(case, "opgelost")
    assert created(case, "corporatie") == [v.own_steps[0]]
    assert roles_seen(case) == {"corporatie"} | v.extra_roles
    assert statuses(case) == []  # nothing went to the Meldpunt, nothing came back


def not_in_target_group(parties: Parties, v: Variant, clock: ManualClock) -> None:
    """CV-01: a household that can solve it alone is not in the target group."""
    case = report(parties, v)
    case = do(parties.meldpunt, case, "Task_Triage", kan_zelf_oplossen=True)
    case = drive(parties, v, case, clock)
    closes_with(case, "geen_doelgroep")
    assert created(case, "meldpunt") == ["Task_Triage"]
    assert roles_seen(case) == {"corporatie", "meldpunt"} | v.extra_roles
    assert statuses(case)[-1] == "Afgesloten"


def excluded(parties: Parties, v: Variant, clock: ManualClock) -> None:
    """CV-03: an exclusion ends the case with its own outcome; the corporation hears the status."""
    field_name, outcome = v.exclusion
    case = report(parties, v)
    case = do(parties.meldpunt, case, "Task_Triage", **{field_name: True})
    case = drive(parties, v, case, clock)
    closes_with(case, outcome)
    assert created(case, "meldpunt")[0] == "Task_Triage"
    assert "Task_ContactLeggen" not in created(case)
    assert ("completed", "Task_Triage") in lifecycle(case)


def no_cooperation(parties: Parties, v: Variant, clock: ManualClock) -> None:
    """CV-07: the tenant will not cooperate; the protection ends."""
    case = report(parties, v)
    case = drive(
        parties, v, case, clock,
        {"Task_ContactLeggen": {"contact_bereikt": True},
         "Task_Kwetsbaarheid": {"bereid_tot_medewerking": False}},
    )  # fmt: skip
    closes_with(case, "geen_medewerking")
    assert in_order(created(case, "meldpunt"), MELDPUNT_PATH[:3])
    assert "Task_Plan" not in created(case)
    assert statuses(case)[-1] == "Geen medewerking"


def no_contact(parties: Parties, v: Variant, clock: ManualClock) -> None:
    """Fourteen days without contact: the Meldpunt's boundary timer ends it (geen_contact)."""
    case = report(parties, v)
    case = do(parties.meldpunt, case, "Task_Triage")
    clock.advance(days=8)
    fire_due_timers()  # the working-day escalation to the team lead comes first
    db.session.refresh(case)
    assert "Task_EscalatieContact" in open_ids(case)
    clock.advance(days=7)
    fire_due_timers()
    case = drive(parties, v, case, clock)
    closes_with(case, "geen_contact")
    log = lifecycle(case)
    fired = [("timer_fired", "Timer_ContactTeLaat"), ("timer_fired", "Timer_GeenContact")]
    assert in_order(log, fired)
    assert ("cancelled", "Task_ContactLeggen") in log
    assert statuses(case)[-1] == "Geen contact"


#: the outcomes every variant reaches; those that let time pass come last
OUTCOMES = (
    solved_before_report, not_in_target_group, excluded, no_cooperation, eviction_prevented,
    no_contact,
)  # fmt: skip


@pytest.mark.parametrize("process_id", ALL)
def test_every_outcome(
    deployed: Any, parties: Parties, clock: ManualClock, process_id: str
) -> None:
    """Eviction prevented, solved before a report, not in the target group, an exclusion, no
    cooperation and no contact, each as its own case of this corporation's variant."""
    for outcome in OUTCOMES:
        outcome(parties, VARIANTS[process_id], clock)
    cases = db.session.scalars(select(Case).order_by(Case.id)).all()
    assert [c.outcome for c in cases] == [
        "opgelost", "geen_doelgroep", VARIANTS[process_id].exclusion[1], "geen_medewerking",
        "voorkomen", "geen_contact",
    ]  # fmt: skip


# --- reporting thresholds (CV-04, CV-12, CV-13) ---------------------------------------------


@pytest.mark.parametrize("process_id", ALL)
def test_reporting_threshold(
    deployed: Any, parties: Parties, clock: ManualClock, process_id: str
) -> None:
    """At the threshold the corporation reports after its first step, even with a payment
    arrangement (CV-04). Below it an arrangement keeps the case at the corporation, which
    checks it a month later (CV-11); a tenant who cannot be reached is always reported (CV-13)."""
    v = VARIANTS[process_id]
    at = own_steps(parties, v, start(parties, process_id, months=v.at), ARRANGEMENT)
    assert "Task_Melding" in open_ids(at)
    assert created(at, "corporatie") == [v.own_steps[0], "Task_Melding"]

    unreached = own_steps(parties, v, start(parties, process_id, months=v.below), UNREACHED)
    assert "Task_Melding" in open_ids(unreached)
    assert created(unreached, "corporatie") == [*v.own_steps, "Task_Melding"]
    assert in_order(lifecycle(unreached), [("completed", step) for step in v.own_steps])

    kept = own_steps(parties, v, start(parties, process_id, months=v.below), ARRANGEMENT)
    if v.waits_on_arrangement:
        assert kept.status == CASE_OPEN
        assert "Task_Melding" not in created(kept)
        assert open_ids(kept) == (["Task_Senioradviseur"] if v.extra_roles else [])
        assert kept.next_timer_due is not None
        assert timedelta(days=28) <= kept.next_timer_due - clock.now() <= timedelta(days=31)
    else:  # QuaWonen: a tenant who responds without solving it is reported at once (CV-12)
        assert created(kept, "corporatie") == [v.own_steps[0], "Task_Melding"]


def test_samenwerking_threshold_is_months_or_amount(
    deployed: Any, parties: Parties, clock: ManualClock
) -> None:
    """Samenwerking reports at 1.5 months or €750 of arrears, whichever comes first."""
    corp = corporation(parties, "samenwerking")
    for months, amount, next_task in [
        (1, 745.50, "Task_Aanmaning"),  # below both: the demand letter follows
        (1, 760.00, "Task_Melding"),  # €750 or more: report at once
        (1.5, 1118.25, "Task_Melding"),  # 1.5 months: report at once
    ]:
        case = start(parties, "samenwerking", months=months, amount=amount)
        case = do(corp, case, "Task_Herinnering", **NO_ARRANGEMENT)
        assert open_ids(case) == [next_task], (months, amount)


# --- the payment arrangement and its signals (CV-11, CV-13) ---------------------------------


@pytest.mark.parametrize("process_id", WAITING)
def test_arrangement_checked_monthly_then_broken(
    deployed: Any, parties: Parties, clock: ManualClock, process_id: str
) -> None:
    """A month on, the corporation checks the arrangement; kept: another month; broken: the
    report follows (CV-13)."""
    v = VARIANTS[process_id]
    corp = corporation(parties, process_id)
    case = own_steps(parties, v, start(parties, process_id, months=v.below), ARRANGEMENT)
    for kept in (True, False):
        assert case.next_timer_due is not None
        clock.set(case.next_timer_due + timedelta(minutes=1))
        fire_due_timers()
        db.session.refresh(case)
        assert "Task_RegelingControleren" in open_ids(case)
        answer = ARRANGEMENT if kept else NO_ARRANGEMENT
        case = do(corp, case, "Task_RegelingControleren", **answer)
    assert "Task_Melding" in open_ids(case)
    fired = [e for e in lifecycle(case) if e == ("timer_fired", "Timer_RegelingControleren")]
    assert len(fired) == 2
    assert created(case, "corporatie")[-1] == "Task_Melding"


@pytest.mark.parametrize("process_id", WAITING)
def test_signals_during_the_arrangement(
    deployed: Any, parties: Parties, clock: ManualClock, process_id: str
) -> None:
    """While an arrangement runs: a broken agreement or a judgment means a report (CV-13; Beter
    Wonen first offers its last chance); arrears paid close the case without one."""
    v = VARIANTS[process_id]
    corp = corporation(parties, process_id)
    judgment_first = "Task_LaatsteKans" if process_id == "beterwonen" else "Task_Melding"
    for message, expected in [
        ("afspraken_niet_nagekomen", "Task_Melding"),
        ("ontruimingsvonnis", judgment_first),
        ("achterstand_opgelost", None),
    ]:
        case = own_steps(parties, v, start(parties, process_id, months=v.below), ARRANGEMENT)
        case = correlate_message(corp, case.reference, message)
        db.session.commit()
        log = lifecycle(case)
        assert ("message", None) in log, message
        if expected is None:
            case = drive(parties, v, case, clock)
            closes_with(case, "opgelost")
            assert "Task_Melding" not in created(case)
        else:
            assert expected in open_ids(case), message
            assert case.next_timer_due is None  # the monthly check no longer waits


# --- Vestia: report no later than three months of arrears (CV-04) ---------------------------


def test_vestia_reports_no_later_than_three_months(
    deployed: Any, parties: Parties, clock: ManualClock
) -> None:
    """A kept arrangement does not hold the case past three months of arrears: the deadline
    timer (signal + (3 - 1) x 30 days) interrupts the collection desk and the report follows."""
    corp = corporation(parties, "vestia")
    case = start(parties, "vestia", months=1)
    started = clock.now()
    case = do(corp, case, "Task_Incassoteam", **ARRANGEMENT)
    for _ in range(2):  # two monthly checks, both kept
        assert case.next_timer_due is not None
        clock.set(case.next_timer_due + timedelta(minutes=1))
        fire_due_timers()
        db.session.refresh(case)
        if "Task_Melding" in open_ids(case):
            break
        case = do(corp, case, "Task_RegelingControleren", **ARRANGEMENT)
    assert "Task_Melding" in open_ids(case)
    log = lifecycle(case)
    assert ("timer_fired", "Boundary_UitersteMeldtermijn") in log
    fired = db.session.scalar(
        select(CaseEvent.at).where(
            CaseEvent.case_id == case.id, CaseEvent.activity_id == "Boundary_UitersteMeldtermijn"
        )
    )
    assert fired is not None and timedelta(days=60) <= fired - started <= timedelta(days=61)
    assert "Task_RegelingControleren" not in open_ids(case)


def test_vestia_old_signal_reports_at_once(
    deployed: Any, parties: Parties, clock: ManualClock
) -> None:
    """A signal of three months ago with one month of arrears then: the deadline has passed,
    so the report is due at once, before any step of the collection desk."""
    case = start(
        parties, "vestia", months=1, signaaldatum="2025-12-01", ontstaansdatum="2025-11-01"
    )
    assert open_ids(case) == ["Task_Melding"]
    assert created(case) == ["Task_Melding"]
    assert case.next_timer_due is None


# --- Woonzorg Nederland: the senior adviser in parallel -------------------------------------

#: the senior adviser's assessment (form senioradvies): seen, a home visit, support needed
SENIOR_ADVICE = {
    "senioradvies_gezien": "ja",
    "senioradvies_huisbezoek_gepland": "2026-03-09",
    "senioradvies_ondersteuning_nodig": "ja",
    "senioradvies_toelichting": "Huurder overziet de post niet meer; hulp via de Wmo.",
}


def test_woonzorg_informs_the_senior_adviser_in_parallel(
    deployed: Any, parties: Parties, clock: ManualClock
) -> None:
    """Sociaal Domein's senior adviser gets a task next to the corporation's contact attempt;
    only Sociaal Domein sees it, and the report does not wait for it (CV-21)."""
    corp = corporation(parties, "woonzorg")
    adviser = parties.user("sd", "gemeente", "sociaal_domein")
    case = start(parties, "woonzorg")
    assert sorted(open_ids(case)) == ["Task_Contactpoging", "Task_Senioradviseur"]
    assert created(case, "sociaal_domein") == ["Task_Senioradviseur"]
    assert [t.activity_id for t in list_tasks(adviser).tasks] == ["Task_Senioradviseur"]
    assert [t.activity_id for t in list_tasks(corp).tasks] == ["Task_Contactpoging"]
    assert list_tasks(corporation(parties, "gouderak")).total == 0
    assert may_see_case(adviser, case)
    case = do(corp, case, "Task_Contactpoging", **NO_ARRANGEMENT)
    assert sorted(open_ids(case)) == ["Task_Melding", "Task_Senioradviseur"]
    task_id = task_named(case, "Task_Senioradviseur").id
    with pytest.raises(InvalidInput) as refused:  # not confirmed as seen: nothing changes
        complete_task(adviser, task_id, {"senioradvies_ondersteuning_nodig": "ja"})
    assert set(refused.value.errors) == {"senioradvies_gezien", "senioradvies_toelichting"}
    db.session.rollback()
    assert sorted(open_ids(case)) == ["Task_Melding", "Task_Senioradviseur"]
    case = do(adviser, case, "Task_Senioradviseur", **SENIOR_ADVICE)
    assert open_ids(case) == ["Task_Melding"]
    # The assessment is for Sociaal Domein and the Meldpunt, never the corporation (§7, CV-23).
    advice = {"senioradvies_gezien": True, "senioradvies_ondersteuning_nodig": True}
    assert advice.items() <= view_case(adviser, case.reference).data.items()
    assert advice.items() <= view_case(parties.meldpunt, case.reference).data.items()
    assert not any(name.startswith("senioradvies_") for name in view_case(corp, case.id).data)
    completed = [
        (e.activity_id, e.role)
        for e in db.session.scalars(
            select(CaseEvent).where(
                CaseEvent.case_id == case.id, CaseEvent.lifecycle == "completed"
            )
        )
    ]
    assert ("Task_Senioradviseur", "sociaal_domein") in completed


# --- Beter Wonen: the last-chance agreement after a judgment --------------------------------

JUDGMENT = {
    "reden_melding": "ontruimingsvonnis",
    "incassofase": "vonnis",
    "vonnis": "ja",
    "vonnisdatum": "2026-02-20",
    "ontruimingsdatum": "2026-04-15",
}
#: the last-chance agreement (form laatste_kans) signed on the day of the offer, for 12 months
SIGNED = {
    "laatste_kans_getekend": "ja",
    "laatste_kans_start": TODAY,
    "laatste_kans_eind": "2027-03-01",
    "laatste_kans_voorwaarden": "Lopende huur op tijd, € 100 per maand aflossen, meewerken.",
}
#: the tenant does not sign: no period (blank inputs), the offered conditions kept
UNSIGNED = {
    **SIGNED,
    "laatste_kans_getekend": "nee",
    "laatste_kans_start": "",
    "laatste_kans_eind": "",
}
#: a year on, the agreement as signed with the corporation's verdict
EVALUATED = {
    **SIGNED,
    "laatste_kans_voorwaarden": f"{SIGNED['laatste_kans_voorwaarden']} Evaluatie: nagekomen.",
}


def test_beterwonen_last_chance_agreement_runs_twelve_months(
    deployed: Any, parties: Parties, clock: ManualClock
) -> None:
    """After a judgment Beter Wonen offers a 12-month last-chance agreement and reports at once
    (CV-13); the case closes only when the 12 months are over and evaluated."""
    v = VARIANTS["beterwonen"]
    corp = corporation(parties, "beterwonen")
    case = own_steps(parties, v, start(parties, "beterwonen", months=1.5), ARRANGEMENT)
    case = correlate_message(corp, case.reference, "ontruimingsvonnis")
    db.session.commit()
    signed = clock.now()
    assert task_named(case, "Task_LaatsteKans").form_key == "laatste_kans"
    case = do(corp, case, "Task_LaatsteKans", **SIGNED)
    assert open_ids(case) == ["Task_Melding"]
    assert case.next_timer_due is not None
    assert timedelta(days=364) <= case.next_timer_due - signed <= timedelta(days=366)
    agreement = view_case(parties.meldpunt, case.reference).data  # the Meldpunt reads it (§7)
    assert (agreement["laatste_kans_getekend"], agreement["laatste_kans_eind"]) == (
        True,
        "2027-03-01",
    )
    case = do(corp, case, "Task_Melding", **JUDGMENT)
    case = drive(parties, v, case, clock, {**HANDOVER, "Task_LaatsteKansEvalueren": EVALUATED})
    closes_with(case, "voorkomen")
    voorwaarden = view_case(corp, case.reference).data["laatste_kans_voorwaarden"]
    assert voorwaarden.endswith("Evaluatie: nagekomen.")
    log = lifecycle(case)
    assert in_order(
        log,
        [
            ("completed", "Task_LaatsteKans"),
            ("completed", "Task_Overdracht"),
            ("timer_fired", "Timer_LaatsteKans"),
            ("completed", "Task_LaatsteKansEvalueren"),
            ("case_closed", None),
        ],
    )
    assert case.closed_at is not None and case.closed_at - signed >= timedelta(days=365)
    assert created(case, "corporatie") == [
        "Task_Betalingsregeling", "Task_LaatsteKans", "Task_Melding", "Task_LaatsteKansEvalueren",
    ]  # fmt: skip


def test_beterwonen_unsigned_last_chance_still_reports(
    deployed: Any, parties: Parties, clock: ManualClock
) -> None:
    """The tenant does not sign: no 12-month term, but the report follows (CV-13)."""
    v = VARIANTS["beterwonen"]
    corp = corporation(parties, "beterwonen")
    case = own_steps(parties, v, start(parties, "beterwonen", months=1.5), ARRANGEMENT)
    case = correlate_message(corp, case.reference, "ontruimingsvonnis")
    db.session.commit()
    task_id = task_named(case, "Task_LaatsteKans").id
    with pytest.raises(InvalidInput) as refused:  # a period without a signature: nothing changes
        complete_task(corp, task_id, {**UNSIGNED, "laatste_kans_eind": "2027-03-01"})
    assert list(refused.value.errors) == ["laatste_kans_getekend"]
    db.session.rollback()
    assert open_ids(case) == ["Task_LaatsteKans"]
    case = do(corp, case, "Task_LaatsteKans", **UNSIGNED)
    assert open_ids(case) == ["Task_Melding"]
    assert case.next_timer_due is None
    offered = view_case(corp, case.reference).data
    assert (offered["laatste_kans_getekend"], offered["laatste_kans_eind"]) == (False, None)
    case = do(corp, case, "Task_Melding", **JUDGMENT)
    case = drive(parties, v, case, clock, HANDOVER)
    closes_with(case, "voorkomen")
    assert "Timer_LaatsteKans" not in [a for _, a in lifecycle(case)]


# --- the catalogue --------------------------------------------------------------------------


def test_every_corporation_has_its_variant(deployed: Any, parties: Parties) -> None:
    """CV-25: one process per corporation, named after it, started by the signal form."""
    for org in parties.orgs.values():
        if org.kind != "corporatie":
            continue
        version = deployed[org.process_id]
        assert version.name.startswith("Voorkomen huisuitzetting — ")
        assert version.summary["start_form"] == "signalering"
    assert set(VARIANTS) == {o.process_id for o in parties.orgs.values() if o.kind == "corporatie"}
