"""Project rules for diagrams, used by ``voorkom lint``, deploy and the workbench.

Each problem names the file and element. Rules: the XML is safe and parses; every
piece of code is allowed by the restriction; every user task has a registered form
key and a lane with a known role; every called process and decision exists; every
service operation is registered; every timer and due date parses; every element is
drawn; DMN entries only use what the engine evaluates as intended.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from app.engine.expressions import check_code
from app.engine.juel import ISO_CYCLE, ISO_DATETIME, ISO_DURATION, looks_like_cron, normalise_timer
from app.engine.parser import safe_xml
from app.engine.specs import DiagramError, ParsedProcess, Problem, parse_sources, to_text
from app.roles import role_for_lane

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
DI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
_DRAWN_TAGS = {
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask",
    "businessRuleTask", "callActivity", "subProcess", "transaction", "startEvent", "endEvent",
    "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent", "exclusiveGateway",
    "inclusiveGateway", "parallelGateway", "eventBasedGateway", "complexGateway", "sequenceFlow",
}  # fmt: skip
_FEEL_ONLY = re.compile(r"^\s*(not\s*\(|[\[\]()]?\s*[^,\"']*\.\.)|^\s*\"[^\"]*\"\s*,")


def lint_sources(
    sources: Mapping[str, bytes | str],
    known_forms: set[str] | None = None,
    known_operations: set[str] | None = None,
) -> list[Problem]:
    """Every problem in a set of diagram files (empty list: deployable)."""
    try:
        processes, _parser = parse_sources(sources)
    except DiagramError as exc:
        return exc.problems
    problems: list[Problem] = []
    for name, data in sorted(sources.items()):
        if not name.lower().endswith(".dmn"):
            problems.extend(check_drawn(name, to_text(data)))
    seen: set[tuple[str, str]] = set()
    for process in processes.values():
        for problem in lint_process(process, known_forms, known_operations):
            key = (str(problem.element), problem.message)
            if key not in seen:
                seen.add(key)
                problems.append(problem)
    return problems


def check_drawn(filename: str, text: str) -> list[Problem]:
    """Every flow node and sequence flow has a shape or edge in the diagram."""
    root = safe_xml(text, filename).getroot()
    drawn = {
        el.get("bpmnElement") for el in root.iter(f"{{{DI_NS}}}BPMNShape", f"{{{DI_NS}}}BPMNEdge")
    }
    problems = []
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.tag.startswith(f"{{{BPMN_NS}}}"):
            continue
        local = el.tag.split("}", 1)[1]
        if local in _DRAWN_TAGS and el.get("id") not in drawn:
            problems.append(
                Problem(
                    filename, el.get("id"), f"{local} has no shape in the diagram", el.sourceline
                )
            )
    return problems


def lint_process(
    process: ParsedProcess, known_forms: set[str] | None, known_operations: set[str] | None
) -> Iterator[Problem]:
    for spec in [process.spec, *process.subprocess_specs.values()]:
        if spec is None:
            continue
        for task_spec in spec.task_specs.values():
            yield from _lint_task(spec, task_spec, known_forms, known_operations)


def _lint_task(
    spec: Any, ts: Any, known_forms: set[str] | None, known_operations: set[str] | None
) -> Iterator[Problem]:
    file = spec.file
    element = ts.bpmn_id or ts.name
    ext = getattr(ts, "extensions", {}) or {}
    for source, mode, what in _code_of(ts):
        for message in check_code(source, mode):
            yield Problem(file, element, f"{what}: {message}")
    if getattr(ts, "manual", False) and ts.bpmn_id:
        form_key = ext.get("formKey")
        if not form_key:
            yield Problem(file, element, "user task has no form key (camunda:formKey)")
        elif known_forms is not None and form_key not in known_forms and not ext.get("formData"):
            yield Problem(file, element, f"form key {form_key!r} is not a registered form")
        if not ts.lane:
            yield Problem(file, element, "user task is not in a lane")
        elif role_for_lane(ts.lane) is None:
            yield Problem(file, element, f"lane {ts.lane!r} is not a known party role")
    if ext.get("dueDate"):
        yield from _lint_moment(file, element, ext["dueDate"], "due date")
    definition = getattr(ts, "event_definition", None)
    if isinstance(definition, TimerEventDefinition):
        yield from _lint_moment(file, element, definition.expression, "timer")
    operation = getattr(ts, "operation_name", None)
    if operation is not None:
        if operation.startswith("external:"):
            yield Problem(
                file, element,
                "external service tasks are not supported; use camunda:delegateExpression "
                "with a registered operation",
            )  # fmt: skip
        elif known_operations is not None and operation not in known_operations:
            yield Problem(file, element, f"service operation {operation!r} is not registered")
    io = ext.get("inputOutput") or {}
    for message in io.get("unsupported", []):
        yield Problem(file, element, f"camunda:inputOutput {message}; only text values work")
    engine = getattr(ts, "dmnEngine", None)
    if engine is not None:
        yield from _lint_decision(file, element, engine.decision_table)


def _code_of(ts: Any) -> Iterator[tuple[str, Literal["eval", "exec"], str]]:
    if getattr(ts, "script", None):
        yield ts.script, "exec", "script"
    for attr, label in (("prescript", "pre-script"), ("postscript", "post-script")):
        if getattr(ts, attr, None):
            yield getattr(ts, attr), "exec", label
    for condition, target in getattr(ts, "cond_task_specs", None) or []:
        args = getattr(condition, "args", None)
        if args and isinstance(args[0], str):
            yield args[0], "eval", f"condition to {target}"
    for attr in ("condition", "cardinality"):
        value = getattr(ts, attr, None)
        if isinstance(value, str) and value:
            yield value, "eval", attr
    for name, param in (getattr(ts, "operation_params", None) or {}).items():
        yield param["value"], "eval", f"parameter {name}"


def _lint_moment(file: str, element: str, raw: str, what: str) -> Iterator[Problem]:
    text = raw.strip()
    if looks_like_cron(text):
        yield Problem(file, element, f"{what} {text!r} is a cron expression; use ISO-8601")
        return
    expression = normalise_timer(text) if not text.startswith(("'", '"')) else text
    for message in check_code(expression, "eval"):
        yield Problem(file, element, f"{what}: {message}")
    literal = expression.strip("'\"") if expression[:1] in "'\"" else None
    if literal is not None and not (
        ISO_DURATION.match(literal) or ISO_DATETIME.match(literal) or ISO_CYCLE.match(literal)
    ):
        yield Problem(file, element, f"{what} {literal!r} is not an ISO-8601 duration or date")


def _lint_decision(file: str, element: str, table: Any) -> Iterator[Problem]:
    for inp in table.inputs:
        if inp.expression:
            for message in check_code(inp.expression, "eval"):
                yield Problem(file, element, f"decision input {inp.label or inp.id}: {message}")
    for rule in table.rules:
        for entry in rule.inputEntries:
            for lhs in entry.lhs:
                if not lhs or lhs.strip() in ("-", ""):
                    continue
                if _FEEL_ONLY.search(lhs):
                    yield Problem(
                        file, element,
                        f"decision rule {rule.row_number or rule.id}: entry {lhs!r} is FEEL "
                        "(range, list or not()); write a Python comparison such as '>= 100'",
                    )  # fmt: skip
                    continue
                for message in check_code(f"dmninputexpr {lhs}", "eval") and check_code(
                    lhs, "eval"
                ):
                    yield Problem(file, element, f"decision rule entry {lhs!r}: {message}")
        for out in rule.outputEntries:
            if out.text:
                for message in check_code(out.text, "eval"):
                    yield Problem(file, element, f"decision output {out.text!r}: {message}")
