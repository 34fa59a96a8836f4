"""(f) Task list and task page with 100,000 cases: services in process, API under gunicorn."""

from __future__ import annotations

import random
import time
from typing import Any

from flask import Flask
from sqlalchemy import event, select, text

from app.bench_http.dataset import build_large_dataset
from app.bench_http.server import Answer, Client, Echo, fresh_database, gunicorn, p50_p95, pct
from app.extensions import db
from app.models import HumanTask, Organisation, User
from app.services.actors import Actor
from app.services.tokens import issue_token

TARGET_LIST_P95_MS = 100.0

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
        for role, token in tokens.items():  # warm both workers: specs parsed, caches filled
            for task_id, case_id in samples[role][:12]:
                client.call("GET", f"/api/v1/tasks/{task_id}", token)
                client.call("GET", f"/api/v1/cases/{references[case_id]}", token)
                client.call("GET", "/api/v1/tasks", token)
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
