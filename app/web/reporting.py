"""A corporation reports a household: the start form of its own variant (CV-12, CV-25)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required
from marshmallow import Schema
from werkzeug.wrappers import Response

from app.forms.registry import get_form
from app.services import transaction
from app.services.cases import start_case
from app.services.errors import InvalidInput
from app.services.intake import StartForm, start_form
from app.web.formview import build_fields, change_items, error_summary, form_values, read_form
from app.web.support import actor

bp = Blueprint("reporting", __name__)


def _schema(form: StartForm) -> Schema | None:
    return get_form(form.form_key)() if form.form_key else None


def _render(
    form: StartForm,
    schema: Schema | None,
    values: dict[str, Any],
    errors: dict[str, Any] | None = None,
    *,
    status: int = 200,
    focus: str | None = None,
) -> tuple[str, int]:
    fields_ = build_fields(schema, values, errors) if schema is not None else []
    page = render_template(
        "cases/start.html",
        form=form,
        title=getattr(schema, "title", "") or "Huishouden melden",
        fields=fields_,
        summary=error_summary(fields_, errors) if errors else [],
        focus=focus,
    )
    return page, status


@bp.get("/melden")
@login_required
def new() -> tuple[str, int]:
    """The empty start form."""
    form = start_form(actor())
    return _render(form, _schema(form), {})


@bp.post("/melden")
@login_required
def create() -> Response | tuple[str, int]:
    """Start the case; bad input shows every message and starts nothing."""
    who = actor()
    form = start_form(who)
    schema = _schema(form)
    action = request.form.get("_action", "starten")
    data = read_form(schema, request.form, keep_empty=action != "starten") if schema else {}
    if schema is not None and action.startswith(("add:", "remove:")):
        values, focus = change_items(form_values(schema, data), schema, action)
        return _render(form, schema, values, focus=focus)
    try:
        with transaction():
            case = start_case(who, data, process_id=form.process_id)
    except InvalidInput as exc:
        values = form_values(schema, data) if schema else {}
        return _render(form, schema, values, dict(exc.errors), status=422)
    flash(f"Zaak {case.reference} is gestart. Hieronder ziet u de volgende stap.", "success")
    return redirect(url_for("casepage.show", reference=case.reference))
