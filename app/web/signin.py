"""Signing in and out with a local account (argon2, lock-out after five failures)."""

from __future__ import annotations

import logging

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from app.services import transaction
from app.services.accounts import SIGN_IN_REFUSED, authenticate
from app.web.auth import SessionUser
from app.web.support import safe_next

bp = Blueprint("signin", __name__)
log = logging.getLogger("voorkom.web.signin")


@bp.route("/inloggen", methods=["GET", "POST"])
def login() -> Response | tuple[str, int] | str:
    """The sign-in form; a refusal never says whether the username exists."""
    target = safe_next(request.values.get("next"), url_for("main.index"))
    if current_user.is_authenticated:
        return redirect(target)
    if request.method == "GET":
        return render_template("signin.html", next=target, username="", error=None)
    username = request.form.get("gebruikersnaam", "")[:80]
    password = request.form.get("wachtwoord", "")[:1024]
    with transaction():  # the failure count must stick, so commit either way
        user = authenticate(username, password)
    if user is None:
        log.info("sign-in refused for %r", username)
        return (
            render_template("signin.html", next=target, username=username, error=SIGN_IN_REFUSED),
            401,
        )
    session.clear()  # nothing of an earlier session carries over into this one
    login_user(SessionUser(user))
    log.info("signed in: %s", user.username)
    return redirect(target)


@bp.post("/uitloggen")
def logout() -> Response:
    """Sign out (a POST with the CSRF token, so no other site can sign anyone out)."""
    logout_user()
    session.clear()
    flash("U bent uitgelogd.", "info")
    return redirect(url_for("signin.login"))
