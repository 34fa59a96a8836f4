"""Blueprints: load + authorise -> validate -> call a service -> render."""

from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from app.web import auth  # noqa: F401  (registers the user loader)
    from app.web.main import bp as main_bp

    app.register_blueprint(main_bp)

    from app.web.ui import register_ui

    register_ui(app)

    from app.web.api import register_api

    register_api(app)

    from app.web.engine_rest import register_engine_rest

    register_engine_rest(app)
