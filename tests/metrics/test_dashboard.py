"""The dashboard's fast path (a few grouped queries) gives exactly the figures' answers."""

from __future__ import annotations

import dataclasses
import random
from datetime import timedelta

from app.services.metrics.dashboard import compute_dashboard, compute_dashboard_from_figures
from tests.metrics.conftest import EventLog, utc

CORPORATIONS = ["quawonen", "quawonen", "quawonen", "vestia", "gouderak", "beterwonen"]
CHAIN = [("T_Contact", "meldpunt"), ("T_Beoordeling", "meldpunt"), ("T_Plan", "meldpunt"),
         ("T_Intake", "schuldhulp"), ("T_Overdracht", "meldpunt")]  # fmt: skip


def _random_year(log: EventLog, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(90):
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
