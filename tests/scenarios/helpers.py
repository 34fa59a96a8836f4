"""Drive cases through the real services, the way caseworkers would."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.forms.examples import EXAMPLES
from app.models import Case, CaseEvent, HumanTask
from app.services.actors import Actor
from app.services.tasks import claim_task, complete_task


def example(form_key: str, **overrides: Any) -> dict[str, Any]:
    data = dict(EXAMPLES[form_key])
    data.update(overrides)
    return data


def open_tasks(case: Case) -> list[HumanTask]:
    return list(
        db.session.scalars(
            select(HumanTask).where(HumanTask.case_id == case.id).order_by(HumanTask.id)
        )
    )


def task_named(case: Case, activity_id: str) -> HumanTask:
    tasks = [t for t in open_tasks(case) if t.activity_id == activity_id]
    assert tasks, f"{activity_id} not open; open: {[t.activity_id for t in open_tasks(case)]}"
    return tasks[0]


def do(actor: Actor, case: Case, activity_id: str, **data: Any) -> Case:
    """Claim and complete the case's open task with this activity id, then commit."""
    row = task_named(case, activity_id)
    claim_task(actor, row.id)
    db.session.commit()
    form = example(row.form_key, **data) if row.form_key in EXAMPLES else data
    result = complete_task(actor, row.id, form)
    db.session.commit()
    return result


def lifecycle(case: Case) -> list[tuple[str, str | None]]:
    events = db.session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    )
    return [(e.lifecycle, e.activity_id) for e in events]
