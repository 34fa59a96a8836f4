"""Move running cases to a newer version of their process: a dry run, then the bulk move.

A case moves only when nothing it already did was changed or removed and the place it waits at
still exists (``app.engine.migrate``); every other case stays and finishes on its old version.
Each case moves under its own lock in its own transaction, and each move is written to the
event log (``case_migrated``) and the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Select, select

from app.engine import CaseRuntime
from app.engine.migrate import MigrationRefused, migrate_case
from app.extensions import db
from app.models import CASE_OPEN, Case, ProcessVersion
from app.services import audit
from app.services.actors import Actor
from app.services.engine import (
    add_event,
    load_runtime,
    lock_case,
    open_task_rows,
    save_runtime,
    specs_for,
    sync_tasks,
)
from app.services.workbench import require_workbench
from app.services.workbench.versions import find_version

#: (cases done, cases in all) after each case, for a progress bar
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class CaseMigration:
    """Whether one case can move, and why not."""

    case_id: int
    reference: str
    from_version: int
    movable: bool
    reasons: tuple[str, ...] = ()
    #: open parts whose definition changed: they keep their due dates and timers
    changed_open: tuple[str, ...] = ()


@dataclass(frozen=True)
class MigrationPlan:
    """The dry run: every open case on an older version, movable or not."""

    process_id: str
    to_version: int
    cases: list[CaseMigration]

    @property
    def movable(self) -> list[CaseMigration]:
        return [c for c in self.cases if c.movable]

    @property
    def blocked(self) -> list[CaseMigration]:
        return [c for c in self.cases if not c.movable]


@dataclass
class MigrationResult:
    """What the bulk move did: moved cases, and those that stay on their version."""

    process_id: str
    to_version: int
    moved: list[CaseMigration] = field(default_factory=list)
    stayed: list[CaseMigration] = field(default_factory=list)


def plan_migration(
    actor: Actor,
    process_id: str,
    to_version: int,
    *,
    case_ids: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> MigrationPlan:
    """Dry run: which open cases on older versions could move to ``to_version``, and why not.

    Every case is moved in memory and verified, then thrown away: nothing is written.
    """
    require_workbench(actor)
    target = find_version(process_id, to_version)
    candidates = _candidates(target, case_ids)
    results = []
    for done, (case_id, from_version) in enumerate(candidates, start=1):
        case = db.session.get(Case, case_id)
        assert case is not None  # just listed
        results.append(_try(case, from_version, target, dry_run=True)[0])
        if progress is not None:
            progress(done, len(candidates))
    return MigrationPlan(process_id, to_version, results)


def migrate_cases(
    actor: Actor,
    process_id: str,
    to_version: int,
    *,
    case_ids: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> MigrationResult:
    """Move every movable open case (or those of ``case_ids``) to ``to_version``.

    One transaction per case, each under the case's lock; a case that cannot move is left
    exactly as it was.
    """
    require_workbench(actor)
    target = find_version(process_id, to_version)
    ids = [case_id for case_id, _from in _candidates(target, case_ids)]
    result = MigrationResult(process_id, to_version)
    for done, case_id in enumerate(ids, start=1):
        outcome = migrate_one(actor, case_id, target)
        if outcome.movable:
            result.moved.append(outcome)
            db.session.commit()
        else:
            result.stayed.append(outcome)
            db.session.rollback()
        if progress is not None:
            progress(done, len(ids))
    return result


def migrate_one(actor: Actor, case_id: int, target: ProcessVersion) -> CaseMigration:
    """Move one case under its lock; the caller commits (or rolls back when it stays)."""
    case = lock_case(case_id)
    current = db.session.get(ProcessVersion, case.process_version_id)
    assert current is not None  # a case always has its version (foreign key)
    if not case.is_open or current.process_id != target.process_id:
        return CaseMigration(case.id, case.reference, current.version, False, ("Gesloten.",))
    if current.version >= target.version:
        return CaseMigration(
            case.id, case.reference, current.version, False,
            (f"Staat al op versie {current.version}.",),
        )  # fmt: skip
    existing = open_task_rows(case)
    outcome, runtime = _try(case, current.version, target, dry_run=False)
    if not outcome.movable:
        return outcome
    case.process_version_id = target.id
    sync_tasks(case, runtime, actor=actor, existing=existing)
    for view in runtime.ready_user_tasks():
        row = existing.get(view.task_id)
        if row is not None:  # a task that stays open follows its new definition's name
            row.name = view.name
            row.form_key = view.form_key
            row.process_id = view.process_id
    add_event(
        case, "case_migrated", actor=actor,
        details={
            "process": target.process_id, "from_version": current.version,
            "to_version": target.version,
        },
    )  # fmt: skip
    save_runtime(case, runtime)
    audit.record(
        actor, case_id=case.id, action="write", subject="procesversie",
        reason=f"migratie {target.process_id} v{current.version} naar v{target.version}",
    )  # fmt: skip
    db.session.flush()
    return outcome


def _try(
    case: Case, from_version: int, target: ProcessVersion, *, dry_run: bool
) -> tuple[CaseMigration, CaseRuntime]:
    """Move the case's workflow in memory; the runtime is only worth saving when movable."""
    spec, subs = specs_for(target)
    runtime = load_runtime(case)
    try:
        check = migrate_case(runtime, spec, subs, run_on=not dry_run)
    except MigrationRefused as refused:
        reasons = tuple(str(o) for o in refused.obstacles)
        return CaseMigration(case.id, case.reference, from_version, False, reasons), runtime
    changed = tuple(dict.fromkeys(check.changed_open))
    return CaseMigration(case.id, case.reference, from_version, True, (), changed), runtime


def older_open_cases(process_id: str, to_version: int) -> Select[tuple[int, int]]:
    """(case id, version) of the process's open cases on a version older than ``to_version``."""
    return (
        select(Case.id, ProcessVersion.version)
        .join(ProcessVersion, ProcessVersion.id == Case.process_version_id)
        .where(
            ProcessVersion.process_id == process_id,
            ProcessVersion.version < to_version,
            Case.status == CASE_OPEN,
        )
    )


def _candidates(target: ProcessVersion, case_ids: Sequence[int] | None) -> list[tuple[int, int]]:
    """(case id, version) of the open cases on an older version than the target, oldest first."""
    stmt = older_open_cases(target.process_id, target.version).order_by(Case.id)
    if case_ids is not None:
        stmt = stmt.where(Case.id.in_(list(case_ids)))
    return [(int(case_id), int(version)) for case_id, version in db.session.execute(stmt).all()]
