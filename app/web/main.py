"""Start page: the deployed processes."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.services.catalogue import process_overview

bp = Blueprint("main", __name__)


@bp.get("/")
def index() -> str:
    return render_template("index.html", processes=process_overview())


@bp.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
