"""CV-23: diagram code runs inside a real restriction, not plain eval/exec."""

import copy
import os
from datetime import datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.util.task import TaskState

from app.engine.expressions import (
    RestrictedEnvironment,
    UnsafeExpression,
    check_code,
    is_safe,
)

# Known ways out of a plain eval/exec "sandbox", written as expressions.
ESCAPES = [
    "().__class__.__base__.__subclasses__()",
    "[].__class__.__mro__",
    '"{0.__class__}".format(1)',
    "\"{x.__class__.__base__}\".format_map({'x': 1})",
    "(x for x in ()).gi_frame.f_globals",
    "(x for x in ()).gi_code",
    "(lambda: 0).__globals__",
    "__import__('os').system('id')",
    "getattr(1, '__class__')",
    "eval('1')",
    "exec('x=1')",
    "open('/etc/passwd')",
    "type(1)",
    "vars()",
    "globals()",
    'f"{().__class__}"',
    "[c for c in ().__class__.__bases__]",
    "str.mro()",
]
# Statements that only make sense in a script.
SCRIPT_ESCAPES = [
    "import os",
    "from os import system",
    "x = 1\nimport subprocess",
    "global y\ny = 1",
    "class A:\n    pass",
    "def gen():\n    yield 1",
    "async def f():\n    pass",
    "@some_helper\ndef f():\n    pass",
    "raise SystemExit(1)",
    "_secret = 1",
    "match x:\n    case _:\n        pass",
]

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs"
    targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="check" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="script"/>
    <bpmn:scriptTask id="script" name="Script">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>{script}</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="script" targetRef="gateway"/>
    <bpmn:exclusiveGateway id="gateway" default="f4">
      <bpmn:incoming>f2</bpmn:incoming>
      <bpmn:outgoing>f3</bpmn:outgoing><bpmn:outgoing>f4</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="f3" sourceRef="gateway" targetRef="yes">
      <bpmn:conditionExpression
          xsi:type="bpmn:tFormalExpression">{condition}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f4" sourceRef="gateway" targetRef="no"/>
    <bpmn:endEvent id="yes"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="no"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""


def extras() -> dict[str, Any]:
    """Extra globals like the ones the engine will pass."""
    return {
        "datetime": datetime,
        "timedelta": timedelta,
        "now": lambda: datetime(2026, 4, 2, 9, 0),
        "double": lambda value: value * 2,
    }


@pytest.fixture
def env() -> RestrictedEnvironment:
    return RestrictedEnvironment(extras())


def run_diagram(script: str, condition: str = "False", **data: Any) -> BpmnWorkflow:
    """Run a start → script → gateway(condition) → end diagram with the restricted engine."""
    parser = BpmnParser()
    xml = BPMN.format(script=escape(script), condition=escape(condition))
    parser.add_bpmn_str(xml.encode(), "check.bpmn")
    engine = PythonScriptEngine(environment=RestrictedEnvironment(extras()))
    workflow = BpmnWorkflow(parser.get_spec("check"), script_engine=engine)
    workflow.task_tree.data.update(data)
    workflow.do_engine_steps()
    return workflow


def completed_end(workflow: BpmnWorkflow) -> str:
    """Name the end event the case reached."""
    names = {
        task.task_spec.name for task in workflow.get_tasks() if task.has_state(TaskState.COMPLETED)
    }
    return "yes" if "yes" in names else "no"


# --- refused -------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ESCAPES)
def test_check_code_refuses_escape_expressions(source: str) -> None:
    assert check_code(source, "eval")
    assert check_code(source, "exec")
    assert not is_safe(source, "eval")


@pytest.mark.parametrize("source", SCRIPT_ESCAPES)
def test_check_code_refuses_escape_scripts(source: str) -> None:
    assert check_code(source, "exec")


@pytest.mark.parametrize("source", ESCAPES)
def test_evaluate_refuses_escapes(env: RestrictedEnvironment, source: str) -> None:
    with pytest.raises(UnsafeExpression) as refused:
        env.evaluate(source, {"x": 1})
    assert refused.value.source == source
    assert refused.value.reason


@pytest.mark.parametrize("source", ESCAPES + SCRIPT_ESCAPES)
def test_execute_refuses_escapes_and_leaves_task_data_alone(
    env: RestrictedEnvironment, source: str
) -> None:
    data = {"x": 1}
    with pytest.raises(UnsafeExpression):
        env.execute(source, data)
    assert data == {"x": 1}


@pytest.mark.parametrize("source", ESCAPES)
def test_engine_refuses_escapes_in_gateway_conditions(source: str) -> None:
    with pytest.raises(WorkflowTaskException) as refused:
        run_diagram("y = 1", condition=source)
    assert refused.value.error_type == "UnsafeExpression"


@pytest.mark.parametrize("source", ESCAPES + SCRIPT_ESCAPES)
def test_engine_refuses_escapes_in_script_tasks(source: str) -> None:
    with pytest.raises(WorkflowTaskException) as refused:
        run_diagram(source, x=1)
    assert refused.value.error_type == "UnsafeExpression"


def test_engine_evaluate_refuses_escape_on_a_task() -> None:
    workflow = run_diagram("y = 1")
    task = workflow.get_tasks()[-1]
    with pytest.raises(WorkflowTaskException) as refused:
        workflow.script_engine.evaluate(task, "().__class__.__base__.__subclasses__()")
    assert refused.value.error_type == "UnsafeExpression"


def test_messages_are_clear() -> None:
    assert check_code("import os", "exec") == ["regel 1: import is niet toegestaan"]
    assert check_code("getattr(x, 'a')", "eval") == [
        "regel 1: 'getattr' aanroepen is niet toegestaan"
    ]
    assert "regel 1: '__class__' opvragen is niet toegestaan" in check_code("x.__class__", "eval")
    assert check_code("'{}'.format(x)", "eval") == ["regel 1: 'format' opvragen is niet toegestaan"]
    assert check_code("y = 1\nz = (", "exec")[0].startswith("regel 2: fout in de schrijfwijze")


@pytest.mark.parametrize(
    ("data", "source"),
    [
        ({"f": getattr}, "f(1, '__class__')"),
        ({"f": eval}, "f('1 + 1')"),
        ({"f": type}, "f(1)"),
        ({"holder": {"f": os.getcwd}}, "holder['f']()"),
        ({"f": getattr}, "sorted(['__class__'], key=f)"),
        ({"f": str.format}, "f('{0.__class__}', 1)"),
        ({"f": "{0.__class__}".format}, "f(1)"),
    ],
)
def test_functions_smuggled_in_through_task_data_are_refused(
    env: RestrictedEnvironment, data: dict[str, Any], source: str
) -> None:
    assert is_safe(source, "eval")  # nothing to see statically: the guard catches it
    with pytest.raises(UnsafeExpression):
        env.evaluate(source, data)
    with pytest.raises(UnsafeExpression):
        env.execute(f"result = {source}", dict(data))


def test_function_in_task_data_does_not_expose_its_globals(env: RestrictedEnvironment) -> None:
    with pytest.raises(UnsafeExpression):
        env.evaluate("f.__globals__", {"f": lambda: 0})


def test_task_data_cannot_replace_a_guard(env: RestrictedEnvironment) -> None:
    with pytest.raises(UnsafeExpression):
        env.evaluate("1", {"_getattr_": "not a guard"})


def test_attribute_writes_on_objects_are_refused(env: RestrictedEnvironment) -> None:
    with pytest.raises(TypeError):
        env.execute("when.year = 2000", {"when": datetime(2026, 4, 2, 9, 0)})


# --- allowed -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("(a + 2) * 3 - 1", 8),
        ("a > 0 and not b or a == 3", True),
        ("a >= 2 and a != 1 < 3", False),
        ("x['a']", 1),
        ("x.get('a')", 1),
        ("x.get('missing', 'none')", "none"),
        ("[v * 2 for v in items if v > 1]", [4, 6]),
        ("{k: v for k, v in x.items()}", {"a": 1}),
        ("len(items)", 3),
        ("min(items) + max(items)", 4),
        ("sum(items) / len(items)", 2.0),
        ("name.lower()", "jansen"),
        ("'ans' in name and 4 not in items", True),
        ("f'{name} ({a})'", "Jansen (1)"),
        ("type == 'spoed' and id == 7", True),
        ("now() + timedelta(days=3)", datetime(2026, 4, 5, 9, 0)),
        ("(now() - datetime(2026, 4, 1)).days", 1),
        ("double(a)", 2),
        ("sorted(items, reverse=True)[0]", 3),
        ("print('shown nowhere') is None", True),
    ],
)
def test_evaluate_allows_ordinary_expressions(
    env: RestrictedEnvironment, source: str, expected: Any
) -> None:
    data = {
        "a": 1,
        "b": False,
        "x": {"a": 1},
        "items": [1, 2, 3],
        "name": "Jansen",
        "type": "spoed",
        "id": 7,
    }
    assert check_code(source, "eval") == []
    assert env.evaluate(source, data) == expected


def test_execute_keeps_new_variables_and_drops_globals(env: RestrictedEnvironment) -> None:
    data: dict[str, Any] = {"x": 1, "items": [1, 2]}
    script = (
        "y = x + 1\n"
        "items.append(3)\n"
        "total = 0\n"
        "for index, value in enumerate(items):\n"
        "    total += value\n"
        "first, second = items[:2]\n"
        "deadline = now() + timedelta(days=double(1))\n"
        "summary = {}\n"
        "summary['count'] = len(items)\n"
        "def helper(v):\n"
        "    return v * 10\n"
        "scaled = helper(y)\n"
        "print('not shown', y)\n"
    )
    assert env.execute(script, data) is True
    assert data == {
        "x": 1,
        "items": [1, 2, 3],
        "y": 2,
        "total": 6,
        "index": 2,
        "value": 3,
        "first": 1,
        "second": 2,
        "deadline": datetime(2026, 4, 4, 9, 0),
        "summary": {"count": 3},
        "scaled": 20,
    }


def test_print_prints_nothing(
    env: RestrictedEnvironment, capsys: pytest.CaptureFixture[str]
) -> None:
    data: dict[str, Any] = {}
    env.execute("print('hidden')\ndef f():\n    print('hidden too')\n    return 1\nv = f()", data)
    assert data == {"v": 1}
    assert capsys.readouterr().out == ""


def test_refusal_can_be_copied_and_pickled() -> None:
    refused = UnsafeExpression("x.__class__", "'__class__' opvragen is niet toegestaan")
    duplicate = copy.deepcopy(refused)  # the same protocol pickle uses
    assert (duplicate.source, duplicate.reason) == (refused.source, refused.reason)
    assert str(duplicate) == str(refused)


def test_task_data_may_not_overwrite_a_global_function(env: RestrictedEnvironment) -> None:
    with pytest.raises(ValueError, match="overwrites a predefined function"):
        env.execute("y = 1", {"now": "yesterday"})


def test_engine_runs_allowed_script_and_condition() -> None:
    workflow = run_diagram(
        "y = x + 1", condition="y > 1 and 'melding' in kind", x=1, kind="melding"
    )
    assert workflow.is_completed()
    assert completed_end(workflow) == "yes"
    assert workflow.data == {"x": 1, "kind": "melding", "y": 2}


def test_engine_takes_default_flow_when_condition_is_false() -> None:
    workflow = run_diagram("y = x - 1", condition="y > 1", x=1)
    assert completed_end(workflow) == "no"


def test_compiled_code_is_cached(env: RestrictedEnvironment) -> None:
    from app.engine.expressions import _compile

    source = "cache_probe_value > 1"
    env.evaluate(source, {"cache_probe_value": 2})
    before = _compile.cache_info()
    for value in range(10):
        env.evaluate(source, {"cache_probe_value": value})
    after = _compile.cache_info()
    assert after.misses == before.misses
    assert after.hits == before.hits + 10
