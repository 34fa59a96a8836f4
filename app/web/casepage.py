"""The case page: status, history and open work per party, as far as the viewer may see them;
and the corporation's signals on its own open cases (COVENANT.md §3 D, §7)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from app.services import transaction
from app.services.cases import CORPORATION_MESSAGES, correlate_message, view_case
from app.services.errors import Conflict
from app.services.timeline import (
    MESSAGE_LABELS,
    case_timeline,
    may_see_outcome,
    open_tasks_by_party,
    outcome_label,
    status_label,
    status_messages,
)
from app.services.worklist import due_state, may_see_household
from app.web.present import case_sections, diagram_fields, highlights
from app.web.support import actor, audited

bp = Blueprint("casepage", __name__)

#: shown to the corporation in their own table, so left out of the case data beside it
STATUS_SHOWN = ("statusberichten", "status_code")

#: the corporation's signals, in the order offered, with what each one sets in motion
SIGNALS: tuple[tuple[str, str, str], ...] = (
    (
        "afspraken_niet_nagekomen",
        MESSAGE_LABELS["afspraken_niet_nagekomen"],
        "De huurder komt afspraken niet na, bijvoorbeeld de lopende huur wordt niet betaald "
        "(CV-08). Het Meldpunt voert binnen 5 werkdagen een gesprek en besluit over het traject.",
    ),
    (
        "ontruimingsvonnis",
        MESSAGE_LABELS["ontruimingsvonnis"],
        "De rechter heeft een ontruimingsvonnis uitgesproken (CV-13). Het Meldpunt voert binnen "
        "5 werkdagen een gesprek en besluit over het traject.",
    ),
    (
        "achterstand_opgelost",
        MESSAGE_LABELS["achterstand_opgelost"],
        "De achterstand is helemaal betaald. De zaak kan dan worden afgesloten.",
    ),
)


def _render(
    reference: str, *, signal_error: str | None = None, status: int = 200
) -> tuple[str, int]:
    who = actor()
    view = view_case(who, reference)
    case = view.case
    page = render_template(
        "cases/show.html",
        case=case,
        view=view,
        household=case.household if may_see_household(who.role) else None,
        outcome=outcome_label(case.outcome) if may_see_outcome(who.role) else None,
        status=status_label(view.data.get("status_code")),
        status_messages=status_messages(view.data) if who.is_corporation else [],
        highlights=highlights(view.data),
        sections=case_sections(
            view.data,
            skip=STATUS_SHOWN if who.is_corporation else (),
            drawn=diagram_fields(case.process_version.summary),
        ),
        timeline=case_timeline(who, view.events, corporation=view.case.corporation.name),
        parties=open_tasks_by_party(who, view.open_tasks),
        due_state=due_state,
        my_role=who.role,
        my_user_id=who.user_id,
        signals=SIGNALS if who.is_corporation and case.is_open else (),
        signal_error=signal_error,
    )
    return page, status


@bp.get("/zaken/<reference>")
@login_required
@audited
def show(reference: str) -> tuple[str, int]:
    """One case; another corporation's case is 'niet gevonden' (and the attempt is logged)."""
    return _render(reference)


@bp.post("/zaken/<reference>/signaal")
@login_required
@audited
def signal(reference: str) -> Response | tuple[str, int]:
    """The corporation signals a broken agreement, a judgment or solved arrears (CV-08, CV-13)."""
    who = actor()
    message = request.form.get("signaal", "")
    if message not in CORPORATION_MESSAGES:
        return _render(reference, signal_error="Kies welk signaal u wilt doorgeven.", status=422)
    label = MESSAGE_LABELS[message]
    try:
        with transaction():
            case = correlate_message(who, reference, message)
    except Conflict:
        flash(
            f"Het signaal ‘{label}’ kan nu niet worden verwerkt: de zaak is op dit moment niet "
            "in een fase waarin dit signaal iets verandert. Er is niets gewijzigd. Neem bij "
            "twijfel contact op met het Meldpunt.",
            "error",
        )
        return redirect(url_for("casepage.show", reference=reference))
    flash(f"Het signaal ‘{label}’ is doorgegeven.", "success")
    return redirect(url_for("casepage.show", reference=case.reference))
