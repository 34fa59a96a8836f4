"""The whole year's dashboard in a handful of grouped queries (the fast path).

``figures`` answers one question per query, at one grain; the dashboard asks about forty of
them. Here each base table is read a few times at the finest grain the dashboard needs
(month, party, activity, corporation), as counts and as value histograms on the same grids
as ``figures``; years, quarters and totals are then sums in Python, because counts and
histograms add up. The results are the same rows ``figures`` returns (a test checks that).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Integer, case, func, literal, select, text

from app.extensions import db
from app.models import MetricCase, MetricCaseStep, MetricTask
from app.services.metrics import figures as f
from app.services.metrics import suppression as sup
from app.services.metrics.periods import Period, periods
from app.services.metrics.sql import Distribution, between, dialect, distribution, grid_bin
from app.services.metrics.steps import step_config

Bins = dict[float, int]
Key = tuple[Any, ...]


def _add(target: Bins, bins: Bins) -> None:
    for value, count in bins.items():
        target[value] = target.get(value, 0) + count


def _roll(cells: dict[Key, Bins], key: Callable[[Key], Key | None]) -> dict[Key, Bins]:
    """Sum histograms into coarser keys (None drops the cell)."""
    rolled: dict[Key, Bins] = defaultdict(dict)
    for k, bins in cells.items():
        target = key(k)
        if target is not None:
            _add(rolled[target], bins)
    return rolled


def _histograms(stmt: Any, width: int, grid: float) -> dict[Key, Bins]:
    """Rows (*key, bin, count) -> {key: {value: count}}."""
    cells: dict[Key, Bins] = defaultdict(dict)
    for row in db.session.execute(stmt):
        cells[tuple(row[:width])][float(row[width]) * grid] = int(row[width + 1])
    return cells


def _hist_select(keys: Sequence[Any], value: Any, grid: float, *where: Any) -> Any:
    inner = (
        select(*[k.label(f"k{i}") for i, k in enumerate(keys)],
               grid_bin(value, grid).label("hist_bin"))
        .where(value.is_not(None), *where)
        .subquery()
    )  # fmt: skip
    cols = [inner.c[f"k{i}"] for i in range(len(keys))]
    return select(*cols, inner.c.hist_bin, func.count()).group_by(*cols, inner.c.hist_bin)


def _dist(bins: Bins | None) -> Distribution | None:
    return distribution(list(bins.items())) if bins else None


def _quarter(month_index: int) -> int:
    return month_index // 3


class Cube:
    """The dashboard's figures for one year, from a few grouped queries."""

    def __init__(self, year: int, min_count: int = sup.MIN_COUNT) -> None:
        self.year = year
        self.min_count = min_count
        self.months = periods(year, "month")
        self.quarters = periods(year, "quarter")
        self.whole = periods(year, "year")
        self.corps = f.corporations()
        if dialect() == "postgresql":
            # aggregates of a whole year: room to hash in memory, no JIT compile per query
            db.session.execute(text("SET LOCAL work_mem = '32MB'"))
            db.session.execute(text("SET LOCAL jit = off"))
        self._cases()
        self._tasks()
        self._steps()

    # -- reading ------------------------------------------------------------------------

    def _month(self, yyyymm: Any) -> Any:
        """0 for January of the year ... 11 for December (rows are filtered to the year)."""
        return yyyymm - literal(self.year * 100 + 1, Integer)

    def _cases(self) -> None:
        mc, ps = MetricCase, self.months
        in_year = (between(mc.reported_at, ps[0].start, ps[-1].end),)
        inner = (
            select(
                self._month(mc.reported_month).label("m"),
                mc.corporation_id.label("g"),
                case((mc.children.is_(True), 1), else_=0).label("kids"),
            )
            .where(*in_year)
            .subquery()
        )
        self.reports: dict[Key, tuple[int, int]] = {
            (int(m), g): (int(n), int(kids or 0))
            for m, g, n, kids in db.session.execute(
                select(inner.c.m, inner.c.g, func.count(), func.sum(inner.c.kids)).group_by(
                    inner.c.m, inner.c.g
                )
            )
        }
        quarter = self._month(mc.reported_month) // literal(3, Integer)
        self.euros = _histograms(
            _hist_select([quarter, mc.corporation_id], mc.arrears_amount, f.EURO_GRID, *in_year),
            2, f.EURO_GRID,
        )  # fmt: skip
        self.arrears_months = _histograms(
            _hist_select([quarter, mc.corporation_id], mc.arrears_months, f.MONTHS_GRID,
                         *in_year),
            2, f.MONTHS_GRID,
        )  # fmt: skip

    def _tasks(self) -> None:
        t, ps = MetricTask, self.months
        in_year = between(t.completed_at, ps[0].start, ps[-1].end)
        role = func.coalesce(t.role, "onbekend")
        inner = (
            select(
                self._month(t.completed_month).label("m"),
                role.label("r"),
                t.activity_id.label("a"),
                t.corporation_id.label("c"),
                t.activity_name.label("name"),
                case((t.due_at.is_not(None), 1), else_=0).label("due"),
                case((t.completed_at <= t.due_at, 1), else_=0).label("ok"),
            )
            .where(in_year)
            .subquery()
        )
        keys = [inner.c.m, inner.c.r, inner.c.a, inner.c.c]
        self.task_counts: dict[Key, tuple[int, int, int]] = {}
        self.names: dict[str, str] = {}
        for m, r, a, c, n, due, ok, name in db.session.execute(
            select(*keys, func.count(), func.sum(inner.c.due), func.sum(inner.c.ok),
                   func.max(inner.c.name)).group_by(*keys)
        ):  # fmt: skip
            self.task_counts[(int(m), r, a, c)] = (int(n), int(due or 0), int(ok or 0))
            if name and name > self.names.get(a, ""):
                self.names[a] = name
        late_where = (in_year, t.due_at.is_not(None), t.completed_at > t.due_at)
        self.late = _histograms(
            _hist_select([self._month(t.completed_month), role, t.activity_id, t.corporation_id],
                         t.late_workdays, 1.0, *late_where),
            4, 1.0,
        )  # fmt: skip
        # one hash aggregate each (a GROUPING SETS query sorts all rows: slower on PostgreSQL)
        self.waits = _histograms(_hist_select([role], t.wait_s, f.WAIT_GRID, in_year), 1,
                                 f.WAIT_GRID)  # fmt: skip
        self.works = _histograms(_hist_select([role], t.work_s, f.WORK_GRID, in_year), 1,
                                 f.WORK_GRID)  # fmt: skip
        self.open = _histograms(_hist_select([t.activity_id], t.open_s, f.OPEN_GRID, in_year), 1,
                                f.OPEN_GRID)  # fmt: skip

    def _steps(self) -> None:
        s, mc = MetricCaseStep, MetricCase
        config = step_config()
        measured = [st.key for st in config.measured]
        where = (
            between(s.first_at, self.months[0].start, self.months[-1].end),
            s.step.in_(measured),
            s.lead_s.is_not(None),
        )
        quarter = self._month(s.first_month) // literal(3, Integer)
        self.lead_q = _histograms(
            _hist_select([quarter, s.step], s.lead_s, f.LEAD_GRID, *where), 2, f.LEAD_GRID
        )
        inner = (
            select(s.step.label("k0"), mc.corporation_id.label("k1"),
                   func.round(s.lead_s / f.LEAD_GRID).label("hist_bin"))
            .join(mc, mc.case_id == s.case_id)
            .where(*where)
            .subquery()
        )  # fmt: skip
        cols = [inner.c.k0, inner.c.k1]
        self.lead_corp = _histograms(
            select(*cols, inner.c.hist_bin, func.count()).group_by(*cols, inner.c.hist_bin),
            2, f.LEAD_GRID,
        )  # fmt: skip

    # -- figures ------------------------------------------------------------------------

    def _period_map(self, grain: str) -> tuple[list[Period], Callable[[int], int]]:
        if grain == "year":
            return self.whole, lambda _m: 0
        if grain == "quarter":
            return self.quarters, _quarter
        return self.months, lambda m: m

    def reports_rows(self, grain: str) -> list[f.ReportCount]:
        ps, to = self._period_map(grain)
        counts: dict[Key, int] = defaultdict(int)
        for (m, g), (n, _kids) in self.reports.items():
            counts[(to(m), g)] += n
        all_homes = sum(c.homes or 0 for c in self.corps)
        rows = []
        for i, p in enumerate(ps):
            for c in self.corps:
                rows.append(self._report(p, c.key, c.name, counts[(i, c.id)], c.homes))
            total = sum(counts[(i, c.id)] for c in self.corps)
            rows.append(self._report(p, f.TOTAL, "Alle corporaties", total, all_homes))
        return rows

    def _report(self, p: Period, key: str, label: str, n: int, homes: int | None) -> Any:
        shown = sup.count(n, self.min_count)
        rate = round(1000 * n / homes, 2) if homes and shown is not None else None
        return f.ReportCount(p.key, key, label, shown, rate)

    def children_rows(self) -> list[f.ChildrenShare]:
        m = self.min_count
        per: dict[Any, tuple[int, int]] = {}
        for (_m, g), (n, kids) in self.reports.items():
            a, b = per.get(g, (0, 0))
            per[g] = (a + n, b + kids)
        groups: list[tuple[str, str, tuple[int, int]]] = [
            (c.key, c.name, per.get(c.id, (0, 0))) for c in self.corps
        ]
        total = (sum(v[0] for v in per.values()), sum(v[1] for v in per.values()))
        groups.append((f.TOTAL, "Alle corporaties", total))
        rows = []
        for key, label, (n, kids) in groups:
            shown_kids = sup.count(kids, m)
            share = sup.share(kids, n, m) if shown_kids is not None else None
            rows.append(
                f.ChildrenShare(str(self.year), key, label, sup.count(n, m), shown_kids, share)
            )
        return rows

    def arrears_rows(self, grain: str) -> list[f.ArrearsAtReport]:
        ps = self.whole if grain == "year" else self.quarters
        to: Callable[[int], int] = (lambda _q: 0) if grain == "year" else (lambda q: q)
        euros = _roll(self.euros, lambda k: (to(int(k[0])), k[1]))
        months = _roll(self.arrears_months, lambda k: (to(int(k[0])), k[1]))
        euros_t = _roll(self.euros, lambda k: (to(int(k[0])),))
        months_t = _roll(self.arrears_months, lambda k: (to(int(k[0])),))
        rows = []
        for i, p in enumerate(ps):
            groups: list[tuple[str, str, Bins | None, Bins | None]] = [
                (c.key, c.name, euros.get((i, c.id)), months.get((i, c.id))) for c in self.corps
            ]
            groups.append((f.TOTAL, "Alle corporaties", euros_t.get((i,)), months_t.get((i,))))
            for key, label, e, mo in groups:
                n, median, p90 = f._dist(_dist(e), 1.0, self.min_count)
                _n, median_months, _p = f._dist(_dist(mo), 1.0, self.min_count)
                rows.append(f.ArrearsAtReport(p.key, key, label, n, median, p90, median_months))
        return rows

    def lead_rows(self, *, quarterly: bool = False, by_corporation: bool = False) -> list[Any]:
        measured = step_config().measured
        rows = []
        if by_corporation:
            for c in self.corps:
                for st in measured:
                    n, med, p90 = f._dist(_dist(self.lead_corp.get((st.key, c.id))), f.DAY,
                                          self.min_count)  # fmt: skip
                    rows.append(f.LeadTime(str(self.year), c.key, c.name, st.key, st.label, n,
                                           med, p90))  # fmt: skip
            return rows
        ps = self.quarters if quarterly else self.whole
        cells = _roll(self.lead_q, lambda k: ((int(k[0]) if quarterly else 0), k[1]))
        for i, p in enumerate(ps):
            for st in measured:
                n, med, p90 = f._dist(_dist(cells.get((i, st.key))), f.DAY, self.min_count)
                rows.append(f.LeadTime(p.key, f.TOTAL, "Alle corporaties", st.key, st.label, n,
                                       med, p90))  # fmt: skip
        return rows

    def compliance_rows(self, by: str, grain: str = "year") -> list[f.Compliance]:
        ps, to = self._period_map(grain)

        def key_of(r: str, a: str, c: Any) -> tuple[Any, str] | None:
            if by == "role":
                return (r, r)
            if by == "activity":
                return (a, r)
            return (c, r) if r == "corporatie" else None

        counts: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
        for (m, r, a, c), (_n, due, ok) in self.task_counts.items():
            k = key_of(r, a, c)
            if k is not None and due:
                cell = counts[(to(m), *k)]
                cell[0] += due
                cell[1] += ok
        late: dict[Key, Bins] = defaultdict(dict)
        for (m, r, a, c), bins in self.late.items():
            k = key_of(r, a, c)
            if k is not None:
                _add(late[(to(int(m)), *k)], bins)
        corps = {c.id: c for c in self.corps}
        rows = []
        for i, p in enumerate(ps):
            keys = sorted({(g, r) for (b, g, r) in counts if b == i},
                          key=lambda k: (k[1], str(k[0])))  # fmt: skip
            if by == "corporation":
                keys = [(c.id, "corporatie") for c in self.corps]
            for g, r in keys:
                n, ok = counts.get((i, g, r), [0, 0])
                d = _dist(late.get((i, g, r)))
                median = sup.statistic(d.n, d.median, self.min_count) if d else None
                if by == "corporation":
                    key, label = (corps[g].key, corps[g].name) if g in corps else (str(g), str(g))
                elif by == "activity":
                    key, label = str(g), self.names.get(g) or str(g)
                else:
                    key, label = str(g), f.role_label(g)
                rows.append(
                    f.Compliance(
                        p.key, key, label, r, sup.count(n, self.min_count),
                        sup.count(ok, self.min_count) if n >= self.min_count else None,
                        sup.share(ok, n, self.min_count),
                        round(median, 1) if median is not None else None,
                    )
                )  # fmt: skip
        return rows

    def wait_work_rows(self) -> list[f.WaitWork]:
        rows = []
        for (role,), bins in sorted(self.waits.items(), key=lambda kv: str(kv[0][0])):
            n, wait_m, wait_p = f._dist(_dist(bins), f.DAY, self.min_count)
            _n, work_m, work_p = f._dist(_dist(self.works.get((role,))), f.HOUR, self.min_count)
            rows.append(f.WaitWork(str(self.year), role, f.role_label(role), n, wait_m, wait_p,
                                   work_m, work_p))  # fmt: skip
        return rows

    def activity_rows(self) -> list[f.ActivityFigure]:
        due: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        roles: dict[str, str] = {}
        for (_m, r, a, _c), (_n, with_due, ok) in self.task_counts.items():
            due[a][0] += with_due
            due[a][1] += with_due - ok
            roles[a] = max(roles.get(a, ""), r)
        rows = []
        for (activity,), bins in sorted(self.open.items()):
            n, med, p90 = f._dist(_dist(bins), f.DAY, self.min_count)
            with_due, late = due.get(activity, [0, 0])
            rows.append(
                f.ActivityFigure(activity, self.names.get(activity) or activity,
                                 roles.get(activity) or "onbekend", n, med, p90,
                                 sup.share(late, with_due, self.min_count))
            )  # fmt: skip
        return rows
