"""``voorkom bench-metrics``: the evaluation dashboard on one year of 100,000 cases.

The year is bulk-generated straight into a scratch PostgreSQL database (COPY, not through the
services: the engine's own speed is measured by ``voorkom bench``): cases spread over the
corporations by housing stock, each with the covenant chain's tasks (created, claimed,
completed), about 20 events a case, in time order. Then the projection is built from the
events (one-off, timed, the per-month cells included) and the dashboard is computed (timed,
target under a second); last, the cost of recomputing one month's cells (what a refresh that
brings new events pays) and the plans of the largest reads.
"""

from __future__ import annotations

import dataclasses
import json
import random
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from app.config import normalise_database_url
from app.engine.workdays import add_working_days
from app.extensions import db
from app.models import MetricCell, ProcessVersion
from app.services.metrics import figures as f
from app.services.metrics.cells import Touched, rebuild
from app.services.metrics.dashboard import compute_dashboard, compute_dashboard_from_figures
from app.services.metrics.projection import CaseFacts, refresh
from app.services.metrics.selection import Selection, meeting_figures
from app.services.seed import seed_organisations

Echo = Callable[[str], None]
AppFactory = Callable[[dict[str, Any]], Any]
DATABASE = "voorkom_bench_metrics"
YEAR = 2025
Rows = list[tuple[Any, ...]]

#: the chain a generated case walks: (activity, role, form key, due in working days)
CHAIN: tuple[tuple[str, str, str, int], ...] = (
    ("Task_ContactCorporatie", "corporatie", "contact_corporatie", 30),
    ("Task_Melding", "corporatie", "melding", 5),
    ("Task_Triage", "meldpunt", "triage", 2),
    ("Task_ContactLeggen", "meldpunt", "contactpoging", 5),
    ("Task_Kwetsbaarheid", "meldpunt", "kwetsbaarheid", 20),
    ("Task_Plan", "meldpunt", "plan", 10),
    ("Task_Overdracht", "meldpunt", "overdracht", 20),
    ("Task_IntakeSchuldhulp", "schuldhulp", "intake_schuldhulp", 15),
)


def scratch_url(base: str, database: str = DATABASE) -> str:
    """The bench database next to ``base`` (created when missing)."""
    url = make_url(normalise_database_url(base))
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            if not conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": database}
            ).scalar():
                conn.execute(text(f'CREATE DATABASE "{database}"'))
    finally:
        admin.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


def generate(
    cases: int, events_per_case: int, seed: int = 6
) -> tuple[Rows, Rows, dict[int, CaseFacts]]:
    """Cases, events (in time order) and case facts for one year."""
    rng = random.Random(seed)
    start = datetime(YEAR, 1, 1, 7, tzinfo=UTC)
    orgs = seed_organisations()
    corps = [o for o in orgs.values() if o.kind == "corporatie"]
    weights = [o.homes or 1 for o in corps]
    role_org = {"meldpunt": orgs["ggd"].id, "schuldhulp": orgs["gemeente"].id}
    case_rows: Rows = []
    events: Rows = []
    facts: dict[int, CaseFacts] = {}
    tasks_per_case = max(1, (events_per_case - 2) // 3)
    for case_id in range(1, cases + 1):
        corp = rng.choices(corps, weights)[0]
        moment = start + timedelta(minutes=rng.randrange(360 * 24 * 60))
        case_rows.append((case_id, f"VK-{YEAR}-{case_id:06d}", 1, corp.id, "closed", moment))
        events.append((moment, case_id, "case_started", None, None, "corporatie", corp.id, None,
                       json.dumps({"process": "quawonen", "version": 1})))  # fmt: skip
        chain = [CHAIN[i % len(CHAIN)] for i in range(tasks_per_case)]
        for number, (activity, role, _form, due_days) in enumerate(chain):
            created = moment
            due = (
                add_working_days(created, due_days)
                if due_days <= 5
                else created + timedelta(days=due_days * 7 // 5)
            )
            claimed = created + timedelta(hours=rng.lognormvariate(2.8, 1.0))
            done = claimed + timedelta(hours=rng.lognormvariate(0.7, 0.8))
            task = f"{case_id:08d}-{number:04d}-0000-0000-000000000000"
            org = corp.id if role == "corporatie" else role_org.get(role)
            events.append((created, case_id, "created", activity, f"Taak {activity}", role, None,
                           task, json.dumps({"due_at": due.isoformat()})))  # fmt: skip
            events.append((claimed, case_id, "claimed", activity, f"Taak {activity}", role, org,
                           task, None))  # fmt: skip
            events.append((done, case_id, "completed", activity, f"Taak {activity}", role, org,
                           task, None))  # fmt: skip
            moment = done
        outcome = rng.choices(
            ["voorkomen", "opgelost", "geen_contact", "geen_medewerking", "ontruimd"],
            [60, 20, 8, 10, 2],
        )[0]
        events.append((moment, case_id, "case_closed", None, None, None, None, None,
                       json.dumps({"outcome": outcome})))  # fmt: skip
        facts[case_id] = CaseFacts(
            arrears_amount=round(rng.lognormvariate(6.8, 0.6)),
            arrears_months=round(rng.uniform(0.5, 4.0), 1),
            children=rng.random() < 0.3,
            conditions_kept=rng.random() < 0.8 if outcome != "ontruimd" else False,
        )
    events.sort(key=lambda e: e[0])
    return case_rows, events, facts


def _copy(table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    raw = db.session.connection().connection.driver_connection
    statement = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:  # type: ignore[union-attr]
        for row in rows:
            copy.write_row(row)


def load(cases: Rows, events: Rows) -> None:
    """Bulk-insert the generated year (COPY)."""
    version = ProcessVersion(
        process_id="quawonen", name="Benchmark", version=1, content_hash="b" * 64, sources={},
        spec_blob=b"", deployed_at=datetime(YEAR - 1, 12, 1, tzinfo=UTC),
        summary={"startable": True, "start_form": "signalering", "user_tasks": [
            {"id": a, "form_key": f, "role": r} for a, r, f, _ in CHAIN
        ]},
    )  # fmt: skip
    db.session.add(version)
    db.session.flush()
    _copy(
        "cases",
        ["id", "reference", "process_version_id", "corporation_id", "status", "created_at",
         "updated_at", "state", "serializer_version", "lock_version"],
        [(*row, row[-1], b"", "bench", 0) for row in cases],
    )  # fmt: skip
    _copy(
        "case_events",
        ["id", "at", "case_id", "lifecycle", "activity_id", "activity_name", "role",
         "organisation_id", "task_id", "details"],
        [(i, *event) for i, event in enumerate(events, start=1)],
    )  # fmt: skip
    db.session.execute(text("SELECT setval('cases_id_seq', (SELECT max(id) FROM cases))"))
    db.session.execute(
        text("SELECT setval('case_events_id_seq', (SELECT max(id) FROM case_events))")
    )
    db.session.commit()
    db.session.execute(text("ANALYZE"))


def run(
    *,
    app_factory: AppFactory,
    postgres: str,
    cases: int,
    events_per_case: int,
    echo: Echo,
    database: str = DATABASE,
) -> dict[str, float]:
    """Generate, load, build the projection, time the dashboard; print and return figures.

    Everything happens in the scratch ``database`` next to ``postgres`` (its tables are
    dropped and made anew)."""
    try:
        url = scratch_url(postgres, database)
    except Exception as exc:
        echo(f"PostgreSQL niet bereikbaar ({exc.__class__.__name__}): benchmark overgeslagen")
        return {}
    app = app_factory({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    figures: dict[str, float] = {}
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        db.create_all()
        echo(f"\n== metrics: one year, {cases:,} cases, about {events_per_case} events each ==")
        started = time.perf_counter()
        case_rows, events, facts = generate(cases, events_per_case)
        figures["generate_s"] = time.perf_counter() - started
        started = time.perf_counter()
        load(case_rows, events)
        figures["load_s"] = time.perf_counter() - started
        echo(f"generated {len(events):,} events in {figures['generate_s']:.1f} s, "
             f"loaded (COPY) in {figures['load_s']:.1f} s")  # fmt: skip
        del case_rows
        started = time.perf_counter()
        built = refresh(read_facts=lambda ids: {i: facts[i] for i in ids if i in facts})
        db.session.commit()
        figures["projection_s"] = time.perf_counter() - started
        echo(
            f"projection built from the event log: {built.events:,} events, "
            f"{built.tasks_created:,} tasks, {built.cases_created:,} cases in "
            f"{figures['projection_s']:.1f} s (one-off; then only new events are read)"
        )
        # the build rewrote every task row once: vacuum now, as autovacuum would have long
        # before a real year's dashboard is looked at, so that it does not run during timing
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        timings = _timed_ms(lambda: compute_dashboard(YEAR, refresh_first=True), 5)
        figures["dashboard_ms_median"] = statistics.median(timings)
        figures["dashboard_ms_max"] = max(timings)
        median, worst = figures["dashboard_ms_median"], figures["dashboard_ms_max"]
        echo(
            f"dashboard for {YEAR} (all figures, incremental refresh included): median "
            f"{median:.0f} ms, max {worst:.0f} ms over {len(timings)} runs (target < 1000 ms)"
        )
        figures["figures_ms"] = _timed_ms(lambda: compute_dashboard_from_figures(YEAR), 1)[0]
        echo(
            f"the same figures one query each over the projection (the reference): "
            f"{figures['figures_ms']:.0f} ms = {figures['figures_ms'] / median:.1f}x the cells"
        )
        biggest = max(f.corporations(), key=lambda c: c.homes or 0)
        for selection in (
            Selection(YEAR),
            Selection(YEAR, period="K2", corporation=biggest.key),
            Selection(YEAR, period="05", party="meldpunt"),
        ):
            timings = _timed_ms(partial(meeting_figures, selection, refresh_first=True), 3)
            label = ", ".join(
                f"{k}={v}" for k, v in dataclasses.asdict(selection).items() if v and k != "year"
            )
            figures[f"view_ms[{label or 'year'}]"] = statistics.median(timings)
            echo(
                f"dashboard page's figures ({label or 'the whole year'}): median "
                f"{statistics.median(timings):.0f} ms over {len(timings)} runs"
            )
        cell_count = db.session.scalar(select(func.count()).select_from(MetricCell)) or 0
        december = Touched(tasks={YEAR * 100 + 12}, cases={YEAR * 100 + 12},
                           steps={YEAR * 100 + 12})  # fmt: skip
        timings = _timed_ms(lambda: rebuild(december), 3)
        figures["month_cells_ms"] = statistics.median(timings)
        echo(
            f"the year is {cell_count:,} cells; a refresh that reads new events recomputes the "
            f"cells of their months: one month in {figures['month_cells_ms']:.0f} ms (median of 3)"
        )
        for line in explain_lines():
            echo(line)
        db.session.remove()
        db.engine.dispose()
    return figures


def _timed_ms(work: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds of each of ``runs`` calls, each committed."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        db.session.commit()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def explain_lines() -> list[str]:
    """EXPLAIN ANALYZE of the dashboard's two largest reads of the cells."""
    queries = {
        "open-time histogram per step": (
            "SELECT key, bin, sum(n) FROM metric_cells WHERE kind = 'open' "
            "AND month BETWEEN :s AND :e GROUP BY key, bin"
        ),
        "waiting-time histogram per party": (
            "SELECT role, bin, sum(n) FROM metric_cells WHERE kind = 'wait' "
            "AND month BETWEEN :s AND :e GROUP BY role, bin"
        ),
    }
    bounds = {"s": YEAR * 100 + 1, "e": YEAR * 100 + 12}
    lines = []
    for name, sql in queries.items():
        plan = db.session.execute(text(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}"), bounds).scalars()
        rows = list(plan)
        lines.append(f"EXPLAIN ANALYZE {name}:")
        lines += [f"    {row}" for row in rows if "Scan" in row or "Aggregate" in row
                  or "Execution" in row]  # fmt: skip
    return lines
