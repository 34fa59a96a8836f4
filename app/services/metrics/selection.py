"""The meeting's figures for a chosen year, quarter or month, corporation and party (CV-24).

The dashboard's filters: the same figures as ``compute_dashboard``, at the grain of the chosen
period and narrowed to one corporation and/or one party where the figure has that dimension.
Trends (month by month, quarter by quarter) always cover the whole year. The figures are the
dashboard's (``Cube`` over the per-month cells, the rest from ``figures``): aggregated, small
counts already suppressed, nothing personal (COVENANT.md §7).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import MetricCase, MetricTask
from app.roles import LANE_LABELS
from app.services.clock import now
from app.services.errors import InvalidInput
from app.services.metrics import figures as f
from app.services.metrics.cube import Cube
from app.services.metrics.periods import AMSTERDAM, MONTHS, Grain, Period, periods, year_period
from app.services.metrics.projection import refresh
from app.services.metrics.sql import count_in
from app.services.metrics.suppression import MIN_COUNT

#: the period filter's values: "" (the whole year), K1..K4, 01..12
QUARTERS = tuple(f"K{i}" for i in range(1, 5))
MONTH_KEYS = tuple(f"{i:02d}" for i in range(1, 13))


@dataclass(frozen=True)
class Selection:
    """What the meeting looks at: a year, optionally a quarter or month, a corporation, a party."""

    year: int
    period: str = ""
    corporation: str = ""
    party: str = ""

    @property
    def grain(self) -> Grain:
        if self.period in QUARTERS:
            return "quarter"
        if self.period in MONTH_KEYS:
            return "month"
        return "year"

    @property
    def chosen(self) -> Period:
        """The chosen period as instants."""
        index = int(self.period.lstrip("K")) if self.period else 1
        return periods(self.year, self.grain)[index - 1]


def period_options() -> list[tuple[str, str, str]]:
    """(group, value, label) for the period filter: the year, quarters and months."""
    options = [("", "", "Het hele jaar")]
    options += [("Kwartaal", q, f"{q[1]}e kwartaal") for q in QUARTERS]
    options += [("Maand", m, MONTHS[int(m) - 1]) for m in MONTH_KEYS]
    return options


def party_options() -> list[tuple[str, str]]:
    """(role key, Dutch name) of every party of the chain."""
    return list(LANE_LABELS.items())


def check_selection(selection: Selection) -> Selection:
    """The selection itself, or InvalidInput with a Dutch message per bad filter."""
    errors: dict[str, object] = {}
    if not 2000 <= selection.year <= 2100:
        errors["jaar"] = "Kies een jaar tussen 2000 en 2100."
    if selection.period and selection.period not in (*QUARTERS, *MONTH_KEYS):
        errors["periode"] = "Kies het hele jaar, een kwartaal of een maand."
    if selection.corporation and selection.corporation not in {c.key for c in f.corporations()}:
        errors["corporatie"] = "Deze corporatie bestaat niet; kies er een uit de lijst."
    if selection.party and selection.party not in LANE_LABELS:
        errors["partij"] = "Deze partij bestaat niet; kies er een uit de lijst."
    if errors:
        raise InvalidInput("Het filter klopt niet.", errors)
    return selection


def years_with_data() -> list[int]:
    """Calendar years (Amsterdam) from the first reported case to now, newest first."""
    first = db.session.scalar(select(func.min(MetricCase.started_at)))
    first_task = db.session.scalar(select(func.min(MetricTask.created_at)))
    starts = [d for d in (first, first_task) if d is not None]
    this_year = now().astimezone(AMSTERDAM).year
    if not starts:
        return [this_year]
    earliest = min(min(starts).astimezone(AMSTERDAM).year, this_year)
    return list(range(this_year, earliest - 1, -1))


def default_year() -> int:
    """This year or last year, whichever holds more reports: the most complete recent year."""
    this_year = now().astimezone(AMSTERDAM).year

    def reported_in(year: int) -> int:
        return count_in(MetricCase.reported_at, year_period(year))

    return this_year - 1 if reported_in(this_year - 1) > reported_in(this_year) else this_year


@dataclass(frozen=True)
class MeetingFigures:
    """The figures of one selection, ready for tables and charts."""

    selection: Selection
    period: Period
    generated_at: datetime
    corporation: f.Corporation | None
    corporations: list[f.Corporation]
    reports: list[f.ReportCount]
    reports_by_month: list[f.ReportCount]
    outcomes: list[f.OutcomeCount]
    arrears: list[f.ArrearsAtReport]
    arrears_by_quarter: list[f.ArrearsAtReport]
    children: list[f.ChildrenShare]
    lead_times: list[f.LeadTime]
    compliance_by_party: list[f.Compliance]
    compliance_by_step: list[f.Compliance]
    compliance_by_corporation: list[f.Compliance]
    waiting_working: list[f.WaitWork]
    open_per_party: list[f.OpenAtMonthEnd]
    evictions: f.Evictions
    min_count: int = MIN_COUNT
    #: figures the party filter does not narrow (they are about corporations' cases)
    notes: list[str] = field(default_factory=list)


def meeting_figures(selection: Selection, *, refresh_first: bool = True) -> MeetingFigures:
    """The meeting's figures for the selection (CV-24, CV-26); read new events first.

    Read from the year's per-month cells (``Cube``), as the dashboard is; outcomes, open
    cases per party and evictions come from ``figures`` (small queries).
    """
    check_selection(selection)
    if refresh_first:
        refresh()
    s, m = selection, MIN_COUNT
    year, grain, key = s.year, s.grain, s.chosen.key
    corps = f.corporations()
    corp = next((c for c in corps if c.key == s.corporation), None)
    corp_id = corp.id if corp else None
    group = corp.key if corp else f.TOTAL
    month = int(s.period) if grain == "month" else None
    cube = Cube(year, m, month=month, corporation_id=corp_id)

    def chosen(rows: list[Any]) -> list[Any]:
        """Rows of the chosen period and corporation (or all corporations' rows)."""
        return [r for r in rows if r.period == key and (corp is None or r.group == corp.key)]

    def of_party(role: str) -> bool:
        return not s.party or role == s.party

    notes = []
    if s.party:
        notes.append(
            "Meldingen, uitkomsten, huurachterstand, kinderen en doorlooptijden gaan over de "
            "zaken van de corporaties; het filter op partij verandert die cijfers niet."
        )
    return MeetingFigures(
        selection=s,
        period=s.chosen,
        generated_at=now(),
        corporation=corp,
        corporations=corps,
        reports=chosen(cube.reports_rows(grain)),
        reports_by_month=[r for r in cube.reports_rows("month") if r.group == group],
        outcomes=[
            r for r in f.outcomes(year, grain, min_count=m) if r.period == key and r.group == group
        ],
        arrears=chosen(cube.arrears_rows(grain)),
        arrears_by_quarter=[r for r in cube.arrears_rows("quarter") if r.group == group],
        children=chosen(cube.children_rows(grain)),
        lead_times=[
            r
            for r in cube.lead_rows(grain, by_corporation=corp is not None)
            if r.period == key and r.group == group
        ],
        compliance_by_party=[
            r for r in cube.compliance_rows("role", grain) if r.period == key and of_party(r.role)
        ],
        compliance_by_step=[
            r
            for r in cube.compliance_rows("activity", grain)
            if r.period == key and of_party(r.role)
        ],
        compliance_by_corporation=(
            chosen(cube.compliance_rows("corporation", grain)) if of_party("corporatie") else []
        ),
        waiting_working=[
            r for r in cube.wait_work_rows(grain) if r.period == key and of_party(r.group)
        ],
        open_per_party=[
            r
            for r in f.open_per_party(year, min_count=m, corporation_id=corp_id)
            if r.group == f.TOTAL or of_party(r.group)
        ],
        evictions=f.evictions(year, min_count=m, corporation_id=corp_id),
        min_count=m,
        notes=notes,
    )
