"""A case's history and open work as one party may see it (COVENANT.md §7, CV-16, CV-23).

The Meldpunt coordinates and sees every party's steps. A corporation sees its own steps and
the status codes the Meldpunt sent it, never what the other parties did. Every other party sees
its own steps and the Meldpunt's, who referred the household to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import CaseEvent, HumanTask, Organisation, User
from app.roles import LANE_LABELS
from app.services.actors import Actor
from app.services.privacy import readable_variables
from app.tasks.status import STATUS_CODES

COORDINATOR = "meldpunt"

#: Dutch words for what happened (CaseEvent.lifecycle)
LIFECYCLE_LABELS: dict[str, str] = {
    "case_started": "Zaak gestart",
    "created": "Taak klaargezet",
    "claimed": "Taak opgepakt",
    "released": "Taak teruggegeven aan het team",
    "assigned": "Taak toegewezen",
    "completed": "Taak afgerond",
    "cancelled": "Taak vervallen",
    "timer_fired": "Termijn verstreken",
    "message": "Signaal ontvangen",
    "case_closed": "Zaak afgesloten",
    "case_migrated": "Zaak overgezet naar een nieuwe procesversie",
}

#: signals between parties, in Dutch (message names in the diagrams)
MESSAGE_LABELS: dict[str, str] = {
    "afspraken_niet_nagekomen": "Afspraken niet nagekomen",
    "ontruimingsvonnis": "Ontruimingsvonnis",
    "achterstand_opgelost": "Achterstand opgelost",
    "inkomensbeheer_gestart": "Inkomensbeheer gestart",
}

#: outcome codes in Dutch, for the parties that may read the outcome
OUTCOME_LABELS: dict[str, str] = {
    "voorkomen": "Huisuitzetting voorkomen, traject overgedragen",
    "opgelost": "Opgelost",
    "geen_doelgroep": "Geen doelgroep",
    "geen_medewerking": "Geen medewerking",
    "geen_contact": "Geen contact",
    "vertrokken": "Huurder vertrokken",
    "ontruimd": "Ontruimd",
    "uitgesloten:opiumwet": "Uitgesloten: overtreding Opiumwet",
    "uitgesloten:bewoning": "Uitgesloten: onrechtmatige of illegale bewoning",
    "uitgesloten:verblijfsstatus": "Uitgesloten: geen verblijfsstatus",
    "uitgesloten:overlast": "Uitgesloten: extreme overlast",
    "uitgesloten:inkomen": "Uitgesloten: geen legaal inkomen",
}


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a case's history."""

    at: datetime
    what: str
    activity: str | None
    party: str | None
    who: str | None
    detail: str | None


@dataclass(frozen=True)
class PartyTasks:
    """The open tasks of one party on one case."""

    role: str
    party: str
    tasks: list[HumanTask]


@dataclass(frozen=True)
class StatusMessage:
    """A status code the corporation received, with its date (F8)."""

    day: str
    code: str
    label: str


def visible_roles(role: str) -> frozenset[str] | None:
    """Whose steps the role may see; None means every party's (the coordinator)."""
    if role == COORDINATOR:
        return None
    if role == "corporatie":
        return frozenset({"corporatie"})
    return frozenset({role, COORDINATOR})


def may_see_party(viewer_role: str, party_role: str | None) -> bool:
    """Whether steps of party_role show on viewer_role's timeline and open-task list."""
    roles = visible_roles(viewer_role)
    return roles is None or party_role in roles


def outcome_label(code: str | None) -> str | None:
    if not code:
        return None
    return OUTCOME_LABELS.get(code, code)


def may_see_outcome(role: str) -> bool:
    """Only the parties that may read the outcome variable see it (never the corporation)."""
    return "uitkomst" in readable_variables(role)


def party_label(role: str | None, organisation: str | None = None) -> str | None:
    """'QuaWonen' for a corporation's step, the lane label for the others."""
    if role == "corporatie" and organisation:
        return organisation
    if role is None:
        return organisation
    return LANE_LABELS.get(role, role)


def case_timeline(
    actor: Actor, events: Iterable[CaseEvent], *, corporation: str | None = None
) -> list[TimelineEntry]:
    """What happened when and by which party, as far as the actor's role may see it; steps of
    the corporation lane carry the case's corporation's name."""
    events = list(events)
    orgs = _organisation_names({e.organisation_id for e in events if e.organisation_id})
    users = _user_names(
        {e.user_id for e in events if e.user_id and e.organisation_id == actor.organisation_id}
    )
    show_outcome = may_see_outcome(actor.role)
    entries = []
    for event in events:
        general = event.lifecycle in ("case_started", "case_closed", "case_migrated")
        if not general and not may_see_party(actor.role, event.role):
            continue
        entries.append(
            TimelineEntry(
                at=event.at,
                what=LIFECYCLE_LABELS.get(event.lifecycle, event.lifecycle),
                activity=_activity(event),
                party=party_label(
                    event.role,
                    orgs.get(event.organisation_id or 0)
                    or (corporation if event.role == "corporatie" else None),
                ),
                who=users.get(event.user_id or 0)
                if event.organisation_id == actor.organisation_id
                else None,
                detail=_detail(event, show_outcome),
            )
        )
    return entries


def _activity(event: CaseEvent) -> str | None:
    if event.lifecycle == "message":
        name = (event.details or {}).get("message") or event.activity_name or ""
        return MESSAGE_LABELS.get(name, name) or None
    if event.lifecycle in ("case_started", "case_closed"):
        return None
    return event.activity_name


def _detail(event: CaseEvent, show_outcome: bool) -> str | None:
    details: dict[str, Any] = event.details or {}
    if event.lifecycle == "case_closed" and show_outcome and details.get("outcome"):
        return f"Uitkomst: {outcome_label(details['outcome'])}"
    if event.lifecycle == "case_started" and details.get("version"):
        return f"Werkafspraken versie {details['version']}"
    return None


def open_tasks_by_party(actor: Actor, tasks: Iterable[HumanTask]) -> list[PartyTasks]:
    """The case's open tasks grouped per party the actor may see, the actor's own first."""
    groups: dict[str, list[HumanTask]] = {}
    for task in tasks:
        if may_see_party(actor.role, task.role):
            groups.setdefault(task.role, []).append(task)
    order = sorted(groups, key=lambda role: (role != actor.role, LANE_LABELS.get(role, role)))
    return [PartyTasks(role, party_label(role) or role, groups[role]) for role in order]


def status_messages(data: dict[str, Any]) -> list[StatusMessage]:
    """The status codes sent to the corporation, newest last (from the case's visible data)."""
    messages = []
    for item in data.get("statusberichten") or []:
        if not isinstance(item, dict):
            continue
        code = str(item.get("status_code") or "")
        messages.append(
            StatusMessage(str(item.get("datum") or ""), code, STATUS_CODES.get(code, code))
        )
    return messages


def status_label(code: object) -> str | None:
    """The Dutch label of a status code."""
    if not code:
        return None
    return STATUS_CODES.get(str(code), str(code))


def _organisation_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
    )
    return {org_id: name for org_id, name in rows}


def _user_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}
