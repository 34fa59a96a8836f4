"""Covenant-level processes that a timer starts (the yearly evaluation, CV-24; the five-year
review, CV-27): one open instance of each waits at its start timer, owned by the covenant
parties together rather than a corporation, so it never shows up as a household's case."""

from __future__ import annotations

from sqlalchemy import select

from app.engine import CaseRuntime, EngineError, is_timer_started
from app.extensions import db
from app.models import CASE_OPEN, Case, Organisation, ProcessVersion
from app.services.actors import SYSTEM
from app.services.clock import now
from app.services.deployments import latest_versions
from app.services.engine import add_event, new_engine, save_runtime, specs_for, sync_tasks
from app.services.errors import CaseFailed

#: the organisation that owns covenant-level cases (see app/services/seed.py)
COVENANT_ORGANISATION = "convenant"


def timer_started_versions() -> list[ProcessVersion]:
    """The newest version of every process that starts by a timer."""
    found = []
    for version in latest_versions():
        flag = version.summary.get("timer_start")
        if flag is None:  # versions deployed before the summary said so
            flag = is_timer_started(specs_for(version)[0])
        if flag:
            found.append(version)
    return found


def ensure_scheduled_cases() -> list[Case]:
    """Give every timer-started process one open instance waiting at its start timer."""
    owner = db.session.scalar(select(Organisation).where(Organisation.key == COVENANT_ORGANISATION))
    if owner is None:
        return []
    created = []
    for version in timer_started_versions():
        waiting = db.session.scalar(
            select(Case.id)
            .join(ProcessVersion, ProcessVersion.id == Case.process_version_id)
            .where(ProcessVersion.process_id == version.process_id, Case.status == CASE_OPEN)
            .limit(1)
        )
        if waiting is None:
            created.append(_start(version, owner))
    db.session.flush()
    return created


def _start(version: ProcessVersion, owner: Organisation) -> Case:
    moment = now()
    case = Case(
        reference=f"tmp-{version.process_id}-{moment.timestamp()}",
        process_version_id=version.id,
        corporation_id=owner.id,
        status=CASE_OPEN,
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
        runtime = CaseRuntime.start(spec, subs, new_engine(case), {})
    except EngineError as exc:
        raise CaseFailed(f"Het proces {version.process_id} kon niet starten: {exc}") from exc
    add_event(
        case, "case_started", actor=SYSTEM,
        details={"process": version.process_id, "version": version.version, "timer": True},
    )  # fmt: skip
    sync_tasks(case, runtime, actor=SYSTEM)
    save_runtime(case, runtime)
    return case
