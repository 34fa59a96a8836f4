"""Afloscapaciteit by the simplified VTLB (COVENANT.md §5, CV-18): worked examples.

VTLB = 95 % of the norm + housing costs above the €250 the norm covers + proven extra costs;
afloscapaciteit = net income (incl. holiday allowance, without toeslagen) − VTLB, at least 0.
Norms in app/tasks/norms.toml: from 1-1-2025 single €1,345.45, couple €1,922.07; from 1-7-2025
single €1,369.06, couple €1,955.80.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from app.forms.examples import EXAMPLES
from app.forms.registry import get_form
from app.tasks import get_operation
from app.tasks.afloscapaciteit import (
    NormError,
    calculate,
    load_norms,
    norm_on,
    parse_norms,
)
from app.tasks.registry import OperationContext

WINTER_2025 = date(2025, 3, 1)
SUMMER_2025 = date(2025, 7, 1)


def single_earner(**overrides: Any) -> dict[str, Any]:
    """A single tenant with wages, as F6 loads them."""
    data: dict[str, Any] = {
        "inkomsten": [{"bron": "loon", "bedrag_netto_per_maand": 2100.0}],
        "vakantiegeld_per_maand": 140.0,
        "toeslagen": 0.0,
        "leefsituatie": "alleenstaand",
        "woonkosten": 700.0,
        "extra_kosten_reiskosten": 60.0,
    }
    data.update(overrides)
    return data


def test_single_earner_worked_example() -> None:
    """Income 2,100 + 140 = 2,240.00. VTLB = 0.95 × 1,345.45 (1,278.1775) + (700 − 250) + 60
    = 1,788.1775 → 1,788.18. Afloscapaciteit = 2,240.00 − 1,788.18 = 451.82."""
    result = calculate(single_earner(), WINTER_2025, load_norms())
    assert result.netto_inkomen == Decimal("2240.00")
    assert result.vtlb == Decimal("1788.18")
    assert result.afloscapaciteit == Decimal("451.82")
    assert result.norm.geldig_vanaf == date(2025, 1, 1)


def test_allowances_are_not_income() -> None:
    """Toeslagen and child benefit (here €400) change nothing: still 451.82."""
    result = calculate(single_earner(toeslagen=400.0), WINTER_2025, load_norms())
    assert result.afloscapaciteit == Decimal("451.82")


def test_the_norm_valid_on_the_day_is_used() -> None:
    """From 1 July 2025: VTLB = 0.95 × 1,369.06 (1,300.607) + 450 + 60 = 1,810.61;
    afloscapaciteit = 2,240.00 − 1,810.61 = 429.39. The day before, the January norm holds."""
    norms = load_norms()
    assert calculate(single_earner(), date(2025, 6, 30), norms).afloscapaciteit == Decimal("451.82")
    summer = calculate(single_earner(), SUMMER_2025, norms)
    assert summer.vtlb == Decimal("1810.61")
    assert summer.afloscapaciteit == Decimal("429.39")
    assert summer.norm.geldig_vanaf == SUMMER_2025


def test_couple_on_benefit_has_no_capacity() -> None:
    """The F6 example: income 1,450 + 72.50 = 1,522.50; VTLB = 0.95 × 1,922.07 (1,825.9665)
    + (745.50 − 250) + 45 travel = 2,366.4665 → 2,366.47; 1,522.50 − 2,366.47 < 0 → 0.00."""
    data = get_form("inventarisatie")().load(EXAMPLES["inventarisatie"])
    result = calculate(data, WINTER_2025, load_norms())
    assert result.netto_inkomen == Decimal("1522.50")
    assert result.vtlb == Decimal("2366.47")
    assert result.afloscapaciteit == Decimal("0.00")


def test_single_parent_gets_the_single_norm_and_all_extra_costs_count() -> None:
    """Single parent, income 1,900 + 95; housing 240 (below the €250 covered: no excess);
    extra costs 50 + 20 + 0 + 30 + 15 = 115. VTLB = 1,278.1775 + 0 + 115 = 1,393.18;
    afloscapaciteit = 1,995.00 − 1,393.18 = 601.82."""
    data = single_earner(
        inkomsten=[
            {"bron": "loon", "bedrag_netto_per_maand": 1500.0},
            {"bron": "alimentatie", "bedrag_netto_per_maand": 400.0},
        ],
        vakantiegeld_per_maand=95.0,
        leefsituatie="alleenstaande_ouder",
        woonkosten=240.0,
        extra_kosten_kinderopvang=50.0,
        extra_kosten_reiskosten=20.0,
        extra_kosten_gemeentelijke_belastingen=30.0,
        extra_kosten_beschermingsbewind=15.0,
    )
    result = calculate(data, WINTER_2025, load_norms())
    assert result.vtlb == Decimal("1393.18")
    assert result.afloscapaciteit == Decimal("601.82")


def test_couple_with_wages_worked_example() -> None:
    """Couple, wages 2,600 + 1,000 + holiday 180 = 3,780.00; VTLB = 0.95 × 1,922.07
    (1,825.9665) + (900 − 250) = 2,475.9665 → 2,475.97; afloscapaciteit = 1,304.03."""
    data = single_earner(
        inkomsten=[
            {"bron": "loon", "bedrag_netto_per_maand": 2600.0},
            {"bron": "loon", "bedrag_netto_per_maand": 1000.0},
        ],
        vakantiegeld_per_maand=180.0,
        leefsituatie="samenwonend",
        woonkosten=900.0,
        extra_kosten_reiskosten=0.0,
    )
    result = calculate(data, WINTER_2025, load_norms())
    assert result.afloscapaciteit == Decimal("1304.03")


def test_no_norm_before_the_first_one() -> None:
    with pytest.raises(NormError, match="geen bijstandsnorm ingesteld voor 31-12-2024"):
        calculate(single_earner(), date(2024, 12, 31), load_norms())


def test_an_expired_norm_is_not_used() -> None:
    norms = parse_norms(
        "[[norm]]\ngeldig_vanaf = 2025-01-01\ngeldig_tot = 2025-06-30\nalleenstaand = 1345.45\n"
        "gehuwd = 1922.07\nvtlb_percentage = 95\nwoonkosten_in_norm = 250\n"
    )
    assert norm_on(date(2025, 6, 30), norms).geldig_vanaf == date(2025, 1, 1)
    with pytest.raises(NormError, match="tot en met 30-06-2025"):
        norm_on(date(2025, 7, 1), norms)


def test_unknown_household_situation_is_refused() -> None:
    with pytest.raises(NormError, match="Onbekende leefsituatie"):
        calculate(single_earner(leefsituatie="kamerbewoner"), WINTER_2025, load_norms())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "geen \\[\\[norm\\]\\]-regels"),
        ("[[norm]]\ngeldig_vanaf = 2025-01-01\n", "ontbreekt alleenstaand, gehuwd"),
        (
            "[[norm]]\ngeldig_vanaf = '1-1-2025'\nalleenstaand = 1\ngehuwd = 1\n"
            "vtlb_percentage = 95\nwoonkosten_in_norm = 0\n",
            "geldig_vanaf moet een datum zijn",
        ),
        (
            "[[norm]]\ngeldig_vanaf = 2025-01-01\nalleenstaand = 1\ngehuwd = 1\n"
            "vtlb_percentage = 120\nwoonkosten_in_norm = 0\n",
            "vtlb_percentage moet tussen 0 en 100",
        ),
        (
            "[[norm]]\ngeldig_vanaf = 2025-01-01\nalleenstaand = -5\ngehuwd = 1\n"
            "vtlb_percentage = 95\nwoonkosten_in_norm = 0\n",
            "geen bedrag van 0 of meer",
        ),
        (
            "[[norm]]\ngeldig_vanaf = 2025-01-01\ngeldig_tot = 2024-01-01\nalleenstaand = 1\n"
            "gehuwd = 1\nvtlb_percentage = 95\nwoonkosten_in_norm = 0\n",
            "geldig_tot moet een datum op of na geldig_vanaf",
        ),
        ("[[norm]\n", "geen geldige TOML"),
    ],
)
def test_broken_norm_settings_are_refused(text: str, message: str) -> None:
    with pytest.raises(NormError, match=message):
        parse_norms(text)


def test_two_norms_from_the_same_day_are_refused() -> None:
    entry = (
        "[[norm]]\ngeldig_vanaf = 2025-01-01\nalleenstaand = 1\ngehuwd = 1\n"
        "vtlb_percentage = 95\nwoonkosten_in_norm = 0\n"
    )
    with pytest.raises(NormError, match="twee normen gelden vanaf 01-01-2025"):
        parse_norms(entry + entry)


def test_the_service_operation_marks_the_result_indicative() -> None:
    """Through the registry, on 2 March 2026 (July 2025 norm still the newest): 429.39."""
    op = get_operation("afloscapaciteit")
    ctx = OperationContext(
        case_id=1,
        case_reference="VK-2026-000001",
        activity_id="Task_Afloscapaciteit",
        now=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        data=single_earner(),
    )
    assert op.func(ctx, {}) == {
        "afloscapaciteit": 429.39,
        "afloscapaciteit_indicatief": True,
        "afloscapaciteit_norm_datum": "2025-07-01",
    }
