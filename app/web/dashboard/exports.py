"""Downloads for the meeting and for process mining: the year's aggregated metrics as CSV, and
the pseudonymised event log as XES (IEEE 1849), OCEL 2.0 JSON or CSV (issue 6; COVENANT.md §7).
"""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.extensions import db
from app.models import Case, CaseEvent
from app.services import transaction
from app.services.metrics.dashboard import compute_dashboard
from app.services.metrics.exports import export_log, metrics_csv
from app.services.metrics.periods import year_period
from app.services.metrics.selection import default_year, years_with_data
from app.web.dashboard.blueprint import bp, owner_id, read_new_events
from app.web.dashboard.filters import read_year
from app.web.dashboard.jobs import Busy, Job, Reporter, start_job, worker

#: format -> (Dutch name, file extension)
LOG_FORMATS: dict[str, tuple[str, str]] = {
    "xes": ("XES (IEEE 1849), voor ProM, Disco, Celonis, pm4py", "xes"),
    "ocel": ("OCEL 2.0 (JSON), objectgericht", "json"),
    "csv": ("CSV (puntkomma), voor een spreadsheet", "csv"),
}


def pseudonym_key() -> str:
    """The key of the pseudonyms: its own setting, else the session key (not stable then)."""
    return str(current_app.config.get("VOORKOM_PSEUDONYM_KEY") or current_app.config["SECRET_KEY"])


def _page(errors: dict[str, str], status: int = 200) -> tuple[str, int]:
    page = render_template(
        "dashboard/exports.html",
        errors=errors,
        years=years_with_data(),
        year=default_year(),
        formats=LOG_FORMATS,
        own_key=bool(current_app.config.get("VOORKOM_PSEUDONYM_KEY")),
        shown=request.form if request.method == "POST" else request.args,
    )
    return page, status


@bp.get("/exports")
def exports() -> tuple[str, int]:
    """The export choices."""
    read_new_events()
    return _page({})


@bp.get("/exports/kengetallen.csv")
def metrics_download() -> Response | tuple[str, int]:
    """The year's aggregated metrics, one row per figure; small counts as "<5"."""
    errors: dict[str, str] = {}
    year = read_year((request.args.get("jaar") or "").strip()[:8], errors)
    if errors:
        return _page(errors, 422)
    with transaction():
        text = metrics_csv(compute_dashboard(year))
    answer = Response(text, mimetype="text/csv")
    answer.headers["Content-Type"] = "text/csv; charset=utf-8"
    answer.headers["Content-Disposition"] = f'attachment; filename="kengetallen-{year}.csv"'
    return answer


@bp.post("/exports/gebeurtenissen")
def log_start() -> Response | tuple[str, int]:
    """Start writing the pseudonymised event log (all years, or cases started in one)."""
    errors: dict[str, str] = {}
    fmt = (request.form.get("formaat") or "").strip()
    if fmt not in LOG_FORMATS:
        errors["formaat"] = "Kies XES, OCEL of CSV."
    raw_year = (request.form.get("jaar_log") or "").strip()[:8]
    year = None
    if raw_year:
        year = read_year(raw_year, errors)
        if "jaar" in errors:
            errors["jaar_log"] = errors.pop("jaar")
    if errors:
        return _page(errors, 422)
    which = f"zaken gestart in {year}" if year else "alle zaken"
    try:
        job = start_job(
            "gebeurtenissen", owner=owner_id(),
            title=f"Gebeurtenissenlogboek ({fmt.upper()}, {which})",
            params={"format": fmt, "year": year},
        )  # fmt: skip
    except Busy as exc:
        return _page({"formaat": exc.message}, exc.status)
    return redirect(url_for("dashboard.job_page", job_id=job.id), 303)


@worker("gebeurtenissen")
def write_log(job: Job, report: Reporter) -> None:
    """The event log in the job's folder, with progress per 10,000 events."""
    fmt, year = str(job.params["format"]), job.params.get("year")
    count = select(func.count()).select_from(CaseEvent).join(Case, Case.id == CaseEvent.case_id)
    if year:
        p = year_period(int(year))
        count = count.where(Case.created_at >= p.start, Case.created_at < p.end)
    total = int(db.session.scalar(count) or 0)
    report("Gebeurtenissen tellen", 0, total)

    def progress(n: int) -> None:
        report(f"{n:,} van {total:,} gebeurtenissen geschreven".replace(",", "."), n, total)

    name = f"gebeurtenissen-{year or 'alle'}.{LOG_FORMATS[fmt][1]}"
    written = export_log(
        fmt, str(report.path(name)), key=pseudonym_key(), year=int(year) if year else None,
        progress=progress,
    )  # fmt: skip
    db.session.rollback()  # read only
    job.files = {"log": name}
    job.result = {"events": written}
