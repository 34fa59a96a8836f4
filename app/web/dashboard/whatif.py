"""What-if before deploying: a process owner compares a draft diagram with the deployed version
on the same simulated load (same seed, arrivals and delays), side by side: lead times, deadline
compliance and workload per party (issue 6). Nothing is deployed; the simulation runs in
scratch databases, in the background."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import abort, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app.services.errors import DeploymentRefused, InvalidInput
from app.services.metrics.figures import OUTCOME_LABELS, role_label
from app.services.metrics.whatif import check_draft, compare
from app.services.workbench.drafts import get_draft, list_drafts
from app.services.workbench.uploads import Upload, read_uploads
from app.web.dashboard.blueprint import WHATIF_ROLES, bp, owner_id
from app.web.dashboard.charts import bar
from app.web.dashboard.jobs import Busy, Job, Reporter, input_files, start_job, worker
from app.web.dashboard.progress import RESULTS
from app.web.support import actor

#: (field, Dutch label, default, lowest, highest)
NUMBERS: tuple[tuple[str, str, int, int, int], ...] = (
    ("zaken", "Aantal zaken", 100, 5, 2000),
    ("dagen", "Aantal dagen", 365, 30, 730),
    ("seed", "Startgetal van het toeval (seed)", 1, 0, 999_999),
)
RUN_LABELS = {"uitgerold": "uitgerolde versie", "concept": "concept"}
#: days the simulation runs on after the last arrival, so that cases can finish
SETTLE_DAYS = 45


def _only_process_owners() -> None:
    if actor().role not in WHATIF_ROLES:
        abort(403)


def _draft_key(process_id: str, file_name: str) -> str:
    return f"{process_id}|{file_name}"


def _form(
    errors: dict[str, Any], values: dict[str, Any], status: int = 200, problems: Any = ()
) -> tuple[str, int]:
    page = render_template(
        "dashboard/whatif.html",
        errors=errors,
        values=values,
        numbers=NUMBERS,
        problems=list(problems),
        drafts=[(_draft_key(d.process_id, d.file_name), d) for d in list_drafts(actor())],
    )
    return page, status


@bp.get("/what-if")
def whatif() -> tuple[str, int]:
    """The form: the draft file and the simulated load."""
    _only_process_owners()
    return _form({}, {name: default for name, _label, default, _lo, _hi in NUMBERS})


def _numbers(errors: dict[str, Any]) -> dict[str, int]:
    values: dict[str, int] = {}
    for name, label, default, low, high in NUMBERS:
        raw = (request.form.get(name) or "").strip()[:12]
        if not raw:
            values[name] = default
        elif raw.isdigit() and low <= int(raw) <= high:
            values[name] = int(raw)
        else:
            errors[name] = f"{label}: vul een heel getal in van {low} tot en met {high}."
            values[name] = default
    return values


def _draft(errors: dict[str, Any], values: dict[str, Any]) -> dict[str, str]:
    """The uploaded files, or else the chosen draft from the workbench."""
    uploads = [
        Upload(name=f.filename or "", data=f.read())
        for f in request.files.getlist("concept")
        if f and (f.filename or "")
    ]
    chosen = (request.form.get("werkbank") or "").strip()[:500]
    values["werkbank"] = chosen
    if not uploads and chosen:
        process_id, _, file_name = chosen.partition("|")
        saved = get_draft(actor(), process_id, file_name)
        if saved is None:
            errors["werkbank"] = "Dit concept staat niet (meer) in uw werkbank; kies een ander."
            return {}
        return {saved.file_name: saved.xml}
    if not uploads:
        errors["concept"] = (
            "Kies het conceptdiagram (.bpmn) op uw computer, of een concept uit uw werkbank."
        )
        return {}
    try:
        return read_uploads(uploads, max_bytes=int(current_app.config["MAX_CONTENT_LENGTH"]))
    except InvalidInput as exc:
        errors["concept"] = " ".join(
            f"{name}: {' '.join(map(str, v)) if isinstance(v, list) else v}"
            for name, v in exc.errors.items()
        )
        return {}


@bp.post("/what-if")
def whatif_start() -> Response | tuple[str, int]:
    """Check the draft like a deployment would, then start both simulations in the background."""
    _only_process_owners()
    errors: dict[str, Any] = {}
    values: dict[str, Any] = dict(_numbers(errors))
    draft = _draft(errors, values)
    if errors:
        return _form(errors, values, 422)
    try:
        _base, _candidate, replaced = check_draft(draft)
    except InvalidInput as exc:
        return _form({"concept": exc.message}, values, 422)
    except DeploymentRefused as exc:
        message = "Het concept bevat fouten; er is niets gesimuleerd. Los ze op en probeer opnieuw."
        return _form({"concept": message}, values, 422, exc.problems)
    try:
        job = start_job(
            "what-if", owner=owner_id(), title=f"Wat als: {', '.join(sorted(draft))}",
            params={**values, "replaced": replaced, "files": sorted(draft)}, files=draft,
        )  # fmt: skip
    except Busy as exc:
        return _form({"concept": exc.message}, values, exc.status)
    return redirect(url_for("dashboard.job_page", job_id=job.id), 303)


@worker("what-if")
def run_whatif(job: Job, report: Reporter) -> None:
    """Simulate the deployed version and the draft on the same load; keep both figures."""
    from app import create_app

    cases, days, seed = (int(job.params[k]) for k in ("zaken", "dagen", "seed"))
    # one fixed start for both runs: the same arrivals, even when midnight passes in between
    start = (datetime.now(UTC) - timedelta(days=days + SETTLE_DAYS + 1)).replace(
        hour=6, minute=0, second=0, microsecond=0
    )
    runs = list(RUN_LABELS)

    def progress(label: str, done: int, total: int) -> None:
        index = runs.index(label) if label in runs else 0
        report(
            f"Simuleren met de {RUN_LABELS.get(label, label)} ({index + 1} van 2): "
            f"dag {done} van {total}",
            index * total + done,
            2 * total,
        )

    comparison = compare(
        input_files(report.folder), app_factory=create_app, cases=cases, seed=seed, days=days,
        start=start, progress=progress,
    )  # fmt: skip
    job.result = asdict(comparison)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{round(100 * value)}%"


def _days(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",")


def _signed(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    text = f"{value:+.1f}".replace(".", ",").replace("-", "−")
    return f"{text}{unit}"


def comparison_view(job: Job) -> dict[str, Any]:
    """The finished comparison as rows and charts, deployed left and draft right."""
    c = job.result or {}
    a, b = c["deployed"], c["draft"]
    steps: dict[str, str] = c.get("step_labels", {})
    lead = []
    for step, label in steps.items():
        x = a["lead_times"].get(step, [0, None, None])
        y = b["lead_times"].get(step, [0, None, None])
        diff = y[1] - x[1] if x[1] is not None and y[1] is not None else None
        lead.append({"label": label, "a": x, "b": y, "diff": _signed(diff, " d"),
                     "a_text": f"{_days(x[1])} / {_days(x[2])}",
                     "b_text": f"{_days(y[1])} / {_days(y[2])}"})  # fmt: skip
    roles = sorted(set(a["compliance"]) | set(b["compliance"]) | set(a["workload"])
                   | set(b["workload"]))  # fmt: skip
    parties = []
    for role in roles:
        p, q = a["compliance"].get(role, [0, None]), b["compliance"].get(role, [0, None])
        diff = 100 * (q[1] - p[1]) if p[1] is not None and q[1] is not None else None
        parties.append({
            "label": role_label(role), "a_n": p[0], "b_n": q[0], "a_share": _share(p[1]),
            "b_share": _share(q[1]), "diff": _signed(diff, " pp"),
            "a_work": a["workload"].get(role, 0), "b_work": b["workload"].get(role, 0),
            "a_wait": _days(a["waiting"].get(role)), "b_wait": _days(b["waiting"].get(role)),
            "a_value": p[1], "b_value": q[1],
        })  # fmt: skip
    order = list(OUTCOME_LABELS)
    outcomes = [
        {
            "label": OUTCOME_LABELS.get(o, o),
            "a": a["outcomes"].get(o, 0),
            "b": b["outcomes"].get(o, 0),
        }
        for o in sorted(
            set(a["outcomes"]) | set(b["outcomes"]),
            key=lambda o: (order.index(o) if o in order else len(order), o),
        )
    ]
    names = {"uitgerold": "Uitgerold", "concept": "Concept"}
    charts = {
        "whatif-doorloop": bar(
            "whatif-doorloop", "Doorlooptijd vanaf de melding (mediaan)",
            "Mediaan in kalenderdagen van de melding tot elke stap: uitgerolde versie en concept "
            "op dezelfde gesimuleerde zaken.",
            [row["label"] for row in lead],
            {names["uitgerold"]: [row["a"][1] for row in lead],
             names["concept"]: [row["b"][1] for row in lead]},
            unit="dagen",
        ),
        "whatif-termijn": bar(
            "whatif-termijn", "Taken binnen de termijn per partij",
            "Aandeel van de taken met een termijn dat op tijd klaar was: uitgerold en concept.",
            [row["label"] for row in parties],
            {names["uitgerold"]: [row["a_value"] for row in parties],
             names["concept"]: [row["b_value"] for row in parties]},
            unit="% binnen termijn", horizontal=True, percent=True, digits=0,
        ),
        "whatif-werklast": bar(
            "whatif-werklast", "Werklast: afgeronde taken per partij",
            "Aantal afgeronde taken per partij in de simulatie: uitgerold en concept.",
            [row["label"] for row in parties],
            {names["uitgerold"]: [row["a_work"] for row in parties],
             names["concept"]: [row["b_work"] for row in parties]},
            unit="taken", horizontal=True, digits=0,
        ),
    }  # fmt: skip
    return {
        "c": c,
        "a": a,
        "b": b,
        "lead": lead,
        "parties": parties,
        "outcomes": outcomes,
        "charts": charts,
        "back_url": url_for("dashboard.whatif"),
    }


RESULTS["what-if"] = comparison_view
