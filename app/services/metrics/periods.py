"""Years, quarters and months on the Amsterdam calendar, as UTC instants for the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
Grain = Literal["year", "quarter", "month"]
GRAINS: tuple[Grain, ...] = ("year", "quarter", "month")

MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


@dataclass(frozen=True)
class Period:
    """One year, quarter or month: [start, end) in UTC, labelled in Dutch."""

    grain: Grain
    year: int
    index: int  # 1 for a year; 1..4 for quarters; 1..12 for months
    start: datetime
    end: datetime

    @property
    def key(self) -> str:
        """Sortable and machine-readable: 2025, 2025-K2, 2025-03."""
        if self.grain == "year":
            return str(self.year)
        if self.grain == "quarter":
            return f"{self.year}-K{self.index}"
        return f"{self.year}-{self.index:02d}"

    @property
    def label(self) -> str:
        """For people: 2025, K2 2025, mrt 2025."""
        if self.grain == "year":
            return str(self.year)
        if self.grain == "quarter":
            return f"K{self.index} {self.year}"
        return f"{MONTHS[self.index - 1]} {self.year}"


def _local_start(year: int, month: int) -> datetime:
    if month > 12:
        year, month = year + 1, month - 12
    return datetime(year, month, 1, tzinfo=AMSTERDAM).astimezone(UTC)


def periods(year: int, grain: Grain) -> list[Period]:
    """The periods of one calendar year at the given grain, in order."""
    if grain not in GRAINS:
        raise ValueError(f"grain must be one of {GRAINS}, not {grain!r}")
    if not 1900 < year < 3000:
        raise ValueError(f"year {year} is out of range")
    months_per = {"year": 12, "quarter": 3, "month": 1}[grain]
    count = 12 // months_per
    return [
        Period(
            grain,
            year,
            i + 1,
            _local_start(year, 1 + i * months_per),
            _local_start(year, 1 + (i + 1) * months_per),
        )
        for i in range(count)
    ]


def year_period(year: int) -> Period:
    return periods(year, "year")[0]
