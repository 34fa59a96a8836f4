"""The child process of a background job: ``python -m app.web.dashboard.runner FOLDER``."""

from __future__ import annotations

import sys

from app.web.dashboard.jobs import run_job

if __name__ == "__main__":
    run_job(sys.argv[1])
