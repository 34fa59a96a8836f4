"""The dashboard's charts: the metrics back end's accessible SVG, drawn once per set of numbers.

Drawing a chart takes a few tenths of a second (matplotlib); the same figures give the same
picture, so charts are kept in memory by their content and a second look is immediate.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import lru_cache

from app.services.metrics.charts import Chart, Value, bar_chart, line_chart
from app.services.metrics.figures import TOTAL, Compliance
from app.services.metrics.periods import MONTHS, periods
from app.services.metrics.selection import MeetingFigures
from app.services.metrics.steps import step_config

Series = tuple[tuple[str, tuple[Value, ...]], ...]
#: matplotlib's settings are process-wide: one drawing at a time
_DRAWING = threading.Lock()


@lru_cache(maxsize=256)
def _bar(
    key: str,
    title: str,
    description: str,
    categories: tuple[str, ...],
    series: Series,
    unit: str,
    horizontal: bool,
    percent: bool,
    digits: int,
) -> Chart:
    with _DRAWING:
        return bar_chart(key, title, description, categories, dict(series), unit=unit,
                         horizontal=horizontal, percent=percent, digits=digits)  # fmt: skip


@lru_cache(maxsize=128)
def _line(
    key: str, title: str, description: str, x_labels: tuple[str, ...], series: Series, unit: str
) -> Chart:
    with _DRAWING:
        return line_chart(key, title, description, x_labels, dict(series), unit=unit)


def bar(
    key: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: dict[str, Sequence[Value]],
    *,
    unit: str = "",
    horizontal: bool = False,
    percent: bool = False,
    digits: int = 1,
) -> Chart:
    """A grouped bar chart (cached by its content)."""
    frozen = tuple((name, tuple(values)) for name, values in series.items())
    return _bar(key, title, description, tuple(categories), frozen, unit, horizontal, percent,
                digits)  # fmt: skip


def line(
    key: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: dict[str, Sequence[Value]],
    *,
    unit: str = "",
) -> Chart:
    """A line chart over time (cached by its content)."""
    frozen = tuple((name, tuple(values)) for name, values in series.items())
    return _line(key, title, description, tuple(x_labels), frozen, unit)


def _hours(days: float | None) -> float | None:
    return None if days is None else round(days * 24, 1)


def _on_time(key: str, title: str, description: str, rows: Sequence[Compliance]) -> Chart:
    """Bars of the share of tasks done within their deadline, one per row."""
    return bar(key, title, description, [r.label for r in rows],
               {"binnen termijn": [r.share_on_time for r in rows]},
               unit="% binnen termijn", horizontal=True, percent=True, digits=0)  # fmt: skip


def dashboard_charts(m: MeetingFigures) -> dict[str, Chart]:
    """The charts of the dashboard for one selection (each comes with its data table)."""
    s = m.selection
    when = m.period.label
    who = m.corporation.name if m.corporation else "alle corporaties"
    charts: dict[str, Chart] = {}
    corps = [r for r in m.reports if r.group != TOTAL]
    if len(corps) > 1:
        charts["meldingen"] = bar(
            "meldingen", f"Meldingen per 1.000 woningen, {when}",
            "Meldingen bij het Meldpunt per 1.000 woningen van elke corporatie (CV-04, CV-12).",
            [r.label for r in corps], {"per 1.000 woningen": [r.per_1000_homes for r in corps]},
            unit="meldingen per 1.000 woningen", horizontal=True, digits=2,
        )  # fmt: skip
    months = periods(s.year, "month")
    by_month = {r.period: r.count for r in m.reports_by_month}
    charts["trend"] = line(
        "trend", f"Meldingen per maand, {s.year} ({who})",
        "Aantal meldingen bij het Meldpunt in elke maand van het jaar.",
        [MONTHS[p.index - 1] for p in months], {"Meldingen": [by_month.get(p.key) for p in months]},
        unit="meldingen",
    )  # fmt: skip
    if m.outcomes:
        charts["uitkomsten"] = bar(
            "uitkomsten", f"Afgesloten zaken per uitkomst, {when}",
            f"Zaken van {who} die in de periode zijn afgesloten, per uitkomst.",
            [r.label for r in m.outcomes], {"zaken": [r.count for r in m.outcomes]},
            unit="zaken", horizontal=True, digits=0,
        )  # fmt: skip
    quarters = periods(s.year, "quarter")
    arrears = {r.period: r for r in m.arrears_by_quarter}
    charts["achterstand"] = line(
        "achterstand", f"Huurachterstand bij de melding per kwartaal, {s.year} ({who})",
        "Mediaan van de huurachterstand in euro op het moment van de melding: wordt er eerder "
        "gemeld (CV-04)?",
        [p.label for p in quarters],
        {"mediaan (euro)": [arrears[p.key].median_euro if p.key in arrears else None
                            for p in quarters]},
        unit="euro",
    )  # fmt: skip
    steps = step_config().measured
    lead = {r.step: r for r in m.lead_times}
    charts["doorlooptijden"] = bar(
        "doorlooptijden", f"Doorlooptijd vanaf de melding, {when} ({who})",
        "Kalenderdagen van de melding tot elke stap van de keten: mediaan en 90e percentiel.",
        [st.label for st in steps],
        {"mediaan": [lead[st.key].median_days if st.key in lead else None for st in steps],
         "90e percentiel": [lead[st.key].p90_days if st.key in lead else None for st in steps]},
        unit="dagen",
    )  # fmt: skip
    if m.compliance_by_party:
        charts["termijnen"] = _on_time(
            "termijnen", f"Taken binnen de termijn per partij, {when}",
            "Aandeel van de afgeronde taken met een termijn dat binnen de termijn (werkdagen) "
            "is afgerond, per partij (CV-10, CV-26).",
            m.compliance_by_party,
        )  # fmt: skip
    if m.compliance_by_step:
        charts["termijnen-stap"] = _on_time(
            "termijnen-stap", f"Taken binnen de termijn per stap, {when}",
            "Aandeel binnen de termijn afgerond, per taak in het diagram (CV-10, CV-26).",
            m.compliance_by_step,
        )  # fmt: skip
    if m.waiting_working:
        charts["wachten"] = bar(
            "wachten", f"Wachttijd en werktijd per partij, {when}",
            "Mediaan in uren: wachten (taak klaargezet tot opgepakt) en werken (opgepakt tot "
            "afgerond). Een lange wachttijd wijst op te weinig capaciteit (CV-10).",
            [r.label for r in m.waiting_working],
            {"wachten": [_hours(r.wait_median_days) for r in m.waiting_working],
             "werken": [r.work_median_hours for r in m.waiting_working]},
            unit="uren (mediaan)", horizontal=True,
        )  # fmt: skip
    roles = list(dict.fromkeys(r.group for r in m.open_per_party))
    labels = {r.group: r.label for r in m.open_per_party}
    open_by = {(r.group, r.period): r.count for r in m.open_per_party}
    if roles:
        charts["werkvoorraad"] = line(
            "werkvoorraad", f"Open zaken per partij aan het eind van de maand, {s.year}",
            "Aantal zaken waarin een partij bezig is aan het eind van elke maand (capaciteit, "
            "CV-10); 'Alle open zaken' telt elke open zaak één keer.",
            [MONTHS[p.index - 1] for p in months],
            {labels[role]: [open_by.get((role, p.key)) for p in months] for role in roles},
            unit="open zaken",
        )  # fmt: skip
    kids = [r for r in m.children if r.group != TOTAL]
    if len(kids) > 1:
        charts["kinderen"] = bar(
            "kinderen", f"Gemelde huishoudens met kinderen, {when}",
            "Aandeel van de gemelde huishoudens met kinderen onder 18 (CV-02), per corporatie.",
            [r.label for r in kids], {"met kinderen": [r.share for r in kids]},
            unit="% van de meldingen", horizontal=True, percent=True, digits=0,
        )  # fmt: skip
    return charts
