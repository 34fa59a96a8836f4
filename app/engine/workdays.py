"""Dutch working days ("werkdagen") for covenant deadlines such as "within 3 working days".

A working day is Monday to Friday, except the public holidays of the maintained ``holidays``
package's Dutch calendar (``holidays.country_holidays("NL")``, category "public"). In
holidays 0.109 the weekday holidays are:

- Nieuwjaarsdag (1 January), Goede Vrijdag, Tweede Paasdag, Koningsdag (27 April, or 26 April
  when the 27th is a Sunday), Hemelvaartsdag, Tweede Pinksterdag, Eerste and Tweede Kerstdag
  (25 and 26 December);
- Bevrijdingsdag (5 May) only in lustrum years (2025, 2030, ...), as the package has it.

Goede Vrijdag, and Bevrijdingsdag in other years, are days off for some employers and not for
others (it depends on the collective agreement); we follow the package rather than guess, so
a change of policy means overriding it here. Paaszondag and Pinksterzondag are Sundays anyway.

Days are calendar dates in Europe/Amsterdam: 2026-04-09T23:30Z is already Friday there. A naive
datetime is read as Amsterdam wall-clock time.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_ONE_DAY = timedelta(days=1)


@functools.lru_cache(maxsize=128)
def _holidays_in(year: int) -> frozenset[date]:
    """The Dutch public holidays of one year."""
    return frozenset(holidays.country_holidays("NL", years=year).keys())


def _local(moment: datetime) -> datetime:
    """The moment in Amsterdam wall-clock time (naive moments already are)."""
    return moment if moment.tzinfo is None else moment.astimezone(AMSTERDAM)


def is_working_day(d: date) -> bool:
    """Tell whether a date is a Dutch working day: Monday to Friday and not a public holiday."""
    if isinstance(d, datetime):
        d = _local(d).date()
    return d.weekday() < 5 and d not in _holidays_in(d.year)


def add_working_days(start: datetime, n: int) -> datetime:
    """The moment n working days after start, at the same Amsterdam time of day.

    The day of ``start`` itself never counts, so the result lies on the n-th working day after
    it: Friday + 1 is Monday, and Saturday + 1 is Monday as well (counting starts at the next
    working day). ``n == 0`` returns ``start`` unchanged. Aware datetimes keep their tzinfo.
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    if n == 0:
        return start
    local = _local(start)
    day = local.date()
    for _ in range(n):
        day += _ONE_DAY
        while not is_working_day(day):
            day += _ONE_DAY
    moved = local.replace(year=day.year, month=day.month, day=day.day)
    return moved if start.tzinfo is None else moved.astimezone(start.tzinfo)


def working_days_between(start: datetime, end: datetime) -> int:
    """Count working days after start's date up to and including end's date (0 if end <= start)."""
    if end <= start:
        return 0
    day, last = _local(start).date(), _local(end).date()
    count = 0
    while day < last:
        day += _ONE_DAY
        count += is_working_day(day)
    return count
