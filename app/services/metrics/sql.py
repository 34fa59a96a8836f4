"""SQL building blocks that work the same on SQLite and PostgreSQL.

Periods are bucketed with a CASE over UTC boundary instants (exact Amsterdam months on both
databases); durations are seconds between two timestamps; percentiles are linear
interpolation between closest ranks (PostgreSQL's ``percentile_cont``), computed in the
database: ``percentile_cont`` on PostgreSQL, window functions on SQLite.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Integer, case, cast, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

from app.extensions import db
from app.services.metrics.periods import Period


def dialect() -> str:
    return str(db.session.get_bind().dialect.name)


def bucket(column: Any, periods: Sequence[Period]) -> ColumnElement[Any]:
    """The 0-based index of the period the moment falls in (rows are filtered to the range)."""
    if len(periods) == 1:
        return literal(0)
    whens = [(column < p.end, i) for i, p in enumerate(periods[:-1])]
    return case(*whens, else_=len(periods) - 1)


def seconds_between(start: Any, end: Any) -> ColumnElement[float]:
    """end - start in seconds, as a float."""
    if dialect() == "postgresql":
        return cast(func.extract("epoch", end - start), Float)
    return cast((func.julianday(end) - func.julianday(start)) * 86400.0, Float)


@dataclass(frozen=True)
class Distribution:
    """Count, median and 90th percentile of one group's values (raw: not yet suppressed)."""

    n: int
    median: float | None
    p90: float | None


def grouped_percentiles(
    source: Subquery, keys: Sequence[str], value: str = "v", *, resolution: float | None = None
) -> dict[tuple[Any, ...], Distribution]:
    """Median and P90 of ``source.c[value]`` per combination of ``keys`` (NULLs skipped).

    With a ``resolution`` the values are first rounded to it and counted (a GROUP BY, no sort
    of every row): exact for values on that grid (whole euros, working days), otherwise off by
    at most half the resolution, which is kept well below what the report shows.
    """
    if resolution is not None:
        return _histogram_percentiles(source, keys, value, resolution)
    cols = [source.c[k] for k in keys]
    v = source.c[value]
    if dialect() == "postgresql":
        stmt = (
            select(
                *cols,
                func.count(v),
                func.percentile_cont(0.5).within_group(v),
                func.percentile_cont(0.9).within_group(v),
            )
            .where(v.is_not(None))
            .group_by(*cols)
        )
        return {
            tuple(row[: len(keys)]): Distribution(int(row[-3]), row[-2], row[-1])
            for row in db.session.execute(stmt)
        }
    return _sqlite_percentiles(source, keys, value)


def _sqlite_percentiles(
    source: Subquery, keys: Sequence[str], value: str
) -> dict[tuple[Any, ...], Distribution]:
    cols = [source.c[k] for k in keys]
    v = source.c[value]
    ranked = (
        select(
            *cols,
            v.label("v"),
            (func.row_number().over(partition_by=cols, order_by=v) - 1).label("rn"),
            func.count().over(partition_by=cols).label("n"),
        )
        .where(v.is_not(None))
        .subquery()
    )
    rn, n = ranked.c.rn, ranked.c.n
    wanted = []
    for q in (0.5, 0.9):
        low = cast((n - 1) * q, Integer)  # floor: the operand is never negative
        wanted += [rn == low, rn == low + 1]
    stmt = select(*[ranked.c[k] for k in keys], ranked.c.n, ranked.c.rn, ranked.c.v).where(
        or_(*wanted)
    )
    picked: dict[tuple[Any, ...], tuple[int, dict[int, float]]] = {}
    for row in db.session.execute(stmt):
        key = tuple(row[: len(keys)])
        count, rank, val = int(row[-3]), int(row[-2]), float(row[-1])
        picked.setdefault(key, (count, {}))[1][rank] = val
    return {
        key: Distribution(count, _interpolate(ranks, count, 0.5), _interpolate(ranks, count, 0.9))
        for key, (count, ranks) in picked.items()
    }


def grid_bin(value: Any, grid: float) -> ColumnElement[Any]:
    """The grid point a value rounds to (times ``grid`` gives the value back).

    Whole-number columns on a whole-number grid use integer arithmetic (floor of v + g/2,
    the same on SQLite and PostgreSQL, and cheap); other values use ROUND.
    """
    if isinstance(getattr(value, "type", None), Integer) and float(grid).is_integer():
        step = int(grid)
        return (value + step // 2) // literal(step, Integer) if step > 1 else value
    return func.round(value / grid)


def _histogram_percentiles(
    source: Subquery, keys: Sequence[str], value: str, resolution: float
) -> dict[tuple[Any, ...], Distribution]:
    cols = [source.c[k] for k in keys]
    v = source.c[value]
    binned = select(*cols, grid_bin(v, resolution).label("hist_bin")).where(v.is_not(None))
    inner = binned.subquery()
    group = [inner.c[k] for k in keys]
    stmt = select(*group, inner.c.hist_bin, func.count()).group_by(*group, inner.c.hist_bin)
    histograms: dict[tuple[Any, ...], list[tuple[float, int]]] = {}
    for row in db.session.execute(stmt):
        key = tuple(row[: len(keys)])
        histograms.setdefault(key, []).append((float(row[-2]) * resolution, int(row[-1])))
    return {key: distribution(bins) for key, bins in histograms.items()}


def distribution(bins: Sequence[tuple[float, int]]) -> Distribution:
    """Count, median and P90 of counted values (value, count); bins may repeat a value."""
    ordered = sorted(bins)
    n = sum(count for _, count in ordered)
    if n == 0:
        return Distribution(0, None, None)
    return Distribution(n, _from_bins(ordered, n, 0.5), _from_bins(ordered, n, 0.9))


def _from_bins(bins: Sequence[tuple[float, int]], n: int, q: float) -> float:
    """The q-th percentile (linear interpolation between closest ranks) of counted values."""
    position = (n - 1) * q
    low = math.floor(position)
    fraction = position - low
    below, low_value, high_value = 0, None, None
    for value, count in bins:
        if low_value is None and low < below + count:
            low_value = value
        if low + 1 < below + count:
            high_value = value
            break
        below += count
    assert low_value is not None
    if fraction == 0 or high_value is None:
        return low_value
    return low_value + fraction * (high_value - low_value)


def _interpolate(ranks: dict[int, float], n: int, q: float) -> float:
    position = (n - 1) * q
    low = math.floor(position)
    fraction = position - low
    if fraction == 0 or low + 1 not in ranks:
        return ranks[low]
    return ranks[low] + fraction * (ranks[low + 1] - ranks[low])


def between(column: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    """start <= column < end."""
    return (column >= start) & (column < end)


def count_in(column: Any, period: Period) -> int:
    """How many rows have ``column`` in the period."""
    stmt = select(func.count()).where(between(column, period.start, period.end))
    return int(db.session.scalar(stmt) or 0)
