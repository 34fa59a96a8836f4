"""Turn service results into the plain dicts the response schemas describe."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import g
from sqlalchemy import select

from app.extensions import db
from app.models import Case, CaseEvent, HumanTask, Organisation, ProcessVersion
from app.services.actors import Actor
from app.services.cases import CaseView
from app.services.worklist import DUE_SOON, OVERDUE, TaskRow, due_state, may_see_household


def _organisation(org_id: int | None) -> Organisation | None:
    """An organisation by id; all of them (a dozen rows) are read once per request.

    (The session's identity map holds objects weakly: a plain session.get per event would
    query again for every event once the previous lookup's object is gone.)
    """
    if org_id is None:
        return None
    if "api_organisations" not in g:
        g.api_organisations = {o.id: o for o in db.session.scalars(select(Organisation))}
    found: Organisation | None = g.api_organisations.get(org_id)
    return found


def task_out(row: HumanTask, actor: Actor, at: datetime) -> dict[str, Any]:
    """One open task, with the case context a task list shows."""
    case = row.case
    corporation = _organisation(case.corporation_id)
    claimed = row.claimed_by
    state = due_state(row.due_at, at)
    return {
        "id": row.id,
        "case": case.reference,
        "activity_id": row.activity_id,
        "name": row.name,
        "process_id": row.process_id,
        "role": row.role,
        "form_key": row.form_key,
        "corporation": corporation.name if corporation else None,
        "household": case.household if may_see_household(actor.role) else None,
        "due_at": row.due_at,
        "overdue": state == OVERDUE,
        "due_soon": state == DUE_SOON,
        "priority": row.priority,
        "created_at": row.created_at,
        "claimed_by": claimed.username if claimed else None,
        "claimed_by_name": claimed.display_name if claimed else None,
    }


def listed_task_out(line: TaskRow, row: HumanTask) -> dict[str, Any]:
    """A task-list line as the UI shows it (same household rule and audit), plus API fields."""
    claimed = row.claimed_by
    return {
        "id": line.id,
        "case": line.reference,
        "activity_id": line.activity_id,
        "name": line.name,
        "process_id": row.process_id,
        "role": row.role,
        "form_key": row.form_key,
        "corporation": line.corporation,
        "household": line.household,
        "due_at": line.due_at,
        "overdue": line.due_state == OVERDUE,
        "due_soon": line.due_state == DUE_SOON,
        "priority": line.priority,
        "created_at": row.created_at,
        "claimed_by": claimed.username if claimed else None,
        "claimed_by_name": line.claimed_by,
    }


def event_out(event: CaseEvent) -> dict[str, Any]:
    organisation = _organisation(event.organisation_id)
    return {
        "at": event.at,
        "lifecycle": event.lifecycle,
        "activity_id": event.activity_id,
        "activity_name": event.activity_name,
        "role": event.role,
        "organisation": organisation.key if organisation else None,
        "details": event.details,
    }


def _labels(case: Case) -> tuple[str, str, int]:
    """Corporation name, process id and version number of a case."""
    corporation = _organisation(case.corporation_id)
    process_id, version = db.session.execute(
        select(ProcessVersion.process_id, ProcessVersion.version).where(
            ProcessVersion.id == case.process_version_id
        )
    ).one()
    return corporation.name if corporation else "", process_id, version


def case_out(case: Case, tasks: list[HumanTask], actor: Actor, at: datetime) -> dict[str, Any]:
    """A case's status and open tasks (no case data)."""
    corporation, process_id, version = _labels(case)
    return {
        "reference": case.reference,
        "status": case.status,
        "outcome": case.outcome,
        "priority": case.priority,
        "process_id": process_id,
        "process_version": version,
        "corporation": corporation,
        "household": case.household if may_see_household(actor.role) else None,
        "created_at": case.created_at,
        "closed_at": case.closed_at,
        "open_tasks": [task_out(row, actor, at) for row in tasks],
    }


def view_out(view: CaseView, actor: Actor, at: datetime) -> dict[str, Any]:
    """The case as the actor's role may see it: data, open tasks, history (§7)."""
    return {
        **case_out(view.case, view.open_tasks, actor, at),
        "data": view.data,
        "events": [event_out(event) for event in view.events],
    }
