"""Dutch working days: worked examples for covenant deadlines."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.engine.workdays import add_working_days, is_working_day, working_days_between

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 9), True),  # an ordinary Monday
        (date(2026, 3, 7), False),  # Saturday
        (date(2026, 3, 8), False),  # Sunday
        (date(2026, 1, 1), False),  # Nieuwjaarsdag
        (date(2026, 4, 3), False),  # Goede Vrijdag
        (date(2026, 4, 6), False),  # Tweede Paasdag
        (date(2026, 4, 27), False),  # Koningsdag
        (date(2026, 5, 14), False),  # Hemelvaartsdag
        (date(2026, 5, 25), False),  # Tweede Pinksterdag
        (date(2026, 12, 25), False),  # Eerste Kerstdag
        (date(2025, 5, 5), False),  # Bevrijdingsdag in a lustrum year
        (date(2026, 5, 5), True),  # Bevrijdingsdag in other years: a working day
        (date(2025, 4, 26), False),  # Koningsdag 2025 moved to Saturday the 26th
        (date(2025, 4, 28), True),  # ... so the Monday after is an ordinary day
    ],
)
def test_is_working_day(day: date, expected: bool) -> None:
    assert is_working_day(day) is expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Friday + 1 = Monday
        (datetime(2026, 3, 6, 10, 0), 1, datetime(2026, 3, 9, 10, 0)),
        # Thursday before Easter + 1: Goede Vrijdag, weekend, Tweede Paasdag → Tuesday
        (datetime(2026, 4, 2, 14, 30), 1, datetime(2026, 4, 7, 14, 30)),
        # Friday before Koningsdag (Monday 27 April 2026) + 1 → Tuesday
        (datetime(2026, 4, 24, 9, 0), 1, datetime(2026, 4, 28, 9, 0)),
        # 24 December 2026 (Thursday) + 1: Christmas on Friday and Saturday → Monday 28th
        (datetime(2026, 12, 24, 16, 0), 1, datetime(2026, 12, 28, 16, 0)),
        # Friday 2 May 2025 + 1: Bevrijdingsdag 2025 is a holiday → Tuesday 6 May
        (datetime(2025, 5, 2, 9, 0), 1, datetime(2025, 5, 6, 9, 0)),
        # Monday 4 May 2026 + 1: 5 May 2026 is not a holiday
        (datetime(2026, 5, 4, 9, 0), 1, datetime(2026, 5, 5, 9, 0)),
        # Monday + 5 across Hemelvaartsdag (Thursday 14 May 2026)
        (datetime(2026, 5, 11, 9, 0), 5, datetime(2026, 5, 19, 9, 0)),
        # a start on Saturday counts from Monday: Saturday + 1 = Monday
        (datetime(2026, 3, 7, 10, 0), 1, datetime(2026, 3, 9, 10, 0)),
        # a start on a holiday too: Goede Vrijdag + 1 = Tuesday after Tweede Paasdag
        (datetime(2026, 4, 3, 10, 0), 1, datetime(2026, 4, 7, 10, 0)),
    ],
)
def test_add_working_days(start: datetime, n: int, expected: datetime) -> None:
    assert add_working_days(start, n) == expected


def test_zero_days_returns_start_unchanged() -> None:
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=UTC)
    assert add_working_days(saturday, 0) is saturday


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        add_working_days(datetime(2026, 3, 6, 10, 0), -1)


def test_days_are_amsterdam_days() -> None:
    # Thursday 23:30 UTC is already Friday 01:30 in Amsterdam: + 1 is Monday, not Friday.
    start = datetime(2026, 4, 9, 23, 30, tzinfo=UTC)
    result = add_working_days(start, 1)
    assert result == datetime(2026, 4, 13, 1, 30, tzinfo=AMSTERDAM)
    assert result.tzinfo is UTC
    # 2026-04-03T23:30Z is already Saturday in Amsterdam.
    assert not is_working_day(datetime(2026, 4, 3, 23, 30, tzinfo=UTC))
    assert add_working_days(datetime(2026, 4, 3, 23, 30, tzinfo=UTC), 1) == datetime(
        2026, 4, 6, 23, 30, tzinfo=UTC
    )


def test_amsterdam_time_of_day_is_kept_across_daylight_saving() -> None:
    # Friday 27 March 2026 11:00 CET; summer time starts on Sunday the 29th.
    start = datetime(2026, 3, 27, 10, 0, tzinfo=UTC)
    result = add_working_days(start, 1)
    assert result.astimezone(AMSTERDAM).replace(tzinfo=None) == datetime(2026, 3, 30, 11, 0)
    assert result == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (datetime(2026, 3, 6, 10, 0), datetime(2026, 3, 9, 8, 0), 1),  # Friday → Monday
        (datetime(2026, 4, 2, 10, 0), datetime(2026, 4, 7, 10, 0), 1),  # across Easter
        (datetime(2026, 3, 9, 8, 0), datetime(2026, 3, 9, 17, 0), 0),  # same day
        (datetime(2026, 3, 9, 8, 0), datetime(2026, 3, 6, 8, 0), 0),  # end before start
        (datetime(2026, 3, 9, 8, 0), datetime(2026, 3, 9, 8, 0), 0),  # equal
        (datetime(2026, 12, 24, 9, 0), datetime(2027, 1, 4, 9, 0), 5),  # 28-31 Dec, 4 Jan
    ],
)
def test_working_days_between(start: datetime, end: datetime, expected: int) -> None:
    assert working_days_between(start, end) == expected


def test_working_days_between_uses_amsterdam_dates() -> None:
    thursday_night = datetime(2026, 4, 9, 21, 0, tzinfo=UTC)  # 23:00 Thursday in Amsterdam
    friday_early = datetime(2026, 4, 9, 22, 30, tzinfo=UTC)  # 00:30 Friday in Amsterdam
    assert working_days_between(thursday_night, friday_early) == 1


def test_between_counts_what_add_added() -> None:
    start = datetime(2025, 12, 1, 9, 0, tzinfo=AMSTERDAM)
    for offset in range(0, 200, 3):
        for n in (1, 2, 5, 10):
            moment = start + timedelta(days=offset)
            assert working_days_between(moment, add_working_days(moment, n)) == n
