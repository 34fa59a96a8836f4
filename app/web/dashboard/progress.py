"""A background job's page: its progress while it runs (polled, or refreshed without
JavaScript), then its result: links to the files, or the what-if comparison."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import render_template, send_file, url_for
from werkzeug.wrappers import Response

from app.web.dashboard.blueprint import bp, owner_id
from app.web.dashboard.jobs import FAILED, Job, get_job, job_file

#: kind -> what the finished page shows besides the files (filled by the job's module)
RESULTS: dict[str, Callable[[Job], dict[str, Any]]] = {}
#: kind -> the page to go back to (and start again from)
BACK = {"jaarverslag": "dashboard.report", "gebeurtenissen": "dashboard.exports",
        "what-if": "dashboard.whatif"}  # fmt: skip
#: the Content-Type of each kind of output file
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".html": "text/html",
    ".csv": "text/csv",
    ".xes": "application/xml",
    ".json": "application/json",
}


def step_text(job: Job) -> str:
    """How far the job is, in one Dutch sentence."""
    if job.status == FAILED:
        return job.error or "De berekening is mislukt."
    return job.step


@bp.get("/taken/<job_id>")
def job_page(job_id: str) -> str:
    """A job of this user: its progress, or its result."""
    job = get_job(job_id, owner_id())
    extra = RESULTS[job.kind](job) if job.status == "klaar" and job.kind in RESULTS else {}
    extra.setdefault("back_url", url_for(BACK.get(job.kind, "dashboard.overview")))
    return render_template("dashboard/job.html", job=job, step=step_text(job), **extra)


@bp.get("/taken/<job_id>/status")
def job_status(job_id: str) -> dict[str, Any]:
    """The job's progress for the page's script."""
    job = get_job(job_id, owner_id())
    return {
        "status": job.status,
        "finished": job.finished,
        "percent": job.percent,
        "step_text": step_text(job),
    }


@bp.get("/taken/<job_id>/bestand/<name>")
def job_download(job_id: str, name: str) -> Response:
    """One output of a finished job; the HTML report opens in the browser, the rest downloads."""
    job = get_job(job_id, owner_id())
    path = job_file(job, name)
    inline = path.suffix == ".html"
    answer = send_file(
        path,
        mimetype=MEDIA_TYPES.get(path.suffix, "application/octet-stream"),
        as_attachment=not inline,
        download_name=path.name,
        max_age=0,
    )
    answer.headers["X-Content-Type-Options"] = "nosniff"
    if inline:
        # the report is self-contained: no scripts, its own styles and pictures
        answer.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"
        )
    return answer
