"""Use cases, free of Flask: web, API, CLI and tests call these and commit at their boundary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.extensions import db


@contextmanager
def transaction() -> Iterator[None]:
    """Commit what the block did, or roll it all back."""
    try:
        yield
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()
