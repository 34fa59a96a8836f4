"""The bottleneck heatmap on the diagram: per user task count, median and P90 time and share
overdue, coloured by thresholds the viewer sets (COVENANT.md §8; CV-10, CV-26)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template, request

from app.services.errors import NotFound
from app.services.metrics import figures
from app.services.metrics.heatmap import DiagramChoice, ElementHeat, Heatmap, diagram_choices
from app.services.metrics.heatmap import heatmap as heatmap_figures
from app.services.metrics.selection import Selection, period_options, years_with_data
from app.services.metrics.suppression import shown_count, shown_share, shown_value
from app.web.dashboard.blueprint import bp, read_new_events
from app.web.dashboard.filters import (
    MEASURES,
    Errors,
    Thresholds,
    read_selection,
    read_thresholds,
    shown_number,
)

#: the diagram shown first: the Meldpunt's, which every corporation's cases pass through
DEFAULT_PROCESS = "meldpunt"
LEVEL_LABELS = {
    "laag": "laag",
    "midden": "let op",
    "hoog": "knelpunt",
    "onbekend": "te weinig gegevens",
}


@dataclass(frozen=True)
class Row:
    """One element as the page shows it: its figures as text and its colour level."""

    element: ElementHeat
    level: str
    count: str
    median: str
    p90: str
    overdue: str

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


def measured(element: ElementHeat, key: str) -> float | None:
    """The value of the chosen measure for one element (None: none, or suppressed)."""
    if key == "mediaan":
        return element.median_days
    if key == "p90":
        return element.p90_days
    if key == "te_laat":
        return None if element.share_overdue is None else 100 * element.share_overdue
    return None if not element.n else float(element.n)


def _row(element: ElementHeat, thresholds: Thresholds) -> Row:
    return Row(
        element=element,
        level=thresholds.level(measured(element, thresholds.measure.key)),
        count=shown_count(element.n),
        median=shown_value(element.median_days, element.n),
        p90=shown_value(element.p90_days, element.n),
        overdue=shown_share(element.share_overdue, element.with_deadline),
    )


def _badge(row: Row) -> str:
    if row.element.n is None:
        return "<5 taken"
    return f"{row.count}× · {row.median} d · P90 {row.p90} d · {row.overdue} te laat"


def _choose(choices: list[DiagramChoice], raw: str, errors: Errors) -> DiagramChoice | None:
    if raw:
        process_id, _, version = raw.rpartition(":")
        found = next(
            (c for c in choices if c.process_id == process_id and str(c.version) == version),
            None,
        )
        if found is None:
            errors["diagram"] = "Dit diagram is niet uitgerold; kies er een uit de lijst."
        return found
    preferred = [c for c in choices if c.process_id == DEFAULT_PROCESS]
    return (preferred or choices)[0] if choices else None


def _viewer_data(hm: Heatmap, rows: list[Row]) -> dict[str, Any]:
    """What the diagram script needs: the XML and per element its level and figures."""
    return {
        "xml": hm.xml,
        "elements": [
            {
                "id": r.element.activity_id,
                "level": r.level,
                "label": LEVEL_LABELS[r.level],
                "badge": _badge(r),
            }
            for r in rows
            if r.element.n != 0
        ],
    }


@bp.get("/knelpunten")
def heatmap() -> tuple[str, int]:
    """The diagram of one deployed version with its figures per task, and the same as a table."""
    read_new_events()
    selection, errors = read_selection(request.args)
    selection = Selection(selection.year, selection.period, selection.corporation)
    thresholds, more = read_thresholds(request.args)
    errors.update(more)
    choices = diagram_choices()
    chosen = _choose(choices, (request.args.get("diagram") or "").strip()[:140], errors)
    context: dict[str, Any] = {
        "options": {
            "years": years_with_data(),
            "periods": period_options(),
            "corporations": figures.corporations(),
        },
        "choices": choices,
        "chosen": chosen,
        "selection": selection,
        "thresholds": thresholds,
        "measures": MEASURES,
        "number": shown_number,
        "errors": errors,
        "shown": request.args,
        "levels": LEVEL_LABELS,
    }
    if errors or chosen is None:
        return render_template("dashboard/heatmap.html", hm=None, **context), (
            422 if errors else 200
        )
    corporation = next(
        (c for c in context["options"]["corporations"] if c.key == selection.corporation), None
    )
    try:
        hm = heatmap_figures(
            chosen.process_id, chosen.version, period=selection.chosen,
            corporation_id=corporation.id if corporation else None,
        )  # fmt: skip
    except NotFound as exc:
        errors["diagram"] = exc.message
        return render_template("dashboard/heatmap.html", hm=None, **context), 422
    rows = [_row(e, thresholds) for e in hm.elements]
    page = render_template(
        "dashboard/heatmap.html",
        hm=hm,
        rows=rows,
        corporation=corporation,
        viewer=_viewer_data(hm, rows),
        **context,
    )
    return page, 200
