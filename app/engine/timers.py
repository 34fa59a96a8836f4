"""Timer event definitions that read the engine's clock instead of the wall clock.

SpiffWorkflow 3.2 calls ``datetime.now`` inside its timers; these subclasses ask
``task.workflow.script_engine.clock`` instead, and accept what our expressions return:
an ISO-8601 string (duration or date-time), a ``datetime`` (``werkdagen(5)``) or a
``timedelta``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)


def engine_now(task: Any) -> datetime:
    """The clock of the workflow's script engine (UTC)."""
    clock = getattr(task.workflow.script_engine, "clock", None)
    if clock is None:
        return datetime.now(UTC)
    now: datetime = clock.now()
    return now


def resolve_moment(value: Any, start: datetime) -> datetime:
    """Turn an evaluated timer/due value into an absolute UTC moment."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a timer moment must carry a time zone")
        return value.astimezone(UTC)
    if isinstance(value, timedelta):
        return start + value
    if isinstance(value, str):
        text = value.strip()
        if text.upper().startswith("P"):
            parsed = TimerEventDefinition.parse_iso_duration(text)
            return start + TimerEventDefinition.get_timedelta_from_start(parsed, start)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    raise ValueError(f"a timer needs a duration or a moment, not {type(value).__name__}")


class _ClockTimer:
    def _fire_at(self, my_task: Any) -> datetime:
        value = my_task._get_internal_data("event_value")
        if value is None:
            evaluated = my_task.workflow.script_engine.evaluate(my_task, self.expression)  # type: ignore[attr-defined]
            value = resolve_moment(evaluated, engine_now(my_task)).isoformat()
            my_task._set_internal_data(event_value=value)
        return datetime.fromisoformat(value)

    def has_fired(self, my_task: Any) -> bool:
        if self._fire_at(my_task) <= engine_now(my_task):
            my_task._set_internal_data(event_fired=True)
        fired: bool = my_task._get_internal_data("event_fired", False)
        return fired


class ClockTimeDateEventDefinition(_ClockTimer, TimeDateEventDefinition):
    """A timer at a moment (timeDate)."""


class ClockDurationTimerEventDefinition(_ClockTimer, DurationTimerEventDefinition):
    """A timer after a duration (timeDuration), also in working days."""


class ClockCycleTimerEventDefinition(CycleTimerEventDefinition):
    """A repeating timer (timeCycle ``R<n>/<start>/<duration>`` or ``R<n>/<duration>``).

    The period is kept as its ISO text and added on the calendar (``P1Y`` stays on
    1 February, ``P1M`` on the same day of the month). A worker that was down, or a cycle
    that starts in the past, fires once and then waits for the next moment after now: it does
    not fire once for every missed period.
    """

    def cycle_complete(self, my_task: Any) -> bool:
        now = engine_now(my_task)
        event_value = my_task._get_internal_data("event_value")
        if event_value is None:
            expression = my_task.workflow.script_engine.evaluate(my_task, self.expression)
            cycles, start, period = _parse_cycle(expression, now)
            event_value = {"cycles": cycles, "next": start.isoformat(), "period": period}
        ready = False
        if event_value["cycles"] != 0:
            next_event = datetime.fromisoformat(event_value["next"])
            if next_event <= now:
                while next_event <= now:
                    next_event = _add_period(next_event, event_value)
                event_value["next"] = next_event.isoformat()
                event_value["cycles"] -= 1
                ready = True
        else:
            my_task.internal_data.pop("event_value", None)
            my_task.internal_data["event_fired"] = True
        my_task._set_internal_data(event_value=event_value)
        return ready


def _add_period(moment: datetime, event_value: dict[str, Any]) -> datetime:
    """One period later, on the calendar (older stored cycles carry seconds instead)."""
    period = event_value.get("period")
    if period is None:
        return moment + timedelta(seconds=event_value["duration"])
    parsed = TimerEventDefinition.parse_iso_duration(period)
    return moment + TimerEventDefinition.get_timedelta_from_start(parsed, moment)


def _parse_cycle(expression: str, now: datetime) -> tuple[int, datetime, str]:
    """(cycles, first moment, ISO period) of ``R<n>/<start>/<period>`` or ``R<n>/<period>``."""
    parts = expression.upper().strip("R").split("/")
    cycles = int(parts[0]) if parts[0] else -1
    first = parts[1]
    if first.startswith("P"):
        parsed = TimerEventDefinition.parse_iso_duration(first)
        return cycles, now + TimerEventDefinition.get_timedelta_from_start(parsed, now), first
    start = resolve_moment(first, now)
    if len(parts) < 3:
        raise ValueError(f"cycle {expression!r} needs a duration")
    TimerEventDefinition.parse_iso_duration(parts[2])  # refuse a malformed period now
    return cycles, start, parts[2]
