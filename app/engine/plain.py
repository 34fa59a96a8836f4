"""Plain SpiffWorkflow runs, the benchmark's baseline: no database, no restriction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.util.task import TaskState

from app.engine.clock import SystemClock
from app.engine.script_engine import diagram_helpers
from app.engine.serializer import json_round_trip

#: activity id -> form data for the next ready user task
Answers = Callable[[str], dict[str, Any]]


def plain_engine(services: Callable[..., Any] | None = None) -> PythonScriptEngine:
    """SpiffWorkflow's own script engine (eval/exec), with the diagram helpers as globals."""

    class _Environment(TaskDataEnvironment):
        def call_service(self, context: Any, **kwargs: Any) -> str:
            return "{}" if services is None else str(services(context, **kwargs))

    return PythonScriptEngine(environment=_Environment(diagram_helpers(SystemClock())))


def run_case(
    spec: Any,
    subprocess_specs: Mapping[str, Any],
    answers: Answers,
    *,
    round_trip: bool = False,
    engine: PythonScriptEngine | None = None,
    start_data: Mapping[str, Any] | None = None,
) -> BpmnWorkflow:
    """One whole case in memory; with round_trip, a full JSON save+load after every step."""
    script_engine = engine or plain_engine()
    workflow = BpmnWorkflow(spec, dict(subprocess_specs), script_engine=script_engine)
    for task in workflow.get_tasks(state=TaskState.READY):
        task.data.update(start_data or {})
    workflow.do_engine_steps()
    if round_trip:
        workflow = _round_trip(workflow, script_engine)
    for _ in range(10_000):
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            break
        task = ready[0]
        task.set_data(**answers(task.task_spec.bpmn_id))
        task.run()
        workflow.do_engine_steps()
        if round_trip:
            workflow = _round_trip(workflow, script_engine)
    return workflow


def _round_trip(workflow: BpmnWorkflow, engine: PythonScriptEngine) -> BpmnWorkflow:
    restored = json_round_trip(workflow)
    restored.script_engine = engine
    return restored
