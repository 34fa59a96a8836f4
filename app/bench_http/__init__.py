"""``make bench`` over HTTP: the JSON API under its production server (gunicorn).

(e) one client drives whole start -> 10 user tasks -> end instances through the API:
    median and p95 per completed task, whole instances per second
(f) task list and task page with 100,000 cases in PostgreSQL: server time p50/p95 of the
    service calls in process and of the API requests (Server-Timing header)
Timings are printed, never asserted: a benchmark is not a test.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from app.bench_http.instances import (
    REFERENCE_INSTANCES_PER_S,
    REFERENCE_TASK_MS,
    TARGET_INSTANCES_PER_S,
    TARGET_TASK_MS,
    measure_instances,
    report_instances,
)
from app.bench_http.large import measure_large
from app.bench_http.server import Echo


def machine_load() -> str:
    """The load when measuring started: other work on the machine inflates every figure."""
    load, cores = os.getloadavg()[0], os.cpu_count() or 1
    busy = "  BUSY: other processes compete, figures are inflated" if load > cores / 2 else ""
    return f"     machine load {load:.1f} on {cores} cores{busy}"


def run(
    *,
    instances: int,
    cases: int,
    postgres: str | None,
    echo: Echo,
    explain: bool = True,
) -> None:
    """Measure and print (e) on SQLite and PostgreSQL, (f) on PostgreSQL."""
    from app.bench import postgres_bench_url

    pg_url = postgres_bench_url(postgres) if postgres else None
    echo(f"\n== over HTTP: gunicorn, 2 sync workers (2w), JSON API, {instances} instances ==")
    echo(machine_load())
    with tempfile.TemporaryDirectory() as tmp:
        targets = [f"sqlite:///{Path(tmp) / 'bench_http.sqlite3'}"]
        if pg_url:
            targets.append(pg_url)
        for url in targets:
            report_instances(measure_instances(url, instances), echo)
    echo(
        f"     reference spiff-arena: {REFERENCE_TASK_MS} ms median per task, "
        f"{REFERENCE_INSTANCES_PER_S} instances/s; targets <= {TARGET_TASK_MS} ms, "
        f">= {TARGET_INSTANCES_PER_S:.0f}/s"
    )
    if not pg_url:
        echo("(f)  skipped: no PostgreSQL reachable (set BENCH_DATABASE_URL)")
        return
    echo(f"\n== task list and task page with {cases:,} cases in PostgreSQL ==")
    echo(machine_load())
    measure_large(pg_url, cases, max(5, instances // 10), echo, explain)
