"""CaseRuntime on small Camunda-7-style diagrams: timers on a ManualClock, state, restriction,
runaway guard and messages. No database."""

from __future__ import annotations

import json
import os
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.util.task import TaskState

from app.engine import runner
from app.engine.clock import ManualClock
from app.engine.expressions import UnsafeExpression
from app.engine.runner import CaseRuntime, EngineError, NotWaitingForMessage, RunawayCase
from app.engine.script_engine import VoorkomScriptEngine
from app.engine.serializer import SERIALIZER, SERIALIZER_VERSION
from tests.fixtures.diagrams import FakeServices, bpmn, chain, flow, parse_one

#: Monday 2 March 2026, 10:00 in Amsterdam
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def engine(clock: ManualClock, services: Any = None) -> VoorkomScriptEngine:
    return VoorkomScriptEngine(clock=clock, services=services or FakeServices())


def start(bundle: Any, clock: ManualClock, data: dict[str, Any] | None = None) -> CaseRuntime:
    return CaseRuntime.start(bundle.spec, bundle.subprocess_specs, engine(clock), data)


def restore(runtime: CaseRuntime, bundle: Any, clock: ManualClock) -> CaseRuntime:
    return CaseRuntime.restore(
        runtime.dump(), bundle.spec, bundle.subprocess_specs, SERIALIZER_VERSION, engine(clock)
    )


def completed(runtime: CaseRuntime, activity: str) -> int:
    """How often an activity has completed (get_tasks skips children of waiting tasks)."""
    return sum(
        1
        for task in runtime.workflow.tasks.values()
        if task.task_spec.name == activity and task.state == TaskState.COMPLETED
    )


# --- timers -----------------------------------------------------------------------------------


def waiting_timer(kind: str, value: str) -> dict[str, str]:
    """Start, an intermediate timer, a script that records it ran, end."""
    body = (
        '<bpmn:startEvent id="StartEvent_1" />'
        '<bpmn:intermediateCatchEvent id="Wachten" name="Wachten">'
        '<bpmn:timerEventDefinition id="TimerDef">'
        f'<bpmn:{kind} xsi:type="bpmn:tFormalExpression">{value}</bpmn:{kind}>'
        "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
        '<bpmn:scriptTask id="Verder" scriptFormat="python"><bpmn:script>verder = True'
        "</bpmn:script></bpmn:scriptTask>"
        '<bpmn:endEvent id="EndEvent_1" />'
    ) + chain("StartEvent_1", "Wachten", "Verder", "EndEvent_1")
    return {"timer.bpmn": bpmn(body)}


TIMERS = [
    pytest.param("timeDuration", "P5D", MONDAY, datetime(2026, 3, 7, 9, 0, tzinfo=UTC), id="P5D"),
    pytest.param(
        "timeDuration", "PT90M", MONDAY, datetime(2026, 3, 2, 10, 30, tzinfo=UTC), id="PT90M"
    ),
    pytest.param(
        "timeDuration",
        "werkdagen(2)",
        MONDAY,
        datetime(2026, 3, 4, 9, 0, tzinfo=UTC),
        id="werkdagen(2)",
    ),
    pytest.param(
        "timeDuration",
        "${werkdagen(2)}",
        MONDAY,
        datetime(2026, 3, 4, 9, 0, tzinfo=UTC),
        id="${werkdagen(2)}",
    ),
    # Thursday before Easter: Goede Vrijdag and Tweede Paasdag are not working days
    pytest.param(
        "timeDuration",
        "werkdagen(2)",
        datetime(2026, 4, 2, 9, 0, tzinfo=UTC),
        datetime(2026, 4, 8, 9, 0, tzinfo=UTC),
        id="werkdagen(2)-easter",
    ),
    pytest.param(
        "timeDate",
        "2026-03-10T12:00:00Z",
        MONDAY,
        datetime(2026, 3, 10, 12, 0, tzinfo=UTC),
        id="timeDate-Z",
    ),
    # without an offset a date-time is read as UTC, a date alone as midnight UTC
    pytest.param(
        "timeDate",
        "2026-03-10T12:00:00",
        MONDAY,
        datetime(2026, 3, 10, 12, 0, tzinfo=UTC),
        id="timeDate-naive",
    ),
    pytest.param(
        "timeDate", "2026-03-10", MONDAY, datetime(2026, 3, 10, 0, 0, tzinfo=UTC), id="date-only"
    ),
    pytest.param("timeDuration", "P2W", MONDAY, MONDAY + timedelta(days=14), id="P2W"),
    pytest.param("timeDuration", "P1M", MONDAY, datetime(2026, 4, 2, 9, 0, tzinfo=UTC), id="P1M"),
    pytest.param(
        "timeDate",
        "2026-03-10T12:00:00+01:00",
        MONDAY,
        datetime(2026, 3, 10, 11, 0, tzinfo=UTC),
        id="timeDate-offset",
    ),
]


@pytest.mark.parametrize(("kind", "value", "begin", "moment"), TIMERS)
def test_timer_fires_exactly_at_its_moment(
    kind: str, value: str, begin: datetime, moment: datetime
) -> None:
    bundle = parse_one(waiting_timer(kind, value))
    clock = ManualClock(begin)
    runtime = start(bundle, clock)
    assert not runtime.is_completed

    clock.set(moment - timedelta(seconds=1))
    runtime.fire_timers()
    assert not runtime.is_completed, "fired before its moment"

    clock.set(moment)
    runtime.fire_timers()
    assert runtime.is_completed
    assert runtime.data["verder"] is True


@pytest.mark.parametrize(
    ("kind", "value", "begin", "moment"),
    [p for p in TIMERS],
)
def test_next_timer_due_reports_the_moment(
    kind: str, value: str, begin: datetime, moment: datetime
) -> None:
    bundle = parse_one(waiting_timer(kind, value))
    clock = ManualClock(begin)
    runtime = start(bundle, clock)
    assert runtime.next_timer_due() == moment

    clock.set(moment)
    fired = runtime.fire_timers()
    assert [timer.activity_id for timer in fired] == ["Wachten"]
    assert runtime.next_timer_due() is None


@pytest.mark.parametrize(("kind", "value", "begin", "moment"), TIMERS)
def test_stored_timer_moment_survives_dump_and_restore(
    kind: str, value: str, begin: datetime, moment: datetime
) -> None:
    bundle = parse_one(waiting_timer(kind, value))
    clock = ManualClock(begin)
    runtime = start(bundle, clock)
    stored = [
        t._get_internal_data("event_value")
        for t in runtime.workflow.get_tasks(state=TaskState.WAITING)
    ]
    assert stored == [moment.isoformat()]

    # restored a day later: the moment was fixed when the timer was reached, not now
    later = ManualClock(begin + timedelta(days=1))
    restored = restore(runtime, bundle, later)
    assert [
        t._get_internal_data("event_value")
        for t in restored.workflow.get_tasks(state=TaskState.WAITING)
    ] == stored

    later.set(max(moment - timedelta(seconds=1), later.now()))
    restored.fire_timers()
    assert restored.is_completed is (later.now() >= moment)
    later.set(max(moment, later.now()))
    restored.fire_timers()
    assert restored.is_completed


def cycle_diagram() -> dict[str, str]:
    """A user task with a non-interrupting R3/PT1H reminder cycle."""
    body = (
        (
            '<bpmn:startEvent id="StartEvent_1" />'
            '<bpmn:userTask id="Werk" camunda:formKey="triage" />'
            '<bpmn:boundaryEvent id="Herinnering" cancelActivity="false" attachedToRef="Werk">'
            '<bpmn:timerEventDefinition id="Cycle">'
            '<bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R3/PT1H</bpmn:timeCycle>'
            "</bpmn:timerEventDefinition></bpmn:boundaryEvent>"
            '<bpmn:scriptTask id="Herinner" scriptFormat="python"><bpmn:script>herinnerd = True'
            "</bpmn:script></bpmn:scriptTask>"
            '<bpmn:endEvent id="HerinneringEinde" />'
            '<bpmn:endEvent id="EndEvent_1" />'
        )
        + chain("StartEvent_1", "Werk", "EndEvent_1")
        + chain("Herinnering", "Herinner", "HerinneringEinde")
    )
    return {"cycle.bpmn": bpmn(body)}


def test_cycle_timer_fires_each_hour_three_times() -> None:
    bundle = parse_one(cycle_diagram())
    clock = ManualClock(MONDAY)
    runtime = start(bundle, clock)
    assert runtime.next_timer_due() == MONDAY + timedelta(hours=1)

    for hour in (1, 2, 3):
        clock.set(MONDAY + timedelta(hours=hour) - timedelta(seconds=1))
        runtime.fire_timers()
        assert completed(runtime, "Herinner") == hour - 1, "a cycle fired early"
        clock.set(MONDAY + timedelta(hours=hour))
        runtime.fire_timers()
        assert completed(runtime, "Herinner") == hour
        # the stored cycle survives a round trip
        runtime = restore(runtime, bundle, clock)
        expected = MONDAY + timedelta(hours=hour + 1) if hour < 3 else None
        assert runtime.next_timer_due() == expected

    clock.advance(hours=5)
    runtime.fire_timers()
    assert completed(runtime, "Herinner") == 3
    assert [view.activity_id for view in runtime.ready_user_tasks()] == ["Werk"]


# --- restriction ------------------------------------------------------------------------------


def script_after_task() -> dict[str, str]:
    body = (
        '<bpmn:startEvent id="StartEvent_1" />'
        '<bpmn:userTask id="Eerst" camunda:formKey="triage" />'
        '<bpmn:scriptTask id="Script" scriptFormat="python"><bpmn:script>x = 1</bpmn:script>'
        "</bpmn:scriptTask>"
        '<bpmn:userTask id="Daarna" camunda:formKey="triage" />'
        '<bpmn:endEvent id="EndEvent_1" />'
    ) + chain("StartEvent_1", "Eerst", "Script", "Daarna", "EndEvent_1")
    return {"script.bpmn": bpmn(body)}


@pytest.fixture
def os_calls(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every call of os.system / os.popen made while the test runs."""
    calls: list[Any] = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a) or 0)
    monkeypatch.setattr(os, "popen", lambda *a, **k: calls.append(a))
    return calls


@pytest.mark.parametrize("restored", [False, True], ids=["live", "restored"])
def test_a_script_that_became_unsafe_cannot_run(restored: bool, os_calls: list[Any]) -> None:
    bundle = parse_one(script_after_task())
    clock = ManualClock(MONDAY)
    runtime = start(bundle, clock)
    # the stored spec was tampered with after deployment (the deploy lint never saw this)
    bundle.spec.task_specs["Script"].script = (
        "x = [c for c in ().__class__.__base__.__subclasses__() "
        "if c.__name__ == '_wrap_close'][0].__init__.__globals__['system']('id')"
    )
    if restored:
        runtime = restore(runtime, bundle, clock)
    [task] = runtime.ready_user_tasks()
    with pytest.raises(EngineError, match="onveilige code geweigerd"):
        runtime.complete(task.task_id, {})
    assert os_calls == []
    assert "x" not in runtime.data


def test_restored_case_runs_on_the_restricted_engine() -> None:
    bundle = parse_one(script_after_task())
    clock = ManualClock(MONDAY)
    runtime = restore(start(bundle, clock), bundle, clock)
    assert type(runtime.workflow.script_engine) is VoorkomScriptEngine
    assert runtime.workflow.script_engine is runtime.engine
    task = runtime.workflow.get_tasks(state=TaskState.READY)[0]
    with pytest.raises(WorkflowTaskException) as caught:
        runtime.workflow.script_engine.evaluate(task, "().__class__.__base__.__subclasses__()")
    assert caught.value.error_type == UnsafeExpression.__name__
    with pytest.raises(WorkflowTaskException) as caught:
        runtime.workflow.script_engine.execute(task, "import os")
    assert caught.value.error_type == UnsafeExpression.__name__
    # and the harmless helpers are there
    assert runtime.workflow.script_engine.evaluate(task, "werkdagen(1)") == datetime(
        2026, 3, 3, 9, 0, tzinfo=UTC
    )


# --- state size -------------------------------------------------------------------------------


def _keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_dump_holds_state_without_the_spec() -> None:
    bundle = parse_one(script_after_task())
    runtime = start(bundle, ManualClock(MONDAY), {"naam": "Jansen"})
    blob = runtime.dump()
    state = json.loads(zlib.decompress(blob))
    assert "task_specs" not in _keys(state)
    assert "spec" not in state and "subprocess_specs" not in state
    full = SERIALIZER.serialize_json(runtime.workflow)
    assert '"task_specs"' in full
    assert len(json.dumps(state)) < len(full) / 2
    assert len(blob) < len(full) / 5


# --- runaway guard ----------------------------------------------------------------------------


def endless_loop() -> dict[str, str]:
    body = (
        '<bpmn:startEvent id="StartEvent_1" />'
        '<bpmn:scriptTask id="Tel" scriptFormat="python"><bpmn:script>n = n + 1</bpmn:script>'
        "</bpmn:scriptTask>"
        '<bpmn:exclusiveGateway id="Nog" default="Terug" />'
        '<bpmn:endEvent id="EndEvent_1" />'
    ) + chain("StartEvent_1", "Tel", "Nog")
    body += flow("Terug", "Nog", "Tel") + flow("Uit", "Nog", "EndEvent_1", "n < 0")
    return {"loop.bpmn": bpmn(body)}


def test_runaway_guard_stops_a_loop_below_the_engine_depth(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(runner, "MAX_STEPS_PER_ACTION", 300)
    bundle = parse_one(endless_loop())
    with pytest.raises(RunawayCase):
        start(bundle, ManualClock(MONDAY), {"n": 0})


def test_runaway_loop_raises_instead_of_hanging_or_completing() -> None:
    bundle = parse_one(endless_loop())
    with pytest.raises(RunawayCase):
        runtime = start(bundle, ManualClock(MONDAY), {"n": 0})
        assert not runtime.is_completed, f"loop 'completed' after n={runtime.data.get('n')}"


# --- messages ---------------------------------------------------------------------------------


def message_diagram() -> dict[str, str]:
    body = (
        (
            '<bpmn:startEvent id="StartEvent_1" />'
            '<bpmn:userTask id="Werk" camunda:formKey="triage" />'
            '<bpmn:boundaryEvent id="Opgelost" attachedToRef="Werk">'
            '<bpmn:messageEventDefinition id="MsgDef" messageRef="Message_Opgelost" />'
            "</bpmn:boundaryEvent>"
            '<bpmn:scriptTask id="Uitkomst" scriptFormat="python">'
            '<bpmn:script>uitkomst = "opgelost"</bpmn:script></bpmn:scriptTask>'
            '<bpmn:endEvent id="EindeOpgelost" />'
            '<bpmn:endEvent id="EndEvent_1" />'
        )
        + chain("StartEvent_1", "Werk", "EndEvent_1")
        + chain("Opgelost", "Uitkomst", "EindeOpgelost")
    )
    extra = '<bpmn:message id="Message_Opgelost" name="achterstand_opgelost" />'
    return {"message.bpmn": bpmn(body, extra=extra)}


def test_correlate_reaches_a_waiting_boundary_message_with_its_payload() -> None:
    bundle = parse_one(message_diagram())
    clock = ManualClock(MONDAY)
    runtime = restore(start(bundle, clock, {"naam": "Jansen"}), bundle, clock)
    assert runtime.waiting_messages() == ["achterstand_opgelost"]

    runtime.correlate("achterstand_opgelost", {"bedrag": 0, "datum": "2026-03-02"})

    assert runtime.is_completed
    assert runtime.data["achterstand_opgelost"] == {"bedrag": 0, "datum": "2026-03-02"}
    assert runtime.data["uitkomst"] == "opgelost"
    assert runtime.data["naam"] == "Jansen"
    assert completed(runtime, "Werk") == 0


def test_intermediate_message_event_takes_the_payload() -> None:
    body = (
        '<bpmn:startEvent id="StartEvent_1" />'
        '<bpmn:intermediateCatchEvent id="Vonnis">'
        '<bpmn:messageEventDefinition id="MsgDef" messageRef="Message_Vonnis" />'
        "</bpmn:intermediateCatchEvent>"
        '<bpmn:scriptTask id="Lees" scriptFormat="python">'
        '<bpmn:script>vonnisdatum = ontruimingsvonnis["datum"]</bpmn:script></bpmn:scriptTask>'
        '<bpmn:endEvent id="EndEvent_1" />'
    ) + chain("StartEvent_1", "Vonnis", "Lees", "EndEvent_1")
    extra = '<bpmn:message id="Message_Vonnis" name="ontruimingsvonnis" />'
    bundle = parse_one({"m.bpmn": bpmn(body, extra=extra)})
    runtime = start(bundle, ManualClock(MONDAY))
    runtime.correlate("ontruimingsvonnis", {"datum": "2026-04-01"})
    assert runtime.is_completed
    assert runtime.data["vonnisdatum"] == "2026-04-01"


def test_correlating_a_message_nobody_waits_for_is_refused() -> None:
    bundle = parse_one(message_diagram())
    runtime = start(bundle, ManualClock(MONDAY))
    with pytest.raises(NotWaitingForMessage):
        runtime.correlate("ontruimingsvonnis", {"datum": "2026-04-01"})
    assert [view.activity_id for view in runtime.ready_user_tasks()] == ["Werk"]

    [task] = runtime.ready_user_tasks()
    runtime.complete(task.task_id, {})
    assert runtime.is_completed
    with pytest.raises(NotWaitingForMessage):
        runtime.correlate("achterstand_opgelost", {})


def test_message_variable_chooses_where_the_payload_goes() -> None:
    body = (
        '<bpmn:startEvent id="StartEvent_1" />'
        '<bpmn:intermediateCatchEvent id="Vonnis">'
        '<bpmn:messageEventDefinition id="MsgDef" messageRef="Message_Vonnis">'
        "<bpmn:extensionElements>"
        "<spiffworkflow:messageVariable>vonnis</spiffworkflow:messageVariable>"
        "</bpmn:extensionElements></bpmn:messageEventDefinition>"
        "</bpmn:intermediateCatchEvent>"
        '<bpmn:endEvent id="EndEvent_1" />'
    ) + chain("StartEvent_1", "Vonnis", "EndEvent_1")
    extra = '<bpmn:message id="Message_Vonnis" name="ontruimingsvonnis" />'
    runtime = start(parse_one({"m.bpmn": bpmn(body, extra=extra)}), ManualClock(MONDAY))
    runtime.correlate("ontruimingsvonnis", {"datum": "2026-04-01"})
    assert runtime.data["vonnis"] == {"datum": "2026-04-01"}
    assert "ontruimingsvonnis" not in runtime.data
