"""The dashboard's fast path (a few grouped queries) gives exactly the figures' answers."""

from __future__ import annotations

import dataclasses
import random
from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import MetricCell
from app.services.metrics import cells
from app.services.metrics.dashboard import compute_dashboard, compute_dashboard_from_figures
from app.services.metrics.projection import CaseFacts
from tests.metrics.conftest import EventLog, utc

CORPORATIONS = ["quawonen", "quawonen", "quawonen", "vestia", "gouderak", "beterwonen"]
CHAIN = [("T_Contact", "meldpunt"), ("T_Beoordeling", "meldpunt"), ("T_Plan", "meldpunt"),
         ("T_Intake", "schuldhulp"), ("T_Overdracht", "meldpunt")]  # fmt: skip


def _random_year(log: EventLog, seed: int, commit_every: int = 0) -> None:
    rng = random.Random(seed)
    for number in range(90):
        start = utc(2025, 1, 2, 8) + timedelta(hours=rng.randrange(0, 360 * 24))
        case = log.case(
            rng.choice(CORPORATIONS), start, arrears_amount=rng.randrange(200, 4000),
            arrears_months=round(rng.uniform(0.5, 5), 1), children=rng.random() < 0.4,
            conditions_kept=rng.random() < 0.7,
        )  # fmt: skip
        reported = start + timedelta(hours=rng.randrange(1, 200))
        log.report(case, reported)
        moment = reported
        for activity, role in CHAIN[: rng.randrange(1, len(CHAIN) + 1)]:
            created = moment
            claimed = created + timedelta(minutes=rng.randrange(5, 9000))
            done = claimed + timedelta(minutes=rng.randrange(1, 3000))
            due = created + timedelta(days=rng.choice([1, 2, 5, 10]))
            log.task(case, activity, role, created, due=due, claimed=claimed, completed=done)
            moment = done
        if rng.random() < 0.8:
            log.close(case, moment + timedelta(hours=1), rng.choice(["voorkomen", "ontruimd"]))
        if commit_every and number % commit_every == 0:
            log.commit()
    log.commit()


def test_fast_dashboard_equals_the_figures(log: EventLog) -> None:
    _random_year(log, seed=11)
    fast = compute_dashboard(2025, refresh_first=False)
    reference = compute_dashboard_from_figures(2025)
    for field in dataclasses.fields(fast):
        if field.name in ("generated_at", "refreshed"):
            continue
        assert getattr(fast, field.name) == getattr(reference, field.name), field.name
    assert any(r.count for r in fast.reports_by_month)
    assert any(r.median_late_workdays is not None for r in fast.compliance_by_party)


def test_fast_dashboard_with_every_count_shown(log: EventLog) -> None:
    _random_year(log, seed=12)
    fast = compute_dashboard(2025, refresh_first=False, min_count=1)
    reference = compute_dashboard_from_figures(2025, min_count=1)
    for name in ("lead_times_by_corporation", "compliance_by_step", "arrears_by_quarter",
                 "compliance_by_corporation", "waiting_working", "activities"):  # fmt: skip
        assert getattr(fast, name) == getattr(reference, name), name


def _cells() -> list[tuple[object, ...]]:
    rows = db.session.execute(
        select(MetricCell.month, MetricCell.kind, MetricCell.role, MetricCell.key,
               MetricCell.corporation_id, MetricCell.bin, MetricCell.n, MetricCell.flagged,
               MetricCell.ok, MetricCell.label)
    ).all()  # fmt: skip
    return sorted((tuple(r) for r in rows), key=repr)


def test_cells_kept_up_by_small_refreshes_equal_a_rebuild(log: EventLog) -> None:
    """Refreshing after every few events leaves the same cells as one full rebuild."""
    _random_year(log, seed=13, commit_every=7)
    assert db.session.scalar(select(func.count()).select_from(MetricCell))
    kept = _cells()
    cells.rebuild_all()
    assert _cells() == kept
    fast = compute_dashboard(2025, refresh_first=False, min_count=1)
    reference = compute_dashboard_from_figures(2025, min_count=1)
    for field in dataclasses.fields(fast):
        if field.name not in ("generated_at", "refreshed"):
            assert getattr(fast, field.name) == getattr(reference, field.name), field.name


def test_a_step_reached_earlier_moves_its_lead_time_cell(log: EventLog) -> None:
    """A late-arriving earlier moment of a step moves the case out of the old month's cell."""
    case = log.case("quawonen", utc(2025, 1, 6, 9), arrears_amount=800)
    log.report(case, utc(2025, 1, 7, 9))
    log.task(case, "T_Contact", "meldpunt", utc(2025, 1, 7, 10), completed=utc(2025, 3, 3, 10))
    log.commit()
    lead = select(MetricCell.month, MetricCell.n).where(
        MetricCell.kind == "lead", MetricCell.key == "contact"
    )
    assert db.session.execute(lead).all() == [(202503, 1)]
    log.task(case, "T_Contact", "meldpunt", utc(2025, 1, 7, 11), completed=utc(2025, 2, 3, 10))
    log.commit()
    assert db.session.execute(lead).all() == [(202502, 1)]


def test_facts_first_known_at_closing_land_in_the_report_month(log: EventLog) -> None:
    case = log.case("vestia", utc(2025, 4, 1, 9))
    log.report(case, utc(2025, 4, 2, 9))
    log.commit()
    euro = select(MetricCell.month, MetricCell.bin, MetricCell.n).where(MetricCell.kind == "euro")
    report = select(MetricCell.month, MetricCell.n, MetricCell.flagged).where(
        MetricCell.kind == "report"
    )
    assert db.session.execute(euro).all() == []
    assert db.session.execute(report).all() == [(202504, 1, 0)]
    log.facts[case] = CaseFacts(arrears_amount=1234, children=True)
    log.close(case, utc(2025, 6, 2, 9), "voorkomen")
    log.commit()
    assert db.session.execute(euro).all() == [(202504, 123, 1)]
    assert db.session.execute(report).all() == [(202504, 1, 1)]
