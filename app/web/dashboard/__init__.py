"""The evaluation meeting's pages (issue 6; CV-24, CV-26): the dashboard, the heatmap on the
diagram, the yearly report, the exports and the what-if before deploying. Aggregated figures
only; small counts suppressed; for ``evaluatie`` and ``procesbeheer`` (COVENANT.md §7, §8)."""

from __future__ import annotations

from app.web.dashboard import exports, heatmap, overview, progress, report, whatif
from app.web.dashboard.blueprint import DASHBOARD_ROLES, WHATIF_ROLES, bp

__all__ = ["DASHBOARD_ROLES", "WHATIF_ROLES", "bp", "exports", "heatmap", "overview",
           "progress", "report", "whatif"]  # fmt: skip
