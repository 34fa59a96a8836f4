"""The evaluation meeting's pages (issue 6; CV-24, CV-26): the dashboard, the heatmap on the
diagram, the yearly report, the exports and the what-if before deploying. Aggregated figures
only; small counts suppressed; for ``evaluatie`` and ``procesbeheer`` (COVENANT.md §7, §8)."""

from __future__ import annotations

# the pages register their routes (and background jobs) on the blueprint when imported
import app.web.dashboard.exports
import app.web.dashboard.heatmap
import app.web.dashboard.overview
import app.web.dashboard.progress
import app.web.dashboard.report
import app.web.dashboard.whatif  # noqa: F401
from app.web.dashboard.blueprint import DASHBOARD_ROLES, WHATIF_ROLES, bp

__all__ = ["DASHBOARD_ROLES", "WHATIF_ROLES", "bp"]
