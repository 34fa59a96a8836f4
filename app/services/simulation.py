"""Synthetic cases through the real services on a virtual clock (demo and metrics data).

Arrivals are spread over the period in proportion to each corporation's housing stock;
every party works its tasks after a delay drawn per role (some deadlines are missed on
purpose); timers fire as the clock passes them. Nothing here bypasses the services.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.engine import ManualClock
from app.engine.workdays import add_working_days, is_working_day
from app.extensions import db
from app.forms.samples import sample
from app.models import CASE_OPEN, Case, HumanTask, Organisation, ProcessVersion, User
from app.services import clock as clock_service
from app.services.actors import Actor
from app.services.cases import correlate_message, start_case
from app.services.errors import Conflict, ServiceError
from app.services.tasks import claim_task, complete_task
from app.services.timers import fire_due_timers

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

#: median working days a party takes to pick up and finish a task, and the spread
#: (log-normal sigma). ASSUMPTION: demo figures chosen so that some deadlines are missed.
DEFAULT_DELAYS: dict[str, tuple[float, float]] = {
    "corporatie": (2.0, 0.7),
    "meldpunt": (1.5, 0.8),
    "schuldhulp": (4.0, 0.6),
    "sociale_zaken": (3.0, 0.6),
    "sociaal_domein": (4.0, 0.7),
    "oov": (3.0, 0.7),
    "regiehouder": (3.0, 0.5),
}

#: median hours a person works on a task once they have claimed it (log-normal sigma 0.8)
WORK_HOURS = 1.5

#: per open case and working day: the chance a party sends a signal (§3 D, §3 E).
#: ASSUMPTION: demo figures, so that every outcome and every signal appears in a simulated year.
DEFAULT_SIGNALS: dict[str, tuple[str, float]] = {
    "afspraken_niet_nagekomen": ("corporatie", 0.006),
    "ontruimingsvonnis": ("corporatie", 0.002),
    "zaak_afsluiten": ("meldpunt", 0.003),
}
#: what the Meldpunt records when it closes a case after a signal that the tenant left
CLOSING_OUTCOMES = (("vertrokken", 0.7), ("ontruimd", 0.3))

Progress = Callable[[int, int], None]


@dataclass
class _TaskStreams:
    """One random stream per task of a case (seed, case number, activity, occurrence), so
    the same household behaves the same in two runs on different diagrams (what-if)."""

    seed: int
    ordinal: dict[int, int] = field(default_factory=dict)
    seen: Counter[tuple[int, str]] = field(default_factory=Counter)
    rngs: dict[int, random.Random] = field(default_factory=dict)
    #: claimed tasks and when their worker is done with them
    finish: dict[int, datetime] = field(default_factory=dict)

    def for_task(self, task_id: int, case_id: int, activity_id: str) -> random.Random:
        if task_id not in self.rngs:
            number = self.seen[(case_id, activity_id)]
            self.seen[(case_id, activity_id)] += 1
            case = self.ordinal.get(case_id, case_id)
            self.rngs[task_id] = random.Random(f"{self.seed}/{case}/{activity_id}/{number}")
        return self.rngs[task_id]


@dataclass
class SimulationResult:
    """What a simulation run produced."""

    cases: int
    days: int
    start: datetime
    end: datetime
    outcomes: Counter[str] = field(default_factory=Counter)
    open_cases: int = 0
    tasks_completed: int = 0
    timers_fired: int = 0
    signals: Counter[str] = field(default_factory=Counter)
    rejected: list[str] = field(default_factory=list)

    @property
    def all_settled(self) -> bool:
        """Every case is closed or waiting (open with a task or timer), none broken."""
        return not self.rejected


def _sim_user(org: Organisation, role: str) -> Actor:
    username = f"sim-{org.key}-{role}"
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(
            username=username,
            display_name=f"Simulatie {org.name} ({role})",
            organisation_id=org.id,
            role=role,
            active=False,  # cannot sign in: exists only to act in simulations
        )
        db.session.add(user)
        db.session.flush()
    return Actor.of(user)


def _organisation_for_role(role: str) -> str:
    return {
        "meldpunt": "ggd",
        "schuldhulp": "gemeente",
        "sociale_zaken": "gemeente",
        "sociaal_domein": "gemeente",
        "oov": "gemeente",
        "regiehouder": "wijkteam",
    }[role]


def _party(role: str, corporation_id: int) -> Organisation | None:
    """The organisation that acts in a role on a case of the given corporation."""
    if role == "corporatie":
        return db.session.get(Organisation, corporation_id)
    return db.session.scalar(
        select(Organisation).where(Organisation.key == _organisation_for_role(role))
    )


def _deployed_corporations() -> list[Organisation]:
    deployed = set(db.session.scalars(select(ProcessVersion.process_id).distinct()))
    orgs = db.session.scalars(
        select(Organisation).where(Organisation.kind == "corporatie").order_by(Organisation.id)
    )
    return [o for o in orgs if o.process_id in deployed]


def _arrivals(
    rng: random.Random, corps: list[Organisation], cases: int, start: datetime, days: int
) -> list[tuple[datetime, Organisation]]:
    weights = [max(o.homes or 1, 1) for o in corps]
    arrivals = []
    for _ in range(cases):
        day = rng.randrange(days)
        local = datetime.combine(
            (start + timedelta(days=day)).astimezone(AMSTERDAM).date(),
            time(rng.randrange(8, 17), rng.randrange(60)),
            AMSTERDAM,
        )
        arrivals.append((local.astimezone(UTC), rng.choices(corps, weights)[0]))
    return sorted(arrivals, key=lambda a: a[0])


def simulate(
    *,
    cases: int,
    seed: int,
    days: int,
    start: datetime | None = None,
    knobs: Mapping[str, float] | None = None,
    delays: Mapping[str, tuple[float, float]] | None = None,
    settle_days: int = 45,
    progress: Progress | None = None,
) -> SimulationResult:
    """Run `cases` synthetic households through the covenant over `days` days."""
    if cases < 0 or days < 1:
        raise ValueError("cases must be >= 0 and days >= 1")
    rng = random.Random(seed)
    delay_table = {**DEFAULT_DELAYS, **(delays or {})}
    corps = _deployed_corporations()
    if not corps:
        raise ServiceError("Er is geen corporatieproces uitgerold om te simuleren.")
    begin = start or (datetime.now(UTC) - timedelta(days=days + settle_days + 1))
    begin = begin.astimezone(UTC).replace(hour=6, minute=0, second=0, microsecond=0)
    clock = ManualClock(begin)
    previous = clock_service.set_clock(clock)
    result = SimulationResult(cases=cases, days=days, start=begin, end=begin)
    actors: dict[tuple[int | None, str], Actor] = {}
    planned: dict[int, datetime] = {}
    case_data: dict[int, dict[str, Any]] = {}
    mine: list[int] = []
    streams = _TaskStreams(seed)
    try:
        arrivals = _arrivals(rng, corps, cases, begin, days)
        total_days = days + settle_days
        next_arrival = 0
        for day in range(total_days + 1):
            day_start = begin + timedelta(days=day)
            # hour by hour through the working day, so chains of tasks move on the same day
            for hour in range(0, 24, 2):
                moment = day_start + timedelta(hours=hour)
                clock.set(max(moment, clock.now()))
                while next_arrival < len(arrivals) and arrivals[next_arrival][0] <= moment:
                    at, corp = arrivals[next_arrival]
                    next_arrival += 1
                    clock.set(max(at, clock.now()))
                    actor = _actor(actors, corp, "corporatie")
                    today = clock.now().astimezone(AMSTERDAM).date()
                    data = sample("signalering", rng, today=today, knobs=knobs)
                    try:
                        case = start_case(actor, data)
                        db.session.commit()
                    except ServiceError as exc:
                        db.session.rollback()
                        result.rejected.append(f"start: {exc.message}")
                        continue
                    streams.ordinal[case.id] = len(mine)
                    mine.append(case.id)
                    case_data[case.id] = data
                result.timers_fired += fire_due_timers(limit=10_000)
                if hour == 8:
                    _signals(rng, result, actors, case_data, mine)
                _work(streams, clock, result, actors, planned, case_data, delay_table, knobs)
            if progress:
                progress(day + 1, total_days + 1)
        result.end = clock.now()
        _count_outcomes(result, mine)
    finally:
        clock_service.set_clock(previous)
    return result


def _signals(
    rng: random.Random,
    result: SimulationResult,
    actors: dict[tuple[int | None, str], Actor],
    case_data: dict[int, dict[str, Any]],
    mine: list[int],
) -> None:
    """Now and then a party signals an open case; a case not waiting for it ignores it."""
    if not mine or not is_working_day(clock_service.now().astimezone(AMSTERDAM).date()):
        return
    rows = db.session.execute(
        select(Case.id, Case.reference, Case.corporation_id).where(
            Case.status == CASE_OPEN, Case.id >= mine[0]
        )
    ).all()
    for case_id, reference, corporation_id in rows:
        for message, (role, chance) in DEFAULT_SIGNALS.items():
            if rng.random() >= chance:
                continue
            org = _party(role, corporation_id)
            if org is None:
                continue
            try:
                correlate_message(_actor(actors, org, role), reference, message)
                db.session.commit()
            except Conflict:
                db.session.rollback()  # not waiting for it now: nothing happened
                continue
            except ServiceError as exc:
                db.session.rollback()
                result.rejected.append(f"{message}: {exc.message}")
                continue
            result.signals[message] += 1
            if message == "zaak_afsluiten":
                outcomes = [name for name, _weight in CLOSING_OUTCOMES]
                weights = [weight for _name, weight in CLOSING_OUTCOMES]
                case_data.setdefault(case_id, {})["uitkomst"] = rng.choices(outcomes, weights)[0]
            break


def _actor(actors: dict[tuple[int | None, str], Actor], org: Organisation, role: str) -> Actor:
    key = (org.id, role)
    if key not in actors:
        actors[key] = _sim_user(org, role)
        db.session.commit()
    return actors[key]


def _work(
    streams: _TaskStreams,
    clock: ManualClock,
    result: SimulationResult,
    actors: dict[tuple[int | None, str], Actor],
    planned: dict[int, datetime],
    case_data: dict[int, dict[str, Any]],
    delays: Mapping[str, tuple[float, float]],
    knobs: Mapping[str, float] | None,
) -> None:
    now = clock.now()
    local = now.astimezone(AMSTERDAM)
    if not is_working_day(local.date()) or not 8 <= local.hour < 18:
        return
    rows = db.session.execute(
        select(
            HumanTask.id,
            HumanTask.case_id,
            HumanTask.role,
            HumanTask.created_at,
            Case.corporation_id,
            HumanTask.activity_id,
        )
        .join(Case, Case.id == HumanTask.case_id)
        .where(Case.status == CASE_OPEN)
        .order_by(HumanTask.id)
    ).all()
    for task_id, case_id, role, created_at, corporation_id, activity_id in rows:
        rng = streams.for_task(task_id, case_id, activity_id)
        if task_id not in planned:
            median, sigma = delays.get(role, (3.0, 0.6))
            workdays = rng.lognormvariate(math.log(median), sigma)
            whole = int(workdays)
            fraction = timedelta(hours=8 * (workdays - whole))
            planned[task_id] = add_working_days(created_at, whole) + fraction
        if planned[task_id] > now:
            continue
        org = _party(role, corporation_id)
        if org is None:
            continue
        actor = _actor(actors, org, role)
        row = db.session.get(HumanTask, task_id)
        if row is None:
            continue  # completed or cancelled by an earlier step this round
        if task_id not in streams.finish:  # picked up now, done later (waiting vs working)
            try:
                claim_task(actor, task_id)
                db.session.commit()
            except ServiceError as exc:
                db.session.rollback()
                result.rejected.append(f"{row.activity_id}: {exc.message}")
                continue
            hours = rng.lognormvariate(math.log(WORK_HOURS), 0.8)
            streams.finish[task_id] = now + timedelta(hours=hours)
        if streams.finish[task_id] > now:
            continue
        context = case_data.get(case_id, {})
        task_knobs = knobs
        if row.form_key == "afsluiting" and context.get("uitkomst") == "ontruimd":
            # an eviction in the demo is of a tenant who did not keep the conditions (CV-06)
            task_knobs = {**(knobs or {}), "voorwaarden_nagekomen": 0.0}
        data = sample(row.form_key or "", rng, case=context, today=local.date(), knobs=task_knobs)
        try:
            complete_task(actor, task_id, data)
            db.session.commit()
        except ServiceError as exc:
            db.session.rollback()
            result.rejected.append(f"{row.activity_id}: {exc.message}")
            continue
        context.update(data)
        result.tasks_completed += 1


def _count_outcomes(result: SimulationResult, ids: list[int]) -> None:
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        for status, outcome in db.session.execute(
            select(Case.status, Case.outcome).where(Case.id.in_(chunk))
        ):
            if status == CASE_OPEN:
                result.open_cases += 1
            else:
                result.outcomes[outcome or status] += 1
