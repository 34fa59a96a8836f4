"""The restricted script engine: helpers for diagrams, the clock, service operations."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine

from app.engine.clock import Clock, SystemClock
from app.engine.expressions import RestrictedEnvironment
from app.engine.workdays import add_working_days

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class ServiceCall:
    """What a service operation receives besides its parameters."""

    operation: str
    task_id: str
    activity_id: str
    data: Mapping[str, Any]
    now: datetime
    case: Any  # the runner's case context (reference, ids); opaque here


#: (call, params) -> JSON-able result (a dict is merged into the task data)
ServiceHandler = Callable[[ServiceCall, dict[str, Any]], Any]


def _as_date(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return value.astimezone(AMSTERDAM).date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def diagram_helpers(clock: Clock) -> dict[str, Any]:
    """The functions and classes a diagram's expressions may use (docs/modelling.md)."""

    def werkdagen(n: int) -> datetime:
        """The moment n Dutch working days from now."""
        return add_working_days(clock.now(), int(n))

    def now() -> datetime:
        return clock.now()

    def today() -> date:
        return clock.now().astimezone(AMSTERDAM).date()

    def datum(value: date | datetime | str) -> date:
        return _as_date(value)

    def dagen_tussen(start: date | datetime | str, end: date | datetime | str) -> int:
        return (_as_date(end) - _as_date(start)).days

    return {
        "werkdagen": werkdagen,
        "now": now,
        "today": today,
        "datum": datum,
        "dagen_tussen": dagen_tussen,
        "date": date,
        "datetime": datetime,
        "timedelta": timedelta,
    }


class VoorkomScriptEngine(PythonScriptEngine):
    """Runs diagram code under restriction, with the injected clock and service registry."""

    def __init__(
        self,
        clock: Clock | None = None,
        services: ServiceHandler | None = None,
    ) -> None:
        self.clock: Clock = clock or SystemClock()
        self.services = services
        self.case_context: Any = None
        super().__init__(environment=RestrictedEnvironment(diagram_helpers(self.clock)))

    def call_service(self, task: Any, **kwargs: Any) -> str:
        """Run a registered operation; its result comes back as JSON (Spiff's contract)."""
        operation = kwargs["operation_name"]
        params = {name: spec["value"] for name, spec in kwargs.get("operation_params", {}).items()}
        if self.services is None:
            raise WorkflowTaskException(f"no service registry for {operation!r}", task=task)
        call = ServiceCall(
            operation=operation,
            task_id=str(task.id),
            activity_id=task.task_spec.bpmn_id or task.task_spec.name,
            data=task.data,
            now=self.clock.now(),
            case=self.case_context,
        )
        try:
            result = self.services(call, params)
        except WorkflowTaskException:
            raise
        except Exception as exc:
            raise WorkflowTaskException(
                f"service {operation!r} failed: {exc}", task=task, exception=exc
            ) from exc
        return json.dumps(result, default=_json_default)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")
