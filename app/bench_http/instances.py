"""(e) Whole start -> 10 user tasks -> end instances driven through the JSON API."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from flask import Flask

from app.bench_http.server import (
    Answer,
    Client,
    Echo,
    account,
    fresh_database,
    gunicorn,
    p50_p95,
    pct,
)
from app.config import PROJECT_ROOT
from app.extensions import db
from app.models import Organisation
from app.services.actors import SYSTEM
from app.services.deployments import deploy, read_directory
from app.services.seed import seed_organisations
from app.services.tokens import issue_token

REFERENCE_TASK_MS = 44.8  # spiff-arena, median per completed user task over HTTP
REFERENCE_INSTANCES_PER_S = 1.83
TARGET_TASK_MS = 4.5
TARGET_INSTANCES_PER_S = 18.0
TEN_TASKS = "bench_tien_taken"
ANSWER = {"status_code": "ontvangen"}


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


def measure_instances(
    url: str, instances: int, *, workers: int = 2, warmup: int = 5
) -> InstanceFigures:
    app = fresh_database(url)
    with app.app_context():
        backend = db.engine.dialect.name
        db.engine.dispose()
    corp, meldpunt = prepare_ten_tasks(app)
    with gunicorn(url, workers) as port:
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
        f"{backend}/{workers}w",
        task_client,
        task_server,
        task_cpu,
        per_instance,
        instances / elapsed,
    )


def report_instances(figures: InstanceFigures, echo: Echo) -> None:
    median = statistics.median(figures.task_client_ms)
    rate = figures.instances_per_s
    echo(
        f"(e)  {figures.backend:<13} complete one task over HTTP  {p50_p95(figures.task_client_ms)}"
    )
    echo(
        f"     {figures.backend:<13} server wall {p50_p95(figures.task_server_ms)}, "
        f"app CPU p50 {pct(figures.task_cpu_ms, 0.5):.2f} ms"
    )
    whole = statistics.median(figures.instance_ms)
    echo(
        f"     {figures.backend:<13} whole instance {whole:7.2f} ms"
        f"  {rate:6.1f} instances/s  ({len(figures.instance_ms)} instances, 1 client)"
    )
    echo(
        f"     vs spiff-arena: {REFERENCE_TASK_MS / median:5.1f}x faster per task, "
        f"{rate / REFERENCE_INSTANCES_PER_S:5.1f}x the instances/s  "
        f"(targets <= {TARGET_TASK_MS} ms: {'met' if median <= TARGET_TASK_MS else 'NOT met'}, "
        f">= {TARGET_INSTANCES_PER_S:.0f}/s: "
        f"{'met' if rate >= TARGET_INSTANCES_PER_S else 'NOT met'})"
    )
