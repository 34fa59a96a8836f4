"""One case's workflow in memory: start or restore, act, observe, dump.

The services layer wraps every use of a CaseRuntime in a locked transaction; this
module knows nothing of the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.util.task import TaskState

from app.engine.juel import normalise_timer
from app.engine.script_engine import VoorkomScriptEngine
from app.engine.serializer import SERIALIZER_VERSION, dump_state, load_state
from app.engine.timers import resolve_moment
from app.roles import role_for_lane

#: engine steps one action may take before the case is declared runaway
MAX_STEPS_PER_ACTION = 500
#: tasks one case may hold (history included) before it is declared runaway
MAX_TASKS_PER_CASE = 20_000


class EngineError(Exception):
    """The workflow could not do what was asked; the message says why."""


class TaskNotReady(EngineError):
    """The task is not (or no longer) waiting for a person."""


class NotWaitingForMessage(EngineError):
    """No part of the case is waiting for that message."""


class RunawayCase(EngineError):
    """A loop in the diagram ran past the safety limit."""


@dataclass(frozen=True)
class UserTaskView:
    """What the task index needs to know about a ready user task."""

    task_id: str
    activity_id: str
    name: str
    process_id: str
    lane: str | None
    role: str | None
    form_key: str | None
    due_at: datetime | None
    documentation: str | None
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FiredTimer:
    """A timer that fired during fire_timers."""

    task_id: str
    activity_id: str
    name: str
    lane: str | None


class CaseRuntime:
    """A live workflow bound to the restricted script engine."""

    def __init__(self, workflow: BpmnWorkflow, engine: VoorkomScriptEngine) -> None:
        self.workflow = workflow
        self.engine = engine
        workflow.script_engine = engine  # a restored case must never run unrestricted

    # -- lifecycle -----------------------------------------------------------------
    @classmethod
    def start(
        cls,
        spec: Any,
        subprocess_specs: dict[str, Any],
        engine: VoorkomScriptEngine,
        data: dict[str, Any] | None = None,
    ) -> CaseRuntime:
        """A new case on this spec, run up to its first wait state."""
        workflow = BpmnWorkflow(spec, dict(subprocess_specs), script_engine=engine)
        runtime = cls(workflow, engine)
        start = workflow.get_tasks(state=TaskState.READY)
        for task in start:
            task.data.update(data or {})
        runtime._run_engine()
        return runtime

    @classmethod
    def restore(
        cls,
        state: bytes,
        spec: Any,
        subprocess_specs: dict[str, Any],
        serializer_version: str,
        engine: VoorkomScriptEngine,
    ) -> CaseRuntime:
        """A stored case, with the restricted engine attached."""
        workflow = load_state(state, spec, subprocess_specs, serializer_version)
        return cls(workflow, engine)

    def dump(self) -> bytes:
        return dump_state(self.workflow)

    @property
    def serializer_version(self) -> str:
        return SERIALIZER_VERSION

    # -- observation ---------------------------------------------------------------
    @property
    def is_completed(self) -> bool:
        return bool(self.workflow.is_completed())

    @property
    def data(self) -> dict[str, Any]:
        """Case variables: the workflow's data once completed, else the latest task data."""
        if self.is_completed:
            return dict(self.workflow.data)
        merged: dict[str, Any] = {}
        last = self.workflow.last_task
        if last is not None:
            merged.update(last.data)
        for task in self.workflow.get_tasks(state=TaskState.READY | TaskState.WAITING):
            merged.update(task.data)
        return merged

    def variable(self, name: str) -> Any:
        """One case variable as the open tasks see it (cheaper than ``data``)."""
        for task in self.workflow.get_tasks(state=TaskState.READY | TaskState.WAITING):
            if name in task.data:
                return task.data[name]
        if self.is_completed:
            return self.workflow.data.get(name)
        last = self.workflow.last_task
        return last.data.get(name) if last is not None else None

    @property
    def outcome(self) -> str | None:
        value = self.workflow.data.get("uitkomst") if self.is_completed else None
        return str(value) if value else None

    def ready_user_tasks(self) -> list[UserTaskView]:
        """Every task waiting for a person, with its due date fixed at first sight."""
        views = []
        for task in self.workflow.get_tasks(state=TaskState.READY, manual=True):
            views.append(self._view(task))
        return views

    def _view(self, task: Any) -> UserTaskView:
        spec = task.task_spec
        ext = getattr(spec, "extensions", {}) or {}
        due_iso = task._get_internal_data("voorkom_due")
        if due_iso is None and ext.get("dueDate"):
            due = self._evaluate_moment(task, ext["dueDate"])
            due_iso = due.isoformat()
            task._set_internal_data(voorkom_due=due_iso)
        return UserTaskView(
            task_id=str(task.id),
            activity_id=spec.bpmn_id or spec.name,
            name=spec.bpmn_name or spec.bpmn_id or spec.name,
            process_id=task.workflow.spec.name,
            lane=spec.lane,
            role=role_for_lane(spec.lane),
            form_key=ext.get("formKey"),
            due_at=datetime.fromisoformat(due_iso) if due_iso else None,
            documentation=spec.documentation,
            properties=dict(ext.get("properties", {})),
        )

    def _evaluate_moment(self, task: Any, expression: str) -> datetime:
        try:
            value = self.engine.evaluate(task, normalise_timer(expression))
            return resolve_moment(value, self.engine.clock.now())
        except Exception as exc:
            raise EngineError(
                f"due date {expression!r} of {task.task_spec.bpmn_id} failed: {exc}"
            ) from exc

    def next_timer_due(self) -> datetime | None:
        """When the earliest waiting timer of the case fires (for the worker's index)."""
        moments = [
            moment
            for task in self._waiting_timer_tasks()
            if (moment := timer_moment(task)) is not None
        ]
        return min(moments) if moments else None

    def waiting_messages(self) -> list[str]:
        return sorted({e.name for e in self.workflow.waiting_events() if "Message" in e.event_type})

    # -- actions -------------------------------------------------------------------
    def complete(self, task_id: str, data: dict[str, Any]) -> UserTaskView:
        """Put form data on a ready user task, complete it and run on."""
        task = self._ready_task(task_id)
        view = self._view(task)
        task.set_data(**data)
        try:
            task.run()
        except WorkflowException as exc:
            raise EngineError(str(exc)) from exc
        self._run_engine()
        return view

    def fire_timers(self) -> list[FiredTimer]:
        """Fire every timer whose moment has come by the engine's clock."""
        waiting = {t.id: t for t in self._waiting_timer_tasks()}
        # a cycle timer stays waiting when it fires: its next moment moves on instead
        moments = {task_id: _cycle_next(t) for task_id, t in waiting.items()}
        self.workflow.refresh_timers()
        self._run_engine()
        fired = []
        for task_id, task in waiting.items():
            cycled = moments[task_id] is not None and _cycle_next(task) != moments[task_id]
            if (
                cycled
                or task.state in (TaskState.COMPLETED, TaskState.READY)
                or task._get_internal_data("event_fired", False)
            ):
                spec = task.task_spec
                fired.append(
                    FiredTimer(
                        str(task_id), spec.bpmn_id or spec.name, spec.bpmn_name or "", spec.lane
                    )
                )
        return fired

    def correlate(self, message: str, payload: dict[str, Any] | None = None) -> None:
        """Deliver a message; refuse when nothing in the case waits for it."""
        definition = self._waiting_message(message)
        if definition is None:
            raise NotWaitingForMessage(f"the case is not waiting for {message!r}")
        event = BpmnEvent(definition, payload=dict(payload or {}))
        try:
            self.workflow.send_event(event)
        except WorkflowException as exc:
            raise NotWaitingForMessage(f"the case is not waiting for {message!r}") from exc
        self._run_engine()

    # -- internals -----------------------------------------------------------------
    def _waiting_timer_tasks(self) -> list[Any]:
        return [
            t
            for t in self.workflow.get_tasks(state=TaskState.WAITING)
            if isinstance(getattr(t.task_spec, "event_definition", None), TimerEventDefinition)
        ]

    def _waiting_message(self, message: str) -> Any:
        """The definition of a waiting catch event for this message (same class as parsed)."""
        for task in self.workflow.get_tasks(state=TaskState.WAITING):
            definition = getattr(task.task_spec, "event_definition", None)
            if isinstance(definition, MessageEventDefinition) and definition.name == message:
                return definition
        return None

    def _ready_task(self, task_id: str) -> Any:
        try:
            task = self.workflow.get_task_from_id(UUID(task_id))
        except (ValueError, TypeError, WorkflowException) as exc:
            raise TaskNotReady("unknown task") from exc
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotReady("the task is no longer open")
        return task

    def _run_engine(self) -> None:
        steps = 0

        def count(_task: Any) -> None:
            nonlocal steps
            steps += 1
            if steps > MAX_STEPS_PER_ACTION:
                raise RunawayCase(f"more than {MAX_STEPS_PER_ACTION} steps in one action")

        try:
            self.workflow.do_engine_steps(will_complete_task=count)
        except RunawayCase:
            raise
        except WorkflowException as exc:
            raise EngineError(str(exc)) from exc
        if len(self.workflow.tasks) > MAX_TASKS_PER_CASE:
            raise RunawayCase(f"the case holds more than {MAX_TASKS_PER_CASE} tasks")


def timer_moment(task: Any) -> datetime | None:
    """When a waiting timer fires (a cycle: its next moment), once the engine has set it."""
    value = task._get_internal_data("event_value")
    if isinstance(value, dict):
        value = value.get("next")
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _cycle_next(task: Any) -> str | None:
    value = task._get_internal_data("event_value")
    return value.get("next") if isinstance(value, dict) else None
