"""``make bench`` over HTTP: the JSON API under its production server (gunicorn).

(e) one client drives whole start -> 10 user tasks -> end instances through the API:
    median and p95 per completed task, whole instances per second
(f) task list and task page with 100,000 cases in PostgreSQL: server time p50/p95 of the
    service calls in process and of the API requests (Server-Timing header)
Timings are printed, never asserted: a benchmark is not a test.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import event, select, text

from app import create_app
from app.config import PROJECT_ROOT
from app.extensions import db
from app.models import HumanTask, Organisation, User
from app.services.actors import SYSTEM, Actor
from app.services.deployments import deploy, read_directory
from app.services.seed import seed_organisations
from app.services.tokens import issue_token

Echo = Callable[[str], None]

REFERENCE_TASK_MS = 44.8  # spiff-arena, median per completed user task over HTTP
REFERENCE_INSTANCES_PER_S = 1.83
TARGET_TASK_MS = 4.5
TARGET_INSTANCES_PER_S = 18.0
TARGET_LIST_P95_MS = 100.0
TEN_TASKS = "bench_tien_taken"
ANSWER = {"status_code": "ontvangen"}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def p50_p95(values: list[float]) -> str:
    return f"p50 {pct(values, 0.5):7.2f} ms  p95 {pct(values, 0.95):7.2f} ms"


# -- the server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def gunicorn(database_url: str, workers: int = 2) -> Iterator[int]:
    """The app under gunicorn (sync workers, as in production) on a free loopback port."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only",
        "VOORKOM_DEMO": "0",
        "VOORKOM_DEV": "0",
    }
    command = [
        sys.executable, "-m", "gunicorn", "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "app:create_app()",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=PROJECT_ROOT)  # noqa: S603
    try:
        _wait_until_up(port, process)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with exit code {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not answer within 60 s")


@dataclass
class Answer:
    status: int
    body: Any
    client_ms: float
    server_ms: float
    #: the app process's CPU for the request: unlike wall time, hardly moved by other load
    server_cpu_ms: float


class Client:
    """One HTTP client on one connection (reopened when the server closes it)."""

    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, token: str, body: Any = None) -> Answer:
        headers = {"Authorization": f"Bearer {token}", "Connection": "keep-alive"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        self.conn.request(method, path, body=payload, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        client_ms = (time.perf_counter() - started) * 1000
        timings = dict(
            part.strip().split(";dur=", 1)
            for part in (response.getheader("Server-Timing") or "").split(",")
            if ";dur=" in part
        )
        return Answer(
            response.status,
            json.loads(data) if data else None,
            client_ms,
            float(timings.get("app", "nan")),
            float(timings.get("cpu", "nan")),
        )

    def close(self) -> None:
        self.conn.close()


# -- database set-up ---------------------------------------------------------------------------


def fresh_database(url: str) -> Flask:
    """An empty database at url with the production schema (the migrations)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        else:
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        with warnings.catch_warnings():  # Flask-Migrate's generated env.py uses get_engine()
            warnings.simplefilter("ignore", DeprecationWarning)
            upgrade()
        db.session.remove()
        db.engine.dispose()
    return app


def account(username: str, org: Organisation, role: str) -> User:
    user = User(
        username=username, display_name=username, organisation_id=org.id, role=role, active=True
    )
    db.session.add(user)
    db.session.flush()
    return user


# -- (e) whole instances over HTTP -------------------------------------------------------------


@dataclass
class InstanceFigures:
    backend: str
    task_client_ms: list[float]
    task_server_ms: list[float]
    task_cpu_ms: list[float]
    instance_ms: list[float]
    instances_per_s: float


def prepare_ten_tasks(app: Flask) -> tuple[str, str]:
    """Organisations, a corporation without a fixed process, the Meldpunt; tokens for both."""
    with app.app_context():
        orgs = seed_organisations()
        bench = Organisation(key="bench", name="Benchmark", kind="corporatie", process_id=None)
        db.session.add(bench)
        db.session.flush()
        account("bench-corp", bench, "corporatie")
        account("bench-mp", orgs["ggd"], "meldpunt")
        deploy(read_directory(PROJECT_ROOT / "benchmarks"), actor=SYSTEM)
        tokens = issue_token("bench-corp"), issue_token("bench-mp")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return tokens


def drive_instance(client: Client, corp: str, meldpunt: str) -> tuple[list[Answer], str]:
    """Start one instance and complete its tasks until it closes."""
    started = client.call("POST", f"/api/v1/cases?process_id={TEN_TASKS}", corp, {})
    if started.status != 201:
        raise RuntimeError(f"start failed: {started.status} {started.body}")
    case = started.body
    answers = []
    while case["open_tasks"]:
        task_id = case["open_tasks"][0]["id"]
        done = client.call("POST", f"/api/v1/tasks/{task_id}/complete", meldpunt, ANSWER)
        if done.status != 200:
            raise RuntimeError(f"complete failed: {done.status} {done.body}")
        answers.append(done)
        case = done.body
    return answers, case["status"]


def measure_instances(url: str, instances: int, warmup: int = 5) -> InstanceFigures:
    app = fresh_database(url)
    with app.app_context():
        backend = db.engine.dialect.name
        db.engine.dispose()
    corp, meldpunt = prepare_ten_tasks(app)
    with gunicorn(url) as port:
        client = Client(port)
        for _ in range(warmup):
            drive_instance(client, corp, meldpunt)
        task_client: list[float] = []
        task_server: list[float] = []
        task_cpu: list[float] = []
        per_instance: list[float] = []
        began = time.perf_counter()
        for _ in range(instances):
            started = time.perf_counter()
            answers, status = drive_instance(client, corp, meldpunt)
            per_instance.append((time.perf_counter() - started) * 1000)
            if status != "closed" or len(answers) != 10:
                raise RuntimeError(f"instance ended {status} after {len(answers)} tasks")
            task_client += [a.client_ms for a in answers]
            task_server += [a.server_ms for a in answers]
            task_cpu += [a.server_cpu_ms for a in answers]
        elapsed = time.perf_counter() - began
        client.close()
    return InstanceFigures(
        backend, task_client, task_server, task_cpu, per_instance, instances / elapsed
    )


def report_instances(figures: InstanceFigures, echo: Echo) -> None:
    median = statistics.median(figures.task_client_ms)
    rate = figures.instances_per_s
    echo(
        f"(e)  {figures.backend:<10} complete one task over HTTP  {p50_p95(figures.task_client_ms)}"
    )
    echo(
        f"     {figures.backend:<10} server wall {p50_p95(figures.task_server_ms)}, "
        f"app CPU p50 {pct(figures.task_cpu_ms, 0.5):.2f} ms"
    )
    whole = statistics.median(figures.instance_ms)
    echo(
        f"     {figures.backend:<10} whole instance {whole:7.2f} ms"
        f"  {rate:6.1f} instances/s  ({len(figures.instance_ms)} instances, 1 client)"
    )
    echo(
        f"     vs spiff-arena: {REFERENCE_TASK_MS / median:5.1f}x faster per task, "
        f"{rate / REFERENCE_INSTANCES_PER_S:5.1f}x the instances/s  "
        f"(targets <= {TARGET_TASK_MS} ms: {'met' if median <= TARGET_TASK_MS else 'NOT met'}, "
        f">= {TARGET_INSTANCES_PER_S:.0f}/s: "
        f"{'met' if rate >= TARGET_INSTANCES_PER_S else 'NOT met'})"
    )


# -- (f) 100,000 cases -------------------------------------------------------------------------

#: the bulk copy: template cases (open cases of a short simulation) cloned n times, spread over
#: the corporations and back in time, with their open tasks (some claimed) and their events
BULK_SQL = (
    "CREATE TEMP TABLE tpl AS SELECT (row_number() OVER (ORDER BY c.id)) - 1 AS t, c.* "
    "FROM cases c WHERE c.status = 'open' "
    "AND EXISTS (SELECT 1 FROM human_tasks h WHERE h.case_id = c.id)",
    "CREATE TEMP TABLE corp AS SELECT (row_number() OVER (ORDER BY id)) - 1 AS k, id "
    "FROM organisations WHERE kind = 'corporatie'",
    "CREATE TEMP TABLE claimer AS SELECT role, organisation_id, min(id) AS user_id "
    "FROM users GROUP BY role, organisation_id",
    "INSERT INTO cases (reference, process_version_id, corporation_id, status, priority, "
    "household, state, serializer_version, lock_version, next_timer_due, created_at, updated_at) "
    "SELECT 'bulk-' || g, tpl.process_version_id, corp.id, 'open', tpl.priority, tpl.household, "
    "tpl.state, tpl.serializer_version, 0, tpl.next_timer_due - make_interval(days => g % 90), "
    "tpl.created_at - make_interval(days => g % 90), "
    "tpl.updated_at - make_interval(days => g % 90) "
    "FROM generate_series(1, :n) AS g "
    "JOIN tpl ON tpl.t = g % (SELECT count(*) FROM tpl) "
    "JOIN corp ON corp.k = (g * 7919) % (SELECT count(*) FROM corp)",
    "CREATE TEMP TABLE bulk AS SELECT c.id, c.corporation_id, substr(c.reference, 6)::int AS g, "
    "tpl.id AS template_id FROM cases c "
    "JOIN tpl ON tpl.t = substr(c.reference, 6)::int % (SELECT count(*) FROM tpl) "
    "WHERE c.reference LIKE 'bulk-%'",
    "INSERT INTO human_tasks (case_id, task_id, activity_id, name, process_id, role, "
    "organisation_id, form_key, due_at, priority, created_at, claimed_by_id, claimed_at) "
    "SELECT b.id, h.task_id, h.activity_id, h.name, h.process_id, h.role, "
    "CASE WHEN h.organisation_id IS NOT NULL THEN b.corporation_id END, h.form_key, "
    "h.due_at - make_interval(days => b.g % 90), h.priority, "
    "h.created_at - make_interval(days => b.g % 90), "
    "CASE WHEN b.g % 4 = 0 THEN cl.user_id END, "
    "CASE WHEN b.g % 4 = 0 AND cl.user_id IS NOT NULL THEN h.created_at END "
    "FROM bulk b JOIN human_tasks h ON h.case_id = b.template_id "
    "LEFT JOIN claimer cl ON cl.role = h.role AND cl.organisation_id = "
    "CASE WHEN h.role = 'corporatie' THEN b.corporation_id "
    "ELSE (SELECT min(organisation_id) FROM users u WHERE u.role = h.role) END",
    "INSERT INTO case_events (case_id, at, lifecycle, activity_id, activity_name, role, "
    "organisation_id, user_id, task_id, details) "
    "SELECT b.id, e.at - make_interval(days => b.g % 90), e.lifecycle, e.activity_id, "
    "e.activity_name, e.role, CASE WHEN e.role = 'corporatie' THEN b.corporation_id "
    "ELSE e.organisation_id END, e.user_id, e.task_id, e.details "
    "FROM bulk b JOIN case_events e ON e.case_id = b.template_id",
    "UPDATE cases SET reference = 'VK-' || to_char(created_at, 'YYYY') || '-' "
    "|| lpad(id::text, 6, '0') WHERE reference LIKE 'bulk-%'",
    "DROP TABLE tpl, corp, claimer, bulk",
)


def build_large_dataset(app: Flask, cases: int, echo: Echo) -> None:
    """Real template cases through the services (a short simulation), then bulk copies."""
    from app.services.simulation import simulate

    started = time.perf_counter()
    with app.app_context():
        seed_organisations()
        deploy(read_directory(PROJECT_ROOT / "processes" / "bpmn"), actor=SYSTEM)
        db.session.commit()
        result = simulate(cases=200, seed=11, days=60, settle_days=0)
        for statement in BULK_SQL:
            db.session.execute(text(statement), {"n": cases})
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE cases, human_tasks, case_events, users"))
        counts = {
            table: db.session.execute(text(f"SELECT count(*) FROM {table}")).scalar()  # noqa: S608
            for table in ("cases", "human_tasks", "case_events")
        }
        roles = db.session.execute(
            text("SELECT role, count(*) FROM human_tasks GROUP BY role ORDER BY 2 DESC")
        ).all()
        db.session.remove()
        db.engine.dispose()
    echo(
        f"     data: {counts['cases']:,} cases, {counts['human_tasks']:,} open tasks, "
        f"{counts['case_events']:,} events ({result.open_cases} simulated templates; "
        f"built in {time.perf_counter() - started:.0f} s)"
    )
    echo("     open tasks per role: " + ", ".join(f"{r} {n:,}" for r, n in roles))


#: task-list queries a caseworker makes: name -> filters
LIST_QUERIES: dict[str, dict[str, Any]] = {
    "team, by deadline": {},
    "team, page 20": {"page": 20},
    "team, by priority": {"sort": "priority"},
    "team, by arrival": {"sort": "created"},
    "mine": {"mine": True},
    "overdue": {"overdue": True},
    "search reference": {"reference": "00123"},
    "one task kind": {"activity_id": "Task_ContactLeggen"},
    "one corporation": {"corporation_id": "quawonen"},
}


def resolved(filters: dict[str, Any], corporations: dict[str, int]) -> dict[str, Any]:
    """Filters with corporation keys replaced by their ids in this database."""
    if "corporation_id" not in filters:
        return filters
    return {**filters, "corporation_id": corporations[filters["corporation_id"]]}


def corporation_ids() -> dict[str, int]:
    return {o.key: o.id for o in db.session.scalars(select(Organisation))}


def bench_actors(app: Flask) -> dict[str, Actor]:
    """One user per kind of task list: the Meldpunt (the longest), a corporation, debt help."""
    wanted = {"meldpunt": None, "corporatie": "quawonen", "schuldhulp": None}
    actors = {}
    with app.app_context():
        for role, org_key in wanted.items():
            stmt = select(User).join(Organisation).where(User.role == role)
            if org_key:
                stmt = stmt.where(Organisation.key == org_key)
            user = db.session.scalars(stmt.order_by(User.id)).first()
            if user is not None:
                user.active = True  # simulated accounts cannot sign in; these may, here
                actors[role] = Actor.of(user)
        db.session.commit()
    return actors


def measure_in_process(app: Flask, actors: dict[str, Actor], rounds: int, echo: Echo) -> None:
    """The services themselves: list_tasks per query, and a task page (get_task + view_case)."""
    from app.services.cases import view_case
    from app.services.tasks import TaskFilter, get_task, list_tasks, scope

    rng = random.Random(5)
    with app.app_context():
        orgs = corporation_ids()
        for role, actor in actors.items():
            times: dict[str, list[float]] = {}
            for name, filters in LIST_QUERIES.items():
                for _ in range(rounds):
                    started = time.perf_counter()
                    page = list_tasks(actor, TaskFilter(**resolved(filters, orgs)))
                    [(row.case.reference, row.claimed_by) for row in page.tasks]
                    times.setdefault(name, []).append((time.perf_counter() - started) * 1000)
                    db.session.rollback()
            ids = db.session.scalars(scope(actor).with_only_columns(HumanTask.id).limit(5000)).all()
            page_times = []
            for task_id in rng.sample(list(ids), min(rounds * 2, len(ids))):
                started = time.perf_counter()
                row = get_task(actor, task_id)
                view_case(actor, row.case_id)
                db.session.commit()
                page_times.append((time.perf_counter() - started) * 1000)
            everything = [t for values in times.values() for t in values]
            worst = max(times, key=lambda n: pct(times[n], 0.95))
            echo(
                f"(f)  list_tasks  {role:<11} {p50_p95(everything)}   worst: {worst} "
                f"p95 {pct(times[worst], 0.95):.2f} ms"
            )
            echo(
                "     per query p95: "
                + ", ".join(f"{name} {pct(values, 0.95):.1f}" for name, values in times.items())
            )
            echo(f"     task page   {role:<11} {p50_p95(page_times)}   (get_task + view_case)")
        db.session.remove()


def measure_over_http(
    app: Flask, url: str, actors: dict[str, Actor], rounds: int, echo: Echo
) -> None:
    """The same through the API under gunicorn: server time from the Server-Timing header."""
    from urllib.parse import urlencode

    from app.services.tasks import scope

    rng = random.Random(6)
    with app.app_context():
        orgs = corporation_ids()
        tokens = {role: issue_token(actor.username) for role, actor in actors.items()}
        samples = {
            role: db.session.execute(
                scope(actor).with_only_columns(HumanTask.id, HumanTask.case_id).limit(5000)
            ).all()
            for role, actor in actors.items()
        }
        references = {
            case_id: ref
            for case_id, ref in db.session.execute(
                text("SELECT id, reference FROM cases WHERE id = ANY(:ids)"),
                {"ids": [c for rows in samples.values() for _, c in rows]},
            )
        }
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    with gunicorn(url) as port:
        client = Client(port)
        for role, token in tokens.items():
            lists: list[Answer] = []
            for _ in range(rounds):
                for filters in LIST_QUERIES.values():
                    query = urlencode(
                        {k: str(v).lower() for k, v in resolved(filters, orgs).items()}
                    )
                    lists.append(client.call("GET", f"/api/v1/tasks?{query}", token))
            cases: list[Answer] = []
            tasks: list[Answer] = []
            for task_id, case_id in rng.sample(samples[role], min(rounds * 2, len(samples[role]))):
                cases.append(client.call("GET", f"/api/v1/cases/{references[case_id]}", token))
                tasks.append(client.call("GET", f"/api/v1/tasks/{task_id}", token))
            failed = [a.status for a in lists + cases + tasks if a.status != 200]
            if failed:
                raise RuntimeError(f"{role}: {len(failed)} requests failed: {failed[:5]}")
            for label, answers in (
                ("GET /tasks", lists),
                ("GET /cases/{ref}", cases),
                ("GET /tasks/{id}", tasks),
            ):
                echo(
                    f"(f)  {label:<17} {role:<11} server {p50_p95([a.server_ms for a in answers])}"
                    f"   client p95 {pct([a.client_ms for a in answers], 0.95):.2f} ms"
                    f"   app CPU p95 {pct([a.server_cpu_ms for a in answers], 0.95):.2f} ms"
                )
        client.close()


#: the task lists whose SQL the benchmark explains: the default one and the reference search
EXPLAINED: dict[str, dict[str, Any]] = {
    "team, by deadline": {},
    "search reference": {"reference": "00123"},
}


def explain_list_queries(app: Flask, actors: dict[str, Actor], echo: Echo) -> None:
    """EXPLAIN ANALYZE of the SQL list_tasks issues for the Meldpunt's lists."""
    from app.services.tasks import TaskFilter, list_tasks

    with app.app_context():
        for name, filters in EXPLAINED.items():
            issued: list[tuple[str, Any]] = []

            def capture(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
                issued.append((statement, params))  # noqa: B023  (read before the next round)

            event.listen(db.engine, "before_cursor_execute", capture)
            try:
                list_tasks(actors["meldpunt"], TaskFilter(**filters))
            finally:
                event.remove(db.engine, "before_cursor_execute", capture)
            db.session.rollback()
            echo(f"     EXPLAIN ANALYZE, meldpunt, {name}:")
            for statement, params in issued:
                plan = db.session.connection().exec_driver_sql(
                    "EXPLAIN (ANALYZE, COSTS OFF) " + statement, params
                )
                echo("       " + " ".join(statement.split())[:100] + " ...")
                for (line,) in list(plan)[:14]:
                    echo("         " + line)
            db.session.rollback()
        db.session.remove()


def measure_large(url: str, cases: int, rounds: int, echo: Echo, explain: bool) -> None:
    app = fresh_database(url)
    build_large_dataset(app, cases, echo)
    actors = bench_actors(app)
    measure_in_process(app, actors, rounds, echo)
    measure_over_http(app, url, actors, rounds, echo)
    if explain:
        explain_list_queries(app, actors, echo)
    echo(f"     target: p95 under {TARGET_LIST_P95_MS:.0f} ms")


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
    echo(f"\n== over HTTP: gunicorn, 2 sync workers, JSON API, {instances} instances ==")
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
