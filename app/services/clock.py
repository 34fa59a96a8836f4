"""The one clock every service reads (set a ManualClock in tests and simulations)."""

from __future__ import annotations

from datetime import datetime

from app.engine import Clock, SystemClock

_clock: Clock = SystemClock()


def get_clock() -> Clock:
    return _clock


def set_clock(clock: Clock) -> Clock:
    """Replace the clock; returns the previous one so callers can restore it."""
    global _clock
    previous, _clock = _clock, clock
    return previous


def now() -> datetime:
    return _clock.now()
