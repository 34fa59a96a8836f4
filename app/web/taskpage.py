"""The task page: the task's form drawn from its schema, beside what the role may see of the
case, its diagram with this task marked, and its history (COVENANT.md §7)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import login_required
from marshmallow import Schema
from werkzeug.wrappers import Response as BaseResponse

from app.models import HumanTask
from app.roles import NON_PERSONAL_ROLES
from app.services import transaction
from app.services.accounts import colleagues
from app.services.actors import Actor
from app.services.cases import CaseView, view_case
from app.services.diagram_forms import task_schema
from app.services.diagrams import diagram_source
from app.services.errors import Conflict, InvalidInput, NotFound
from app.services.tasks import complete_task, get_task, save_draft
from app.services.timeline import case_timeline, status_label
from app.services.worklist import due_state, may_see_household
from app.web.formview import (
    build_fields,
    change_items,
    error_summary,
    form_values,
    output_fields,
    read_form,
)
from app.web.present import case_sections, diagram_fields, format_value
from app.web.support import actor, audited

bp = Blueprint("taskpage", __name__)


def _schema(row: HumanTask) -> Schema | None:
    """The task's form: its registered form key, or the form drawn in its diagram (None: a
    task without a form)."""
    schema_class = task_schema(row)
    return schema_class() if schema_class is not None else None


def _prefill(schema: Schema, row: HumanTask, who: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """What the case already knows and the role may see, plus a few obvious suggestions."""
    known = dict(data)
    known.setdefault("corporatie_naam", row.case.corporation.name)
    known.setdefault("corporatie_medewerker", who.display_name)
    for name, f in schema.fields.items():
        default = f.metadata.get("default")
        if default is not None:
            known.setdefault(f.data_key or name, default)
    return form_values(schema, known)


def _render(
    row: HumanTask,
    schema: Schema | None,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, Any] | None = None,
    status: int = 200,
    focus: str | None = None,
    alert: str | None = None,
) -> tuple[str, int]:
    who = actor()
    if who.role in NON_PERSONAL_ROLES:  # e.g. the evaluation meeting: its task, no case data
        view = CaseView(row.case, {}, [], [])
    else:
        view = view_case(who, row.case_id, reason=row.activity_id)
    fields_ = []
    summary = []
    outputs = []
    if schema is not None:
        if values is None:
            values = (
                form_values(schema, row.draft)
                if row.draft
                else _prefill(schema, row, who, view.data)
            )
        fields_ = build_fields(schema, values, errors)
        summary = error_summary(fields_, errors or {}) if errors else []
        outputs = [
            (str(f.metadata.get("label") or key), format_value(f, view.data.get(key), key))
            for key, f in output_fields(schema)
            if key in view.data
        ]
    page = render_template(
        "tasks/page.html",
        row=row,
        case=view.case,
        title=getattr(schema, "title", "") or row.name,
        fields=fields_,
        summary=summary,
        outputs=outputs,
        sections=case_sections(view.data, drawn=diagram_fields(view.case.process_version.summary)),
        timeline=case_timeline(who, view.events, corporation=view.case.corporation.name),
        status=status_label(view.data.get("status_code")),
        household=view.case.household if may_see_household(who.role) else None,
        due_state=due_state(row.due_at),
        team=[u for u in colleagues(who) if u.id not in (row.claimed_by_id, who.user_id)],
        mine=row.claimed_by_id == who.user_id,
        claimed_by=row.claimed_by.display_name if row.claimed_by else None,
        has_draft=bool(row.draft),
        case_link=who.role not in NON_PERSONAL_ROLES,
        focus=focus,
        alert=alert,
    )
    return page, status


@bp.get("/taken/<int:task_id>")
@login_required
@audited
def show(task_id: int) -> tuple[str, int]:
    """The task's form, prefilled from a saved draft or from the case."""
    row = get_task(actor(), task_id)
    return _render(row, _schema(row))


@bp.post("/taken/<int:task_id>")
@login_required
@audited
def submit(task_id: int) -> BaseResponse | tuple[str, int]:
    """Complete the task, save a draft, or add/remove an item of a repeating group."""
    who = actor()
    row = get_task(who, task_id)
    schema = _schema(row)
    action = request.form.get("_action", "afronden")
    data = read_form(schema, request.form, keep_empty=action != "afronden") if schema else {}
    if schema is not None and action.startswith(("add:", "remove:")):
        values, focus = change_items(form_values(schema, data), schema, action)
        return _render(row, schema, values=values, focus=focus)
    if action == "concept":
        with transaction():
            save_draft(who, task_id, data)
        flash("Het concept is opgeslagen. U kunt later verder gaan.", "success")
        return redirect(url_for("taskpage.show", task_id=task_id))
    try:
        with transaction():
            case = complete_task(who, task_id, data)
    except InvalidInput as exc:
        values = form_values(schema, data) if schema else {}
        return _render(row, schema, values=values, errors=dict(exc.errors), status=422)
    except Conflict as exc:
        values = form_values(schema, data) if schema else {}
        try:
            fresh = get_task(who, task_id)
        except NotFound:
            return render_template("error.html", message=exc.message, status=409), 409
        return _render(fresh, _schema(fresh), values=values, status=409, alert=exc.message)
    flash(f"De taak ‘{row.name}’ is afgerond.", "success")
    if who.role in NON_PERSONAL_ROLES:
        return redirect(url_for("tasklist.team"))
    return redirect(url_for("casepage.show", reference=case.reference))


@bp.get("/taken/<int:task_id>/diagram.bpmn")
@login_required
def diagram(task_id: int) -> Response:
    """The BPMN of the process the task is in (a called subprocess: that one's diagram)."""
    row = get_task(actor(), task_id)
    xml = diagram_source(row.case, row.process_id)
    response = Response(xml, mimetype="application/xml")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
