"""The yearly report for the evaluation meeting (CV-24, CV-26): printable HTML and PDF.

Charts (SVG) and tables from ``compute_dashboard``, a page per corporation, definitions at
the end. The PDF is WeasyPrint's rendering of the same HTML (pure Python on Pango).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.services.metrics import suppression as sup
from app.services.metrics.charts import Chart, bar_chart, line_chart
from app.services.metrics.dashboard import Dashboard, compute_dashboard
from app.services.metrics.figures import TOTAL
from app.services.metrics.periods import periods
from app.services.metrics.steps import step_config

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "report"
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Report:
    """A rendered report: the figures it shows, its charts and its HTML."""

    dashboard: Dashboard
    charts: dict[str, Chart]
    html: str


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = sup.shown_count
    env.filters["share"] = sup.shown_share
    env.filters["value"] = sup.shown_value
    env.filters["euro"] = sup.shown_euro
    return env


def charts_for(d: Dashboard) -> dict[str, Chart]:
    """The report's charts, each with its data table."""
    corps = [r for r in d.reports if r.group != TOTAL]
    months = periods(d.year, "month")
    month_labels = [p.label.split()[0] for p in months]
    total_by_month = {r.period: r.count for r in d.reports_by_month if r.group == TOTAL}
    open_total = {r.period: r.count for r in d.open_per_party if r.group == TOTAL}
    steps = step_config().measured
    lead = {r.step: r for r in d.lead_times}
    parties = d.compliance_by_party
    roles = list(dict.fromkeys(r.group for r in d.open_per_party if r.group != TOTAL))
    labels = {r.group: r.label for r in d.open_per_party}
    open_by = {(r.group, r.period): r.count for r in d.open_per_party}
    quarters = periods(d.year, "quarter")
    arrears_q = {r.period: r for r in d.arrears_by_quarter if r.group == TOTAL}
    return {
        "meldingen": bar_chart(
            "meldingen",
            f"Meldingen per 1.000 woningen, {d.year}",
            "Aantal meldingen bij het Meldpunt per 1.000 woningen van elke corporatie. "
            "Kleine aantallen (minder dan 5) worden niet getoond.",
            [r.label for r in corps],
            {"per 1.000 woningen": [r.per_1000_homes for r in corps]},
            unit="meldingen per 1.000 woningen",
            horizontal=True,
            digits=2,
        ),
        "trend": line_chart(
            "trend",
            f"Meldingen en open zaken per maand, {d.year}",
            "Aantal meldingen per maand, en het aantal open zaken aan het eind van elke maand.",
            month_labels,
            {
                "Meldingen": [total_by_month.get(p.key) for p in months],
                "Open zaken (einde maand)": [open_total.get(p.key) for p in months],
            },
            unit="zaken",
        ),
        "doorlooptijden": bar_chart(
            "doorlooptijden",
            f"Doorlooptijd vanaf de melding, {d.year}",
            "Kalenderdagen van de melding tot elke stap: mediaan en 90e percentiel.",
            [s.label for s in steps],
            {
                "mediaan": [lead[s.key].median_days if s.key in lead else None for s in steps],
                "90e percentiel": [lead[s.key].p90_days if s.key in lead else None for s in steps],
            },
            unit="dagen",
        ),
        "termijnen": bar_chart(
            "termijnen",
            f"Taken binnen de termijn per partij, {d.year}",
            "Aandeel van de afgeronde taken met een termijn dat binnen de termijn (werkdagen) "
            "is afgerond, per partij (CV-10, CV-26).",
            [r.label for r in parties],
            {"binnen termijn": [r.share_on_time for r in parties]},
            unit="% binnen termijn",
            horizontal=True,
            percent=True,
            digits=0,
        ),
        "werkvoorraad": line_chart(
            "werkvoorraad",
            f"Open zaken per partij aan het eind van de maand, {d.year}",
            "Aantal zaken waarin een partij bezig is, aan het eind van elke maand (capaciteit).",
            month_labels,
            {labels[role]: [open_by[(role, p.key)] for p in months] for role in roles},
            unit="open zaken",
        ),
        "achterstand": line_chart(
            "achterstand",
            f"Huurachterstand bij de melding per kwartaal, {d.year}",
            "Mediaan van de huurachterstand (euro) op het moment van de melding: wordt er "
            "eerder gemeld (CV-04)?",
            [p.label for p in quarters],
            {
                "mediaan (euro)": [
                    arrears_q[p.key].median_euro if p.key in arrears_q else None for p in quarters
                ]
            },
            unit="euro",
        ),
    }


def _corporation_pages(d: Dashboard) -> list[dict[str, Any]]:
    pages = []
    for corp in d.corporations:
        pages.append(
            {
                "corporation": corp,
                "reports": next(r for r in d.reports if r.group == corp.key),
                "by_quarter": [r for r in d.reports_by_quarter if r.group == corp.key],
                "outcomes": [r for r in d.outcomes if r.group == corp.key],
                "arrears": next(r for r in d.arrears if r.group == corp.key),
                "children": next(r for r in d.children if r.group == corp.key),
                "lead_times": [r for r in d.lead_times_by_corporation if r.group == corp.key],
                "compliance": next(
                    (r for r in d.compliance_by_corporation if r.group == corp.key), None
                ),
            }
        )
    return pages


def build_report(
    year: int, *, refresh_first: bool = True, progress: Progress | None = None
) -> Report:
    """Compute the year's figures and render the report as HTML."""
    say = progress or (lambda _message: None)
    say("Kengetallen berekenen")
    d = compute_dashboard(year, refresh_first=refresh_first)
    say("Grafieken tekenen")
    charts = charts_for(d)
    say("Verslag opmaken")
    template = _environment().get_template("jaarverslag.html")
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    outcome_keys = list(dict.fromkeys((r.outcome, r.label) for r in d.outcomes))
    html = template.render(
        d=d,
        charts=charts,
        css=css,
        total=TOTAL,
        steps=step_config().measured,
        outcome_keys=outcome_keys,
        corporation_pages=_corporation_pages(d),
        quarters=periods(year, "quarter"),
        min_count=sup.MIN_COUNT,
    )
    return Report(d, charts, html)


def render_pdf(report: Report) -> bytes:
    """The report as PDF (WeasyPrint)."""
    from weasyprint import HTML

    pdf = HTML(string=report.html, base_url=str(TEMPLATES)).write_pdf()
    if pdf is None:  # pragma: no cover - write_pdf without a target always returns bytes
        raise RuntimeError("WeasyPrint gaf geen PDF terug")
    return bytes(pdf)
