"""Everything the evaluation meeting reviews for one year, in one call (CV-24, CV-26).

The dashboard (for ``evaluatie`` and ``procesbeheer``), the yearly report and the CSV export
all read this. No personal data: aggregated, small counts suppressed (COVENANT.md §7).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from app.services.clock import now
from app.services.metrics import figures as f
from app.services.metrics.cube import Cube
from app.services.metrics.projection import RefreshResult, refresh
from app.services.metrics.suppression import MIN_COUNT

#: roles that may see the metrics (no personal data in them)
METRICS_ROLES = frozenset({"evaluatie", "procesbeheer", "beheer", "systeem"})


@dataclass(frozen=True)
class Dashboard:
    """One year's figures at the grains the meeting uses."""

    year: int
    generated_at: datetime
    min_count: int
    reports: list[f.ReportCount]
    reports_by_quarter: list[f.ReportCount]
    reports_by_month: list[f.ReportCount]
    outcomes: list[f.OutcomeCount]
    arrears: list[f.ArrearsAtReport]
    arrears_by_quarter: list[f.ArrearsAtReport]
    children: list[f.ChildrenShare]
    lead_times: list[f.LeadTime]
    lead_times_by_quarter: list[f.LeadTime]
    lead_times_by_corporation: list[f.LeadTime]
    compliance_by_party: list[f.Compliance]
    compliance_by_party_quarter: list[f.Compliance]
    compliance_by_step: list[f.Compliance]
    compliance_by_corporation: list[f.Compliance]
    waiting_working: list[f.WaitWork]
    open_per_party: list[f.OpenAtMonthEnd]
    evictions: f.Evictions
    activities: list[f.ActivityFigure]
    corporations: list[f.Corporation] = field(default_factory=list)
    refreshed: RefreshResult | None = None


def compute_dashboard(
    year: int, *, refresh_first: bool = True, min_count: int = MIN_COUNT
) -> Dashboard:
    """All figures for one calendar year (read the newest events first, unless told not to)."""
    refreshed = refresh() if refresh_first else None
    m = min_count
    cube = Cube(year, m)  # the year's per-month cells; the same rows as figures.* (tested)
    return Dashboard(
        year=year,
        generated_at=now(),
        min_count=m,
        reports=cube.reports_rows("year"),
        reports_by_quarter=cube.reports_rows("quarter"),
        reports_by_month=cube.reports_rows("month"),
        outcomes=f.outcomes(year, "year", min_count=m),
        arrears=cube.arrears_rows("year"),
        arrears_by_quarter=cube.arrears_rows("quarter"),
        children=cube.children_rows(),
        lead_times=cube.lead_rows(),
        lead_times_by_quarter=cube.lead_rows("quarter"),
        lead_times_by_corporation=cube.lead_rows(by_corporation=True),
        compliance_by_party=cube.compliance_rows("role"),
        compliance_by_party_quarter=cube.compliance_rows("role", "quarter"),
        compliance_by_step=cube.compliance_rows("activity"),
        compliance_by_corporation=cube.compliance_rows("corporation"),
        waiting_working=cube.wait_work_rows(),
        open_per_party=f.open_per_party(year, min_count=m),
        evictions=f.evictions(year, min_count=m),
        activities=cube.activity_rows(),
        corporations=cube.corps,
        refreshed=refreshed,
    )


def compute_dashboard_from_figures(year: int, *, min_count: int = MIN_COUNT) -> Dashboard:
    """The same dashboard, one ``figures`` query per figure (the reference the fast path is
    tested against; slower)."""
    m = min_count
    return Dashboard(
        year=year,
        generated_at=now(),
        min_count=m,
        reports=f.reports(year, "year", min_count=m),
        reports_by_quarter=f.reports(year, "quarter", min_count=m),
        reports_by_month=f.reports(year, "month", min_count=m),
        outcomes=f.outcomes(year, "year", min_count=m),
        arrears=f.arrears_at_report(year, "year", min_count=m),
        arrears_by_quarter=f.arrears_at_report(year, "quarter", min_count=m),
        children=f.children(year, "year", min_count=m),
        lead_times=f.lead_times(year, "year", min_count=m),
        lead_times_by_quarter=f.lead_times(year, "quarter", min_count=m),
        lead_times_by_corporation=f.lead_times(year, "year", by_corporation=True, min_count=m),
        compliance_by_party=f.compliance(year, "year", by="role", min_count=m),
        compliance_by_party_quarter=f.compliance(year, "quarter", by="role", min_count=m),
        compliance_by_step=f.compliance(year, "year", by="activity", min_count=m),
        compliance_by_corporation=f.compliance(year, "year", by="corporation", min_count=m),
        waiting_working=f.waiting_and_working(year, "year", min_count=m),
        open_per_party=f.open_per_party(year, min_count=m),
        evictions=f.evictions(year, min_count=m),
        activities=f.activity_figures(year, min_count=m),
        corporations=f.corporations(),
    )
