"""Team mail: a new task announced to the team that must do it, and a daily overdue digest.

Both are queued in the outbox inside the transaction that caused them and sent after commit by
the worker (``deliver_pending``). Mails name the case reference and the task, never the
household: mailboxes are shared and mail travels further than the application (CV-23). The
digest keeps CV-10 visible: every party sees which deadlines it is missing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from app.extensions import db
from app.models import Case, HumanTask, Organisation, OutboxMessage, User
from app.services import outbox
from app.services.actors import Actor
from app.services.clock import now

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

#: outbox kinds this module queues
TASK_MAIL = "task_mail"
DIGEST = "digest"

#: at most this many tasks are listed in one digest (the rest is counted)
DIGEST_LIMIT = 200


@dataclass(frozen=True)
class Team:
    """An organisation's team mailbox."""

    organisation_id: int
    name: str
    email: str


def team_for_role(role: str, organisation_id: int | None) -> list[Team]:
    """Mailboxes of the teams that do a role's tasks: the corporation's own, or every
    organisation with active users in that role (the Meldpunt, the municipality, the wijkteam)."""
    stmt = select(Organisation.id, Organisation.name, Organisation.team_email).where(
        Organisation.team_email.is_not(None), Organisation.team_email != ""
    )
    if organisation_id is not None:
        stmt = stmt.where(Organisation.id == organisation_id)
    else:
        stmt = stmt.where(
            Organisation.id.in_(
                select(User.organisation_id).where(User.role == role, User.active.is_(True))
            )
        )
    return [Team(org_id, name, email) for org_id, name, email in db.session.execute(stmt)]


def announce_new_tasks(case: Case, rows: Iterable[HumanTask], actor: Actor | None) -> int:
    """Queue a mail to the team of each new task; the acting user's own team already knows."""
    queued = 0
    teams: dict[tuple[str, int | None], list[Team]] = {}
    for row in rows:
        if _own_team(actor, row):
            continue
        key = (row.role, row.organisation_id)
        if key not in teams:
            teams[key] = team_for_role(row.role, row.organisation_id)
        for team in teams[key]:
            outbox.queue(
                TASK_MAIL,
                {
                    "to": team.email,
                    "team": team.name,
                    "reference": case.reference,
                    "task": row.name,
                    "role": row.role,
                    "due_at": row.due_at.isoformat() if row.due_at else None,
                    "priority": case.priority,
                },
            )
            queued += 1
    return queued


def _own_team(actor: Actor | None, row: HumanTask) -> bool:
    if actor is None or actor.is_system or actor.role != row.role:
        return False
    return row.organisation_id is None or row.organisation_id == actor.organisation_id


def local_day(moment: datetime | None = None) -> date:
    """The calendar day in the Netherlands."""
    return (moment or now()).astimezone(AMSTERDAM).date()


def digest_due(last_queued: date | None, hour: int, moment: datetime | None = None) -> bool:
    """Whether a worker should queue today's digest: not yet done today, and past the hour."""
    local = (moment or now()).astimezone(AMSTERDAM)
    return last_queued != local.date() and local.hour >= hour


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), AMSTERDAM).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), AMSTERDAM).astimezone(UTC)
    return start, end


def queue_overdue_digests(day: date | None = None) -> int:
    """Queue today's digest of overdue tasks for every team that has some; once per team per day
    however often it runs, by however many workers (the team's row is locked while checking)."""
    moment = now()
    day = day or local_day(moment)
    overdue = db.session.execute(
        select(
            HumanTask.role,
            HumanTask.organisation_id,
            HumanTask.name,
            HumanTask.due_at,
            Case.reference,
        )
        .join(Case, Case.id == HumanTask.case_id)
        .where(HumanTask.due_at < moment)
        .order_by(HumanTask.due_at, HumanTask.id)
    ).all()
    per_team: dict[int, tuple[Team, list[dict[str, Any]]]] = {}
    teams: dict[tuple[str, int | None], list[Team]] = {}
    for role, organisation_id, name, due_at, reference in overdue:
        key = (role, organisation_id)
        if key not in teams:
            teams[key] = team_for_role(role, organisation_id)
        for team in teams[key]:
            entry = per_team.setdefault(team.organisation_id, (team, []))
            entry[1].append(
                {"reference": reference, "task": name, "role": role, "due_at": due_at.isoformat()}
            )
    queued = 0
    for organisation_id, (team, tasks) in sorted(per_team.items()):
        _lock_organisation(organisation_id)
        if _digest_exists(organisation_id, day):
            continue
        outbox.queue(
            DIGEST,
            {
                "to": team.email,
                "team": team.name,
                "organisation_id": organisation_id,
                "day": day.isoformat(),
                "total": len(tasks),
                "tasks": tasks[:DIGEST_LIMIT],
            },
        )
        db.session.flush()
        queued += 1
    return queued


def _lock_organisation(organisation_id: int) -> None:
    """Serialise digest checks per team (PostgreSQL row lock; SQLite's write lock)."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.execute(
            update(Organisation)
            .where(Organisation.id == organisation_id)
            .values(team_email=Organisation.team_email)
            .execution_options(synchronize_session=False)
        )
    else:
        db.session.execute(
            select(Organisation.id).where(Organisation.id == organisation_id).with_for_update()
        )


def _digest_exists(organisation_id: int, day: date) -> bool:
    start, end = _day_bounds(day)
    payloads = db.session.scalars(
        select(OutboxMessage.payload).where(
            OutboxMessage.kind == DIGEST,
            OutboxMessage.created_at >= start - timedelta(days=1),
            OutboxMessage.created_at < end + timedelta(days=1),
        )
    )
    return any(
        p.get("organisation_id") == organisation_id and p.get("day") == day.isoformat()
        for p in payloads
    )


def overdue_tasks(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The digest's task lines, oldest deadline first."""
    return list(payload.get("tasks") or [])


def digest_groups(payload: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The digest's tasks per role, for a mail with one section per department."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for task in overdue_tasks(payload):
        groups[str(task.get("role") or "")].append(task)
    return dict(groups)
