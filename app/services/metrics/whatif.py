"""What-if before deploying: a draft diagram against the deployed version, same simulated load.

Both runs happen in their own scratch SQLite database (a temporary file each), with the
covenant's organisations copied, the same seed, the same arrivals and the same per-task random
streams (``simulation._TaskStreams``): only the diagram differs. The result holds lead times,
deadline compliance and workload per party, side by side. Nothing touches the real database.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import func, select

from app.engine import SPEC_CACHE
from app.extensions import db
from app.models import MetricTask, Organisation
from app.services.actors import SYSTEM
from app.services.deployments import deploy, lint, with_deployed_dependencies
from app.services.errors import DeploymentRefused, InvalidInput
from app.services.metrics import figures as f
from app.services.metrics.periods import year_period
from app.services.metrics.projection import refresh
from app.services.metrics.sql import count_in
from app.services.metrics.steps import step_config

_BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
AppFactory = Callable[[dict[str, Any]], Any]
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class RunFigures:
    """One simulated run's figures (synthetic data: nothing is suppressed)."""

    label: str
    cases: int
    open_cases: int
    tasks_completed: int
    outcomes: dict[str, int]
    #: step -> (cases, median days, P90 days) from the report
    lead_times: dict[str, tuple[int, float | None, float | None]]
    #: role -> (tasks with a deadline, share in time)
    compliance: dict[str, tuple[int, float | None]]
    #: role -> tasks completed (workload)
    workload: dict[str, int]
    #: role -> median days waiting to be picked up
    waiting: dict[str, float | None]


@dataclass(frozen=True)
class Comparison:
    """The deployed diagrams and the draft on the same load, side by side."""

    seed: int
    cases: int
    days: int
    replaced: list[str]
    deployed: RunFigures
    draft: RunFigures
    step_labels: dict[str, str] = field(default_factory=dict)


def draft_sources(
    draft: Mapping[str, str], deployed: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """The deployed sources with the draft in place of the file(s) defining its processes."""
    merged = dict(deployed)
    replaced: list[str] = []
    for name, text in draft.items():
        ids = _process_ids(text)
        if not ids:
            raise InvalidInput(f"{name}: het concept bevat geen proces.")
        owners = [n for n, t in deployed.items() if _process_ids(t) & ids]
        for owner in owners:
            del merged[owner]
            replaced.append(owner)
        merged[owners[0] if owners else name] = text
    return merged, replaced


def _process_ids(text: str) -> set[str]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return set()
    return {str(p.get("id")) for p in root.iter(f"{{{_BPMN}}}process") if p.get("id")}


def check_draft(draft: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """The deployed sources, those with the draft in place, and the files it replaces.

    Refused like a deployment: InvalidInput when nothing is deployed or the draft holds no
    process, DeploymentRefused (with the problems) when the result does not pass the lint.
    """
    base = {k: _text(v) for k, v in with_deployed_dependencies({}).items()}
    if not base:
        raise InvalidInput("Er is nog niets uitgerold om mee te vergelijken.")
    candidate, replaced = draft_sources(draft, base)
    problems = lint(candidate)
    if problems:
        raise DeploymentRefused("Het concept bevat fouten; er is niets gesimuleerd.", problems)
    return base, candidate, replaced


def compare(
    draft: Mapping[str, str],
    *,
    app_factory: AppFactory,
    cases: int = 200,
    seed: int = 1,
    days: int = 365,
    start: datetime | None = None,
    settle_days: int = 45,
    progress: Progress | None = None,
) -> Comparison:
    """Simulate the deployed diagrams and the draft on the same load; return both figures."""
    base, candidate, replaced = check_draft(draft)
    organisations = [
        {c.name: getattr(o, c.name) for c in Organisation.__table__.columns if c.name != "id"}
        for o in db.session.scalars(select(Organisation).order_by(Organisation.id))
    ]
    runs = []
    for label, sources in (("uitgerold", base), ("concept", candidate)):
        runs.append(
            _run(label, sources, organisations, app_factory, cases=cases, seed=seed, days=days,
                 start=start, settle_days=settle_days, progress=progress)
        )  # fmt: skip
    config = step_config()
    return Comparison(seed, cases, days, replaced, runs[0], runs[1],
                      {s.key: s.label for s in config.measured})  # fmt: skip


def _text(value: str | bytes) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _run(
    label: str,
    sources: dict[str, str],
    organisations: list[dict[str, Any]],
    app_factory: AppFactory,
    *,
    cases: int,
    seed: int,
    days: int,
    start: datetime | None,
    settle_days: int,
    progress: Progress | None,
) -> RunFigures:
    from app.services.simulation import simulate

    with tempfile.TemporaryDirectory(prefix="voorkom-whatif-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'whatif.sqlite3'}"
        scratch = app_factory({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        SPEC_CACHE.clear()  # version ids repeat across scratch databases
        try:
            with scratch.app_context():
                db.create_all()
                db.session.add_all(Organisation(**row) for row in organisations)
                db.session.commit()
                deploy(sources, actor=SYSTEM, name=f"what-if {label}", resolve_from_deployed=False)
                db.session.commit()

                def tick(done: int, total: int) -> None:
                    if progress:
                        progress(label, done, total)

                result = simulate(
                    cases=cases,
                    seed=seed,
                    days=days,
                    start=start,
                    settle_days=settle_days,
                    progress=tick,
                )
                refresh()
                db.session.commit()
                figures = _figures(label, result, start=result.start, end=result.end)
                db.session.remove()
                db.engine.dispose()
        finally:
            SPEC_CACHE.clear()
    return figures


def _figures(label: str, result: Any, *, start: datetime, end: datetime) -> RunFigures:
    years = range(start.year, end.year + 1)
    lead: dict[str, tuple[int, float | None, float | None]] = {}
    compliance: dict[str, tuple[int, float | None]] = {}
    waiting: dict[str, float | None] = {}
    # the simulated period may span two calendar years: use the year with most cases
    year = max(years, key=lambda y: count_in(MetricTask.completed_at, year_period(y)))
    for row in f.lead_times(year, min_count=1):
        lead[row.step] = (row.n or 0, row.median_days, row.p90_days)
    for c in f.compliance(year, min_count=1):
        compliance[c.group] = (c.n or 0, c.share_on_time)
    for w in f.waiting_and_working(year, min_count=1):
        waiting[w.group] = w.wait_median_days
    workload = {
        str(role): int(n)
        for role, n in db.session.execute(
            select(func.coalesce(MetricTask.role, "onbekend"), func.count())
            .where(MetricTask.completed_at.is_not(None))
            .group_by(MetricTask.role)
        )
    }
    return RunFigures(
        label=label,
        cases=result.cases,
        open_cases=result.open_cases,
        tasks_completed=result.tasks_completed,
        outcomes=dict(result.outcomes),
        lead_times=lead,
        compliance=compliance,
        workload=workload,
        waiting=waiting,
    )


def comparison_lines(c: Comparison) -> list[str]:
    """The comparison as aligned text lines (Dutch), for the command line."""

    def num(v: float | int | None, digits: int = 1) -> str:
        if v is None:
            return "–"
        return f"{v:.{digits}f}".replace(".", ",") if isinstance(v, float) else str(v)

    def pct(v: float | None) -> str:
        return "–" if v is None else f"{round(100 * v)}%"

    a, b = c.deployed, c.draft
    width = 36
    lines = [
        f"What-if: {c.cases} zaken, {c.days} dagen, seed {c.seed}; "
        f"vervangen: {', '.join(c.replaced) or '(nieuw bestand)'}",
        f"{'':<{width}} {'uitgerold':>14} {'concept':>14}",
        f"{'Taken afgerond':<{width}} {a.tasks_completed:>14} {b.tasks_completed:>14}",
        f"{'Zaken nog open':<{width}} {a.open_cases:>14} {b.open_cases:>14}",
        "Doorlooptijd vanaf melding (mediaan / P90, dagen)",
    ]
    for step, step_label in c.step_labels.items():
        x, y = a.lead_times.get(step, (0, None, None)), b.lead_times.get(step, (0, None, None))
        lines.append(
            f"  {step_label:<{width - 2}} {num(x[1]) + ' / ' + num(x[2]):>14} "
            f"{num(y[1]) + ' / ' + num(y[2]):>14}"
        )
    lines.append("Binnen termijn per partij (taken)")
    for role in sorted(set(a.compliance) | set(b.compliance)):
        p, q = a.compliance.get(role, (0, None)), b.compliance.get(role, (0, None))
        lines.append(
            f"  {f.role_label(role):<{width - 2}} {pct(p[1]) + f' ({p[0]})':>14} "
            f"{pct(q[1]) + f' ({q[0]})':>14}"
        )
    lines.append("Werklast: afgeronde taken per partij (wachttijd mediaan, dagen)")
    for role in sorted(set(a.workload) | set(b.workload)):
        lines.append(
            f"  {f.role_label(role):<{width - 2}} "
            f"{f'{a.workload.get(role, 0)} ({num(a.waiting.get(role))})':>14} "
            f"{f'{b.workload.get(role, 0)} ({num(b.waiting.get(role))})':>14}"
        )
    lines.append("Uitkomsten")
    for outcome in sorted(set(a.outcomes) | set(b.outcomes)):
        lines.append(
            f"  {f.OUTCOME_LABELS.get(outcome, outcome)[: width - 2]:<{width - 2}} "
            f"{a.outcomes.get(outcome, 0):>14} {b.outcomes.get(outcome, 0):>14}"
        )
    return lines
