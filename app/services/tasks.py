"""Use cases on user tasks: list, claim, release, assign, complete."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from app.engine import EngineError, RunawayCase, TaskNotReady
from app.extensions import db
from app.models import Case, HumanTask, User
from app.services import audit
from app.services.actors import Actor
from app.services.clock import now
from app.services.diagram_forms import form_key_for, schema_for, task_form
from app.services.engine import (
    add_event,
    load_runtime,
    lock_case,
    open_task_rows,
    save_runtime,
    sync_tasks,
    write_events,
)
from app.services.errors import CaseFailed, Conflict, InvalidInput, NotFound
from app.services.formdata import load_form, load_with


@dataclass(frozen=True)
class TaskFilter:
    """Task-list filters; every one optional."""

    mine: bool = False
    activity_id: str | None = None
    corporation_id: int | None = None
    priority: str | None = None
    overdue: bool = False
    reference: str | None = None
    sort: str = "due"
    page: int = 1
    per_page: int = 25


@dataclass(frozen=True)
class TaskPage:
    tasks: list[HumanTask]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def scope(actor: Actor) -> Select[tuple[HumanTask]]:
    """The open tasks the actor's role and organisation may act on."""
    stmt = select(HumanTask).where(HumanTask.role == actor.role)
    if actor.is_corporation:
        stmt = stmt.where(HumanTask.organisation_id == actor.organisation_id)
    return stmt


#: what a task list shows of each task's case and claimant: fetched for the page's rows in
#: one query each after it (a join would make PostgreSQL join every candidate row before a
#: sort that no index serves), and without the case state (a list reads no workflow)
LIST_LOADS = (
    selectinload(HumanTask.case).load_only(
        Case.reference, Case.corporation_id, Case.household, Case.status, Case.priority
    ),
    selectinload(HumanTask.claimed_by).load_only(User.username, User.display_name),
)


def list_tasks(actor: Actor, filters: TaskFilter | None = None) -> TaskPage:
    """The task list ("Mijn taken" with mine=True, else "Team")."""
    f = filters or TaskFilter()
    stmt = scope(actor)
    if f.mine:
        stmt = stmt.where(HumanTask.claimed_by_id == actor.user_id)
    if f.activity_id:
        stmt = stmt.where(HumanTask.activity_id == f.activity_id)
    if f.priority:
        stmt = stmt.where(HumanTask.priority == f.priority)
    if f.overdue:
        stmt = stmt.where(HumanTask.due_at < now())
    if f.corporation_id or f.reference:
        stmt = stmt.join(Case, Case.id == HumanTask.case_id)
        if f.corporation_id:
            stmt = stmt.where(Case.corporation_id == f.corporation_id)
        if f.reference:
            stmt = stmt.where(Case.reference.ilike(f"%{f.reference.strip()}%"))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    due = HumanTask.due_at.asc().nulls_last()  # as the (role, due_at) indexes are ordered
    order = {
        "due": (due, HumanTask.id),
        "created": (HumanTask.created_at, HumanTask.id),
        "priority": (HumanTask.priority.asc().nulls_last(), due, HumanTask.id),
    }.get(f.sort, (due, HumanTask.id))
    page = max(1, f.page)
    per_page = min(max(1, f.per_page), 200)
    rows = db.session.scalars(
        stmt.options(*LIST_LOADS).order_by(*order).offset((page - 1) * per_page).limit(per_page)
    )
    return TaskPage(list(rows), total, page, per_page)


def get_task(actor: Actor, task_ref: int) -> HumanTask:
    """An open task the actor may act on; others look like 'not found'."""
    row = db.session.get(HumanTask, task_ref)
    if row is None or not may_act(actor, row):
        raise NotFound("Taak niet gevonden of al afgehandeld.")
    return row


def may_act(actor: Actor, row: HumanTask) -> bool:
    if row.role != actor.role:
        return False
    return not (actor.is_corporation and row.organisation_id != actor.organisation_id)


def _locked_task(row: HumanTask) -> tuple[Case, HumanTask, dict[str, HumanTask]]:
    """Lock the task's case; return it, the task as it is now, and all its open tasks."""
    case = lock_case(row.case_id)
    with db.session.no_autoflush:  # the lock's version bump goes out with the case's state
        existing = open_task_rows(case)
    fresh = next((r for r in existing.values() if r.id == row.id), None)
    if fresh is None:
        raise Conflict("Deze taak is intussen door iemand anders afgehandeld.")
    return case, fresh, existing


def claim_task(actor: Actor, task_ref: int) -> HumanTask:
    """Take a team task into one's own list."""
    case, row, _open = _locked_task(get_task(actor, task_ref))
    if row.claimed_by_id == actor.user_id:
        return row
    if row.claimed_by_id is not None:
        raise Conflict(f"Deze taak is al opgepakt door {_name(row.claimed_by_id)}.")
    _set_claim(case, row, actor, actor.user_id, "claimed")
    return row


def release_task(actor: Actor, task_ref: int) -> HumanTask:
    """Give a claimed task back to the team."""
    case, row, _open = _locked_task(get_task(actor, task_ref))
    if row.claimed_by_id is None:
        return row
    if row.claimed_by_id != actor.user_id:
        raise Conflict(f"Deze taak is opgepakt door {_name(row.claimed_by_id)}.")
    _set_claim(case, row, actor, None, "released")
    return row


def assign_task(actor: Actor, task_ref: int, user_id: int) -> HumanTask:
    """Give a task to a colleague of the same role and organisation (e.g. sick leave)."""
    case, row, _open = _locked_task(get_task(actor, task_ref))
    colleague = db.session.get(User, user_id)
    if (
        colleague is None
        or not colleague.active
        or colleague.role != actor.role
        or colleague.organisation_id != actor.organisation_id
    ):
        raise InvalidInput(
            "Kies een collega uit het eigen team.", {"user_id": ["Onbekende collega."]}
        )
    _set_claim(case, row, actor, colleague.id, "assigned")
    return row


def _set_claim(case: Case, row: HumanTask, actor: Actor, user_id: int | None, what: str) -> None:
    row.claimed_by_id = user_id
    row.claimed_at = now() if user_id else None
    add_event(
        case, what, actor=actor, activity_id=row.activity_id, activity_name=row.name,
        role=row.role, task_id=row.task_id,
        details={"assignee": user_id} if what == "assigned" else None,
    )  # fmt: skip
    write_events()
    db.session.flush()


def _name(user_id: int) -> str:
    user = db.session.get(User, user_id)
    return user.display_name if user else "een collega"


def save_draft(actor: Actor, task_ref: int, data: dict[str, Any]) -> HumanTask:
    """Keep an unfinished form for later (not validated, not part of the case yet)."""
    row = get_task(actor, task_ref)
    if row.claimed_by_id not in (None, actor.user_id):
        raise Conflict(f"Deze taak is opgepakt door {_name(row.claimed_by_id)}.")
    row.draft = dict(data)
    audit.record(
        actor, case_id=row.case_id, action="write", subject="concept", reason=row.activity_id
    )
    db.session.flush()
    return row


def validate_task_form(row: HumanTask, data: dict[str, Any]) -> dict[str, Any]:
    """Load data with the task's form: its registered form key, else the one in its diagram.

    Lint refuses a task with both, so a task with a form key never has a diagram form.
    """
    if row.form_key:
        return load_form(row.form_key, data)
    form = task_form(row)
    if form is None:
        return {}
    return load_with(schema_for(form, form_key_for(row.process_id, row.activity_id)), data)


def complete_task(actor: Actor, task_ref: int, data: dict[str, Any]) -> Case:
    """Validate the form, complete the task and run the case on; exactly once."""
    row = get_task(actor, task_ref)
    values = validate_task_form(row, data)  # before the lock: bad input changes nothing
    case, row, existing = _locked_task(row)
    if row.claimed_by_id not in (None, actor.user_id):
        raise Conflict(f"Deze taak is opgepakt door {_name(row.claimed_by_id)}.")
    if not case.is_open:
        raise Conflict("De zaak is al afgesloten.")
    runtime = load_runtime(case)
    try:
        view = runtime.complete(row.task_id, values)
    except TaskNotReady as exc:
        raise Conflict("Deze taak is intussen al afgehandeld.") from exc
    except (EngineError, RunawayCase) as exc:
        raise CaseFailed(f"Het proces kon niet verder: {exc}") from exc
    sync_tasks(case, runtime, actor=actor, completed=view, existing=existing)
    save_runtime(case, runtime)
    audit.record(
        actor, case_id=case.id, action="write", subject=row.form_key or row.activity_id,
        reason=row.activity_id,
    )  # fmt: skip
    db.session.flush()
    return case
