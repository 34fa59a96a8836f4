"""Keep the metric tables in step with the event log, incrementally (read position stored).

``refresh()`` reads the events after the stored position, in id order and in batches, and
folds them into one row per task (``metric_tasks``), per case (``metric_cases``), per case
step (``metric_case_steps``) and per case and party (``metric_presence``). Each event is read
once, ever. The months whose rows changed then get their per-month cells recomputed
(``cells``): the dashboard adds up those cells rather than scanning every row.

Case facts that live in the workflow data rather than in the log (arrears at the report,
children yes/no, conditions kept) are read when the case is reported and when it closes,
through ``read_facts`` (by default: the case's own runtime data, logged in the audit log as
a read for the metrics). Only those few non-personal values are stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from app.engine.workdays import working_days_between
from app.extensions import db
from app.models import (
    Case,
    CaseEvent,
    MetricCase,
    MetricCaseStep,
    MetricPresence,
    MetricState,
    MetricTask,
    ProcessVersion,
)
from app.services.clock import now
from app.services.metrics import cells
from app.services.metrics.cells import Touched
from app.services.metrics.periods import AMSTERDAM
from app.services.metrics.steps import StepMap, current_step_map, step_config

log = logging.getLogger(__name__)

STATE_NAME = "metrics"
BATCH_SIZE = 50_000
_CHUNK = 900  # ids per IN (...) list, below SQLite's variable limit

#: task lifecycles folded into metric_tasks
_TASK_EVENTS = frozenset({"created", "claimed", "assigned", "completed", "cancelled"})


@dataclass(frozen=True)
class CaseFacts:
    """The few workflow values the metrics need; none identifies the household."""

    arrears_amount: float | None = None
    arrears_months: float | None = None
    children: bool | None = None
    conditions_kept: bool | None = None
    priority: str | None = None


FactsReader = Callable[[Sequence[int]], dict[int, CaseFacts]]
Progress = Callable[[int], None]


@dataclass
class RefreshResult:
    """What one refresh read and wrote."""

    events: int = 0
    tasks_created: int = 0
    cases_created: int = 0
    facts_read: int = 0
    last_event_id: int = 0
    #: months whose per-month cells were recomputed
    months_rebuilt: int = 0


@dataclass
class _Batch:
    """Rows touched by one batch: loaded or new, and which changed."""

    cases: dict[int, dict[str, Any]] = field(default_factory=dict)
    new_cases: set[int] = field(default_factory=set)
    dirty_cases: set[int] = field(default_factory=set)
    tasks: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict)
    new_tasks: set[tuple[int, str]] = field(default_factory=set)
    dirty_tasks: set[tuple[int, str]] = field(default_factory=set)
    presence: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict)
    new_presence: set[tuple[int, str]] = field(default_factory=set)
    dirty_presence: set[tuple[int, str]] = field(default_factory=set)
    steps: dict[tuple[int, str], datetime] = field(default_factory=dict)
    new_steps: set[tuple[int, str]] = field(default_factory=set)
    stored_steps: set[tuple[int, str]] = field(default_factory=set)
    need_facts: set[int] = field(default_factory=set)
    touched: Touched = field(default_factory=Touched)


def refresh(
    *,
    batch_size: int = BATCH_SIZE,
    read_facts: FactsReader | None = None,
    progress: Progress | None = None,
) -> RefreshResult:
    """Fold every event not yet read into the metric tables (CV-24: the meeting's source)."""
    state = _lock_state()
    step_map: StepMap | None = None  # built only when there is something to read
    anchor = step_config().anchor
    result = RefreshResult(last_event_id=state.last_event_id)
    need_facts: set[int] = set()
    touched = Touched()
    open_tasks: dict[tuple[int, str], dict[str, Any]] | None = None
    while True:
        events = db.session.execute(
            select(
                CaseEvent.id,
                CaseEvent.case_id,
                CaseEvent.at,
                CaseEvent.lifecycle,
                CaseEvent.activity_id,
                CaseEvent.activity_name,
                CaseEvent.role,
                CaseEvent.task_id,
                CaseEvent.details,
            )
            .where(CaseEvent.id > result.last_event_id)
            .order_by(CaseEvent.id)
            .limit(batch_size)
        ).all()
        if not events:
            break
        step_map = step_map or current_step_map()
        if open_tasks is None:
            open_tasks = _open_tasks()  # carried across batches: only open tasks change
        batch = _apply(events, step_map, anchor, open_tasks)
        result.events += len(events)
        result.tasks_created += len(batch.new_tasks)
        result.cases_created += len(batch.new_cases)
        need_facts |= batch.need_facts
        touched.update(batch.touched)
        result.last_event_id = int(events[-1][0])
        if progress:
            progress(result.events)
    if need_facts:
        result.facts_read = _store_facts(sorted(need_facts), read_facts or read_case_facts, touched)
    if touched:
        result.months_rebuilt = cells.rebuild(touched)
    state.last_event_id = result.last_event_id
    state.updated_at = now()
    db.session.flush()
    return result


def _lock_state() -> MetricState:
    """The read position, locked for this transaction so that refreshes never overlap."""
    if db.session.get(MetricState, STATE_NAME) is None:
        try:
            with db.session.begin_nested():
                db.session.add(MetricState(name=STATE_NAME, last_event_id=0))
        except IntegrityError:
            pass  # another refresh created it first
    db.session.execute(
        update(MetricState)
        .where(MetricState.name == STATE_NAME)
        .values(updated_at=now())
        .execution_options(synchronize_session=False)
    )
    state = db.session.scalar(
        select(MetricState)
        .where(MetricState.name == STATE_NAME)
        .execution_options(populate_existing=True)
    )
    assert state is not None
    return state


# -- folding one batch ------------------------------------------------------------------


def _apply(
    events: Sequence[Any],
    step_map: StepMap,
    anchor: str,
    open_tasks: dict[tuple[int, str], dict[str, Any]],
) -> _Batch:
    batch = _Batch(tasks=open_tasks)
    case_ids = {int(e[1]) for e in events}
    _load_cases(batch, case_ids, events)
    _load_presence(batch, case_ids)
    _load_steps(batch, case_ids)
    for _id, case_id, at, lifecycle, activity_id, name, role, task_id, details in events:
        case = batch.cases.get(case_id)
        if case is None:
            continue  # an event of a case that no longer exists
        if lifecycle == "case_started":
            start_step = step_map.by_start.get(case.get("process_id") or "")
            if start_step:
                _reach_step(batch, case, start_step, at, anchor)
        elif lifecycle == "case_closed":
            case["closed_at"] = at
            case["outcome"] = (details or {}).get("outcome") if isinstance(details, dict) else None
            batch.dirty_cases.add(case_id)
            batch.need_facts.add(case_id)
        elif lifecycle in _TASK_EVENTS and task_id:
            _apply_task(batch, case, lifecycle, at, activity_id, name, role, task_id, details)
            if lifecycle == "completed":
                step = step_map.step_of(activity_id)
                if step:
                    _reach_step(batch, case, step, at, anchor)
    _write(batch)
    for key in batch.dirty_tasks | batch.new_tasks:
        task = open_tasks.get(key)
        if task is not None and (task["completed_at"] or task["cancelled_at"]):
            del open_tasks[key]
    return batch


def _apply_task(
    batch: _Batch,
    case: dict[str, Any],
    lifecycle: str,
    at: datetime,
    activity_id: str | None,
    name: str | None,
    role: str | None,
    task_id: str,
    details: Any,
) -> None:
    key = (case["case_id"], task_id)
    task = batch.tasks.get(key)
    if lifecycle == "created":
        if task is not None:
            return  # already folded (a replayed event)
        batch.tasks[key] = {
            "case_id": case["case_id"],
            "task_id": task_id,
            "activity_id": (activity_id or "?")[:100],
            "activity_name": name,
            "role": role,
            "corporation_id": case["corporation_id"],
            "created_at": at,
            "due_at": _due(details),
            "claimed_at": None,
            "completed_at": None,
            "cancelled_at": None,
            "late_workdays": None,
            "wait_s": None,
            "work_s": None,
            "open_s": None,
            "completed_month": None,
        }
        batch.new_tasks.add(key)
        _presence_open(batch, case, role, at)
        return
    if task is None or task["completed_at"] or task["cancelled_at"]:
        return  # a task from before the projection existed, or already ended
    if lifecycle in ("claimed", "assigned"):
        if task["claimed_at"] is None:
            task["claimed_at"] = at
    elif lifecycle == "completed":
        task["completed_at"] = at
        taken = task["claimed_at"] or at
        task["wait_s"] = _seconds(task["created_at"], taken)
        task["work_s"] = _seconds(taken, at)
        task["open_s"] = _seconds(task["created_at"], at)
        task["completed_month"] = month_of(at)
        batch.touched.tasks.add(task["completed_month"])
        due = task["due_at"]
        if due is not None:
            task["late_workdays"] = working_days_between(due, at) if at > due else 0
        _presence_close(batch, task["role"], case["case_id"], at)
    elif lifecycle == "cancelled":
        task["cancelled_at"] = at
        _presence_close(batch, task["role"], case["case_id"], at)
    batch.dirty_tasks.add(key)


def month_of(moment: datetime) -> int:
    """The Amsterdam calendar month of a moment as YYYYMM."""
    local = moment.astimezone(AMSTERDAM)
    return local.year * 100 + local.month


def _seconds(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None or end < start:
        return None
    return int((end - start).total_seconds())


def _due(details: Any) -> datetime | None:
    if not isinstance(details, dict) or not details.get("due_at"):
        return None
    try:
        moment = datetime.fromisoformat(str(details["due_at"]))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _presence_open(batch: _Batch, case: dict[str, Any], role: str | None, at: datetime) -> None:
    if not role:
        return
    key = (case["case_id"], role)
    row = batch.presence.get(key)
    if row is None:
        batch.presence[key] = {
            "case_id": case["case_id"],
            "role": role,
            "corporation_id": case["corporation_id"],
            "started_at": at,
            "ended_at": None,
            "open_tasks": 1,
        }
        batch.new_presence.add(key)
        return
    row["open_tasks"] += 1
    row["ended_at"] = None
    batch.dirty_presence.add(key)


def _presence_close(batch: _Batch, role: str | None, case_id: int, at: datetime) -> None:
    row = batch.presence.get((case_id, role)) if role else None
    if row is None:
        return
    row["open_tasks"] = max(0, row["open_tasks"] - 1)
    if row["open_tasks"] == 0:
        row["ended_at"] = at
    batch.dirty_presence.add((case_id, str(role)))


def _reach_step(batch: _Batch, case: dict[str, Any], step: str, at: datetime, anchor: str) -> None:
    key = (case["case_id"], step)
    if key in batch.steps:
        if batch.steps[key] <= at:
            return
        batch.touched.steps.add(month_of(batch.steps[key]))  # the cell it leaves
    batch.steps[key] = at
    batch.new_steps.add(key)
    batch.touched.steps.add(month_of(at))
    if step == anchor and case.get("reported_at") is None:
        case["reported_at"] = at
        case["reported_month"] = month_of(at)
        batch.touched.cases.add(case["reported_month"])
        batch.dirty_cases.add(case["case_id"])
        batch.need_facts.add(case["case_id"])


# -- loading and writing ------------------------------------------------------------------


def _chunks(items: Iterable[Any], size: int = _CHUNK) -> Iterable[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_CASES = MetricCase.metadata.tables["metric_cases"]
_TASKS = MetricTask.metadata.tables["metric_tasks"]
_PRESENCE = MetricPresence.metadata.tables["metric_presence"]
_STEPS = MetricCaseStep.metadata.tables["metric_case_steps"]
_CASE_COLUMNS = [c.name for c in MetricCase.__table__.columns]
_TASK_COLUMNS = [c.name for c in MetricTask.__table__.columns]
_PRESENCE_COLUMNS = [c.name for c in MetricPresence.__table__.columns]


def _load_cases(batch: _Batch, case_ids: set[int], events: Sequence[Any]) -> None:
    table = _CASES
    for chunk in _chunks(sorted(case_ids)):
        for row in db.session.execute(select(table).where(table.c.case_id.in_(chunk))):
            batch.cases[row.case_id] = dict(row._mapping)
    started = {int(e[1]): e[2] for e in events if e[3] == "case_started"}
    missing = [cid for cid in case_ids if cid not in batch.cases]
    for chunk in _chunks(sorted(missing)):
        rows = db.session.execute(
            select(Case.id, Case.corporation_id, Case.created_at, ProcessVersion.process_id)
            .join(ProcessVersion, ProcessVersion.id == Case.process_version_id)
            .where(Case.id.in_(chunk))
        )
        for case_id, corporation_id, created_at, process_id in rows:
            batch.cases[case_id] = {
                **dict.fromkeys(_CASE_COLUMNS),
                "case_id": case_id,
                "corporation_id": corporation_id,
                "process_id": process_id,
                "started_at": started.get(case_id, created_at),
            }
            batch.new_cases.add(case_id)


def _open_tasks() -> dict[tuple[int, str], dict[str, Any]]:
    """Tasks not yet completed or cancelled: the only ones later events can change."""
    table = _TASKS
    stmt = select(table).where(table.c.completed_at.is_(None), table.c.cancelled_at.is_(None))
    return {(row.case_id, row.task_id): dict(row._mapping) for row in db.session.execute(stmt)}


def _load_presence(batch: _Batch, case_ids: set[int]) -> None:
    table = _PRESENCE
    for chunk in _chunks(sorted(case_ids)):
        for row in db.session.execute(select(table).where(table.c.case_id.in_(chunk))):
            batch.presence[(row.case_id, row.role)] = dict(row._mapping)


def _load_steps(batch: _Batch, case_ids: set[int]) -> None:
    table = _STEPS
    for chunk in _chunks(sorted(case_ids)):
        for row in db.session.execute(select(table).where(table.c.case_id.in_(chunk))):
            batch.steps[(row.case_id, row.step)] = row.first_at
            batch.stored_steps.add((row.case_id, row.step))


def _write(batch: _Batch) -> None:
    cases, tasks, presence, steps = _CASES, _TASKS, _PRESENCE, _STEPS
    if batch.new_cases:
        db.session.execute(cases.insert(), [batch.cases[c] for c in sorted(batch.new_cases)])
    _update(cases, cases.c.case_id, "case_id", [
        batch.cases[c] for c in batch.dirty_cases - batch.new_cases
    ], ("reported_at", "reported_month", "closed_at", "outcome"))  # fmt: skip
    new_tasks = [{k: v for k, v in batch.tasks[t].items() if k != "id"} for t in batch.new_tasks]
    if new_tasks:
        db.session.execute(tasks.insert(), new_tasks)
    _update_tasks([batch.tasks[t] for t in batch.dirty_tasks - batch.new_tasks])
    new_presence = [
        {k: v for k, v in batch.presence[p].items() if k != "id"} for p in batch.new_presence
    ]
    if new_presence:
        db.session.execute(presence.insert(), new_presence)
    _update(presence, presence.c.id, "id", [
        batch.presence[p] for p in batch.dirty_presence - batch.new_presence
    ], ("ended_at", "open_tasks"))  # fmt: skip
    fresh = batch.new_steps - batch.stored_steps
    if fresh:
        db.session.execute(
            steps.insert(),
            [_step_row(batch, c, s) for c, s in sorted(fresh)],
        )
    for case_id, step in batch.new_steps & batch.stored_steps:  # an earlier moment (rare)
        db.session.execute(
            update(steps)
            .where(steps.c.case_id == case_id, steps.c.step == step)
            .values(_step_row(batch, case_id, step))
        )  # fmt: skip


def _update(
    table: Any, pk: Any, pk_name: str, rows: list[dict[str, Any]], cols: tuple[str, ...]
) -> None:
    """One executemany UPDATE of the given columns, by primary key."""
    if not rows:
        return
    stmt = (
        update(table)
        .where(pk == bindparam("_pk"))
        .values({c: bindparam(f"_{c}") for c in cols})
        .execution_options(synchronize_session=False)
    )
    db.session.connection().execute(
        stmt, [{"_pk": r[pk_name], **{f"_{c}": r[c] for c in cols}} for r in rows]
    )


def _step_row(batch: _Batch, case_id: int, step: str) -> dict[str, Any]:
    at = batch.steps[(case_id, step)]
    reported = batch.cases.get(case_id, {}).get("reported_at")
    return {"case_id": case_id, "step": step, "first_at": at, "lead_s": _seconds(reported, at),
            "first_month": month_of(at)}  # fmt: skip


def _update_tasks(rows: list[dict[str, Any]]) -> None:
    """One executemany UPDATE of changed tasks, by (case, task) (the unique index)."""
    if not rows:
        return
    cols = ("claimed_at", "completed_at", "cancelled_at", "late_workdays", "wait_s", "work_s",
            "open_s", "completed_month")  # fmt: skip
    stmt = (
        update(_TASKS)
        .where(_TASKS.c.case_id == bindparam("_case"), _TASKS.c.task_id == bindparam("_task"))
        .values({c: bindparam(f"_{c}") for c in cols})
        .execution_options(synchronize_session=False)
    )
    db.session.connection().execute(
        stmt,
        [{"_case": r["case_id"], "_task": r["task_id"], **{f"_{c}": r[c] for c in cols}}
         for r in rows],
    )  # fmt: skip


# -- case facts ---------------------------------------------------------------------------


def _store_facts(case_ids: list[int], reader: FactsReader, touched: Touched) -> int:
    table = _CASES
    read = 0
    moment = now()
    for chunk in _chunks(case_ids, 200):
        facts = reader(chunk)
        current = {
            row.case_id: row
            for row in db.session.execute(select(table).where(table.c.case_id.in_(chunk)))
        }
        updates = []
        for case_id, fact in facts.items():
            row = current.get(case_id)
            if row is None:
                continue
            read += 1
            if row.reported_month is not None:
                touched.cases.add(row.reported_month)
            # arrears and children are kept as first seen: the values at the report (CV-04)
            updates.append(
                {
                    "case_id": case_id,
                    "arrears_amount": row.arrears_amount
                    if row.arrears_amount is not None
                    else fact.arrears_amount,
                    "arrears_months": row.arrears_months
                    if row.arrears_months is not None
                    else fact.arrears_months,
                    "children": row.children if row.children is not None else fact.children,
                    "conditions_kept": fact.conditions_kept
                    if row.closed_at is not None
                    else row.conditions_kept,
                    "priority": fact.priority or row.priority,
                    "facts_at": moment,
                }
            )
        _update(table, table.c.case_id, "case_id", updates, (
            "arrears_amount", "arrears_months", "children", "conditions_kept", "priority",
            "facts_at",
        ))  # fmt: skip
    return read


def facts_from_data(data: dict[str, Any], priority: str | None = None) -> CaseFacts:
    """The metric facts from a case's workflow data; everything else is left behind."""
    amount, months = data.get("achterstand_bedrag"), data.get("achterstand_maanden")
    children, kept = data.get("kinderen_onder_18"), data.get("voorwaarden_nagekomen")
    return CaseFacts(
        arrears_amount=round(float(amount)) if isinstance(amount, int | float) else None,
        arrears_months=round(float(months), 1) if isinstance(months, int | float) else None,
        children=(int(children) > 0) if isinstance(children, int | float) else None,
        conditions_kept=kept if isinstance(kept, bool) else None,
        priority=priority,
    )


def read_case_facts(case_ids: Sequence[int]) -> dict[int, CaseFacts]:
    """Read the facts from each case's runtime data; each read is in the audit log (CV-23)."""
    from app.services import audit
    from app.services.actors import SYSTEM
    from app.services.engine import load_runtime

    facts: dict[int, CaseFacts] = {}
    for case in db.session.scalars(select(Case).where(Case.id.in_(list(case_ids)))):
        try:
            data = load_runtime(case).data
        except Exception:  # a broken case must not stop the metrics; it has no facts
            log.warning("metrics: case %s could not be read for its facts", case.id, exc_info=True)
            continue
        facts[case.id] = facts_from_data(data, case.priority)
        audit.record(
            SYSTEM, case_id=case.id, action="read",
            subject="achterstand_bedrag,achterstand_maanden,kinderen_onder_18,"
            "voorwaarden_nagekomen", reason="kengetallen",
        )  # fmt: skip
    return facts
