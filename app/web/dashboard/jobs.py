"""Long computations of the evaluation pages (report PDF, event-log export, what-if) as
background jobs: a thread per job supervises a child process that does the work.

Why a child process (``python -m app.web.dashboard.runner``) and not the thread itself: a
simulation sets the services' one clock and fills the engine's spec cache with a scratch
database's versions, both process-wide; in the web process they would reach real caseworkers'
requests. The child has its own, and the web process
stays responsive while the CPU works.

Each job is a folder under ``VOORKOM_JOBS_DIR`` (default ``instance/taken``) with ``state.json``
(status, progress, result) and its output files, so every app process on the machine can show
it; only the user who started a job sees it. Folders older than ``KEEP`` are removed.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from app.config import PROJECT_ROOT
from app.services.errors import DeploymentRefused, NotFound, ServiceError

log = logging.getLogger("voorkom.jobs")

QUEUED, RUNNING, DONE, FAILED = "wachtrij", "bezig", "klaar", "mislukt"
#: jobs running at once on this machine (each takes a CPU core)
MAX_RUNNING = 2
#: a running job that has not reported for this long has died with its process
STALE = timedelta(minutes=20)
KEEP = timedelta(days=2)
#: the settings a child process needs to reach the same database
CHILD_SETTINGS = (
    "SQLALCHEMY_DATABASE_URI",
    "SECRET_KEY",
    "VOORKOM_PSEUDONYM_KEY",
    "VOORKOM_PROCESSES_DIR",
    "VOORKOM_JOBS_DIR",
    "VOORKOM_DEMO",
    "TESTING",
)
INPUT = "invoer.json"
STOPPED = "De berekening is onverwacht gestopt. Probeer het opnieuw of meld het bij beheer."
BROKEN = "Er ging iets mis bij de berekening. Probeer het opnieuw of meld het bij beheer."
#: the environment variable that hands the settings to the child (not written to disk)
SETTINGS_VARIABLE = "VOORKOM_JOB_SETTINGS"
_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


@dataclass
class Job:
    """One job's state, as stored in its ``state.json``."""

    id: str
    kind: str
    owner: int
    title: str
    params: dict[str, Any]
    status: str = QUEUED
    step: str = "Wordt gestart"
    done: int = 0
    total: int = 0
    created_at: str = ""
    updated_at: str = ""
    finished_at: str | None = None
    error: str | None = None
    problems: list[str] = field(default_factory=list)
    #: output name -> file name in the job's folder
    files: dict[str, str] = field(default_factory=dict)
    result: dict[str, Any] | None = None

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED)

    @property
    def percent(self) -> int | None:
        """Progress in whole percents, when the job knows its total."""
        if self.status == DONE:
            return 100
        if self.total <= 0:
            return None
        return max(0, min(99, int(100 * self.done / self.total)))


class Reporter:
    """What a running job calls to say how far it is (written at most twice a second)."""

    def __init__(self, job: Job, folder: Path) -> None:
        self.job = job
        self.folder = folder
        self._last = 0.0

    def __call__(self, step: str, done: int = 0, total: int = 0) -> None:
        changed = step != self.job.step
        self.job.step, self.job.done, self.job.total = step, done, total
        moment = time.monotonic()
        if changed or moment - self._last >= 0.5:
            self._last = moment
            _write(self.folder, self.job)

    def path(self, name: str) -> Path:
        """Where the job writes an output file (a plain name, inside its folder)."""
        return self.folder / Path(name).name


Worker = Callable[[Job, Reporter], None]
WORKERS: dict[str, Worker] = {}


def worker(kind: str) -> Callable[[Worker], Worker]:
    """Register the function that does a kind of job (it runs in the child process)."""

    def register(function: Worker) -> Worker:
        WORKERS[kind] = function
        return function

    return register


def jobs_dir(app: Flask | None = None) -> Path:
    app = app or current_app
    configured = app.config.get("VOORKOM_JOBS_DIR") or os.environ.get("VOORKOM_JOBS_DIR")
    return Path(configured) if configured else Path(app.instance_path) / "taken"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _write(folder: Path, job: Job) -> None:
    """Replace state.json in one step (readers never see half a file)."""
    job.updated_at = _now()
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".state-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(asdict(job), out, ensure_ascii=False)
    os.replace(temporary, folder / "state.json")


def _read(folder: Path) -> Job | None:
    try:
        data = json.loads((folder / "state.json").read_text(encoding="utf-8"))
        return Job(**data)
    except (OSError, ValueError, TypeError):
        return None


def _stale(job: Job) -> bool:
    if job.finished or not job.updated_at:
        return False
    return datetime.now(UTC) - datetime.fromisoformat(job.updated_at) > STALE


def get_job(job_id: str, owner: int) -> Job:
    """The job, if it exists and this user started it; a died one reads as failed."""
    if not job_id or len(job_id) > 64 or not set(job_id) <= _ID_CHARS:
        raise NotFound("Deze berekening bestaat niet (meer).")
    job = _read(jobs_dir() / job_id)
    if job is None or job.owner != owner:
        raise NotFound("Deze berekening bestaat niet (meer).")
    if _stale(job):
        job.status, job.error = (
            FAILED,
            "De berekening is gestopt zonder resultaat. Start haar opnieuw.",
        )
    return job


def job_file(job: Job, name: str) -> Path:
    """The path of one of a finished job's outputs."""
    file_name = job.files.get(name)
    path = jobs_dir() / job.id / file_name if file_name else None
    if job.status != DONE or path is None or not path.is_file():
        raise NotFound("Dit bestand is er niet (meer).")
    return path


def running_jobs() -> list[Job]:
    """Jobs queued or running on this machine (not died ones)."""
    root = jobs_dir()
    if not root.is_dir():
        return []
    found = []
    for folder in root.iterdir():
        job = _read(folder) if folder.is_dir() else None
        if job is not None and not job.finished and not _stale(job):
            found.append(job)
    return found


def _clean_up(root: Path) -> None:
    limit = time.time() - KEEP.total_seconds()
    for folder in root.iterdir():
        try:
            if folder.is_dir() and folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue


class Busy(ServiceError):
    """Too many computations at once: try again later."""

    status = 409


def start_job(
    kind: str,
    *,
    owner: int,
    title: str,
    params: dict[str, Any],
    files: dict[str, str] | None = None,
) -> Job:
    """Queue a job and start it in the background; ``files`` are written into its folder."""
    if kind not in WORKERS:
        raise ValueError(f"unknown job kind {kind!r}")
    root = jobs_dir()
    root.mkdir(parents=True, exist_ok=True)
    _clean_up(root)
    if len(running_jobs()) >= MAX_RUNNING:
        raise Busy(
            f"Er lopen al {MAX_RUNNING} berekeningen. Wacht tot er een klaar is en probeer het "
            "dan opnieuw; er is niets gestart."
        )
    job = Job(
        id=secrets.token_urlsafe(12), kind=kind, owner=owner, title=title, params=params,
        created_at=_now(),
    )  # fmt: skip
    folder = root / job.id
    folder.mkdir()
    if files:
        (folder / INPUT).write_text(json.dumps(files, ensure_ascii=False), encoding="utf-8")
    _write(folder, job)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    settings = {k: app.config[k] for k in CHILD_SETTINGS if k in app.config}
    settings["VOORKOM_JOBS_DIR"] = str(root)
    thread = threading.Thread(
        target=_supervise, args=(settings, folder), name=f"job-{job.id}", daemon=True
    )
    thread.start()
    return job


def input_files(folder: Path) -> dict[str, str]:
    """The files handed to a job when it was started, by their original names."""
    path = folder / INPUT
    if not path.is_file():
        return {}
    return {str(k): str(v) for k, v in json.loads(path.read_text(encoding="utf-8")).items()}


def _supervise(settings: dict[str, Any], folder: Path) -> None:
    """Run the job in a fresh Python process; mark it failed when that dies without a word."""
    environment = {**os.environ, SETTINGS_VARIABLE: json.dumps(settings)}
    command = [sys.executable, "-m", "app.web.dashboard.runner", str(folder)]
    exit_code = subprocess.call(command, env=environment, cwd=PROJECT_ROOT)  # noqa: S603 - fixed
    job = _read(folder)
    if job is not None and not job.finished:
        log.error("job %s (%s) ended with exit code %s", job.id, job.kind, exit_code)
        job.status, job.finished_at = FAILED, _now()
        job.error = STOPPED
        _write(folder, job)


def run_job(folder_name: str) -> None:
    """The child process: build the app on the same database and run the job's worker."""
    from app import create_app

    settings = json.loads(os.environ.get(SETTINGS_VARIABLE) or "{}")
    folder = Path(folder_name)
    job = _read(folder)
    if job is None:
        return
    app = create_app(settings)
    report = Reporter(job, folder)
    with app.app_context():
        job.status = RUNNING
        report("Bezig met starten")
        try:
            WORKERS[job.kind](job, report)
        except DeploymentRefused as exc:
            job.status, job.error, job.problems = FAILED, exc.message, list(exc.problems)
        except ServiceError as exc:
            job.status, job.error = FAILED, exc.message
        except Exception:
            log.exception("job %s (%s) failed", job.id, job.kind)
            job.status = FAILED
            job.error = BROKEN
        else:
            job.status = DONE
            job.step = "Klaar"
        job.finished_at = _now()
        _write(folder, job)
        from app.extensions import db

        db.session.remove()
        db.engine.dispose()
