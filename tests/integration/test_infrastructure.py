"""The pieces around the code: compose file, migrations, layering, CLI, start page."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask

from app import create_app
from app.extensions import db
from tests.conftest import PROCESSES, ROOT, drop_private_database, private_postgres_database

VOORKOM = [sys.executable, "-m", "app.cli"]


def test_compose_file_describes_the_production_stack() -> None:
    """PostgreSQL, migrations, gunicorn web tier and a timer worker (no Docker engine here)."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"db", "migrate", "web", "worker"} <= set(services)
    assert services["db"]["image"].startswith("postgres:15")
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"] == ["voorkom", "worker"]
    assert services["migrate"]["command"] == ["voorkom", "db", "upgrade"]
    for name in ("web", "worker"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql://")
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    assert (ROOT / "Dockerfile").exists()


def _fresh_database_url(tmp_path: Path, backend: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
    return private_postgres_database("migrate")


def test_alembic_upgrade_on_an_empty_database_matches_the_models(
    backend: str, tmp_path: Path
) -> None:
    url = _fresh_database_url(tmp_path, backend)
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run(
        [*VOORKOM, "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        db.engine.dispose()
    if backend != "sqlite":
        drop_private_database(url)
    assert diff == []


def test_only_the_engine_imports_spiffworkflow() -> None:
    offenders = []
    for path in (ROOT / "app").rglob("*.py"):
        if path.is_relative_to(ROOT / "app" / "engine"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n.split(".")[0] == "SpiffWorkflow" for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_lint_cli_accepts_the_catalogue_and_names_the_unsafe_element(tmp_path: Path) -> None:
    ok = subprocess.run(
        [*VOORKOM, "lint", str(PROCESSES)], capture_output=True, text=True, timeout=120
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    shutil.copytree(PROCESSES, tmp_path / "bpmn")
    target = tmp_path / "bpmn" / "shared" / "meldpunt.bpmn"
    target.write_text(
        target.read_text().replace(
            "dagen_tot_ontruiming = ", "dagen_tot_ontruiming = __import__('os') or "
        )
    )
    bad = subprocess.run(
        [*VOORKOM, "lint", str(tmp_path / "bpmn")], capture_output=True, text=True, timeout=120
    )
    assert bad.returncode == 1
    assert "Task_DagenTotOntruiming" in bad.stdout
    assert "__import__" in bad.stdout


def test_start_page_lists_deployed_processes(app: Flask, deployed: Any) -> None:
    page = app.test_client().get("/")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert 'lang="nl"' in body
    assert "quawonen" in body and "Voorkomen huisuitzetting" in body


@pytest.mark.parametrize("path", ["/healthz"])
def test_health(app: Flask, path: str) -> None:
    assert app.test_client().get(path).get_json() == {"status": "ok"}
