"""Use cases on whole cases: start one, read one, send it a message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select

from app.engine import CaseRuntime, EngineError, NotWaitingForMessage
from app.extensions import db
from app.models import CASE_OPEN, Case, CaseEvent, HumanTask, Organisation, ProcessVersion
from app.roles import NON_PERSONAL_ROLES
from app.services import audit
from app.services.actors import Actor
from app.services.clock import now
from app.services.deployments import latest_version
from app.services.engine import (
    add_event,
    load_runtime,
    lock_case,
    new_engine,
    save_runtime,
    specs_for,
    sync_tasks,
)
from app.services.errors import CaseFailed, Conflict, Forbidden, InvalidInput, NotFound
from app.services.formdata import load_form
from app.services.privacy import visible_data

#: variable names tried, in order, for the household label on task lists
HOUSEHOLD_FIELDS = ("huurder_naam", "naam_huurder", "huurders", "naam")

#: messages a corporation may send to its own open cases (§3 D)
CORPORATION_MESSAGES = frozenset(
    {"afspraken_niet_nagekomen", "ontruimingsvonnis", "achterstand_opgelost"}
)


def start_case(actor: Actor, data: dict[str, Any], *, process_id: str | None = None) -> Case:
    """A corporation reports a household: a new case on its variant's newest version (CV-12)."""
    if not actor.is_corporation:
        raise Forbidden("Alleen een woningcorporatie kan een zaak starten.")
    org = db.session.get(Organisation, actor.organisation_id)
    if org is None:
        raise Forbidden("Onbekende organisatie.")
    if org.process_id and process_id and process_id != org.process_id:
        raise Forbidden("Een corporatie start alleen zaken op haar eigen werkafspraken.")
    process_id = process_id or org.process_id
    if not process_id:
        raise NotFound("Voor deze corporatie is geen proces ingesteld.")
    version = latest_version(process_id)
    if not version.summary.get("startable", True):
        raise Forbidden(f"Proces {process_id!r} kan niet direct gestart worden.")
    values = _validated(version.summary.get("start_form"), data)
    case = open_case(
        version, corporation_id=org.id, actor=actor, values=values, household=_household(values)
    )
    audit.record(actor, case_id=case.id, action="write", subject="start", reason="melding")
    db.session.flush()
    return case


def open_case(
    version: ProcessVersion,
    *,
    corporation_id: int,
    actor: Actor,
    values: dict[str, Any],
    household: str | None = None,
    details: dict[str, Any] | None = None,
) -> Case:
    """A new case on a version, run to its first wait state, with its start in the log."""
    moment = now()
    case = Case(
        reference=f"tmp-{moment.timestamp()}-{id(values)}",
        process_version_id=version.id,
        corporation_id=corporation_id,
        status=CASE_OPEN,
        household=household,
        state=b"",
        serializer_version="",
        created_at=moment,
        updated_at=moment,
    )
    db.session.add(case)
    db.session.flush()
    case.reference = f"VK-{moment.year}-{case.id:06d}"
    spec, subs = specs_for(version)
    try:
        runtime = CaseRuntime.start(spec, subs, new_engine(case), values)
    except EngineError as exc:
        raise CaseFailed(f"Het proces {version.process_id} kon niet starten: {exc}") from exc
    add_event(
        case, "case_started", actor=actor,
        role=actor.role if actor.is_corporation else None,
        details={"process": version.process_id, "version": version.version, **(details or {})},
    )  # fmt: skip
    sync_tasks(case, runtime, actor=actor, existing={})  # a new case has no task rows yet
    save_runtime(case, runtime)
    return case


def _validated(form_key: str | None, data: dict[str, Any]) -> dict[str, Any]:
    if not form_key:
        if data:
            raise InvalidInput("Dit proces neemt bij de start geen gegevens aan.")
        return {}
    return load_form(form_key, data)


def _household(values: dict[str, Any]) -> str | None:
    for name in HOUSEHOLD_FIELDS:
        value = values.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return None


def find_case(reference_or_id: str | int) -> Case | None:
    if isinstance(reference_or_id, int) or str(reference_or_id).isdigit():
        return db.session.get(Case, int(reference_or_id))
    return db.session.scalar(select(Case).where(Case.reference == reference_or_id))


def may_see_case(actor: Actor, case: Case) -> bool:
    """Corporations see their own cases; other parties the cases they work on (§7)."""
    if actor.role in NON_PERSONAL_ROLES:
        return False
    if actor.is_corporation:
        return case.corporation_id == actor.organisation_id
    if actor.role == "meldpunt" or actor.is_system:
        return True
    involved = db.session.scalar(
        select(
            exists().where(CaseEvent.case_id == case.id, CaseEvent.role == actor.role)
            | exists().where(HumanTask.case_id == case.id, HumanTask.role == actor.role)
        )
    )
    return bool(involved)


def get_case(actor: Actor, reference_or_id: str | int, *, reason: str = "zaakpagina") -> Case:
    """A case the actor may see; anything else is 'not found' and the attempt is logged."""
    case = find_case(reference_or_id)
    if case is None:
        raise NotFound("Zaak niet gevonden.")
    if not may_see_case(actor, case):
        audit.record(actor, case_id=case.id, action="denied", subject="zaak", reason=reason)
        raise NotFound("Zaak niet gevonden.")
    return case


@dataclass(frozen=True)
class CaseView:
    case: Case
    data: dict[str, Any]
    open_tasks: list[HumanTask]
    events: list[CaseEvent]


def view_case(actor: Actor, reference_or_id: str | int, *, reason: str = "zaakpagina") -> CaseView:
    """The case as the actor may see it: status, visible data, open tasks, history."""
    case = get_case(actor, reference_or_id, reason=reason)
    data = visible_data(actor.role, load_runtime(case).data) if not actor.is_system else {}
    tasks = list(
        db.session.scalars(
            select(HumanTask).where(HumanTask.case_id == case.id).order_by(HumanTask.due_at)
        )
    )
    events = list(
        db.session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        )
    )
    if data:
        audit.record(
            actor, case_id=case.id, action="read", subject=",".join(sorted(data))[:200],
            reason=reason,
        )  # fmt: skip
    return CaseView(case, data, tasks, events)


def correlate_message(
    actor: Actor, reference_or_id: str | int, message: str, payload: dict[str, Any] | None = None
) -> Case:
    """Deliver a message (a signal from a party) to a waiting case."""
    case = get_case(actor, reference_or_id, reason=f"bericht {message}")
    if actor.is_corporation and message not in CORPORATION_MESSAGES:
        raise Forbidden("Dit bericht kan een corporatie niet sturen.")
    case = lock_case(case.id)
    if not case.is_open:
        raise Conflict("De zaak is al afgesloten.")
    runtime = load_runtime(case)
    try:
        runtime.correlate(message, payload)
    except NotWaitingForMessage as exc:
        raise Conflict(f"De zaak wacht nu niet op het bericht '{message}'.") from exc
    except EngineError as exc:
        raise CaseFailed(f"Het bericht kon niet worden verwerkt: {exc}") from exc
    add_event(case, "message", actor=actor, activity_name=message, details={"message": message})
    sync_tasks(case, runtime, actor=actor)
    save_runtime(case, runtime)
    if payload:
        audit.record(actor, case_id=case.id, action="write", subject=message, reason="bericht")
    db.session.flush()
    return case
