"""The task lists "Mijn taken" and "Team": filter, sort, page; claim, release, assign."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from app.roles import NON_PERSONAL_ROLES
from app.services import transaction
from app.services.accounts import colleagues
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.tasks import TaskFilter, assign_task, claim_task, release_task
from app.services.worklist import (
    PRIORITIES,
    SORTS,
    activity_options,
    corporation_options,
    may_see_household,
    task_rows,
)
from app.web.support import actor, audited, back_to

bp = Blueprint("tasklist", __name__)

PER_PAGE = 25


def _int(raw: str | None, default: int | None = None) -> int | None:
    return int(raw) if raw and raw.isdigit() else default


def _filters(*, mine: bool) -> tuple[TaskFilter, dict[str, Any]]:
    """The list's filters from the query string, and the same values for the filter form."""
    args = request.args
    sort = args.get("sortering", "due")
    if sort not in dict(SORTS):
        sort = "due"
    priority = args.get("prioriteit") or None
    if priority not in PRIORITIES:
        priority = None
    activity = args.get("taak", "")[:100]
    corporation = _int(args.get("corporatie"))
    overdue = args.get("te_laat") == "1"
    reference = args.get("zaak", "").strip()[:40]
    shown: dict[str, Any] = {
        "taak": activity,
        "corporatie": corporation,
        "prioriteit": priority or "",
        "te_laat": overdue,
        "zaak": reference,
        "sortering": sort,
    }
    filters = TaskFilter(
        mine=mine,
        activity_id=activity or None,
        corporation_id=corporation,
        priority=priority,
        overdue=overdue,
        reference=reference or None,
        sort=sort,
        page=_int(args.get("pagina"), 1) or 1,
        per_page=PER_PAGE,
    )
    return filters, shown


def _render(*, mine: bool) -> str:
    who = actor()
    filters, shown = _filters(mine=mine)
    rows, page = task_rows(who, filters)
    query = {k: v for k, v in request.args.items() if k != "pagina" and v}
    return render_template(
        "tasks/list.html",
        mine=mine,
        rows=rows,
        page=page,
        shown=shown,
        query=query,
        show_household=may_see_household(who.role),
        show_corporation=not who.is_corporation,
        case_links=who.role not in NON_PERSONAL_ROLES,
        activities=activity_options(who),
        corporations=corporation_options() if not who.is_corporation else [],
        priorities=PRIORITIES,
        sorts=SORTS,
        filtered=any(shown[k] for k in ("taak", "corporatie", "prioriteit", "te_laat", "zaak")),
    )


@bp.get("/taken")
@login_required
@audited
def team() -> str:
    """Every open task of the user's team (role and, for corporations, organisation)."""
    return _render(mine=False)


@bp.get("/taken/mijn")
@login_required
@audited
def mine() -> str:
    """The tasks the user has picked up or was given."""
    return _render(mine=True)


@bp.post("/taken/<int:task_id>/oppakken")
@login_required
def claim(task_id: int) -> Response:
    """Take a team task into one's own list."""
    target = back_to(url_for("taskpage.show", task_id=task_id))
    try:
        with transaction():
            row = claim_task(actor(), task_id)
        flash(f"U heeft de taak ‘{row.name}’ opgepakt.", "success")
    except (Conflict, NotFound) as exc:
        flash(exc.message, "error")
    return redirect(target)


@bp.post("/taken/<int:task_id>/teruggeven")
@login_required
def release(task_id: int) -> Response:
    """Give a claimed task back to the team."""
    target = back_to(url_for("tasklist.team"))
    try:
        with transaction():
            row = release_task(actor(), task_id)
        flash(f"De taak ‘{row.name}’ staat weer op de teamlijst.", "success")
    except (Conflict, NotFound) as exc:
        flash(exc.message, "error")
    return redirect(target)


@bp.post("/taken/<int:task_id>/toewijzen")
@login_required
def assign(task_id: int) -> Response:
    """Give a task to a colleague of the same team (e.g. during sick leave)."""
    who = actor()
    target = back_to(url_for("taskpage.show", task_id=task_id))
    user_id = _int(request.form.get("collega"))
    if user_id is None:
        flash("Kies een collega om de taak aan toe te wijzen.", "error")
        return redirect(target)
    names = {u.id: u.display_name for u in colleagues(who)}
    try:
        with transaction():
            row = assign_task(who, task_id, user_id)
        flash(
            f"De taak ‘{row.name}’ is toegewezen aan {names.get(user_id, 'een collega')}.",
            "success",
        )
    except (InvalidInput, Conflict, NotFound) as exc:
        flash(exc.message, "error")
    return redirect(target)
