"""The evaluation meeting's figures (COVENANT.md §8), aggregated in SQL from the projections.

Every function takes a calendar year and a grain (year, quarter, month) and returns plain
rows, already suppressed (counts of 1 to 4 become None, shown as "<5"; so do medians and
shares over fewer than 5 cases). Groups are corporations (by key), parties (role keys) or
activities; "totaal" is the whole covenant.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, literal, or_, select
from sqlalchemy.sql.elements import ColumnElement

from app.extensions import db
from app.forms.choices import UITKOMST
from app.models import MetricCase, MetricCaseStep, MetricPresence, MetricTask, Organisation
from app.roles import LANE_LABELS
from app.services.metrics import suppression as sup
from app.services.metrics.periods import Grain, Period, periods
from app.services.metrics.sql import Distribution, between, bucket, grouped_percentiles
from app.services.metrics.steps import step_config

TOTAL = "totaal"
TOTAL_LABEL = "Alle partijen"
DAY = 86_400.0
HOUR = 3_600.0
#: medians and P90s are counted on a grid (sql.grouped_percentiles): fine enough for the one
#: decimal the report shows, coarse enough to aggregate 100,000 cases in well under a second
EURO_GRID = 10.0
MONTHS_GRID = 0.1
LEAD_GRID = DAY / 10
WAIT_GRID = DAY / 100
WORK_GRID = HOUR / 10
OPEN_GRID = DAY / 100
OUTCOME_LABELS = dict(UITKOMST)


def role_label(role: str | None) -> str:
    """The Dutch name of a party (its lane label)."""
    if not role:
        return "Onbekende partij"
    return LANE_LABELS.get(role, role)


@dataclass(frozen=True)
class Corporation:
    id: int
    key: str
    name: str
    homes: int | None


def corporations() -> list[Corporation]:
    """The corporations of the covenant, in a fixed order."""
    rows = db.session.execute(
        select(Organisation.id, Organisation.key, Organisation.name, Organisation.homes)
        .where(Organisation.kind == "corporatie")
        .order_by(Organisation.id)
    )
    return [Corporation(*row) for row in rows]


# -- rows ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportCount:
    """Reports (meldingen) in a period, absolute and per 1,000 homes (CV-04, CV-12)."""

    period: str
    group: str
    label: str
    count: int | None
    per_1000_homes: float | None


@dataclass(frozen=True)
class OutcomeCount:
    """Cases closed in a period with this outcome (§3 E)."""

    period: str
    group: str
    outcome: str
    label: str
    count: int | None


@dataclass(frozen=True)
class ArrearsAtReport:
    """Arrears at the moment of the report: are reports getting earlier (CV-04)?"""

    period: str
    group: str
    label: str
    n: int | None
    median_euro: float | None
    p90_euro: float | None
    median_months: float | None


@dataclass(frozen=True)
class ChildrenShare:
    """Reported households with children under 18 (CV-02)."""

    period: str
    group: str
    label: str
    reports: int | None
    with_children: int | None
    share: float | None


@dataclass(frozen=True)
class LeadTime:
    """Calendar days from the report to the first time a case reached a step."""

    period: str
    group: str
    label: str
    step: str
    step_label: str
    n: int | None
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class Compliance:
    """Tasks with a deadline completed in a period, and how many in time (CV-10, CV-26)."""

    period: str
    group: str
    label: str
    role: str
    n: int | None
    on_time: int | None
    share_on_time: float | None
    #: median working days past the deadline, over the late ones
    median_late_workdays: float | None


@dataclass(frozen=True)
class WaitWork:
    """Waiting (created -> claimed) and working (claimed -> completed) time per party."""

    period: str
    group: str
    label: str
    n: int | None
    wait_median_days: float | None
    wait_p90_days: float | None
    work_median_hours: float | None
    work_p90_hours: float | None


@dataclass(frozen=True)
class OpenAtMonthEnd:
    """Cases open at a party at the end of a month (capacity, CV-10)."""

    period: str
    group: str
    label: str
    count: int | None


@dataclass(frozen=True)
class Evictions:
    """Evictions, and evictions of tenants who kept the conditions (CV-06: must be 0)."""

    year: int
    evicted: int | None
    evicted_conditions_kept: int | None
    #: True when any tenant who kept the conditions was evicted (shown, never hidden)
    breach: bool


@dataclass(frozen=True)
class ActivityFigure:
    """One diagram element: count, median and P90 time, share overdue (the heatmap)."""

    activity_id: str
    name: str
    role: str
    n: int | None
    median_days: float | None
    p90_days: float | None
    share_overdue: float | None


# -- helpers ------------------------------------------------------------------------------


def _dist(
    d: Distribution | None, scale: float, min_count: int
) -> tuple[int | None, float | None, float | None]:
    if d is None:
        return 0, None, None
    n = sup.count(d.n, min_count)
    median = sup.statistic(d.n, d.median, min_count)
    p90 = sup.statistic(d.n, d.p90, min_count)
    return (
        n,
        round(median / scale, 1) if median is not None else None,
        round(p90 / scale, 1) if p90 is not None else None,
    )


def _grouped_counts(
    time_col: Any,
    group_col: Any,
    ps: Sequence[Period],
    *where: Any,
    extra: Sequence[ColumnElement[Any]] = (),
) -> dict[tuple[int, Any], tuple[int, ...]]:
    """Count (and sum the extra 0/1 expressions) per (period index, group)."""
    inner = (
        select(
            bucket(time_col, ps).label("b"),
            group_col.label("g"),
            *[e.label(f"x{i}") for i, e in enumerate(extra)],
        )
        .where(between(time_col, ps[0].start, ps[-1].end), *where)
        .subquery()
    )
    stmt = select(
        inner.c.b,
        inner.c.g,
        func.count(),
        *[func.coalesce(func.sum(inner.c[f"x{i}"]), 0) for i in range(len(extra))],
    ).group_by(inner.c.b, inner.c.g)
    return {(int(r[0]), r[1]): tuple(int(x) for x in r[2:]) for r in db.session.execute(stmt)}


def _totals(counts: dict[tuple[int, Any], tuple[int, ...]]) -> dict[int, tuple[int, ...]]:
    totals: dict[int, list[int]] = defaultdict(list)
    for (b, _g), values in counts.items():
        current = totals[b]
        if not current:
            current.extend(values)
        else:
            for i, v in enumerate(values):
                current[i] += v
    return {b: tuple(v) for b, v in totals.items()}


def _flag(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return case((condition, 1), else_=0)


def _of_corporation(column: Any, corporation_id: int | None) -> list[ColumnElement[bool]]:
    """The filter on one corporation's cases, or none."""
    return [] if corporation_id is None else [column == corporation_id]


# -- volumes ------------------------------------------------------------------------------


def reports(
    year: int, grain: Grain = "year", *, min_count: int = sup.MIN_COUNT
) -> list[ReportCount]:
    """Reports per corporation and in total, absolute and per 1,000 homes."""
    ps = periods(year, grain)
    corps = corporations()
    counts = _grouped_counts(
        MetricCase.reported_at, MetricCase.corporation_id, ps, MetricCase.reported_at.is_not(None)
    )
    totals = _totals(counts)
    all_homes = sum(c.homes or 0 for c in corps)
    rows = []
    for i, p in enumerate(ps):
        for c in corps:
            n = counts.get((i, c.id), (0,))[0]
            rows.append(_report_row(p, c.key, c.name, n, c.homes, min_count))
        rows.append(
            _report_row(p, TOTAL, "Alle corporaties", totals.get(i, (0,))[0], all_homes, min_count)
        )
    return rows


def _report_row(
    p: Period, key: str, label: str, n: int, homes: int | None, min_count: int
) -> ReportCount:
    shown = sup.count(n, min_count)
    rate = round(1000 * n / homes, 2) if homes and shown is not None else None
    return ReportCount(p.key, key, label, shown, rate)


def outcomes(
    year: int, grain: Grain = "year", *, min_count: int = sup.MIN_COUNT
) -> list[OutcomeCount]:
    """Closed cases per outcome, per corporation and in total."""
    ps = periods(year, grain)
    corps = corporations()
    inner = (
        select(
            bucket(MetricCase.closed_at, ps).label("b"),
            MetricCase.corporation_id.label("g"),
            func.coalesce(MetricCase.outcome, "onbekend").label("o"),
        )
        .where(between(MetricCase.closed_at, ps[0].start, ps[-1].end))
        .subquery()
    )
    stmt = select(inner.c.b, inner.c.g, inner.c.o, func.count()).group_by(
        inner.c.b, inner.c.g, inner.c.o
    )
    counts: dict[tuple[int, int, str], int] = {
        (int(b), g, o): int(n) for b, g, o, n in db.session.execute(stmt)
    }
    seen = sorted({o for (_b, _g, o) in counts}, key=_outcome_order)
    rows = []
    for i, p in enumerate(ps):
        for outcome in seen:
            label = OUTCOME_LABELS.get(outcome, outcome)
            total = 0
            for c in corps:
                n = counts.get((i, c.id, outcome), 0)
                total += n
                rows.append(OutcomeCount(p.key, c.key, outcome, label, sup.count(n, min_count)))
            rows.append(OutcomeCount(p.key, TOTAL, outcome, label, sup.count(total, min_count)))
    return rows


def _outcome_order(outcome: str) -> tuple[int, str]:
    keys = [k for k, _ in UITKOMST]
    return (keys.index(outcome) if outcome in keys else len(keys), outcome)


def arrears_at_report(
    year: int, grain: Grain = "year", *, min_count: int = sup.MIN_COUNT
) -> list[ArrearsAtReport]:
    """Median and P90 arrears (euros) and median arrears in months at the report."""
    ps = periods(year, grain)
    corps = corporations()
    base = [MetricCase.reported_at.is_not(None)]
    source = (
        select(
            bucket(MetricCase.reported_at, ps).label("b"),
            MetricCase.corporation_id.label("g"),
            literal(TOTAL).label("t"),
            MetricCase.arrears_amount.label("v"),
            MetricCase.arrears_months.label("m"),
        )
        .where(between(MetricCase.reported_at, ps[0].start, ps[-1].end), *base)
        .subquery()
    )
    euros = grouped_percentiles(source, ["b", "g"], "v", resolution=EURO_GRID)
    euros_total = grouped_percentiles(source, ["b", "t"], "v", resolution=EURO_GRID)
    months = grouped_percentiles(source, ["b", "g"], "m", resolution=MONTHS_GRID)
    months_total = grouped_percentiles(source, ["b", "t"], "m", resolution=MONTHS_GRID)
    rows = []
    for i, p in enumerate(ps):
        groups: list[tuple[str, str, Any]] = [(c.key, c.name, c.id) for c in corps]
        groups.append((TOTAL, "Alle corporaties", None))
        for key, label, gid in groups:
            e = euros_total.get((i, TOTAL)) if gid is None else euros.get((i, gid))
            m = months_total.get((i, TOTAL)) if gid is None else months.get((i, gid))
            n, median, p90 = _dist(e, 1.0, min_count)
            _mn, median_months, _mp = _dist(m, 1.0, min_count)
            rows.append(ArrearsAtReport(p.key, key, label, n, median, p90, median_months))
    return rows


def children(
    year: int, grain: Grain = "year", *, min_count: int = sup.MIN_COUNT
) -> list[ChildrenShare]:
    """Reported households with children under 18, per corporation and in total (CV-02)."""
    ps = periods(year, grain)
    corps = corporations()
    counts = _grouped_counts(
        MetricCase.reported_at,
        MetricCase.corporation_id,
        ps,
        MetricCase.reported_at.is_not(None),
        extra=[_flag(MetricCase.children.is_(True))],
    )
    totals = _totals(counts)
    rows = []
    for i, p in enumerate(ps):
        groups: list[tuple[str, str, tuple[int, ...]]] = [
            (c.key, c.name, counts.get((i, c.id), (0, 0))) for c in corps
        ]
        groups.append((TOTAL, "Alle corporaties", totals.get(i, (0, 0))))
        for key, label, (n, kids) in groups:
            rows.append(_children_row(p, key, label, n, kids, min_count))
    return rows


def _children_row(
    p: Period, key: str, label: str, n: int, kids: int, min_count: int
) -> ChildrenShare:
    shown_kids = sup.count(kids, min_count)
    return ChildrenShare(
        p.key,
        key,
        label,
        sup.count(n, min_count),
        shown_kids,
        # a share of 1 to 4 households would give their number away
        sup.share(kids, n, min_count) if shown_kids is not None else None,
    )


def evictions(
    year: int, *, min_count: int = sup.MIN_COUNT, corporation_id: int | None = None
) -> Evictions:
    """Evictions closed in the year; those of tenants who kept the conditions break CV-06."""
    p = periods(year, "year")[0]
    evicted, kept = db.session.execute(
        select(
            func.count(), func.coalesce(func.sum(_flag(MetricCase.conditions_kept.is_(True))), 0)
        ).where(
            between(MetricCase.closed_at, p.start, p.end),
            MetricCase.outcome == "ontruimd",
            *_of_corporation(MetricCase.corporation_id, corporation_id),
        )
    ).one()
    return Evictions(
        year, sup.count(int(evicted), min_count), sup.count(int(kept), min_count), int(kept) > 0
    )


# -- times --------------------------------------------------------------------------------


def lead_times(
    year: int,
    grain: Grain = "year",
    *,
    by_corporation: bool = False,
    min_count: int = sup.MIN_COUNT,
) -> list[LeadTime]:
    """Days from the report to each step (median, P90), counted when the step was reached."""
    ps = periods(year, grain)
    config = step_config()
    step_table = MetricCaseStep
    group = MetricCase.corporation_id if by_corporation else literal(TOTAL)
    source = (
        select(
            bucket(step_table.first_at, ps).label("b"),
            group.label("g"),
            step_table.step.label("s"),
            step_table.lead_s.label("v"),
        )
        .join(MetricCase, MetricCase.case_id == step_table.case_id)
        .where(
            between(step_table.first_at, ps[0].start, ps[-1].end),
            step_table.step.in_([s.key for s in config.measured]),
            MetricCase.reported_at.is_not(None),
            step_table.first_at >= MetricCase.reported_at,
        )
        .subquery()
    )
    dists = grouped_percentiles(source, ["b", "g", "s"], resolution=LEAD_GRID)
    groups: list[tuple[str, str, Any]] = (
        [(c.key, c.name, c.id) for c in corporations()]
        if by_corporation
        else [(TOTAL, "Alle corporaties", TOTAL)]
    )
    rows = []
    for i, p in enumerate(ps):
        for key, label, gid in groups:
            for step in config.measured:
                n, median, p90 = _dist(dists.get((i, gid, step.key)), DAY, min_count)
                rows.append(LeadTime(p.key, key, label, step.key, step.label, n, median, p90))
    return rows


def compliance(
    year: int,
    grain: Grain = "year",
    *,
    by: str = "role",
    min_count: int = sup.MIN_COUNT,
    corporation_id: int | None = None,
) -> list[Compliance]:
    """Deadline compliance of tasks completed in the period, on the working-day calendar.

    ``by``: "role" (per party), "activity" (per party and step), or "corporation" (the
    corporations' own tasks, per corporation). Deadlines are the diagrams' due dates, set in
    working days (CV-10, CV-26). ``corporation_id``: only that corporation's cases.
    """
    if by not in ("role", "activity", "corporation"):
        raise ValueError("by must be role, activity or corporation")
    ps = periods(year, grain)
    t = MetricTask
    role = func.coalesce(t.role, "onbekend")
    if by == "role":
        group: Any = role
    elif by == "activity":
        group = t.activity_id
    else:
        group = t.corporation_id
    where: list[Any] = [t.due_at.is_not(None), t.completed_at.is_not(None)]
    where += _of_corporation(t.corporation_id, corporation_id)
    if by == "corporation":
        where.append(t.role == "corporatie")
    inner = (
        select(
            bucket(t.completed_at, ps).label("b"),
            group.label("g"),
            role.label("r"),
            _flag(t.completed_at <= t.due_at).label("ok"),
            t.late_workdays.label("late"),
        )
        .where(between(t.completed_at, ps[0].start, ps[-1].end), *where)
        .subquery()
    )
    stmt = select(inner.c.b, inner.c.g, inner.c.r, func.count(), func.sum(inner.c.ok)).group_by(
        inner.c.b, inner.c.g, inner.c.r
    )
    counts = {(int(b), g, r): (int(n), int(ok or 0)) for b, g, r, n, ok in db.session.execute(stmt)}
    late_source = select(inner).where(inner.c.ok == 0).subquery()
    late = grouped_percentiles(late_source, ["b", "g", "r"], "late", resolution=1.0)
    labels = _group_labels(by)
    every_corporation = (
        [(c.id, "corporatie") for c in corporations()] if by == "corporation" else None
    )
    rows = []
    for i, p in enumerate(ps):
        keys = every_corporation
        if keys is None:
            keys = sorted(
                {(g, r) for (b, g, r) in counts if b == i}, key=lambda k: (k[1], str(k[0]))
            )
        for g, r in keys:
            n, ok = counts.get((i, g, r), (0, 0))
            key, label = labels(g, r)
            rows.append(_compliance_row(p, key, label, r, n, ok, late.get((i, g, r)), min_count))
    return rows


def _compliance_row(
    p: Period,
    key: str,
    label: str,
    role: str,
    n: int,
    ok: int,
    late: Distribution | None,
    min_count: int,
) -> Compliance:
    median_late = sup.statistic(late.n, late.median, min_count) if late is not None else None
    return Compliance(
        p.key,
        key,
        label,
        role,
        sup.count(n, min_count),
        sup.count(ok, min_count) if n >= min_count else None,
        sup.share(ok, n, min_count),
        round(median_late, 1) if median_late is not None else None,
    )


def _group_labels(by: str) -> Any:
    if by == "corporation":
        corps = {c.id: c for c in corporations()}

        def corporation(g: Any, _r: str) -> tuple[str, str]:
            c = corps.get(g)
            return (c.key, c.name) if c else (str(g), str(g))

        return corporation
    if by == "activity":
        names: dict[str, str | None] = {
            a: n
            for a, n in db.session.execute(
                select(MetricTask.activity_id, func.max(MetricTask.activity_name)).group_by(
                    MetricTask.activity_id
                )
            )
        }
        return lambda g, _r: (str(g), names.get(g) or str(g))
    return lambda g, _r: (str(g), role_label(g))


def waiting_and_working(
    year: int,
    grain: Grain = "year",
    *,
    min_count: int = sup.MIN_COUNT,
    corporation_id: int | None = None,
) -> list[WaitWork]:
    """Per party: days a task waited to be picked up, hours it was worked on (claim -> done)."""
    ps = periods(year, grain)
    t = MetricTask
    source = (
        select(
            bucket(t.completed_at, ps).label("b"),
            func.coalesce(t.role, "onbekend").label("g"),
            t.wait_s.label("wait"),
            t.work_s.label("work"),
        )
        .where(
            between(t.completed_at, ps[0].start, ps[-1].end),
            *_of_corporation(t.corporation_id, corporation_id),
        )
        .subquery()
    )
    waits = grouped_percentiles(source, ["b", "g"], "wait", resolution=WAIT_GRID)
    works = grouped_percentiles(source, ["b", "g"], "work", resolution=WORK_GRID)
    rows = []
    for i, p in enumerate(ps):
        for (b, g), wait in sorted(waits.items(), key=lambda kv: str(kv[0][1])):
            if b != i:
                continue
            n, wait_median, wait_p90 = _dist(wait, DAY, min_count)
            _n, work_median, work_p90 = _dist(works.get((b, g)), HOUR, min_count)
            rows.append(
                WaitWork(p.key, g, role_label(g), n, wait_median, wait_p90, work_median, work_p90)
            )
    return rows


# -- capacity -----------------------------------------------------------------------------


def open_per_party(
    year: int, *, min_count: int = sup.MIN_COUNT, corporation_id: int | None = None
) -> list[OpenAtMonthEnd]:
    """Cases open at each party at each month end, and all open cases (CV-10)."""
    ps = periods(year, "month")
    start = ps[0].start
    pr = MetricPresence
    open_rows = _open_series(
        pr.role, pr.started_at, pr.ended_at, ps, start,
        *_of_corporation(pr.corporation_id, corporation_id),
    )  # fmt: skip
    mc = MetricCase
    total_rows = _open_series(
        literal(TOTAL), mc.started_at, mc.closed_at, ps, start,
        *_of_corporation(mc.corporation_id, corporation_id),
    )  # fmt: skip
    rows = []
    roles = sorted(
        {g for g, _ in open_rows},
        key=lambda r: list(LANE_LABELS).index(r) if r in LANE_LABELS else 99,
    )
    for i, p in enumerate(ps):
        for role in roles:
            rows.append(
                OpenAtMonthEnd(
                    p.key, role, role_label(role), sup.count(open_rows.get((role, i), 0), min_count)
                )
            )
        rows.append(
            OpenAtMonthEnd(
                p.key, TOTAL, "Alle open zaken", sup.count(total_rows.get((TOTAL, i), 0), min_count)
            )
        )
    return rows


def _open_series(
    group: Any, started: Any, ended: Any, ps: Sequence[Period], start: Any, *where: Any
) -> dict[tuple[Any, int], int]:
    """Open at each period end = open at the start + started - ended up to that end."""
    baseline: dict[Any, int] = {
        g: int(n)
        for g, n in db.session.execute(
            select(group.label("g"), func.count())
            .where(started < start, or_(ended.is_(None), ended >= start), *where)
            .group_by(group)
        )
    }
    opened = _grouped_counts(started, group, ps, *where)
    closed = _grouped_counts(ended, group, ps, ended.is_not(None), *where)
    groups = set(baseline) | {g for _b, g in opened} | {g for _b, g in closed}
    series: dict[tuple[Any, int], int] = {}
    for g in groups:
        level = int(baseline.get(g, 0))
        for i in range(len(ps)):
            level += opened.get((i, g), (0,))[0] - closed.get((i, g), (0,))[0]
            series[(g, i)] = level
    return series


# -- the heatmap --------------------------------------------------------------------------


def activity_figures(year: int, *, min_count: int = sup.MIN_COUNT) -> list[ActivityFigure]:
    """Per diagram element: tasks completed, median and P90 days open, share overdue."""
    p = periods(year, "year")[0]
    t = MetricTask
    where = between(t.completed_at, p.start, p.end)
    source = (
        select(
            t.activity_id.label("a"),
            t.open_s.label("v"),
        )
        .where(where)
        .subquery()
    )
    dists = grouped_percentiles(source, ["a"], resolution=OPEN_GRID)
    overdue = {
        a: (int(n), int(late or 0))
        for a, n, late in db.session.execute(
            select(
                t.activity_id,
                func.count(),
                func.sum(_flag(t.completed_at > t.due_at)),
            )
            .where(where, t.due_at.is_not(None))
            .group_by(t.activity_id)
        )
    }
    meta = {
        a: (name, role)
        for a, name, role in db.session.execute(
            select(t.activity_id, func.max(t.activity_name), func.max(t.role))
            .where(where)
            .group_by(t.activity_id)
        )
    }
    rows = []
    for (activity,), dist in sorted(dists.items()):
        n, median, p90 = _dist(dist, DAY, min_count)
        name, role = meta.get(activity, (activity, None))
        with_due, late = overdue.get(activity, (0, 0))
        rows.append(
            ActivityFigure(
                activity,
                name or activity,
                role or "onbekend",
                n,
                median,
                p90,
                sup.share(late, with_due, min_count),
            )
        )
    return rows
