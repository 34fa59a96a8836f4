"""Version history per process and the difference between two versions (by element id)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case as when
from sqlalchemy import func, select

from app.engine.diff import SourceDiff, diff_sources
from app.extensions import db
from app.models import CASE_OPEN, Case, ProcessVersion, User
from app.services.actors import Actor
from app.services.errors import NotFound
from app.services.workbench import require_workbench


@dataclass(frozen=True)
class VersionInfo:
    """One deployed version as the history lists it."""

    id: int
    process_id: str
    name: str
    version: int
    deployed_at: datetime
    deployed_by: str | None
    deployment_name: str | None
    open_cases: int
    closed_cases: int
    is_latest: bool
    files: tuple[str, ...]


@dataclass(frozen=True)
class VersionDiff:
    """What changed from one version of a process to another."""

    process_id: str
    old: ProcessVersion
    new: ProcessVersion
    diff: SourceDiff


def version_history(actor: Actor, process_id: str) -> list[VersionInfo]:
    """Every version of a process, newest first: who deployed it, when, and its cases."""
    require_workbench(actor)
    counts = (
        select(
            Case.process_version_id.label("version_id"),
            func.sum(when((Case.status == CASE_OPEN, 1), else_=0)).label("open"),
            func.sum(when((Case.status != CASE_OPEN, 1), else_=0)).label("closed"),
        )
        .group_by(Case.process_version_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ProcessVersion, User.display_name, counts.c.open, counts.c.closed)
        .outerjoin(User, User.id == ProcessVersion.deployed_by_id)
        .outerjoin(counts, counts.c.version_id == ProcessVersion.id)
        .where(ProcessVersion.process_id == process_id)
        .order_by(ProcessVersion.version.desc())
    ).all()
    if not rows:
        raise NotFound(f"Proces {process_id!r} is niet uitgerold.")
    newest = rows[0][0].version
    return [
        VersionInfo(
            id=v.id,
            process_id=v.process_id,
            name=v.name,
            version=v.version,
            deployed_at=v.deployed_at,
            deployed_by=who or ("systeem" if v.deployed_by_id is None else None),
            deployment_name=v.deployment_name,
            open_cases=int(open_ or 0),
            closed_cases=int(closed or 0),
            is_latest=v.version == newest,
            files=tuple(sorted(v.sources)),
        )
        for v, who, open_, closed in rows
    ]


def get_version(actor: Actor, process_id: str, version: int) -> ProcessVersion:
    """One version of a process (404 when it does not exist)."""
    require_workbench(actor)
    return find_version(process_id, version)


def find_version(process_id: str, version: int) -> ProcessVersion:
    found = db.session.scalar(
        select(ProcessVersion).where(
            ProcessVersion.process_id == process_id, ProcessVersion.version == version
        )
    )
    if found is None:
        raise NotFound(f"Versie {version} van proces {process_id!r} bestaat niet.")
    return found


def version_file(actor: Actor, process_id: str, version: int, file_name: str) -> str:
    """The XML of one file of a version (to show or download in the modeller)."""
    found = get_version(actor, process_id, version)
    if file_name not in found.sources:
        raise NotFound(f"Versie {version} van {process_id!r} heeft geen bestand {file_name!r}.")
    return found.sources[file_name]


def diff_versions(actor: Actor, process_id: str, old: int, new: int) -> VersionDiff:
    """Added, removed and changed elements from version ``old`` to version ``new``."""
    require_workbench(actor)
    before = find_version(process_id, old)
    after = find_version(process_id, new)
    return VersionDiff(process_id, before, after, diff_sources(before.sources, after.sources))
