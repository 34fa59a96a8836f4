"""The field types: parsing, normalisation and JSON-safe results."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from marshmallow import ValidationError

from app.forms.base import add_months
from app.forms.fields import Amount, Bool, Count, IsoDate, IsoDateTime, Phone, Postcode, Quantity


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234,56", 1234.56),
        ("1.234,56", 1234.56),
        ("€ 1.234,5", 1234.5),
        ("1234.56", 1234.56),
        ("1.491", 1491.0),
        ("12.5", 12.5),
        (" 0 ", 0.0),
        (10, 10.0),
        (0.125, 0.13),
        ("2,675", 2.68),
    ],
)
def test_amount_parses_dutch_and_international_notation(raw: Any, expected: float) -> None:
    value = Amount().deserialize(raw)
    assert value == expected and isinstance(value, float)


@pytest.mark.parametrize("raw", ["", "abc", "1,2,3", "1.2.3,4,5", True, None, float("nan"), [1]])
def test_amount_refuses_non_numbers(raw: Any) -> None:
    with pytest.raises(ValidationError):
        Amount(required=True).deserialize(raw)


def test_amount_upper_bound() -> None:
    with pytest.raises(ValidationError, match="niet hoger zijn dan 100"):
        Amount(maximum=100).deserialize("100,01")


def test_quantity_has_its_own_message() -> None:
    with pytest.raises(ValidationError, match="Het getal mag niet negatief zijn"):
        Quantity().deserialize("-1,5")
    assert Quantity().deserialize("1,5") == 1.5


@pytest.mark.parametrize(("raw", "expected"), [(3, 3), ("3", 3), (3.0, 3), (" 7 ", 7)])
def test_count_accepts_whole_numbers(raw: Any, expected: int) -> None:
    assert Count().deserialize(raw) == expected


@pytest.mark.parametrize("raw", [3.5, "3.5", "-1", True, "drie", None])
def test_count_refuses_anything_else(raw: Any) -> None:
    with pytest.raises(ValidationError):
        Count().deserialize(raw)


def test_count_range_message() -> None:
    with pytest.raises(ValidationError, match="Vul een getal van 1 tot en met 5 in"):
        Count(minimum=1, maximum=5).deserialize(6)


@pytest.mark.parametrize("raw", ["ja", "Ja", "on", "true", 1, True])
def test_bool_truthy(raw: Any) -> None:
    assert Bool().deserialize(raw) is True


@pytest.mark.parametrize("raw", ["nee", "off", "false", 0, False])
def test_bool_falsy(raw: Any) -> None:
    assert Bool().deserialize(raw) is False


def test_iso_date_returns_a_string() -> None:
    assert IsoDate().deserialize("2025-03-31") == "2025-03-31"
    assert IsoDate().deserialize(dt.date(2025, 3, 31)) == "2025-03-31"


@pytest.mark.parametrize(
    "raw", ["2025-3-31", "20250331", "31-03-2025", "2025-02-29", "1850-01-01", 20250331]
)
def test_iso_date_refuses_other_forms(raw: Any) -> None:
    with pytest.raises(ValidationError):
        IsoDate().deserialize(raw)


def test_iso_date_refuses_a_datetime() -> None:
    with pytest.raises(ValidationError):
        IsoDate().deserialize(dt.datetime(2025, 3, 31, 12, 0))


def test_iso_datetime_returns_a_string() -> None:
    assert IsoDateTime().deserialize("2025-03-31T14:30") == "2025-03-31T14:30:00"
    assert IsoDateTime().deserialize("2025-03-31T14:30:00+02:00") == "2025-03-31T14:30:00+02:00"
    moment = dt.datetime(2025, 3, 31, 14, 30, tzinfo=dt.UTC)
    assert IsoDateTime().deserialize(moment) == "2025-03-31T14:30:00+00:00"
    with pytest.raises(ValidationError, match="Vul een geldig tijdstip in"):
        IsoDateTime().deserialize("2025-03-31")


@pytest.mark.parametrize(
    ("raw", "expected"), [("2931 ab", "2931AB"), (" 1011AB ", "1011AB"), ("9999 zz", "9999ZZ")]
)
def test_postcode_is_normalised(raw: str, expected: str) -> None:
    assert Postcode().deserialize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("06 12345678", "0612345678"),
        ("+31 6 1234 5678", "0612345678"),
        ("0031612345678", "0612345678"),
        ("(0182) 123 456", "0182123456"),
        ("0182-123456", "0182123456"),
    ],
)
def test_phone_is_normalised(raw: str, expected: str) -> None:
    assert Phone().deserialize(raw) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2024, 11, 30), 3, dt.date(2025, 2, 28)),
        (dt.date(2023, 11, 30), 3, dt.date(2024, 2, 29)),
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2025, 10, 15), 3, dt.date(2026, 1, 15)),
        (dt.date(2025, 12, 31), 3, dt.date(2026, 3, 31)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(
    start: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(start, months) == expected
