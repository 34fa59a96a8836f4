"""Voorkom: the Krimpenerwaard eviction-prevention covenant as executable BPMN."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask application: settings, extensions, blueprints."""
    from app.config import engine_options, load_settings, normalise_database_url
    from app.extensions import csrf, db, login_manager, migrate

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(load_settings(app.instance_path))
    if config:
        app.config.update(config)
        if "SQLALCHEMY_DATABASE_URI" in config and "SQLALCHEMY_ENGINE_OPTIONS" not in config:
            url = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
            app.config["SQLALCHEMY_DATABASE_URI"] = url
            app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(url)

    from app import models  # noqa: F401  (registers the tables on the metadata)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    csrf.init_app(app)
    login_manager.init_app(app)

    from app.web import register_blueprints

    register_blueprints(app)
    return app


def _migrations_dir() -> Any:
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"
