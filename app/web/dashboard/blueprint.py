"""The evaluation pages' blueprint: only the evaluation meeting and process owners enter."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort
from flask_login import current_user
from werkzeug.wrappers import Response

from app.extensions import login_manager
from app.roles import LANE_LABELS
from app.services import transaction
from app.services.metrics import suppression as sup
from app.services.metrics.projection import refresh
from app.web.support import actor

bp = Blueprint("dashboard", __name__, url_prefix="/evaluatie")

#: who sees the meeting's figures: aggregated and pseudonymised only (COVENANT.md §7)
DASHBOARD_ROLES = frozenset({"evaluatie", "procesbeheer"})
#: who compares a draft diagram with the deployed one before deploying
WHATIF_ROLES = frozenset({"procesbeheer"})


def owner_id() -> int:
    """The signed-in user's id: jobs belong to the user who started them."""
    user_id = actor().user_id
    if user_id is None:  # pragma: no cover - a signed-in user always has an id
        abort(401)
    return int(user_id)


def read_new_events() -> None:
    """Fold the events written since the last look into the metric tables, first thing on a
    page: its figures, and the default year it offers, then include the latest work."""
    with transaction():
        refresh()


@bp.before_request
def only_the_meeting() -> Response | None:
    """Anonymous visitors sign in first; every other party gets 'geen toegang' (CV-23)."""
    if not current_user.is_authenticated:
        answer: Response = login_manager.unauthorized()
        return answer
    if current_user.actor.role not in DASHBOARD_ROLES:
        abort(403)
    return None


class Formats:
    """Numbers as the meeting reads them: Dutch, with suppressed counts as "<5"."""

    count = staticmethod(sup.shown_count)
    value = staticmethod(sup.shown_value)
    share = staticmethod(sup.shown_share)
    euro = staticmethod(sup.shown_euro)


@bp.context_processor
def formats() -> dict[str, Any]:
    """``fmt`` for the templates, and which evaluation tabs this user has."""
    return {
        "fmt": Formats,
        "may_whatif": current_user.is_authenticated and current_user.actor.role in WHATIF_ROLES,
        "min_count": sup.MIN_COUNT,
        "role_labels": LANE_LABELS,
    }
