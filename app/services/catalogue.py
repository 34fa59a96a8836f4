"""The process catalogue: versions, who deployed them, open cases per version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.extensions import db
from app.models import CASE_OPEN, Case, ProcessVersion, User


@dataclass(frozen=True)
class VersionRow:
    process_id: str
    name: str
    version: int
    deployed_at: datetime
    deployed_by: str | None
    open_cases: int
    startable: bool


def process_overview() -> list[VersionRow]:
    """Every deployed version, newest first per process, with its open cases."""
    open_counts = (
        select(Case.process_version_id, func.count().label("n"))
        .where(Case.status == CASE_OPEN)
        .group_by(Case.process_version_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ProcessVersion, User.display_name, func.coalesce(open_counts.c.n, 0))
        .outerjoin(User, User.id == ProcessVersion.deployed_by_id)
        .outerjoin(open_counts, open_counts.c.process_version_id == ProcessVersion.id)
        .order_by(ProcessVersion.process_id, ProcessVersion.version.desc())
    ).all()
    return [
        VersionRow(
            process_id=v.process_id,
            name=v.name,
            version=v.version,
            deployed_at=v.deployed_at,
            deployed_by=who,
            open_cases=int(n),
            startable=bool(v.summary.get("startable")),
        )
        for v, who, n in rows
    ]
