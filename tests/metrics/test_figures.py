"""The meeting's figures on small event logs whose answers are worked out by hand (CV-24, CV-26)."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import MetricTask
from app.services.metrics import figures
from app.services.metrics.sql import grouped_percentiles
from tests.metrics.conftest import EventLog, utc


def _by(rows: list, **match: object) -> object:
    found = [r for r in rows if all(getattr(r, k) == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


def test_reports_per_corporation_per_1000_homes_and_small_counts_suppressed(log: EventLog) -> None:
    # QuaWonen (8,400 homes): 6 reports; Vestia (600 homes): 3 reports -> "<5"
    for day in range(3, 9):
        log.report(log.case("quawonen", utc(2025, 3, day, 9)), utc(2025, 3, day, 14))
    for day in range(3, 6):
        log.report(log.case("vestia", utc(2025, 3, day, 9)), utc(2025, 3, day, 15))
    # a case that never got to the report is no report (solved before, §3 A2)
    log.case("quawonen", utc(2025, 3, 10, 9))
    log.commit()

    rows = figures.reports(2025)
    qua = _by(rows, group="quawonen")
    assert qua.count == 6
    assert qua.per_1000_homes == round(6 / 8400 * 1000, 2)  # 0.71
    vestia = _by(rows, group="vestia")
    assert vestia.count is None and vestia.per_1000_homes is None  # 3 -> "<5"
    assert _by(rows, group="gouderak").count == 0
    total = _by(rows, group=figures.TOTAL)
    assert total.count == 9


def test_months_follow_the_amsterdam_calendar(log: EventLog) -> None:
    # 31 Jan 2025 23:30 UTC is already 1 February in Amsterdam
    for minute in range(5):
        case = log.case("quawonen", utc(2025, 1, 20, 9))
        log.report(case, utc(2025, 1, 31, 23, 30 + minute))
    log.commit()
    rows = figures.reports(2025, "month")
    assert _by(rows, group="quawonen", period="2025-01").count == 0
    assert _by(rows, group="quawonen", period="2025-02").count == 5
    quarters = figures.reports(2025, "quarter")
    assert _by(quarters, group="quawonen", period="2025-K1").count == 5


def test_lead_times_median_and_p90_by_linear_interpolation(log: EventLog) -> None:
    # report at 09:00, first contact attempt 1, 2, 3, 4 and 10 days later
    # median = 3; P90: rank (5-1)*0.9 = 3.6 -> 4 + 0.6 * (10 - 4) = 7.6
    for i, days in enumerate([1, 2, 3, 4, 10]):
        reported = utc(2025, 3, 3 + i, 9)
        case = log.case("quawonen", reported - timedelta(days=2))
        log.report(case, reported)
        contact = reported + timedelta(days=days)
        log.task(case, "T_Contact", "meldpunt", reported, completed=contact)
        # a second attempt does not move the first contact
        log.task(case, "T_Contact", "meldpunt", contact, completed=contact + timedelta(days=30))
    log.commit()
    contact = _by(figures.lead_times(2025), step="contact")
    assert (contact.n, contact.median_days, contact.p90_days) == (5, 3.0, 7.6)
    # fewer than five cases reached the plan: nothing is shown
    assert _by(figures.lead_times(2025), step="plan").n == 0


def test_lead_times_of_four_cases_are_suppressed(log: EventLog) -> None:
    for i in range(4):
        reported = utc(2025, 3, 3 + i, 9)
        case = log.case("quawonen", reported)
        log.report(case, reported)
        log.task(case, "T_Plan", "meldpunt", reported, completed=reported + timedelta(days=i + 1))
    log.commit()
    plan = _by(figures.lead_times(2025), step="plan")
    assert (plan.n, plan.median_days, plan.p90_days) == (None, None, None)


def test_deadline_compliance_per_party_on_working_days(log: EventLog) -> None:
    case = log.case("quawonen", utc(2025, 3, 3, 8))
    due = utc(2025, 3, 4, 17)  # a Tuesday
    # five in time (one exactly at the deadline), five late by 1, 1, 2, 3 and 5 working days
    for finished in [
        utc(2025, 3, 3, 12), utc(2025, 3, 4, 9), utc(2025, 3, 4, 16), utc(2025, 3, 4, 17),
        utc(2025, 3, 3, 10),
        utc(2025, 3, 5, 9), utc(2025, 3, 5, 18), utc(2025, 3, 6, 9), utc(2025, 3, 7, 9),
        utc(2025, 3, 11, 9),
    ]:  # fmt: skip
        log.task(case, "T_Contact", "meldpunt", utc(2025, 3, 3, 9), due=due, completed=finished)
    # a task without a deadline does not count; neither does an open one
    log.task(case, "T_Intake", "schuldhulp", utc(2025, 3, 3, 9), completed=utc(2025, 3, 20, 9))
    log.task(case, "T_Plan", "meldpunt", utc(2025, 3, 3, 9), due=due)
    log.commit()
    meldpunt = _by(figures.compliance(2025), group="meldpunt")
    assert (meldpunt.n, meldpunt.on_time, meldpunt.share_on_time) == (10, 5, 0.5)
    assert meldpunt.median_late_workdays == 2.0
    assert [r.group for r in figures.compliance(2025)] == ["meldpunt"]
    per_step = _by(figures.compliance(2025, by="activity"), group="T_Contact")
    assert per_step.label == "Taak T_Contact" and per_step.n == 10


def test_lateness_skips_the_easter_holidays(log: EventLog) -> None:
    # due Thursday 17 April 2025; Good Friday and Easter Monday are no working days
    case = log.case("quawonen", utc(2025, 4, 14, 8))
    for _ in range(5):
        log.task(case, "T_Contact", "meldpunt", utc(2025, 4, 14, 9), due=utc(2025, 4, 17, 10),
                 completed=utc(2025, 4, 22, 10))  # fmt: skip
    log.commit()
    row = _by(figures.compliance(2025), group="meldpunt")
    assert row.share_on_time == 0.0
    assert row.median_late_workdays == 1.0


def test_waiting_versus_working_time(log: EventLog) -> None:
    case = log.case("quawonen", utc(2025, 3, 3, 8))
    created = utc(2025, 3, 3, 9)
    # waited 1..5 days to be claimed, worked 2, 2, 4, 6, 30 hours
    for wait_days, work_hours in [(1, 2), (2, 2), (3, 4), (4, 6), (5, 30)]:
        claimed = created + timedelta(days=wait_days)
        log.task(case, "T_Contact", "meldpunt", created, claimed=claimed,
                 completed=claimed + timedelta(hours=work_hours))  # fmt: skip
    log.commit()
    row = _by(figures.waiting_and_working(2025), group="meldpunt")
    assert (row.n, row.wait_median_days, row.wait_p90_days) == (5, 3.0, 4.6)
    # P90 of 2, 2, 4, 6, 30: 6 + 0.6 * 24 = 20.4
    assert (row.work_median_hours, row.work_p90_hours) == (4.0, 20.4)


def test_open_cases_per_party_at_month_ends(log: EventLog) -> None:
    # seven cases at the Meldpunt from January; two leave in February, one more in March
    cases = [log.case("quawonen", utc(2025, 1, 6 + i, 9)) for i in range(7)]
    for i, case in enumerate(cases):
        end = utc(2025, 2, 10, 9) if i < 2 else (utc(2025, 3, 10, 9) if i == 2 else None)
        log.task(case, "T_Contact", "meldpunt", utc(2025, 1, 6 + i, 10), completed=end)
    log.commit()
    rows = figures.open_per_party(2025)
    assert _by(rows, period="2025-01", group="meldpunt").count == 7
    assert _by(rows, period="2025-02", group="meldpunt").count == 5
    assert _by(rows, period="2025-03", group="meldpunt").count is None  # 4 -> "<5"
    assert _by(rows, period="2025-01", group=figures.TOTAL).count == 7  # no case closed


def test_outcomes_children_and_arrears_at_report(log: EventLog) -> None:
    amounts = [400, 800, 1200, 1600, 5000, 900]
    for i, amount in enumerate(amounts):
        case = log.case("quawonen", utc(2025, 3, 3, 9), arrears_amount=amount,
                        arrears_months=1.0 + i, children=i < 5)  # fmt: skip
        log.report(case, utc(2025, 3, 4 + i, 9))
        log.close(case, utc(2025, 5, 1 + i, 9), "voorkomen" if i < 5 else "geen_contact")
    log.commit()
    arrears = _by(figures.arrears_at_report(2025), group="quawonen")
    # sorted 400, 800, 900, 1200, 1600, 5000: median 1050; P90 rank 4.5 -> 1600 + 0.5 * 3400
    assert (arrears.n, arrears.median_euro, arrears.p90_euro) == (6, 1050.0, 3300.0)
    assert arrears.median_months == 3.5
    kids = _by(figures.children(2025), group="quawonen")
    assert (kids.reports, kids.with_children) == (6, 5)
    assert kids.share == pytest.approx(5 / 6)
    outcomes = figures.outcomes(2025)
    assert _by(outcomes, group="quawonen", outcome="voorkomen").count == 5
    assert _by(outcomes, group="quawonen", outcome="geen_contact").count is None


def test_an_eviction_of_a_tenant_who_kept_the_conditions_is_shown(log: EventLog) -> None:
    """CV-06: must be zero; one breach shows as a breach even though the count says "<5"."""
    kept = log.case("quawonen", utc(2025, 3, 3, 9), conditions_kept=True)
    log.report(kept, utc(2025, 3, 4, 9))
    log.close(kept, utc(2025, 9, 1, 9), "ontruimd")
    not_kept = log.case("quawonen", utc(2025, 3, 3, 9), conditions_kept=False)
    log.report(not_kept, utc(2025, 3, 4, 9))
    log.close(not_kept, utc(2025, 9, 2, 9), "ontruimd")
    log.commit()
    result = figures.evictions(2025)
    assert result.breach is True
    assert result.evicted is None and result.evicted_conditions_kept is None
    assert figures.evictions(2024).breach is False


def test_heatmap_figures_per_element(log: EventLog) -> None:
    case = log.case("quawonen", utc(2025, 3, 3, 8))
    for days in [1, 1, 2, 3, 8]:
        log.task(case, "T_Beoordeling", "meldpunt", utc(2025, 3, 3, 9), due=utc(2025, 3, 7, 9),
                 completed=utc(2025, 3, 3 + days, 9))  # fmt: skip
    log.commit()
    row = _by(figures.activity_figures(2025), activity_id="T_Beoordeling")
    # days open 1, 1, 2, 3, 8: median 2; P90 rank 3.6 -> 3 + 0.6 * (8 - 3) = 6
    assert (row.n, row.median_days, row.p90_days) == (5, 2.0, 6.0)
    assert row.share_overdue == pytest.approx(1 / 5)


def test_durations_on_the_hundredth_day_grid_stay_within_display_precision(log: EventLog) -> None:
    """Durations are counted on a 0.01-day grid: the median and P90 differ from the exact
    interpolation by less than the 0.1 day the report shows."""
    rng = random.Random(7)
    case = log.case("quawonen", utc(2025, 3, 3, 8))
    for _ in range(101):
        done = utc(2025, 3, 3, 9) + timedelta(seconds=rng.randrange(1, 20 * 86_400))
        log.task(case, "T_Contact", "meldpunt", utc(2025, 3, 3, 9), completed=done)
    log.commit()
    source = select(MetricTask.role.label("g"), MetricTask.open_s.label("v")).subquery()
    exact = grouped_percentiles(source, ["g"])[("meldpunt",)]
    grid = grouped_percentiles(source, ["g"], resolution=864.0)[("meldpunt",)]
    assert exact.n == grid.n == 101
    assert abs(exact.median - grid.median) <= 432 and abs(exact.p90 - grid.p90) <= 432
