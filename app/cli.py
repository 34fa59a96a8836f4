"""The ``voorkom`` command line: each command owns its transaction."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup

from app import create_app
from app.services import transaction
from app.services.actors import SYSTEM
from app.services.deployments import deploy as deploy_sources
from app.services.deployments import lint as lint_sources
from app.services.deployments import read_directory
from app.services.errors import DeploymentRefused


def _create_app() -> object:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Voorkom: the eviction-prevention covenant as executable BPMN."""


def _read_paths(paths: tuple[str, ...]) -> dict[str, str]:
    sources: dict[str, str] = {}
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise click.UsageError(f"{raw}: no such file or directory")
        for name, text in read_directory(path).items():
            sources[name] = text
    if not sources:
        raise click.UsageError("no .bpmn or .dmn files found")
    return sources


@main.command("lint")
@click.argument("paths", nargs=-1, required=True)
def lint_command(paths: tuple[str, ...]) -> None:
    """Check diagrams against the parser and the project's rules (exit 1 on problems)."""
    sources = _read_paths(paths)
    problems = lint_sources(sources)
    for problem in problems:
        click.echo(problem)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {len(sources)} file(s)", err=True)
        sys.exit(1)
    click.echo(f"ok: {len(sources)} file(s), no problems")


@main.command("deploy")
@click.argument("paths", nargs=-1, required=True)
def deploy_command(paths: tuple[str, ...]) -> None:
    """Deploy diagrams as new versions (unchanged processes keep their version)."""
    sources = _read_paths(paths)
    try:
        with transaction():
            results = deploy_sources(sources, actor=SYSTEM, name=", ".join(paths))
    except DeploymentRefused as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        click.echo(exc.message, err=True)
        sys.exit(1)
    for item in results:
        state = "new" if item.created else "unchanged"
        click.echo(f"{item.version.process_id} v{item.version.version} ({state})")


@main.command("worker")
@click.option("--once", is_flag=True, help="Fire what is due now and stop.")
@click.option("--interval", type=float, default=None, help="Seconds between rounds.")
def worker_command(once: bool, interval: float | None) -> None:
    """Fire due timers and send the outbox, in a loop (several workers may run)."""
    from app.services.outbox import deliver_pending
    from app.services.timers import fire_due_timers

    pause = interval if interval is not None else current_app.config["VOORKOM_WORKER_INTERVAL"]
    while True:
        fired = fire_due_timers()
        with transaction():
            sent = deliver_pending()
        if fired or sent:
            click.echo(f"fired {fired} timer(s), sent {sent} message(s)")
        if once:
            return
        time.sleep(pause)
