"""The yearly report: accessible charts, suppressed small counts, a page per corporation, PDF."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from app.services.metrics.charts import bar_chart
from app.services.metrics.report import build_report, render_pdf
from tests.metrics.conftest import EventLog, utc


def _year(log: EventLog, *, evicted_keeping_conditions: bool = False) -> None:
    for i in range(7):
        kept = evicted_keeping_conditions
        case = log.case("quawonen", utc(2025, 2, 3 + i, 9), arrears_amount=800 + 100 * i,
                        children=i % 2 == 0, conditions_kept=kept)  # fmt: skip
        log.report(case, utc(2025, 2, 4 + i, 9))
        log.task(case, "T_Contact", "meldpunt", utc(2025, 2, 4 + i, 9), due=utc(2025, 2, 20, 9),
                 claimed=utc(2025, 2, 5 + i, 9), completed=utc(2025, 2, 6 + i, 9))  # fmt: skip
        outcome = "ontruimd" if evicted_keeping_conditions and i == 0 else "voorkomen"
        log.close(case, utc(2025, 5, 1 + i, 9), outcome)
    vestia = log.case("vestia", utc(2025, 2, 3, 9))
    log.report(vestia, utc(2025, 2, 4, 9))
    log.commit()


def test_charts_carry_title_description_and_their_data() -> None:
    chart = bar_chart("k", "Titel", "Beschrijving", ["A", "B"], {"reeks": [12.0, None]})
    svg = etree.fromstring(chart.svg.encode())
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.get("role") == "img"
    assert svg.find(f"{ns}title").text == "Titel"
    assert svg.find(f"{ns}desc").text == "Beschrijving"
    assert chart.table.rows == [["A", "12,0"], ["B", "<5"]]


def test_report_html_has_every_section_and_hides_small_counts(log: EventLog) -> None:
    _year(log)
    report = build_report(2025)
    html = report.html
    for section in ("meldingen", "uitkomsten", "achterstand", "doorlooptijden", "termijnen",
                    "werkvoorraad", "verantwoording", "corp-quawonen", "corp-vestia"):  # fmt: skip
        assert f'id="{section}"' in html
    assert html.count('role="img"') == len(report.charts)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # several charts on one page: ids stay unique
    assert "geen ontruimingen van huurders die de voorwaarden nakwamen" in html
    vestia = html[html.index('id="corp-vestia"') :]
    assert "&lt;5" in vestia[:2000]  # one report: "<5", never "1"
    assert "VK-T-" not in html


def test_a_cv06_breach_is_shown_on_the_cover(log: EventLog) -> None:
    _year(log, evicted_keeping_conditions=True)
    html = build_report(2025).html
    cover = html[: html.index('id="meldingen"')]
    assert "CV-06 geschonden" in cover and 'role="alert"' in cover


def test_the_pdf_renders(log: EventLog, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("rendering does not depend on the database; once is enough")
    _year(log)
    pdf = render_pdf(build_report(2025))
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert len(pdf) > 20_000
