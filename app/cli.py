"""The ``voorkom`` command line: each command owns its transaction."""

from __future__ import annotations

import logging
import os
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
from app.services.mail import MailSettings, MailSettingsError, mailer
from app.services.scheduled import ensure_scheduled_cases


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
            scheduled = ensure_scheduled_cases()
    except DeploymentRefused as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        click.echo(exc.message, err=True)
        sys.exit(1)
    for case in scheduled:
        click.echo(f"waiting at its start timer: {case.reference}")
    for item in results:
        state = "new" if item.created else "unchanged"
        click.echo(f"{item.version.process_id} v{item.version.version} ({state})")


@main.command("worker")
@click.option("--once", is_flag=True, help="Fire what is due now and stop.")
@click.option("--interval", type=float, default=None, help="Seconds between rounds.")
@click.option(
    "--digest-hour",
    type=click.IntRange(0, 23),
    default=7,
    show_default=True,
    help="Hour (Dutch time) from which the day's overdue digest is queued.",
)
def worker_command(once: bool, interval: float | None, digest_hour: int) -> None:
    """Fire due timers, queue the daily overdue digest and send the outbox, in a loop
    (several workers may run; SMTP_HOST unset: mail goes to the log)."""
    from app.services.notifications import digest_due, local_day, queue_overdue_digests
    from app.services.timers import fire_due_timers

    settings = _mail_settings()
    if not logging.getLogger().handlers:  # without SMTP_HOST the mails are this log's lines
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    pause = interval if interval is not None else current_app.config["VOORKOM_WORKER_INTERVAL"]
    last_digest = None
    while True:
        with transaction():
            ensure_scheduled_cases()  # a timer-started process deployed since the last round
        fired = fire_due_timers()
        if digest_due(last_digest, digest_hour):
            with transaction():
                digests = queue_overdue_digests()
            last_digest = local_day()
            if digests:
                click.echo(f"queued {digests} overdue digest(s)")
        sent = _send_outbox(settings)
        if fired or sent:
            click.echo(f"fired {fired} timer(s), sent {sent} message(s)")
        if once:
            return
        time.sleep(pause)


def _mail_settings() -> MailSettings:
    try:
        return MailSettings.from_environ(os.environ)
    except MailSettingsError as exc:
        raise click.ClickException(str(exc)) from exc


def _send_outbox(settings: MailSettings) -> int:
    """Send what the outbox holds, in its own transaction; the connection is closed after."""
    from app.services.outbox import deliver_pending

    sender = mailer(settings)
    try:
        with transaction():
            return deliver_pending(sender)
    finally:
        sender.close()


@main.command("digest")
@click.option("--send", is_flag=True, help="Also send the outbox now (else the worker does).")
def digest_command(send: bool) -> None:
    """Queue today's overdue digest for every team with overdue tasks (once per team per day)."""
    from app.services.notifications import queue_overdue_digests

    with transaction():
        queued = queue_overdue_digests()
    click.echo(f"queued {queued} overdue digest(s)")
    if send:
        click.echo(f"sent {_send_outbox(_mail_settings())} message(s)")


@main.command("simulate")
@click.option("--cases", type=click.IntRange(min=0), default=200, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--days", type=click.IntRange(min=1), default=365, show_default=True)
@click.option(
    "--start",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="First simulated day (default: so that the period ends about today).",
)
@click.option(
    "--compare", "draft", type=click.Path(exists=True), default=None,
    help="What-if: simulate this draft diagram and the deployed version on the same load, "
    "each in a scratch database, and print both side by side (nothing is deployed).",
)  # fmt: skip
def simulate_command(cases: int, seed: int, days: int, start: object, draft: str | None) -> None:
    """Run synthetic cases through the real services on a virtual clock."""
    from datetime import UTC, datetime

    from app.services.simulation import simulate

    begin = start.replace(tzinfo=UTC) if isinstance(start, datetime) else None
    if draft:
        _compare_draft(draft, cases=cases, seed=seed, days=days, start=begin)
        return
    with click.progressbar(length=days, label="Simuleren", show_eta=True) as bar:
        last = 0

        def progress(done: int, total: int) -> None:
            nonlocal last
            step = round(done * days / total)
            bar.update(step - last)
            last = step

        result = simulate(cases=cases, seed=seed, days=days, start=begin, progress=progress)
    click.echo(
        f"{result.cases} cases from {result.start:%Y-%m-%d} to {result.end:%Y-%m-%d}: "
        f"{result.tasks_completed} tasks completed, {result.timers_fired} timers fired"
    )
    for outcome, count in sorted(result.outcomes.items(), key=lambda kv: (-kv[1], kv[0])):
        click.echo(f"  {outcome:<28} {count:>6}")
    click.echo(f"  {'open (waiting)':<28} {result.open_cases:>6}")
    if result.signals:
        sent = ", ".join(f"{name} {count}" for name, count in sorted(result.signals.items()))
        click.echo(f"signals delivered: {sent}")
    if result.rejected:
        click.echo(f"{len(result.rejected)} action(s) refused:", err=True)
        for line in result.rejected[:20]:
            click.echo(f"  {line}", err=True)
        sys.exit(1)


@main.command("seed-demo")
@click.option("--cases", type=int, default=250, show_default=True, help="Simulated sample cases.")
@click.option(
    "--days", type=int, default=365, show_default=True, help="Simulated period up to now."
)
def seed_demo_command(cases: int, days: int) -> None:
    """Demo mode only: organisations, one user per party (password 'demo'), sample cases."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Case, Organisation
    from app.services.seed import seed_demo_users, seed_organisations
    from app.services.simulation import simulate

    if not current_app.config.get("VOORKOM_DEMO"):
        raise click.ClickException("seed-demo runs only with VOORKOM_DEMO=1 (never in production)")
    with transaction():
        seed_organisations()
        created = seed_demo_users()
    click.echo(f"demo users: {len(created)} new")
    sources = read_directory(current_app.config["VOORKOM_PROCESSES_DIR"])
    with transaction():
        results = deploy_sources(sources, actor=SYSTEM, name="seed-demo")
        ensure_scheduled_cases()
    click.echo(f"processes: {sum(r.created for r in results)} new version(s)")
    households = (
        select(func.count())
        .select_from(Case)
        .join(Organisation, Organisation.id == Case.corporation_id)
        .where(Organisation.kind == "corporatie")
    )
    if db.session.scalar(households):
        click.echo("sample cases: already there")
        return
    # a year up to today, arrivals until the end: recent cases are still open in the task lists
    with click.progressbar(length=100, label="Voorbeeldzaken simuleren") as bar:
        done = 0

        def progress(step: int, total: int) -> None:
            nonlocal done
            now_done = step * 100 // total
            bar.update(now_done - done)
            done = now_done

        result = simulate(cases=cases, seed=2025, days=days, settle_days=0, progress=progress)
    click.echo(f"sample cases: {result.cases} ({result.open_cases} still open)")


@main.command("bench")
@click.option("--cases", type=click.IntRange(min=1), default=50, show_default=True)
@click.option(
    "--postgres",
    envvar="BENCH_DATABASE_URL",
    default="postgresql://postgres@127.0.0.1:5432/test",
    show_default=True,
    help="PostgreSQL server to measure on (a scratch database voorkom_bench is used).",
)
@click.option(
    "--http/--no-http",
    default=True,
    show_default=True,
    help="Also drive the JSON API under gunicorn, and the task list with --large cases.",
)
@click.option(
    "--instances", type=click.IntRange(min=1), default=200, show_default=True,
    help="Whole instances driven over HTTP.",
)  # fmt: skip
@click.option(
    "--large", type=click.IntRange(min=1000), default=100_000, show_default=True,
    help="Cases in PostgreSQL for the task-list and task-page timings.",
)  # fmt: skip
@click.option(
    "--engine/--no-engine", default=True, show_default=True,
    help="The in-process part: plain SpiffWorkflow against the durable services.",
)  # fmt: skip
def bench_command(
    cases: int, postgres: str, http: bool, instances: int, large: int, engine: bool
) -> None:
    """Measure the engine alone and the durable service layer; print the ratios."""
    from app.bench import run

    try:
        if engine:
            run(cases=cases, postgres=postgres or None, echo=click.echo)
    finally:  # the HTTP figures are printed even when the in-process part fails
        if http:
            from app import bench_http

            bench_http.run(
                instances=instances, cases=large, postgres=postgres or None, echo=click.echo
            )


@main.command("create-token")
@click.argument("username")
@click.option("--organisation", help="Create a system account for this organisation (key).")
@click.option("--role", help="The system account's role (with --organisation).")
@click.option("--name", "display_name", help="The system account's display name.")
@click.option("--revoke", is_flag=True, help="Withdraw the account's token instead.")
def create_token_command(
    username: str,
    organisation: str | None,
    role: str | None,
    display_name: str | None,
    revoke: bool,
) -> None:
    """Print a new API token for USERNAME, once (only its hash is stored; the old one stops)."""
    from app.services.errors import ServiceError
    from app.services.tokens import create_system_account, issue_token, revoke_token

    if bool(organisation) != bool(role):
        raise click.UsageError("--organisation and --role go together")
    try:
        with transaction():
            if revoke:
                revoke_token(username)
                click.echo(f"token of {username} revoked", err=True)
                return
            if organisation and role:
                create_system_account(
                    username, organisation_key=organisation, role=role, display_name=display_name
                )
                click.echo(f"system account {username} created ({organisation}, {role})", err=True)
            token = issue_token(username)
    except ServiceError as exc:
        for field, messages in getattr(exc, "errors", {}).items():
            click.echo(f"{field}: {messages}", err=True)
        raise click.ClickException(exc.message) from exc
    click.echo(token)


@main.command("migrate")
@click.argument("process_id")
@click.option("--to", "to_version", type=click.IntRange(min=1), required=True, help="Version.")
@click.option("--dry-run", is_flag=True, help="Only report which cases could move, and why not.")
def migrate_command(process_id: str, to_version: int, dry_run: bool) -> None:
    """Move the open cases of PROCESS_ID on older versions to version --to (one case at a time)."""
    from app.services.errors import ServiceError
    from app.services.workbench.migration import migrate_cases, plan_migration

    label = "Controleren" if dry_run else "Omzetten"
    try:
        with click.progressbar(length=1, label=label, show_eta=True) as bar:

            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(1)

            if dry_run:
                plan = plan_migration(SYSTEM, process_id, to_version, progress=progress)
                movable, stayed = plan.movable, plan.blocked
            else:
                result = migrate_cases(SYSTEM, process_id, to_version, progress=progress)
                movable, stayed = result.moved, result.stayed
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    verb = "can move" if dry_run else "moved"
    click.echo(f"{process_id} -> v{to_version}: {len(movable)} case(s) {verb}, {len(stayed)} stay")
    for item in movable:
        click.echo(f"  {item.reference} v{item.from_version}: {verb}")
    for item in stayed:
        click.echo(f"  {item.reference} v{item.from_version} stays: {'; '.join(item.reasons)}")


# -- the evaluation meeting: report, metrics, exports, what-if (issue 6) --------------------


def _pseudonym_key() -> str:
    key = current_app.config.get("VOORKOM_PSEUDONYM_KEY")
    if not key:
        click.echo(
            "let op: VOORKOM_PSEUDONYM_KEY is niet gezet; SECRET_KEY wordt gebruikt "
            "(pseudoniemen blijven alleen gelijk zolang die sleutel gelijk blijft)",
            err=True,
        )
        key = current_app.config["SECRET_KEY"]
    return str(key)


def _refresh_metrics() -> None:
    from app.services.metrics.projection import refresh

    started = time.perf_counter()
    with transaction():
        result = refresh(
            progress=lambda n: click.echo(f"\r  gebeurtenissen verwerkt: {n}", nl=False)
        )
    if result.events:
        click.echo("")
    click.echo(
        f"  {result.events} nieuwe gebeurtenis(sen) verwerkt, {result.months_rebuilt} "
        f"maand(en) bijgewerkt in {time.perf_counter() - started:.1f} s"
    )


@main.command("report")
@click.option("--year", type=click.IntRange(2000, 2100), required=True)
@click.option(
    "--out", required=True, type=click.Path(dir_okay=False),
    help="File to write: .pdf for the printable report, .html for the web version.",
)  # fmt: skip
def report_command(year: int, out: str) -> None:
    """The yearly report for the evaluation meeting (CV-24, CV-26), as PDF or HTML."""
    from app.services.metrics.report import build_report, render_pdf

    target = Path(out)
    if target.suffix.lower() not in (".pdf", ".html", ".htm"):
        raise click.UsageError("--out moet eindigen op .pdf of .html")
    click.echo(f"Jaarverslag {year}")
    _refresh_metrics()
    started = time.perf_counter()
    with transaction():
        report = build_report(
            year, refresh_first=False, progress=lambda step: click.echo(f"  {step} ...")
        )
    if target.suffix.lower() == ".pdf":
        click.echo("  PDF maken ...")
        target.write_bytes(render_pdf(report))
    else:
        target.write_text(report.html, encoding="utf-8")
    size = target.stat().st_size / 1024
    click.echo(f"{target}: {size:.0f} KB in {time.perf_counter() - started:.1f} s")


@main.command("metrics")
@click.option("--year", type=click.IntRange(2000, 2100), required=True)
@click.option("--format", "fmt", type=click.Choice(["csv"]), default="csv", show_default=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False))
def metrics_command(year: int, fmt: str, out: str) -> None:
    """The year's aggregated metrics (small counts suppressed) as CSV."""
    from app.services.metrics.dashboard import compute_dashboard
    from app.services.metrics.exports import metrics_csv

    _refresh_metrics()
    with transaction():
        dashboard = compute_dashboard(year, refresh_first=False)
    text = metrics_csv(dashboard)
    Path(out).write_text(text, encoding="utf-8")
    click.echo(f"{out}: {text.count(chr(10)) - 1} kengetallen ({fmt})")


@main.command("export-log")
@click.option("--format", "fmt", type=click.Choice(["xes", "ocel", "csv"]), required=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False))
@click.option("--year", type=click.IntRange(2000, 2100), default=None,
              help="Only cases started in this year.")  # fmt: skip
def export_log_command(fmt: str, out: str, year: int | None) -> None:
    """The pseudonymised event log for process mining: XES (IEEE 1849), OCEL 2.0 or CSV."""
    from app.services.metrics.exports import export_log

    key = _pseudonym_key()
    started = time.perf_counter()
    count = export_log(
        fmt, out, key=key, year=year,
        progress=lambda n: click.echo(f"\r  {n} gebeurtenissen", nl=False),
    )  # fmt: skip
    click.echo(f"\r{out}: {count} gebeurtenissen ({fmt}) in {time.perf_counter() - started:.1f} s")


def _compare_draft(path: str, *, cases: int, seed: int, days: int, start: object) -> None:
    from datetime import datetime

    from app.services.errors import ServiceError
    from app.services.metrics.whatif import compare, comparison_lines

    draft = _read_paths((path,))
    bars: dict[str, object] = {}

    def progress(label: str, done: int, total: int) -> None:
        if label not in bars:
            click.echo(f"Simuleren ({label}) ...")
            bars[label] = True
        if done == total:
            click.echo(f"  {label}: klaar")

    try:
        comparison = compare(
            draft, app_factory=create_app, cases=cases, seed=seed, days=days,
            start=start if isinstance(start, datetime) else None, progress=progress,
        )  # fmt: skip
    except DeploymentRefused as exc:
        for problem in exc.problems:
            click.echo(problem, err=True)
        raise click.ClickException(exc.message) from exc
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    for line in comparison_lines(comparison):
        click.echo(line)


@main.command("bench-metrics")
@click.option("--cases", type=click.IntRange(min=100), default=100_000, show_default=True)
@click.option("--events-per-case", type=click.IntRange(min=4), default=20, show_default=True)
@click.option(
    "--postgres", envvar="BENCH_DATABASE_URL",
    default="postgresql://postgres@127.0.0.1:5432/test", show_default=True,
    help="PostgreSQL server (a scratch database voorkom_bench_metrics is used).",
)  # fmt: skip
def bench_metrics_command(cases: int, events_per_case: int, postgres: str) -> None:
    """Time the evaluation dashboard on a bulk-generated year (target: under 1 s)."""
    from app.services.metrics.bench import run as run_metrics_bench

    run_metrics_bench(
        app_factory=create_app, postgres=postgres, cases=cases,
        events_per_case=events_per_case, echo=click.echo,
    )  # fmt: skip


if __name__ == "__main__":
    main()
