"""Bulk migration in small batches, so that a page can show progress between them.

Each call moves the next few open cases (by id, after the last one the caller saw) with
``migrate_cases``: every case under its own lock, in its own transaction, audited. The caller
keeps the position; nothing is kept on the server between calls, so any app process may serve
the next batch, and stopping halfway leaves every case either moved or as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select

from app.extensions import db
from app.models import Case
from app.services.actors import Actor
from app.services.workbench import require_workbench
from app.services.workbench.migration import CaseMigration, migrate_cases, older_open_cases
from app.services.workbench.versions import find_version

#: cases moved per call: small enough for a request to answer within a few seconds
BATCH_SIZE = 10
MAX_BATCH_SIZE = 100


@dataclass
class BatchResult:
    """What one batch did, and where the next one starts."""

    moved: list[CaseMigration] = field(default_factory=list)
    stayed: list[CaseMigration] = field(default_factory=list)
    #: the id to pass as ``after`` next time
    last_id: int = 0
    #: candidates after ``last_id``: 0 means done
    remaining: int = 0


def _candidates(process_id: str, to_version: int, after: int) -> Select[tuple[int, int]]:
    return older_open_cases(process_id, to_version).where(Case.id > after)


def _count(process_id: str, to_version: int, after: int) -> int:
    query = _candidates(process_id, to_version, after).subquery()
    return int(db.session.scalar(select(func.count()).select_from(query)) or 0)


def remaining_cases(actor: Actor, process_id: str, to_version: int, *, after: int = 0) -> int:
    """How many open cases on older versions lie after ``after`` (the progress bar's total)."""
    require_workbench(actor)
    find_version(process_id, to_version)
    return _count(process_id, to_version, after)


def migrate_batch(
    actor: Actor, process_id: str, to_version: int, *, after: int = 0, size: int = BATCH_SIZE
) -> BatchResult:
    """Move the next ``size`` open cases after ``after`` to ``to_version`` (each committed)."""
    require_workbench(actor)
    find_version(process_id, to_version)
    size = max(1, min(size, MAX_BATCH_SIZE))
    ids = [
        int(case_id)
        for case_id in db.session.scalars(
            _candidates(process_id, to_version, after).order_by(Case.id).limit(size)
        )
    ]
    result = BatchResult(last_id=ids[-1] if ids else after)
    if ids:
        done = migrate_cases(actor, process_id, to_version, case_ids=ids)
        result.moved, result.stayed = done.moved, done.stayed
    result.remaining = _count(process_id, to_version, result.last_id)
    return result
