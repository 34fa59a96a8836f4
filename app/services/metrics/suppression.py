"""Small-count suppression (COVENANT.md §7): a count of 1 to 4 is never shown, only "<5".

Metric functions apply it before returning, so a raw small count never leaves this package
for an output meant for the meeting. ``None`` stands for a suppressed value; 0 is shown.
"""

from __future__ import annotations

#: the smallest count shown as a number
MIN_COUNT = 5
SUPPRESSED = "<5"


def count(n: int, min_count: int = MIN_COUNT) -> int | None:
    """The count itself, 0, or None when it is between 1 and min_count - 1."""
    return n if n == 0 or n >= min_count else None


def share(part: int, whole: int, min_count: int = MIN_COUNT) -> float | None:
    """part/whole as a fraction, only when the whole is large enough to show."""
    if whole == 0 or whole < min_count:
        return None
    return part / whole


def statistic(n: int, value: float | None, min_count: int = MIN_COUNT) -> float | None:
    """A median or percentile of n values, hidden when n is small (it would reveal a case)."""
    if n < min_count:
        return None
    return value


def number(value: float, digits: int = 1) -> str:
    """A number the Dutch way: 1.234,5."""
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    text = f"{value:,.{digits}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def shown_count(value: int | None) -> str:
    """Text for a count cell: the number, or "<5" when suppressed."""
    return SUPPRESSED if value is None else number(value)


def shown_value(value: float | None, n: int | None, digits: int = 1) -> str:
    """Text for a statistic over n cases: the value, "<5" when n is suppressed, else "–"."""
    if value is not None:
        return number(float(value), digits)
    return SUPPRESSED if n is None else "–"


def shown_euro(value: float | None, n: int | None) -> str:
    """A statistic in whole euros: "€ 1.234", else as ``shown_value``."""
    shown = shown_value(value, n, 0)
    return f"€ {shown}" if value is not None else shown


def shown_share(value: float | None, n: int | None) -> str:
    """A fraction as a percentage, "<5" when its base is suppressed, "–" without data."""
    if value is not None:
        return number(round(100 * value), 0) + "%"
    return SUPPRESSED if n is None else "–"
