"""The whole year's dashboard from the per-month cells (the fast path).

``figures`` answers one question per query, at one grain, over every projection row; the
dashboard asks about forty of them. Here the year's cells (``cells``: counts and value
histograms per month, party, activity and corporation, on the same grids as ``figures``) are
read, one query per kind, and years, quarters and totals are sums in Python, because counts
and histograms add up. The results are the same rows ``figures`` returns (a test checks that).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Integer, func, literal, select, text

from app.extensions import db
from app.models import MetricCell
from app.services.metrics import figures as f
from app.services.metrics import suppression as sup
from app.services.metrics.periods import Period, periods
from app.services.metrics.sql import Distribution, dialect, distribution
from app.services.metrics.steps import step_config

Bins = dict[float, int]
Key = tuple[Any, ...]
#: histograms per quarter, and for the chosen month (empty when none is chosen)
Hist = tuple[dict[Key, Bins], dict[Key, Bins]]


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


def _dist(bins: Bins | None) -> Distribution | None:
    return distribution(list(bins.items())) if bins else None


class Cube:
    """The meeting's figures for one year, from the year's cells.

    Counts are read per month; histograms per quarter (years and quarters add up from them)
    and, when a ``month`` (1-12) is chosen in the filters, for that month too: month rows of
    histogram figures are then given for that month only. ``corporation_id`` narrows the task
    figures (deadline compliance, waiting and working time) to that corporation's cases; the
    case figures (reports, arrears, children, lead times) always have a row per corporation
    and a total.
    """

    def __init__(
        self,
        year: int,
        min_count: int = sup.MIN_COUNT,
        *,
        month: int | None = None,
        corporation_id: int | None = None,
    ) -> None:
        if month is not None and not 1 <= month <= 12:
            raise ValueError("month must be 1 to 12")
        self.year = year
        self.min_count = min_count
        self.month = month
        self.corporation_id = corporation_id
        self.months = periods(year, "month")
        self.quarters = periods(year, "quarter")
        self.whole = periods(year, "year")
        self.corps = f.corporations()
        if dialect() == "postgresql":
            db.session.execute(text("SET LOCAL jit = off"))  # small queries: no JIT compile
        self._cases()
        self._tasks()
        self._steps()

    # -- reading ------------------------------------------------------------------------

    def _month(self, yyyymm: Any) -> Any:
        """0 for January of the year ... 11 for December (rows are filtered to the year)."""
        return yyyymm - literal(self.year * 100 + 1, Integer)

    def _in_year(self, kind: str, *, of_corporation: bool = False) -> tuple[Any, ...]:
        c = MetricCell
        where = [c.kind == kind, c.month >= self.year * 100 + 1, c.month <= self.year * 100 + 12]
        if of_corporation and self.corporation_id is not None:
            where.append(c.corporation_id == self.corporation_id)
        return tuple(where)

    def _histogram(
        self, kind: str, keys: Sequence[Any], grid: float, *where: Any, of_corporation: bool = False
    ) -> dict[Key, Bins]:
        """{key: {value: count}} of one kind's cells in the year, summed over other keys."""
        c = MetricCell
        inner = (
            select(*[k.label(f"k{i}") for i, k in enumerate(keys)], c.bin, c.n)
            .where(*self._in_year(kind, of_corporation=of_corporation), *where)
            .subquery()
        )
        cols = [inner.c[f"k{i}"] for i in range(len(keys))]
        stmt = select(*cols, inner.c.bin, func.sum(inner.c.n)).group_by(*cols, inner.c.bin)
        return _histograms(stmt, len(keys), grid)

    def _read(
        self, kind: str, keys: Sequence[Any], grid: float, *where: Any, of_corporation: bool = False
    ) -> Hist:
        """Histograms keyed (quarter, *keys) and, for the chosen month, (month, *keys)."""
        c = MetricCell
        quarter = self._month(c.month) // literal(3, Integer)
        per_quarter = self._histogram(
            kind, [quarter, *keys], grid, *where, of_corporation=of_corporation
        )
        if self.month is None:
            return per_quarter, {}
        chosen = c.month == self.year * 100 + self.month
        per_month = self._histogram(
            kind, [self._month(c.month), *keys], grid, *where, chosen,
            of_corporation=of_corporation,
        )  # fmt: skip
        return per_quarter, per_month

    def _cases(self) -> None:
        c = MetricCell
        january = self.year * 100 + 1
        self.reports: dict[Key, tuple[int, int]] = {}
        for m, g, n, kids in db.session.execute(
            select(c.month, c.corporation_id, c.n, c.flagged).where(*self._in_year("report"))
        ):
            self.reports[(int(m) - january, g)] = (int(n), int(kids or 0))
        self.euros = self._read("euro", [c.corporation_id], f.EURO_GRID)
        self.arrears_months = self._read("arrears_months", [c.corporation_id], f.MONTHS_GRID)

    def _tasks(self) -> None:
        c = MetricCell
        january = self.year * 100 + 1
        self.task_counts: dict[Key, tuple[int, int, int]] = {}
        self.names: dict[str, str] = {}
        for m, r, a, g, n, due, ok, name in db.session.execute(
            select(c.month, c.role, c.key, c.corporation_id, c.n, c.flagged, c.ok, c.label)
            .where(*self._in_year("task", of_corporation=True))
        ):  # fmt: skip
            self.task_counts[(int(m) - january, r, a, g)] = (int(n), int(due or 0), int(ok or 0))
            if name and name > self.names.get(a, ""):
                self.names[a] = name
        self.late = self._histogram(
            "late", [self._month(c.month), c.role, c.key, c.corporation_id], 1.0,
            of_corporation=True,
        )  # fmt: skip
        self.waits = self._read("wait", [c.role], f.WAIT_GRID, of_corporation=True)
        self.works = self._read("work", [c.role], f.WORK_GRID, of_corporation=True)

    def _steps(self) -> None:
        c = MetricCell
        measured = c.key.in_([st.key for st in step_config().measured])
        self.lead = self._read("lead", [c.key, c.corporation_id], f.LEAD_GRID, measured)

    # -- periods --------------------------------------------------------------------------

    def _period_map(self, grain: str) -> tuple[list[Period], Callable[[int], int]]:
        """The periods of a grain and the map from a month index to a period index."""
        if grain == "year":
            return self.whole, lambda _m: 0
        if grain == "quarter":
            return self.quarters, lambda m: m // 3
        return self.months, lambda m: m

    def _histogram_map(
        self, hist: Hist, grain: str
    ) -> tuple[list[Period], dict[Key, Bins], Callable[[int], int]]:
        """The periods of a grain, the histograms to use and the map to a period index."""
        per_quarter, per_month = hist
        if grain == "year":
            return self.whole, per_quarter, lambda _q: 0
        if grain == "quarter":
            return self.quarters, per_quarter, lambda q: q
        if self.month is None:
            raise ValueError("month rows of histograms need a cube read for that month")
        return [self.months[self.month - 1]], per_month, lambda _m: 0

    # -- figures ------------------------------------------------------------------------

    def reports_rows(self, grain: str) -> list[f.ReportCount]:
        ps, to = self._period_map(grain)
        counts: dict[Key, int] = defaultdict(int)
        for (m, g), (n, _kids) in self.reports.items():
            counts[(to(m), g)] += n
        all_homes = sum(c.homes or 0 for c in self.corps)
        rows = []
        for i, p in enumerate(ps):
            for c in self.corps:
                n = counts[(i, c.id)]
                rows.append(f._report_row(p, c.key, c.name, n, c.homes, self.min_count))
            total = sum(counts[(i, c.id)] for c in self.corps)
            rows.append(
                f._report_row(p, f.TOTAL, "Alle corporaties", total, all_homes, self.min_count)
            )
        return rows

    def children_rows(self, grain: str = "year") -> list[f.ChildrenShare]:
        ps, to = self._period_map(grain)
        per: dict[Key, tuple[int, int]] = {}
        for (month, g), (n, kids) in self.reports.items():
            for cell in ((to(month), g), (to(month), f.TOTAL)):
                a, b = per.get(cell, (0, 0))
                per[cell] = (a + n, b + kids)
        rows = []
        for i, p in enumerate(ps):
            groups: list[tuple[str, str, tuple[int, int]]] = [
                (c.key, c.name, per.get((i, c.id), (0, 0))) for c in self.corps
            ]
            groups.append((f.TOTAL, "Alle corporaties", per.get((i, f.TOTAL), (0, 0))))
            for key, label, (n, kids) in groups:
                rows.append(f._children_row(p, key, label, n, kids, self.min_count))
        return rows

    def arrears_rows(self, grain: str) -> list[f.ArrearsAtReport]:
        ps, euro_cells, to = self._histogram_map(self.euros, grain)
        _ps, month_cells, _to = self._histogram_map(self.arrears_months, grain)
        euros = _roll(euro_cells, lambda k: (to(int(k[0])), k[1]))
        months = _roll(month_cells, lambda k: (to(int(k[0])), k[1]))
        euros_t = _roll(euro_cells, lambda k: (to(int(k[0])),))
        months_t = _roll(month_cells, lambda k: (to(int(k[0])),))
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

    def lead_rows(self, grain: str = "year", *, by_corporation: bool = False) -> list[f.LeadTime]:
        ps, lead, to = self._histogram_map(self.lead, grain)
        measured = step_config().measured
        groups: list[tuple[str, str, Any]]
        if by_corporation:
            cells = _roll(lead, lambda k: (to(int(k[0])), k[1], k[2]))
            groups = [(c.key, c.name, c.id) for c in self.corps]
        else:
            cells = _roll(lead, lambda k: (to(int(k[0])), k[1], f.TOTAL))
            groups = [(f.TOTAL, "Alle corporaties", f.TOTAL)]
        rows = []
        for i, p in enumerate(ps):
            for key, label, gid in groups:
                for st in measured:
                    n, med, p90 = f._dist(_dist(cells.get((i, st.key, gid))), f.DAY,
                                          self.min_count)  # fmt: skip
                    rows.append(f.LeadTime(p.key, key, label, st.key, st.label, n, med, p90))
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
            keys: list[tuple[Any, str]]
            if by == "corporation":
                keys = [(c.id, "corporatie") for c in self.corps]
            else:
                keys = sorted({(g, r) for (b, g, r) in counts if b == i},
                              key=lambda k: (k[1], str(k[0])))  # fmt: skip
            for g, r in keys:
                n, ok = counts.get((i, g, r), [0, 0])
                if by == "corporation":
                    key, label = (corps[g].key, corps[g].name) if g in corps else (str(g), str(g))
                elif by == "activity":
                    key, label = str(g), self.names.get(g) or str(g)
                else:
                    key, label = str(g), f.role_label(g)
                late_d = _dist(late.get((i, g, r)))
                rows.append(f._compliance_row(p, key, label, r, n, ok, late_d, self.min_count))
        return rows

    def wait_work_rows(self, grain: str = "year") -> list[f.WaitWork]:
        ps, wait_cells, to = self._histogram_map(self.waits, grain)
        _ps, work_cells, _to = self._histogram_map(self.works, grain)
        waits = _roll(wait_cells, lambda k: (to(int(k[0])), k[1]))
        works = _roll(work_cells, lambda k: (to(int(k[0])), k[1]))
        rows = []
        for i, p in enumerate(ps):
            for (b, role), bins in sorted(waits.items(), key=lambda kv: str(kv[0][1])):
                if b != i:
                    continue
                n, wait_m, wait_p = f._dist(_dist(bins), f.DAY, self.min_count)
                _n, work_m, work_p = f._dist(_dist(works.get((b, role))), f.HOUR, self.min_count)
                rows.append(f.WaitWork(p.key, role, f.role_label(role), n, wait_m, wait_p,
                                       work_m, work_p))  # fmt: skip
        return rows

    def activity_rows(self) -> list[f.ActivityFigure]:
        """Per step of the whole year: time open (median, P90) and the share done late."""
        if self.corporation_id is not None:
            raise ValueError("the time open per step is kept for all corporations together")
        c = MetricCell
        open_time = self._histogram("open", [c.key], f.OPEN_GRID)
        due: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        roles: dict[str, str] = {}
        for (_m, r, a, _c), (_n, with_due, ok) in self.task_counts.items():
            due[a][0] += with_due
            due[a][1] += with_due - ok
            roles[a] = max(roles.get(a, ""), r)
        rows = []
        for (activity,), bins in sorted(open_time.items()):
            n, med, p90 = f._dist(_dist(bins), f.DAY, self.min_count)
            with_due, late = due.get(activity, [0, 0])
            rows.append(
                f.ActivityFigure(activity, self.names.get(activity) or activity,
                                 roles.get(activity) or "onbekend", n, med, p90,
                                 sup.share(late, with_due, self.min_count))
            )  # fmt: skip
        return rows
