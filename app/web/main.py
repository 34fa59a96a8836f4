"""Start page: caseworkers go to their task list; everyone else sees the deployed processes."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from app.roles import LANE_LABELS
from app.services.catalogue import process_overview
from app.services.worklist import open_task_count

bp = Blueprint("main", __name__)

#: roles whose start page is the task list (the parties that work cases, and the evaluation)
TASK_LIST_ROLES = frozenset({*LANE_LABELS, "evaluatie"})


@bp.get("/")
def index() -> Response | str:
    """A signed-in caseworker lands on the task list ("Mijn taken" when it holds any, else
    the team's); others see the deployed processes."""
    if current_user.is_authenticated and current_user.actor.role in TASK_LIST_ROLES:
        mine = open_task_count(current_user.actor, mine=True)
        return redirect(url_for("tasklist.mine" if mine else "tasklist.team"))
    return render_template("index.html", processes=process_overview())


@bp.get("/processen")
def processes() -> str:
    """The deployed processes, for everyone (nothing personal on it)."""
    return render_template("index.html", processes=process_overview())


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
