"""The app under gunicorn, one HTTP client, a fresh database: what both parts need."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.config import PROJECT_ROOT
from app.extensions import db
from app.models import Organisation, User

Echo = Callable[[str], None]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def p50_p95(values: list[float]) -> str:
    return f"p50 {pct(values, 0.5):7.2f} ms  p95 {pct(values, 0.95):7.2f} ms"


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
