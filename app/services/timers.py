"""Fire due timers: the worker's job. Several workers may run; nothing fires twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.engine import EngineError
from app.extensions import db
from app.models import CASE_ERROR, CASE_OPEN, Case
from app.services.actors import SYSTEM
from app.services.clock import now
from app.services.engine import load_runtime, lock_case, save_runtime, sync_tasks


def due_case_ids(at: datetime, limit: int) -> list[int]:
    """Open cases whose next timer is due, oldest first."""
    stmt = (
        select(Case.id)
        .where(Case.status == CASE_OPEN, Case.next_timer_due <= at)
        .order_by(Case.next_timer_due)
        .limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return list(db.session.scalars(stmt))


def fire_case_timers(case_id: int) -> int:
    """Fire the due timers of one case under its lock; returns how many fired."""
    case = lock_case(case_id)
    at = now()
    if not case.is_open or case.next_timer_due is None or case.next_timer_due > at:
        return 0  # another worker got here first
    runtime = load_runtime(case)
    try:
        fired = runtime.fire_timers()
    except EngineError as exc:
        case.status = CASE_ERROR
        case.error = str(exc)[:500]
        case.next_timer_due = None
        return 0
    sync_tasks(case, runtime, actor=SYSTEM, fired=fired)
    save_runtime(case, runtime)
    if not fired and case.next_timer_due is not None and case.next_timer_due <= at:
        # the engine did not fire what it announced: do not spin on it
        case.next_timer_due = None
    db.session.flush()
    return len(fired)


def fire_due_timers(*, limit: int = 100, commit_each: bool = True) -> int:
    """Fire every due timer, one case per transaction; returns the number fired."""
    fired = 0
    for case_id in due_case_ids(now(), limit):
        try:
            fired += fire_case_timers(case_id)
        except Exception:
            db.session.rollback()
            raise
        if commit_each:
            db.session.commit()
    return fired
