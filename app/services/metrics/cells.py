"""Per-month cells: counts and value histograms of the projection (the dashboard's input).

A year's dashboard asks for distributions (lead times, waiting, working and open time, working
days late, arrears) per party, step and corporation. Scanning the 600,000 task rows of a busy
year for each of them takes over half a second; the cells (``metric_cells``) hold the same
counts per Amsterdam month and key, on the grids the figures use, so a year is a few thousand
rows and counts and histograms add up to quarters and years.

``rebuild(touched)`` recomputes the cells of the months a refresh changed, from the projection
tables, in SQL (DELETE, then INSERT ... SELECT ... GROUP BY), inside the refresh's transaction:
the cells never disagree with the rows they summarise. Which months a refresh changed is
collected by ``projection`` as it folds events (``Touched``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, String, case, delete, func, insert, literal, select
from sqlalchemy.sql import Select

from app.extensions import db
from app.models import MetricCase, MetricCaseStep, MetricCell, MetricTask
from app.services.metrics import figures as f
from app.services.metrics.sql import grid_bin

#: the cell kinds built from each projection table
TASK_KINDS = ("task", "late", "wait", "work", "open")
CASE_KINDS = ("report", "euro", "arrears_months")
STEP_KINDS = ("lead",)

_COLUMNS = ("month", "kind", "role", "key", "corporation_id", "bin", "n", "flagged", "ok", "label")
_CHUNK = 200  # months per IN (...) list


@dataclass
class Touched:
    """The months (YYYYMM) whose cells a refresh must recompute, per source table."""

    tasks: set[int] = field(default_factory=set)
    cases: set[int] = field(default_factory=set)
    steps: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.tasks or self.cases or self.steps)

    def update(self, other: Touched) -> None:
        self.tasks |= other.tasks
        self.cases |= other.cases
        self.steps |= other.steps


def rebuild(touched: Touched) -> int:
    """Recompute the cells of the touched months; returns how many months were rebuilt."""
    builds: list[tuple[tuple[str, ...], set[int], Callable[[list[int]], list[Select[Any]]]]] = [
        (TASK_KINDS, touched.tasks, _task_cells),
        (CASE_KINDS, touched.cases, _case_cells),
        (STEP_KINDS, touched.steps, _step_cells),
    ]
    for kinds, months, selects in builds:
        for chunk in _chunks(sorted(m for m in months if m is not None)):
            db.session.execute(
                delete(MetricCell)
                .where(MetricCell.kind.in_(kinds), MetricCell.month.in_(chunk))
                .execution_options(synchronize_session=False)
            )
            for stmt in selects(chunk):
                db.session.execute(insert(MetricCell).from_select(list(_COLUMNS), stmt))
    return len(touched.tasks | touched.cases | touched.steps)


def rebuild_all() -> int:
    """Recompute every month's cells from the projection (after a change of steps or grids)."""
    db.session.execute(delete(MetricCell).execution_options(synchronize_session=False))
    t, c, s = MetricTask, MetricCase, MetricCaseStep
    touched = Touched(
        tasks=_months(select(t.completed_month).where(t.completed_month.is_not(None))),
        cases=_months(select(c.reported_month).where(c.reported_month.is_not(None))),
        steps=_months(select(s.first_month).where(s.first_month.is_not(None))),
    )
    return rebuild(touched)


def _months(stmt: Select[Any]) -> set[int]:
    return {int(m) for m in db.session.scalars(stmt.distinct())}


def _chunks(items: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _grouped(inner: Any, kind: str, *, counts: bool = False) -> Select[Any]:
    """SELECT month, kind, role, key, corporation, bin, count(*)[, flags] ... GROUP BY keys.

    ``inner`` is a subquery with the columns month, role, key, corporation_id and bin (any of
    role/key/corporation_id/bin may be NULL constants); with ``counts`` also flagged, ok, label.
    """
    keys = [inner.c.month, inner.c.role, inner.c.key, inner.c.corporation_id, inner.c.bin]
    extra: list[Any] = (
        [func.sum(inner.c.flagged), func.sum(inner.c.ok), func.max(inner.c.label)]
        if counts
        else [_none(Integer), _none(Integer), _none()]
    )
    return select(
        inner.c.month, literal(kind), inner.c.role, inner.c.key, inner.c.corporation_id,
        inner.c.bin, func.count(), *extra,
    ).group_by(*keys)  # fmt: skip


def _none(type_: Any = String) -> Any:
    """A typed NULL (PostgreSQL reads an untyped one in a subquery as text)."""
    return literal(None, type_)


def _task_cells(months: list[int]) -> list[Select[Any]]:
    t = MetricTask
    done = (t.completed_month.in_(months),)
    role = func.coalesce(t.role, "onbekend")
    no_int = _none(Integer)
    counts = (
        select(
            t.completed_month.label("month"),
            role.label("role"),
            t.activity_id.label("key"),
            t.corporation_id.label("corporation_id"),
            no_int.label("bin"),
            case((t.due_at.is_not(None), 1), else_=0).label("flagged"),
            case((t.completed_at <= t.due_at, 1), else_=0).label("ok"),
            t.activity_name.label("label"),
        )
        .where(*done)
        .subquery()
    )
    late = (
        select(
            t.completed_month.label("month"), role.label("role"), t.activity_id.label("key"),
            t.corporation_id.label("corporation_id"), t.late_workdays.label("bin"),
        )
        .where(*done, t.due_at.is_not(None), t.completed_at > t.due_at,
               t.late_workdays.is_not(None))
        .subquery()
    )  # fmt: skip

    def histogram(value: Any, grid: float, *, by_role: bool) -> Any:
        return (
            select(
                t.completed_month.label("month"),
                (role if by_role else _none()).label("role"),
                (_none() if by_role else t.activity_id).label("key"),
                (t.corporation_id if by_role else no_int).label("corporation_id"),
                grid_bin(value, grid).label("bin"),
            )
            .where(*done, value.is_not(None))
            .subquery()
        )

    return [
        _grouped(counts, "task", counts=True),
        _grouped(late, "late"),
        _grouped(histogram(t.wait_s, f.WAIT_GRID, by_role=True), "wait"),
        _grouped(histogram(t.work_s, f.WORK_GRID, by_role=True), "work"),
        _grouped(histogram(t.open_s, f.OPEN_GRID, by_role=False), "open"),
    ]


def _case_cells(months: list[int]) -> list[Select[Any]]:
    c = MetricCase
    reported = (c.reported_month.in_(months),)
    no_text, no_int = _none(), _none(Integer)
    reports = (
        select(
            c.reported_month.label("month"), no_text.label("role"), no_text.label("key"),
            c.corporation_id.label("corporation_id"), no_int.label("bin"),
            case((c.children.is_(True), 1), else_=0).label("flagged"),
            no_int.label("ok"), no_text.label("label"),
        )
        .where(*reported)
        .subquery()
    )  # fmt: skip

    def histogram(value: Any, grid: float) -> Any:
        return (
            select(
                c.reported_month.label("month"), no_text.label("role"), no_text.label("key"),
                c.corporation_id.label("corporation_id"), grid_bin(value, grid).label("bin"),
            )
            .where(*reported, value.is_not(None))
            .subquery()
        )  # fmt: skip

    return [
        _grouped(reports, "report", counts=True),
        _grouped(histogram(c.arrears_amount, f.EURO_GRID), "euro"),
        _grouped(histogram(c.arrears_months, f.MONTHS_GRID), "arrears_months"),
    ]


def _step_cells(months: list[int]) -> list[Select[Any]]:
    s, c = MetricCaseStep, MetricCase
    lead = (
        select(
            s.first_month.label("month"), _none().label("role"), s.step.label("key"),
            c.corporation_id.label("corporation_id"), grid_bin(s.lead_s, f.LEAD_GRID).label("bin"),
        )
        .join(c, c.case_id == s.case_id)
        .where(s.first_month.in_(months), s.lead_s.is_not(None))
        .subquery()
    )  # fmt: skip
    return [_grouped(lead, "lead")]
