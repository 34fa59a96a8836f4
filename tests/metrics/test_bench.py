"""``voorkom bench-metrics`` runs end to end (a small year; the timings are only printed)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy.engine import make_url

from app import create_app
from app.services.metrics.bench import run
from tests.conftest import drop_private_database, private_postgres_database


@pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="the benchmark runs on PostgreSQL"
)
def test_the_metrics_benchmark_runs_on_a_small_year() -> None:
    url = private_postgres_database("bench_metrics")
    lines: list[str] = []
    try:
        figures = run(
            app_factory=create_app, postgres=url, cases=400, events_per_case=20,
            echo=lines.append, database=str(make_url(url).database),
        )  # fmt: skip
    finally:
        drop_private_database(url)
    output = "\n".join(lines)
    assert "400 cases" in output
    assert "dashboard for 2025" in output
    assert "one month in" in output
    assert "EXPLAIN ANALYZE" in output
    for name in ("projection_s", "dashboard_ms_median", "figures_ms", "month_cells_ms"):
        assert figures[name] > 0, name
    assert len([k for k in figures if k.startswith("view_ms")]) == 3
