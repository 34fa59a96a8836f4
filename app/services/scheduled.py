"""Covenant-level processes that a timer starts (the yearly evaluation, CV-24; the five-year
review, CV-27): one open instance of each waits at its start timer, owned by the covenant
parties together rather than a corporation, so it never shows up as a household's case."""

from __future__ import annotations

from sqlalchemy import select

from app.engine import is_timer_started
from app.extensions import db
from app.models import CASE_OPEN, Case, Organisation, ProcessVersion
from app.services.actors import SYSTEM
from app.services.cases import open_case
from app.services.deployments import latest_versions
from app.services.engine import specs_for

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
    return open_case(
        version, corporation_id=owner.id, actor=SYSTEM, values={}, details={"timer": True}
    )
