"""The dashboard: the meeting's figures for a year, quarter or month, per corporation and
party, as charts with their tables (COVENANT.md §8; CV-04, CV-06, CV-10, CV-24, CV-26)."""

from __future__ import annotations

from flask import render_template, request

from app.services.metrics import figures
from app.services.metrics.selection import (
    meeting_figures,
    party_options,
    period_options,
    years_with_data,
)
from app.services.metrics.steps import step_config
from app.web.dashboard.blueprint import bp, read_new_events
from app.web.dashboard.charts import dashboard_charts
from app.web.dashboard.filters import read_selection


@bp.get("/")
def overview() -> tuple[str, int]:
    """The figures of the chosen selection; a bad filter shows its message and nothing else."""
    read_new_events()
    selection, errors = read_selection(request.args)
    options = {
        "years": years_with_data(),
        "periods": period_options(),
        "corporations": figures.corporations(),
        "parties": party_options(),
    }
    if errors:
        page = render_template(
            "dashboard/overview.html", m=None, charts={}, errors=errors, options=options,
            shown=request.args, selection=selection,
        )  # fmt: skip
        return page, 422
    m = meeting_figures(selection, refresh_first=False)
    page = render_template(
        "dashboard/overview.html",
        m=m,
        charts=dashboard_charts(m),
        errors={},
        options=options,
        shown=request.args,
        selection=selection,
        steps=step_config().measured,
        total=figures.TOTAL,
    )
    return page, 200
