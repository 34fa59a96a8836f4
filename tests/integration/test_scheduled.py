"""Timer-started covenant processes: the yearly evaluation (CV-24), the five-year review (CV-27)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import CASE_OPEN, Case, CaseEvent, HumanTask, ProcessVersion
from app.services.scheduled import ensure_scheduled_cases
from app.services.timers import fire_due_timers


def _open_cases(process_id: str) -> list[Case]:
    return list(
        db.session.scalars(
            select(Case)
            .join(ProcessVersion, ProcessVersion.id == Case.process_version_id)
            .where(ProcessVersion.process_id == process_id, Case.status == CASE_OPEN)
        )
    )


def _tasks(case: Case) -> list[HumanTask]:
    return list(db.session.scalars(select(HumanTask).where(HumanTask.case_id == case.id)))


def test_one_waiting_instance_per_timer_started_process(
    deployed: Any, parties: Any, clock: Any
) -> None:
    created = ensure_scheduled_cases()
    db.session.commit()
    assert {db.session.get(ProcessVersion, c.process_version_id).process_id for c in created} == {
        "jaarlijkse_evaluatie",
        "herziening_convenant",
    }
    assert ensure_scheduled_cases() == []  # idempotent: one instance each
    for case in created:
        assert case.corporation.key == "convenant"


def test_yearly_evaluation_task_on_first_of_february(
    deployed: Any, parties: Any, clock: Any
) -> None:
    """CV-24: on 1 February the evaluation meeting gets its task; the cycle keeps waiting."""
    ensure_scheduled_cases()
    db.session.commit()
    (case,) = _open_cases("jaarlijkse_evaluatie")
    assert case.next_timer_due is not None
    assert _tasks(case) == []
    clock.set(datetime(2027, 2, 1, 8, 30, tzinfo=UTC))
    fire_due_timers()
    db.session.refresh(case)
    tasks = _tasks(case)
    assert [(t.activity_id, t.role) for t in tasks] == [("Task_Evaluatie", "evaluatie")]
    assert case.is_open and case.next_timer_due is not None
    assert case.next_timer_due.year == 2028


def test_five_year_review_is_due(deployed: Any, parties: Any, clock: Any) -> None:
    """CV-27: the one-off review of 1 February 2024 is past, so its task is open at once."""
    ensure_scheduled_cases()
    db.session.commit()
    fire_due_timers()
    (case,) = _open_cases("herziening_convenant")
    assert [t.activity_id for t in _tasks(case)] == ["Task_Herziening"]


def test_yearly_cycle_stays_on_the_calendar_and_does_not_catch_up(
    deployed: Any, parties: Any, clock: Any
) -> None:
    """P1Y is added on the calendar (1 February every year); a late worker fires once."""
    ensure_scheduled_cases()
    db.session.commit()
    (case,) = _open_cases("jaarlijkse_evaluatie")
    clock.set(datetime(2031, 3, 1, 12, 0, tzinfo=UTC))  # four yearly moments passed unseen
    assert fire_due_timers() == 1
    db.session.refresh(case)
    assert len(_tasks(case)) == 1
    due = case.next_timer_due
    assert due is not None
    assert (due.year, due.month, due.day) == (2032, 2, 1)
    fired = db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.lifecycle == "timer_fired")
    ).all()
    assert [e.activity_id for e in fired] == ["StartEvent_Jaarlijks"]
