"""Prebuilt browser bundles served straight from node_modules, only from whitelisted folders."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, send_from_directory
from werkzeug.wrappers import Response

from app.config import PROJECT_ROOT

bp = Blueprint("vendor", __name__)

#: folders of prebuilt bundles (no build step) the pages may load
ALLOWED_FOLDERS: tuple[str, ...] = (
    "bpmn-js/dist/",
    "dmn-js/dist/",
    "bpmn-js-properties-panel/dist/",
    "@bpmn-io/properties-panel/dist/",
    "camunda-bpmn-moddle/resources/",
)
ALLOWED_SUFFIXES: tuple[str, ...] = (
    ".js",
    ".css",
    ".json",
    ".woff",
    ".woff2",
    ".ttf",
    ".eot",
    ".svg",
)


def node_modules() -> Path:
    return Path(current_app.config.get("VOORKOM_NODE_MODULES") or PROJECT_ROOT / "node_modules")


def allowed(path: str) -> bool:
    """Whether a path is a whitelisted bundle file (no climbing out, no hidden files)."""
    parts = path.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return False
    return path.startswith(ALLOWED_FOLDERS) and path.endswith(ALLOWED_SUFFIXES)


@bp.get("/vendor/<path:path>")
def asset(path: str) -> Response:
    """One bundle file, cached for a day (the npm lockfile pins the versions)."""
    if not allowed(path):
        abort(404)
    return send_from_directory(node_modules(), path, max_age=86400)
