"""The task list as a caseworker sees it: rows with case, household, party and deadline marks."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.engine.workdays import add_working_days
from app.extensions import db
from app.models import Organisation, ProcessVersion
from app.services import audit
from app.services.actors import Actor
from app.services.clock import now
from app.services.privacy import readable_variables
from app.services.tasks import TaskFilter, TaskPage, list_tasks

#: the identity field whose readers may see the household on a task list (COVENANT.md §7)
IDENTITY_FIELD = "huurder_naam"

OVERDUE = "overdue"
DUE_SOON = "soon"

#: sort orders the list offers, with their Dutch names
SORTS: tuple[tuple[str, str], ...] = (
    ("due", "Termijn (eerst afgelopen)"),
    ("priority", "Prioriteit (P1 eerst)"),
    ("created", "Binnengekomen (oudste eerst)"),
)

PRIORITIES: tuple[str, ...] = ("P1", "P2", "P3", "P4")


@dataclass(frozen=True)
class TaskRow:
    """One line of the task list."""

    id: int
    reference: str
    household: str | None
    name: str
    activity_id: str
    corporation: str
    due_at: datetime | None
    due_state: str | None
    priority: str | None
    claimed_by: str | None
    claimed_by_me: bool


def may_see_household(role: str) -> bool:
    """Whether the role may read the tenant's identity (COVENANT.md §7, CV-23)."""
    return IDENTITY_FIELD in readable_variables(role)


def due_state(due_at: datetime | None, at: datetime | None = None) -> str | None:
    """'overdue' past the deadline, 'soon' within one Dutch working day of it, else None."""
    if due_at is None:
        return None
    moment = at or now()
    if due_at < moment:
        return OVERDUE
    if due_at <= add_working_days(moment, 1):
        return DUE_SOON
    return None


def task_rows(actor: Actor, filters: TaskFilter) -> tuple[list[TaskRow], TaskPage]:
    """One page of the actor's task list, with what the role may see of each case."""
    page = list_tasks(actor, filters)  # loads each task's case and claimant with it
    corporations = organisation_names()
    show_household = may_see_household(actor.role)
    moment = now()
    rows = []
    for task in page.tasks:
        reference, household = task.case.reference, task.case.household
        corporation_id = task.case.corporation_id
        rows.append(
            TaskRow(
                id=task.id,
                reference=reference,
                household=household if show_household else None,
                name=task.name,
                activity_id=task.activity_id,
                corporation=corporations.get(corporation_id, ""),
                due_at=task.due_at,
                due_state=due_state(task.due_at, moment),
                priority=task.priority,
                claimed_by=task.claimed_by.display_name if task.claimed_by else None,
                claimed_by_me=task.claimed_by_id is not None
                and task.claimed_by_id == actor.user_id,
            )
        )
    if show_household:  # the household's name is personal data: its showing is logged (CV-23)
        _log_households(actor, sorted({t.case_id for t in page.tasks if t.case.household}))
    return rows, page


def _log_households(actor: Actor, case_ids: list[int]) -> None:
    """One audit entry per case whose household a list showed, in one statement."""
    audit.record_cases(
        actor, case_ids=case_ids, action="read", subject="huishouden", reason="takenlijst"
    )


def organisation_names() -> dict[int, str]:
    """Every organisation's name by id (a dozen rows)."""
    return dict(db.session.execute(select(Organisation.id, Organisation.name)).all())  # type: ignore[arg-type]


def activity_options(actor: Actor) -> list[tuple[str, str]]:
    """The kinds of task the actor's role does in the deployed diagrams (for a corporation: its
    own variant's), for the task filter; read from the versions' summaries, not the task table."""
    process_id = None
    if actor.is_corporation:
        process_id = db.session.scalar(
            select(Organisation.process_id).where(Organisation.id == actor.organisation_id)
        )
    options = _user_tasks_by_role(process_id).get(actor.role, {})
    return sorted(options.items(), key=lambda item: item[1].casefold())


_TASKS_LOCK = threading.Lock()
_TASKS_CACHE: dict[tuple[Any, ...], dict[str, dict[str, str]]] = {}


def _user_tasks_by_role(process_id: str | None) -> dict[str, dict[str, str]]:
    """role -> {activity id: name} over every deployed version (versions never change, so the
    answer is kept until a version is added)."""
    key = (
        process_id,
        *db.session.execute(
            select(
                func.count(ProcessVersion.id),
                func.max(ProcessVersion.id),
                func.min(ProcessVersion.content_hash),
                func.max(ProcessVersion.content_hash),
            )
        ).one(),
    )
    with _TASKS_LOCK:
        if key in _TASKS_CACHE:
            return _TASKS_CACHE[key]
    stmt = select(ProcessVersion.summary).order_by(ProcessVersion.id.desc())
    if process_id is not None:
        stmt = stmt.where(ProcessVersion.process_id == process_id)
    found: dict[str, dict[str, str]] = {}
    for summary in db.session.scalars(stmt):
        for task in summary.get("user_tasks") or []:
            if task.get("role") and task.get("id"):
                found.setdefault(task["role"], {}).setdefault(
                    task["id"], str(task.get("name") or task["id"])
                )
    with _TASKS_LOCK:
        if len(_TASKS_CACHE) > 64:
            _TASKS_CACHE.clear()
        _TASKS_CACHE[key] = found
    return found


def corporation_options() -> list[tuple[int, str]]:
    """The corporations, for the task filter."""
    return [
        (org_id, name)
        for org_id, name in db.session.execute(
            select(Organisation.id, Organisation.name)
            .where(Organisation.kind == "corporatie")
            .order_by(Organisation.name)
        )
    ]


def open_task_count(actor: Actor, *, mine: bool) -> int:
    """How many tasks the actor's list (mine) or team list holds."""
    return list_tasks(actor, TaskFilter(mine=mine, per_page=1)).total
