"""A Camunda 7 compatible REST API at /engine-rest: what Camunda Modeler's Deploy button uses.

``GET /version``, ``GET /deployment`` (its connection check), ``GET /deployment/count``,
``GET /deployment/<id>`` and the multipart ``POST /deployment/create``; Basic or Bearer
authentication, only process owners deploy; CORS for the desktop app (``Origin: null`` or
``file://``); errors as Camunda writes them, so the Modeler shows them as such.
"""

from __future__ import annotations

from flask import Flask

from app.extensions import csrf
from app.web.engine_rest.routes import bp


def register_engine_rest(app: Flask) -> None:
    """Mount /engine-rest; credentials come with every request, so no CSRF token is asked."""
    csrf.exempt(bp)
    app.register_blueprint(bp)
