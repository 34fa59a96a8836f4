"""Binds the engine to the database: load and save a case's runtime, keep the indexes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.engine import (
    SPEC_CACHE,
    CaseRuntime,
    FiredTimer,
    ServiceCall,
    UserTaskView,
    VoorkomScriptEngine,
)
from app.extensions import db
from app.models import CASE_CLOSED, Case, CaseEvent, HumanTask, ProcessVersion
from app.roles import role_for_lane
from app.services import outbox
from app.services.actors import Actor
from app.services.clock import get_clock, now
from app.services.errors import NotFound
from app.services.notifications import announce_new_tasks
from app.tasks import OperationContext, get_operation


class _CaseContext:
    """What service operations may know of the case they run in."""

    def __init__(self, case: Case) -> None:
        self.case = case

    def notify(self, kind: str, payload: dict[str, Any]) -> None:
        outbox.queue(
            kind,
            {
                **payload,
                "case": self.case.reference,
                "corporation_id": self.case.corporation_id,
            },
        )


def call_operation(call: ServiceCall, params: dict[str, Any]) -> Any:
    """The engine's bridge to app.tasks: run the registered operation."""
    op = get_operation(call.operation)
    context: _CaseContext | None = call.case
    ctx = OperationContext(
        case_id=context.case.id if context else None,
        case_reference=context.case.reference if context else None,
        activity_id=call.activity_id,
        now=call.now,
        data=call.data,
        notify=context.notify if context else (lambda kind, payload: None),
    )
    return op.func(ctx, params) or {}


def new_engine(case: Case | None = None) -> VoorkomScriptEngine:
    engine = VoorkomScriptEngine(clock=get_clock(), services=call_operation)
    engine.case_context = _CaseContext(case) if case is not None else None
    return engine


def specs_for(version: ProcessVersion | int) -> tuple[Any, dict[str, Any]]:
    """The parsed spec of a version, from the in-memory cache."""
    version_id = version if isinstance(version, int) else version.id

    def load_blob() -> bytes:
        blob = db.session.scalar(
            select(ProcessVersion.spec_blob).where(ProcessVersion.id == version_id)
        )
        if blob is None:
            raise NotFound("Procesversie bestaat niet.")
        return blob

    return SPEC_CACHE.get(version_id, load_blob)


def lock_case(case_id: int) -> Case:
    """Take the case's row lock for this transaction, then load it fresh."""
    dialect = db.session.get_bind().dialect.name
    if dialect == "sqlite":
        # the UPDATE takes SQLite's write lock; concurrent writers wait (busy_timeout)
        result = db.session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(lock_version=Case.lock_version + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise NotFound("Zaak niet gevonden.")
        stmt = select(Case).where(Case.id == case_id).execution_options(populate_existing=True)
    else:
        stmt = (
            select(Case)
            .where(Case.id == case_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    case = db.session.scalar(stmt)
    if case is None:
        raise NotFound("Zaak niet gevonden.")
    if dialect != "sqlite":
        case.lock_version += 1
    return case


def load_runtime(case: Case) -> CaseRuntime:
    spec, subs = specs_for(case.process_version_id)
    return CaseRuntime.restore(case.state, spec, subs, case.serializer_version, new_engine(case))


def save_runtime(case: Case, runtime: CaseRuntime) -> None:
    """Store state, the next timer and, once completed, the outcome."""
    case.state = runtime.dump()
    case.serializer_version = runtime.serializer_version
    case.next_timer_due = runtime.next_timer_due()
    case.updated_at = now()
    if runtime.is_completed and case.status != CASE_CLOSED:
        case.status = CASE_CLOSED
        case.closed_at = now()
        case.outcome = runtime.outcome
        case.next_timer_due = None
        add_event(case, "case_closed", details={"outcome": case.outcome})
    write_events()


def add_event(
    case: Case,
    lifecycle: str,
    *,
    actor: Actor | None = None,
    activity_id: str | None = None,
    activity_name: str | None = None,
    role: str | None = None,
    task_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Queue one event; queued events are written in one statement (write_events)."""
    pending_events().append(
        {
            "case_id": case.id,
            "at": now(),
            "lifecycle": lifecycle,
            "activity_id": activity_id,
            "activity_name": activity_name,
            "role": role
            if role is not None
            else (actor.role if actor and not actor.is_system else None),
            "organisation_id": actor.organisation_id if actor else None,
            "user_id": actor.user_id if actor else None,
            "task_id": task_id,
            "details": details,
        }
    )


def pending_events() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = db.session.info.setdefault("voorkom_events", [])
    return events


def write_events() -> None:
    """Insert the queued events (one executemany); also runs before every commit."""
    _write_events(db.session())


@sa_event.listens_for(Session, "before_commit")
def _write_events(session: Session) -> None:
    events = session.info.pop("voorkom_events", None)
    if events:
        session.execute(CaseEvent.metadata.tables["case_events"].insert(), events)


@sa_event.listens_for(Session, "after_rollback")
def _drop_events_after_rollback(session: Session) -> None:
    session.info.pop("voorkom_events", None)


def open_task_rows(case: Case) -> dict[str, HumanTask]:
    """The case's open-task rows, fresh from the database (the case lock is held)."""
    rows = db.session.scalars(
        select(HumanTask)
        .where(HumanTask.case_id == case.id)
        .execution_options(populate_existing=True)
    )
    return {row.task_id: row for row in rows}


def sync_tasks(
    case: Case,
    runtime: CaseRuntime,
    *,
    actor: Actor | None,
    completed: UserTaskView | None = None,
    fired: Iterable[FiredTimer] = (),
    existing: dict[str, HumanTask] | None = None,
) -> list[HumanTask]:
    """Bring the open-task index in line with the workflow; log what changed."""
    priority = runtime.variable("prioriteit")
    if isinstance(priority, str) and len(priority) <= 4:
        case.priority = priority
    ready = {view.task_id: view for view in runtime.ready_user_tasks()}
    if existing is None:
        existing = open_task_rows(case)
    for timer in fired:
        add_event(
            case, "timer_fired", activity_id=timer.activity_id, activity_name=timer.name,
            role=role_for_lane(timer.lane), task_id=timer.task_id,
        )  # fmt: skip
    if completed is not None:
        add_event(
            case, "completed", actor=actor, activity_id=completed.activity_id,
            activity_name=completed.name, role=completed.role, task_id=completed.task_id,
        )  # fmt: skip
    gone = [task_id for task_id in existing if task_id not in ready]
    for task_id in gone:
        row = existing[task_id]
        if completed is None or task_id != completed.task_id:
            add_event(
                case, "cancelled", activity_id=row.activity_id, activity_name=row.name,
                role=row.role, task_id=task_id,
            )  # fmt: skip
    for task_id in gone:
        db.session.delete(existing[task_id])
    created = []
    for task_id, view in ready.items():
        if task_id in existing:
            continue
        row = HumanTask(
            case_id=case.id,
            task_id=task_id,
            activity_id=view.activity_id,
            name=view.name,
            process_id=view.process_id,
            role=view.role or "onbekend",
            organisation_id=case.corporation_id if view.role == "corporatie" else None,
            form_key=view.form_key,
            due_at=view.due_at,
            priority=case.priority,
            created_at=now(),
        )
        db.session.add(row)
        created.append(row)
        add_event(
            case, "created", activity_id=view.activity_id, activity_name=view.name,
            role=view.role, task_id=task_id,
            details={"due_at": view.due_at.isoformat()} if view.due_at else None,
        )  # fmt: skip
    if created:
        announce_new_tasks(case, created, actor)
    return created
