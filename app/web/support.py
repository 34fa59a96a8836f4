"""Small helpers the caseworkers' pages share."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar
from urllib.parse import urlsplit

from flask import abort, request

from app.extensions import db
from app.services.actors import Actor
from app.services.errors import NotFound
from app.web.auth import current_actor


def actor() -> Actor:
    """The signed-in user's actor (the views are behind login_required)."""
    who = current_actor()
    if who is None:
        abort(401)
    return who


def safe_next(target: str | None, default: str) -> str:
    """A local path to go back to; anything pointing elsewhere becomes default."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target:
        return default
    return target


def back_to(default: str) -> str:
    """Where a small action form wants to return (its 'next' field), if local."""
    return safe_next(request.form.get("next") or request.args.get("next"), default)


P = ParamSpec("P")
R = TypeVar("R")


def audited(view: Callable[P, R]) -> Callable[P, R]:
    """Run a page that reads personal data as one transaction that keeps its audit entries:
    committed when the page renders, and also when it answers 'niet gevonden', because the
    services log a refused look at a case before refusing (CV-23)."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            result = view(*args, **kwargs)
        except NotFound:
            db.session.commit()
            raise
        except BaseException:
            db.session.rollback()
            raise
        db.session.commit()
        return result

    return wrapper
