"""The yearly report for the meeting (CV-24, CV-26): made in the background, then viewed in
the browser (printable HTML) or downloaded as PDF. Making the PDF takes several seconds."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app.services import transaction
from app.services.metrics.selection import default_year, years_with_data
from app.web.dashboard.blueprint import bp, owner_id, read_new_events
from app.web.dashboard.filters import read_year
from app.web.dashboard.jobs import Busy, Job, Reporter, start_job, worker

STEPS = ("Kengetallen berekenen", "Grafieken tekenen", "Verslag opmaken", "PDF maken")


def _form(errors: dict[str, str], year: int, status: int = 200) -> tuple[str, int]:
    page = render_template(
        "dashboard/report.html", errors=errors, years=years_with_data(), year=year
    )
    return page, status


@bp.get("/jaarverslag")
def report() -> tuple[str, int]:
    """Choose the year of the report."""
    read_new_events()
    return _form({}, default_year())


@bp.post("/jaarverslag")
def report_start() -> Response | tuple[str, int]:
    """Start making the report of the chosen year; a bad year or a busy machine starts nothing."""
    errors: dict[str, str] = {}
    year = read_year((request.form.get("jaar") or "").strip()[:8], errors)
    if errors:
        return _form(errors, year, 422)
    try:
        job = start_job(
            "jaarverslag", owner=owner_id(), title=f"Jaarverslag {year}", params={"year": year}
        )
    except Busy as exc:
        return _form({"jaar": exc.message}, year, exc.status)
    return redirect(url_for("dashboard.job_page", job_id=job.id), 303)


@worker("jaarverslag")
def make_report(job: Job, report: Reporter) -> None:
    """The report as HTML and as PDF, in the job's folder."""
    from app.services.metrics.report import build_report, render_pdf

    year = int(job.params["year"])

    def say(step: str) -> None:
        done = STEPS.index(step) if step in STEPS else 0
        report(f"Stap {done + 1} van {len(STEPS)}: {step}", done, len(STEPS))

    with transaction():
        made = build_report(year, progress=say)
    html, pdf = f"jaarverslag-{year}.html", f"jaarverslag-{year}.pdf"
    report.path(html).write_text(made.html, encoding="utf-8")
    say("PDF maken")
    report.path(pdf).write_bytes(render_pdf(made))
    job.files = {"html": html, "pdf": pdf}
