"""The caseworkers' pages: sign-in, task lists, task and case pages, reports; their error pages,
template filters and the bundles they load."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request
from flask_login import current_user

from app.extensions import login_manager
from app.roles import LANE_LABELS
from app.services.workbench import WORKBENCH_ROLES
from app.web import casepage, dashboard, reporting, signin, tasklist, taskpage, vendor, workbench
from app.web.errors import register_error_pages
from app.web.present import day_text, moment_text, money

#: roles that may go to the process overview from the menu
OVERVIEW_ROLES = frozenset({"procesbeheer", "beheer", "evaluatie"})

#: the blueprints whose pages get the headers below (the API and workbench set their own)
SECURED = frozenset(
    {"main", "signin", "tasklist", "taskpage", "casepage", "reporting", "dashboard"}
)

#: the pages load nothing but their own scripts and styles (bpmn-js styles SVG inline)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def register_ui(app: Flask) -> None:
    """Mount the pages; anonymous visitors of a page behind login go to the sign-in form."""
    login_manager.login_view = "signin.login"
    login_manager.login_message = "Log in om deze pagina te bekijken."
    login_manager.login_message_category = "info"
    for module in (signin, tasklist, taskpage, casepage, reporting, vendor, workbench, dashboard):
        app.register_blueprint(module.bp)
    app.after_request(_secure)
    register_error_pages(app)
    app.jinja_env.filters["moment"] = moment_text
    app.jinja_env.filters["day"] = day_text
    app.jinja_env.filters["money"] = money
    app.context_processor(_navigation)


def _secure(response: Response) -> Response:
    """Security headers on the caseworkers' pages; personal pages are never cached."""
    if request.blueprint not in SECURED:
        return response
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _navigation() -> dict[str, Any]:
    """What the header needs: who is signed in and which menu items they get."""
    if not current_user.is_authenticated:
        return {"nav": None}
    user = current_user.user
    role = current_user.actor.role
    return {
        "nav": {
            "name": user.display_name,
            "organisation": user.organisation.name if user.organisation else "",
            "party": LANE_LABELS.get(role, role),
            "report": role == "corporatie",
            "overview": role in OVERVIEW_ROLES,
            "workbench": role in WORKBENCH_ROLES,
            "evaluation": role in dashboard.DASHBOARD_ROLES,
        }
    }
