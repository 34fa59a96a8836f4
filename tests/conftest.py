"""Fixtures: every database test runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.config import normalise_database_url
from app.engine import SPEC_CACHE, ManualClock
from app.extensions import db
from app.models import Organisation, ProcessVersion, User
from app.services import clock as clock_service
from app.services.actors import SYSTEM, Actor
from app.services.deployments import deploy, read_directory

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = ROOT / "processes" / "bpmn"

BACKENDS = ["sqlite"]
if os.environ.get("TEST_DATABASE_URL"):
    BACKENDS.append("postgresql")


def _admin_engine() -> Any:
    base = normalise_database_url(os.environ["TEST_DATABASE_URL"])
    return create_engine(base, isolation_level="AUTOCOMMIT")


def private_postgres_database(purpose: str = "app") -> str:
    """A database of this test session's own, next to TEST_DATABASE_URL's (runs may overlap)."""
    name = f"voorkom_test_{purpose}_{os.getpid()}"
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(normalise_database_url(os.environ["TEST_DATABASE_URL"]))
    return url.set(database=name).render_as_string(hide_password=False)


def drop_private_database(url: str) -> None:
    name = make_url(url).database
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def database_url(backend: str, tmp: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'test.sqlite3'}"
    return private_postgres_database()


@pytest.fixture(scope="session", params=BACKENDS)
def app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    url = database_url(request.param, tmp_path_factory.mktemp(request.param))
    application = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with application.app_context():
        _reset_schema()
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    if request.param == "postgresql":
        drop_private_database(application.config["SQLALCHEMY_DATABASE_URI"])


def _reset_schema() -> None:
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()


@pytest.fixture
def backend(app: Flask) -> str:
    with app.app_context():
        return str(db.engine.dialect.name)


@pytest.fixture
def session(app: Flask) -> Iterator[Any]:
    """An app context with an empty database afterwards (tables truncated)."""
    with app.app_context():
        yield db.session
        db.session.rollback()
        _truncate()
        SPEC_CACHE.clear()
        db.session.remove()


def _truncate() -> None:
    """Empty every table. DELETE, not TRUNCATE: on PostgreSQL a TRUNCATE of every table
    costs about a second per test (new files, fsync); a DELETE of a few rows costs little."""
    for name in [t.name for t in reversed(db.metadata.sorted_tables)]:
        db.session.execute(text(f"DELETE FROM {name}"))
    db.session.commit()


@pytest.fixture
def clock() -> Iterator[ManualClock]:
    """The services' clock, frozen on a Monday morning (Amsterdam 10:00)."""
    manual = ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    previous = clock_service.set_clock(manual)
    yield manual
    clock_service.set_clock(previous)


class Parties:
    """Organisations and one user per role, made on demand."""

    def __init__(self) -> None:
        from app.services.seed import seed_organisations

        self.orgs = seed_organisations()
        self._users: dict[str, User] = {}

    def user(self, username: str, org_key: str, role: str) -> Actor:
        if username not in self._users:
            user = User(
                username=username,
                display_name=username.title(),
                organisation_id=self.orgs[org_key].id,
                role=role,
                active=True,
            )
            db.session.add(user)
            db.session.commit()
            self._users[username] = user
        return Actor.of(self._users[username])

    def org(self, key: str) -> Organisation:
        return self.orgs[key]

    @property
    def quawonen(self) -> Actor:
        return self.user("qua", "quawonen", "corporatie")

    @property
    def vestia(self) -> Actor:
        return self.user("vest", "vestia", "corporatie")

    @property
    def meldpunt(self) -> Actor:
        return self.user("mp", "ggd", "meldpunt")

    @property
    def meldpunt2(self) -> Actor:
        return self.user("mp2", "ggd", "meldpunt")

    @property
    def schuldhulp(self) -> Actor:
        return self.user("sdv", "gemeente", "schuldhulp")

    @property
    def procesbeheer(self) -> Actor:
        return self.user("pb", "convenant", "procesbeheer")


@pytest.fixture
def parties(session: Any) -> Parties:
    p = Parties()
    db.session.commit()
    return p


#: the rows a real deploy of processes/bpmn wrote, kept to re-insert in later tests
_DEPLOYED_ROWS: list[dict[str, Any]] = []
_VERSION_COLUMNS = (
    "process_id", "name", "version", "content_hash", "sources", "spec_blob", "summary",
    "deployed_at", "deployment_name",
)  # fmt: skip


@pytest.fixture
def deployed(session: Any, parties: Parties) -> dict[str, Any]:
    """The catalogue in processes/bpmn, deployed (parsed once per run, then copied in)."""
    if not _DEPLOYED_ROWS:
        results = deploy(read_directory(PROCESSES), actor=SYSTEM)
        db.session.commit()
        _DEPLOYED_ROWS.extend(
            {column: getattr(r.version, column) for column in _VERSION_COLUMNS} for r in results
        )
        return {r.version.process_id: r.version for r in results}
    versions = [ProcessVersion(**row) for row in _DEPLOYED_ROWS]
    db.session.add_all(versions)
    db.session.commit()
    return {v.process_id: v for v in versions}
