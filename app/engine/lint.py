"""Project rules for diagrams, used by ``voorkom lint``, deploy and the workbench.

Each problem names the file and element. Rules: the XML is safe and parses; every
piece of code is allowed by the restriction; every user task has a registered form
key and a lane with a known role; every called process and decision exists; every
service operation is registered; every timer and due date parses; every element is
drawn, and every pool; no element uses an id the engine reserves (Start, End,
<process>.EndJoin); no process is marked not executable; every message event names a
message of its file; no loop of sequence flows runs without
a wait state; DMN tables only use what the engine evaluates as intended (no FEEL, input
expressions that are not a plain name wrapped in parentheses, supported hit policies).
docs/modelling.md explains each rule to process owners.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Literal

from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins import SendTaskMixin
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import EventBasedGateway
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.specs.mixins.script_task import ScriptTask
from SpiffWorkflow.bpmn.specs.mixins.user_task import UserTask

from app.engine.clock import SystemClock
from app.engine.expressions import check_code
from app.engine.form_data import read_form_fields
from app.engine.juel import (
    ISO_CYCLE,
    ISO_DATETIME,
    ISO_DURATION,
    JuelError,
    looks_like_cron,
    normalise_timer,
)
from app.engine.parser import UnsafeXml, safe_xml
from app.engine.script_engine import diagram_helpers
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
#: flow nodes where a case stops and waits for a person, a timer or a message (or may, inside)
_WAIT_TAGS = {
    "task", "userTask", "manualTask", "receiveTask", "intermediateCatchEvent", "boundaryEvent",
    "eventBasedGateway", "callActivity", "subProcess", "transaction", "adHocSubProcess",
}  # fmt: skip
_CONTAINER_TAGS = {"process", "subProcess", "transaction", "adHocSubProcess"}
#: names of the helper functions diagram code can call; a variable cannot have one of them
HELPERS = frozenset(diagram_helpers(SystemClock()))
#: task spec names SpiffWorkflow gives its own start and end tasks
RESERVED_IDS = frozenset({"Start", "End"})
_FEEL_ONLY = re.compile(r"^\s*(not\s*\(|[\[\]()]?\s*[^,\"']*\.\.)|^\s*\"[^\"]*\"\s*,")
#: ``?`` outside quotes: SpiffWorkflow puts the input value there (``4 < ? < 6``)
_QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")
#: input expressions the engine can glue an entry such as ``> 5`` to without parentheses
_PRIMARY = (ast.Name, ast.Attribute, ast.Subscript, ast.Call, ast.Constant)
_HIT_POLICIES = ("UNIQUE", "FIRST", "COLLECT")
_ISO_LOOKALIKE = re.compile(r"^(R\d*/|P(\d|T\d)|\d{4}-\d{2})", re.IGNORECASE)


def lint_sources(
    sources: Mapping[str, bytes | str],
    known_forms: set[str] | None = None,
    known_operations: set[str] | None = None,
) -> list[Problem]:
    """Every problem in a set of diagram files (empty list: deployable)."""
    texts = {name: to_text(data) for name, data in sources.items()}
    roots = {}
    for name, text in sorted(texts.items()):
        if name.lower().endswith(".dmn"):
            continue
        try:
            roots[name] = safe_xml(text, name).getroot()
        except UnsafeXml:
            continue  # parse_sources reports it
    structural: list[Problem] = []
    references = check_references(roots)
    for name, root in roots.items():
        structural.extend(check_drawn(name, root))
        structural.extend(check_reserved_ids(name, root))
        structural.extend(check_loops(name, root))
        structural.extend(check_script_formats(name, root))
        structural.extend(check_event_subprocesses(name, root))
        structural.extend(check_catalogue(name, root))
    try:
        processes, parser = parse_sources(texts)
    except DiagramError as exc:
        # SpiffWorkflow's own report of a missing called process names no file or element
        parse_problems = [
            p for p in exc.problems if not _said_better(p, [*references, *structural])
        ]
        return _unique([*parse_problems, *references, *structural])
    problems: list[Problem] = [*references, *structural]
    for process in processes.values():
        problems.extend(lint_process(process, known_forms, known_operations))
    problems.extend(lint_decisions(parser))
    return _unique(problems)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str | None, str | None, str]] = set()
    result = []
    for problem in problems:
        key = (problem.file, problem.element, problem.message)
        if key not in seen:
            seen.add(key)
            result.append(problem)
    return result


def _said_better(problem: Problem, references: list[Problem]) -> bool:
    if "raise_validation_exception" in problem.message:  # SpiffWorkflow's crash on a bad messageRef
        return any(r.element == problem.element and "messageRef" in r.message for r in references)
    spiff = re.search(r"process '([^']+)' was not found", problem.message)
    ours = {m.group(1) for r in references if (m := re.search(r"proces '([^']+)'", r.message))}
    return spiff is not None and spiff.group(1) in ours


def check_drawn(filename: str, root: Any) -> list[Problem]:
    """Every flow node and sequence flow has a shape or edge in the diagram."""
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
                    filename,
                    el.get("id"),
                    f"{local} is niet getekend: het element heeft geen vorm in het diagram",
                    el.sourceline,
                )
            )
    return problems


def check_reserved_ids(filename: str, root: Any) -> list[Problem]:
    """``Start`` and ``End`` are the engine's own task names; an element using one breaks."""
    return [
        Problem(
            filename,
            el.get("id"),
            f"het ID {el.get('id')!r} is gereserveerd voor de engine; geef het element een ander "
            "ID (bijvoorbeeld StartEvent_1 of EndEvent_1)",
            el.sourceline,
        )
        for el in root.iter()
        if isinstance(el.tag, str)
        and el.tag.startswith(f"{{{BPMN_NS}}}")
        and el.get("id") in RESERVED_IDS
    ]


def check_script_formats(filename: str, root: Any) -> list[Problem]:
    """Scripts run as Python, whatever scriptFormat says; refuse other languages."""
    problems = []
    for el in root.iter(f"{{{BPMN_NS}}}scriptTask"):
        script_format = (el.get("scriptFormat") or "python").strip().lower()
        if script_format not in ("python", "py", "python3"):
            problems.append(
                Problem(
                    filename,
                    el.get("id"),
                    f"scriptformaat {el.get('scriptFormat')!r} wordt niet ondersteund; scripts "
                    "zijn Python (zet Format op python)",
                    el.sourceline,
                )
            )
    return problems


def check_event_subprocesses(filename: str, root: Any) -> list[Problem]:
    """An interrupting event subprocess runs here but does not cancel the rest: refuse it."""
    problems = []
    for sub in root.iter(f"{{{BPMN_NS}}}subProcess"):
        if sub.get("triggeredByEvent") != "true":
            continue
        for start in sub.findall(f"{{{BPMN_NS}}}startEvent"):
            if start.get("isInterrupting", "true") != "false":
                problems.append(
                    Problem(
                        filename,
                        start.get("id"),
                        "een onderbrekend gebeurtenis-subproces (interrupting event subprocess) "
                        "zou lopen zonder de rest van het proces te stoppen; maak de "
                        "startgebeurtenis niet-onderbrekend (non-interrupting), of zet in plaats "
                        "daarvan een onderbrekende randgebeurtenis (boundary event) op een "
                        "subproces",
                        start.sourceline,
                    )
                )
    return problems


# --- catalogue rules: names the engine takes for itself, executability, shapes, messages ------


def check_catalogue(filename: str, root: Any) -> list[Problem]:
    """The file-level catalogue rules: engine names, isExecutable, pool shapes, message refs."""
    return [
        *check_end_join_ids(filename, root),
        *check_executable(filename, root),
        *check_drawn_pools(filename, root),
        *check_message_refs(filename, root),
    ]


def check_end_join_ids(filename: str, root: Any) -> list[Problem]:
    """``<process>.EndJoin`` names the engine's own join before a (sub)process ends."""
    containers = {
        el.get("id")
        for el in root.iter(*(f"{{{BPMN_NS}}}{tag}" for tag in _CONTAINER_TAGS))
        if el.get("id")
    }
    problems = []
    for el in root.iter():
        element_id = el.get("id") if isinstance(el.tag, str) else None
        if not element_id or not el.tag.startswith(f"{{{BPMN_NS}}}"):
            continue
        owner = element_id[: -len(".EndJoin")] if element_id.endswith(".EndJoin") else None
        if owner is not None:
            whose = f"proces {owner!r}" if owner in containers else "een proces"
            problems.append(
                Problem(
                    filename,
                    element_id,
                    f"het ID {element_id!r} is gereserveerd voor de engine: zo heet de verborgen "
                    f"samenvoeging waarmee {whose} eindigt, en een element met dit ID vervangt "
                    "die ongemerkt; geef het element een ander ID (bijvoorbeeld EndEvent_1)",
                    el.sourceline,
                )
            )
    return problems


def check_executable(filename: str, root: Any) -> list[Problem]:
    """A process marked not executable would be deployed and run all the same: say so."""
    return [
        Problem(
            filename,
            el.get("id"),
            f'proces {el.get("id")!r} is gemarkeerd als niet uitvoerbaar (isExecutable="false"); '
            "vink 'Executable' aan in het eigenschappenpaneel van de modeller, of laat het "
            "bestand weg als het alleen een tekening is",
            el.sourceline,
        )
        for el in root.iter(f"{{{BPMN_NS}}}process")
        if (el.get("isExecutable") or "").strip().lower() == "false"
    ]


def check_drawn_pools(filename: str, root: Any) -> list[Problem]:
    """Every pool (participant) has a shape, so a modeller shows whose process it is."""
    drawn = {el.get("bpmnElement") for el in root.iter(f"{{{DI_NS}}}BPMNShape")}
    return [
        Problem(
            filename,
            el.get("id"),
            f"pool ({etree.QName(el).localname}) {el.get('name') or el.get('id')!r} is niet "
            "getekend: de pool heeft geen vorm in het diagram",
            el.sourceline,
        )
        for el in root.iter(f"{{{BPMN_NS}}}participant")
        if el.get("id") not in drawn
    ]


def check_message_refs(filename: str, root: Any) -> list[Problem]:
    """Every message event names a message of this file that has a name to correlate on."""
    messages = {el.get("id"): el for el in root.iter(f"{{{BPMN_NS}}}message")}
    problems = []
    for message_id, el in messages.items():
        if not (el.get("name") or "").strip():
            problems.append(
                Problem(
                    filename,
                    message_id,
                    f"bericht (message) {message_id!r} heeft geen naam; de naam is wat een "
                    "partij verstuurt (bijvoorbeeld achterstand_opgelost)",
                    el.sourceline,
                )
            )
    users = [
        *root.iter(f"{{{BPMN_NS}}}messageEventDefinition"),
        *root.iter(f"{{{BPMN_NS}}}receiveTask"),
    ]
    for el in users:
        ref = (el.get("messageRef") or "").strip()
        owner = el.getparent() if etree.QName(el).localname == "messageEventDefinition" else el
        element = owner.get("id") if owner is not None else None
        if not ref:
            problems.append(
                Problem(
                    filename,
                    element,
                    "berichtgebeurtenis (message event) heeft geen bericht (messageRef); kies of "
                    "maak het bericht in de modeller, anders wacht de gebeurtenis op een bericht "
                    "met zijn eigen label als naam",
                    el.sourceline,
                )
            )
        elif ref not in messages:
            problems.append(
                Problem(
                    filename,
                    element,
                    f"bericht (messageRef) {ref!r} staat niet in dit bestand (bekend: "
                    f"{', '.join(sorted(m for m in messages if m)) or 'geen'})",
                    el.sourceline,
                )
            )
    return problems


def check_references(roots: Mapping[str, Any]) -> list[Problem]:
    """Every call activity calls a process that one of the (BPMN) files defines."""
    processes = {
        el.get("id") for root in roots.values() for el in root.iter(f"{{{BPMN_NS}}}process")
    }
    problems = []
    for name, root in sorted(roots.items()):
        for el in root.iter(f"{{{BPMN_NS}}}callActivity"):
            called = (el.get("calledElement") or "").strip()
            if not called:
                problems.append(
                    Problem(
                        name,
                        el.get("id"),
                        "aanroep deelproces (call activity) heeft geen aangeroepen proces "
                        "(Called element: het ID van het proces)",
                    )
                )
            elif called not in processes:
                problems.append(
                    Problem(
                        name,
                        el.get("id"),
                        f"aangeroepen proces '{called}' bestaat niet in deze bestanden of in de "
                        f"uitgerolde processen (bekend: {', '.join(sorted(processes)) or 'geen'})",
                        el.sourceline,
                    )
                )
    return problems


def check_loops(filename: str, root: Any) -> list[Problem]:
    """Refuse a loop of sequence flows that never waits: it would run until the guard stops it.

    Repeat work through a user task, a timer or a message inside the loop instead.
    """
    problems = []
    for container in root.iter(*(f"{{{BPMN_NS}}}{tag}" for tag in _CONTAINER_TAGS)):
        nodes: dict[str, str] = {}
        edges: dict[str, list[str]] = {}
        for child in container:
            if not isinstance(child.tag, str) or not child.tag.startswith(f"{{{BPMN_NS}}}"):
                continue
            local = etree.QName(child).localname
            if local == "sequenceFlow":
                edges.setdefault(child.get("sourceRef"), []).append(child.get("targetRef"))
            elif local in _DRAWN_TAGS:
                nodes[child.get("id")] = local
                if local == "boundaryEvent" and child.get("attachedToRef"):
                    edges.setdefault(child.get("attachedToRef"), []).append(child.get("id"))
        for component in _cycles(nodes, edges):
            if any(nodes[node] in _WAIT_TAGS for node in component):
                continue
            ordered = [node for node in nodes if node in component]
            gateways = [n for n in ordered if nodes[n].endswith("Gateway")] or ordered
            problems.append(
                Problem(
                    filename,
                    gateways[0],
                    "de stromen (sequence flows) lopen in een kring door "
                    f"{', '.join(ordered)} zonder ergens te wachten (op een gebruikerstaak, timer "
                    "of bericht): zo'n lus kan eindeloos doorlopen; laat de herhaling in plaats "
                    "daarvan langs een gebruikerstaak (user task), timer of bericht lopen",
                )
            )
    return problems


def _cycles(nodes: Mapping[str, str], edges: Mapping[str, list[str]]) -> list[set[str]]:
    """The strongly connected components that contain a cycle (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = [t for t in edges.get(node, []) if t in nodes]
            if position < len(targets):
                work.append((node, position + 1))
                target = targets[position]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, []):
                    found.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


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
        messages = check_code(source, mode)
        for message in messages:
            yield Problem(file, element, f"{what}: {message}")
        if not messages:
            for call in _wall_clock_calls(source, mode):
                yield Problem(
                    file, element,
                    f"{what}: {call}() leest de klok van de server, niet die van de zaak; "
                    "gebruik now() of today()",
                )  # fmt: skip
        if mode == "exec" and not messages:
            for name in _helpers_assigned(source):
                yield Problem(
                    file, element,
                    f"{what}: {name!r} is de naam van een hulpfunctie; een variabele met die "
                    "naam verdwijnt nadat het script gelopen heeft, kies dus een andere naam",
                )  # fmt: skip
    if getattr(ts, "manual", False) and ts.bpmn_id:
        form_key = ext.get("formKey")
        if not form_key and not isinstance(ts, UserTask):
            yield Problem(
                file, element,
                "een taak of handmatige taak (task, manual task) wacht net als een "
                "gebruikerstaak op een persoon, maar heeft geen formulier; maak er een "
                "gebruikerstaak (user task) van met een formuliersleutel (camunda:formKey)",
            )  # fmt: skip
        elif not form_key and not ext.get("formData"):
            yield Problem(
                file, element,
                "gebruikerstaak (user task) heeft geen formuliersleutel (camunda:formKey) en "
                "geen eigen formuliervelden (camunda:formData)",
            )  # fmt: skip
        elif form_key and known_forms is not None and form_key not in known_forms:
            yield Problem(
                file, element,
                f"formuliersleutel (camunda:formKey) {form_key!r} is geen geregistreerd formulier",
            )  # fmt: skip
        elif form_key and ext.get("formData"):
            yield Problem(
                file, element,
                f"gebruikerstaak (user task) heeft zowel het geregistreerde formulier "
                f"{form_key!r} als eigen formuliervelden (camunda:formData); houd er één over",
            )  # fmt: skip
        if ext.get("formData"):
            for message in read_form_fields(ext["formData"], role_for_lane(ts.lane))[1]:
                yield Problem(file, element, message)
        if not ts.lane:
            yield Problem(file, element, "gebruikerstaak (user task) staat niet in een baan (lane)")
        elif role_for_lane(ts.lane) is None:
            yield Problem(
                file, element, f"baan (lane) {ts.lane!r} is geen bekende rol van een partij"
            )
    start_form = ext.get("formKey") if isinstance(ts, StartEvent) else None
    if start_form and known_forms is not None and start_form not in known_forms:
        yield Problem(
            file, element,
            f"formuliersleutel (camunda:formKey) {start_form!r} van de startgebeurtenis is geen "
            "geregistreerd formulier",
        )  # fmt: skip
    if isinstance(ts, ScriptTask) and not (ts.script or "").strip():
        yield Problem(
            file, element,
            "scripttaak (script task) heeft geen script; schrijf de Python-code in het diagram "
            "(een script uit een ander bestand wordt niet ondersteund)",
        )  # fmt: skip
    if isinstance(ts, SendTaskMixin) and "serviceTaskOperator" in ext:
        yield Problem(
            file, element,
            "een verzendtaak (send task) roept geen service-operaties aan; gebruik een "
            'servicetaak (service task) met camunda:delegateExpression="${operation}"',
        )  # fmt: skip
    if isinstance(ts, EventBasedGateway):
        yield Problem(
            file, element,
            "een keuze op gebeurtenis (event-based gateway) wordt niet ondersteund: de app kan "
            "de berichten ervan niet afleveren en de timers niet inplannen; zet in plaats daarvan "
            "randgebeurtenissen (boundary events) op een gebruikerstaak",
        )  # fmt: skip
    if ext.get("dueDate"):
        yield from _lint_moment(file, element, ext["dueDate"], "termijn (due date)")
    definition = getattr(ts, "event_definition", None)
    if isinstance(definition, TimerEventDefinition):
        yield from _lint_moment(file, element, definition.expression, "timer")
    operation = getattr(ts, "operation_name", None)
    if operation is not None:
        if operation.startswith("external:"):
            yield Problem(
                file, element,
                "een externe servicetaak (External) wordt niet ondersteund; gebruik "
                "camunda:delegateExpression met een geregistreerde operatie",
            )  # fmt: skip
        elif known_operations is not None and operation not in known_operations:
            yield Problem(file, element, f"service-operatie {operation!r} is niet geregistreerd")
    io_ext = ext.get("inputOutput") or {}
    for message in io_ext.get("unsupported", []):
        yield Problem(file, element, message)
    engine = getattr(ts, "dmnEngine", None)
    result_variable = ext.get("camunda", {}).get("resultVariable")
    if engine is not None and result_variable:
        outputs = [o.name for o in engine.decision_table.outputs]
        if outputs != [result_variable]:
            yield Problem(
                file, element,
                f"camunda:resultVariable {result_variable!r} wordt niet gebruikt: de "
                f"uitvoerkolommen van de beslistabel ({', '.join(map(repr, outputs))}) worden de "
                "variabelen; geef in plaats daarvan de uitvoerkolom die naam",
            )  # fmt: skip


def _code_of(ts: Any) -> Iterator[tuple[str, Literal["eval", "exec"], str]]:
    if getattr(ts, "script", None):
        yield ts.script, "exec", "script"
    for attr, label in (("prescript", "script vooraf"), ("postscript", "script achteraf")):
        if getattr(ts, attr, None):
            yield getattr(ts, attr), "exec", label
    for condition, target in getattr(ts, "cond_task_specs", None) or []:
        args = getattr(condition, "args", None)
        if args and isinstance(args[0], str):
            yield args[0], "eval", f"voorwaarde naar {target}"
    for attr, label in (("condition", "voorwaarde"), ("cardinality", "aantal (cardinality)")):
        value = getattr(ts, attr, None)
        if isinstance(value, str) and value:
            yield value, "eval", label
    for name, param in (getattr(ts, "operation_params", None) or {}).items():
        yield param["value"], "eval", f"parameter {name}"
    definition = getattr(ts, "event_definition", None)
    expression = getattr(definition, "expression", None)
    if isinstance(expression, str) and not isinstance(definition, TimerEventDefinition):
        yield expression, "eval", "expressie van de gebeurtenis"


def _wall_clock_calls(source: str, mode: Literal["eval", "exec"]) -> list[str]:
    """``datetime.now()``, ``date.today()`` and friends, which bypass the engine clock."""
    found = []
    for node in ast.walk(ast.parse(source, mode=mode)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("now", "today", "utcnow")
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in ("datetime", "date")
        ):
            found.append(f"{node.func.value.id}.{node.func.attr}")
    return list(dict.fromkeys(found))


def _helpers_assigned(source: str) -> list[str]:
    """Helper names (werkdagen, datum, ...) the code assigns to, in order."""
    found = [
        node.id
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in HELPERS
    ]
    return list(dict.fromkeys(found))


def _lint_moment(file: str, element: str, raw: str, what: str) -> Iterator[Problem]:
    text = raw.strip()
    if looks_like_cron(text):
        yield Problem(file, element, f"{what} {text!r} is een cron-expressie; gebruik ISO-8601")
        return
    try:
        expression = normalise_timer(text)
    except JuelError as exc:  # an unreadable ${...}: a problem to report, not a crash
        yield Problem(file, element, f"{what} {text!r}: {exc}")
        return
    literal = (
        expression[1:-1] if expression[:1] in "'\"" and expression[-1:] == expression[:1] else None
    )
    if literal is None and _ISO_LOOKALIKE.match(expression):
        literal = expression  # meant as ISO-8601 but not valid: say so, not "unknown name"
    if literal is not None:
        reason = iso_problem(literal)
        if reason:
            yield Problem(file, element, f"{what} {literal!r} {reason}")
        return
    messages = check_code(expression, "eval")
    for message in messages:
        yield Problem(file, element, f"{what}: {message}")
    if not messages:
        for call in _wall_clock_calls(expression, "eval"):
            yield Problem(
                file, element,
                f"{what}: {call}() leest de klok van de server, niet die van de zaak; "
                "gebruik now() of today()",
            )  # fmt: skip


def iso_problem(text: str) -> str | None:
    """Why an ISO-8601 duration, date-time or cycle is not one the engine reads (None: fine)."""
    value = text.strip()
    try:
        if ISO_DURATION.match(value):
            TimerEventDefinition.parse_iso_duration(value)
            return None
        if ISO_DATETIME.match(value):
            datetime.fromisoformat(value.replace("Z", "+00:00"))
            return None
        if ISO_CYCLE.match(value):
            parts = value.split("/")
            if not parts[1].upper().startswith("P") and len(parts) < 3:
                return (
                    "is een ISO-8601-herhaling met een begin maar zonder duur; "
                    "schrijf R<n>/<begin>/<duur>"
                )
            for part in parts[1:]:
                if part.upper().startswith("P"):
                    if not ISO_DURATION.match(part.upper()):
                        return f"bevat {part!r}, en dat is geen ISO-8601-duur"
                elif not ISO_DATETIME.match(part):
                    return f"bevat {part!r}, en dat is geen ISO-8601-datum met tijd"
                else:
                    datetime.fromisoformat(part.replace("Z", "+00:00"))
            if len(parts) == 3 and parts[1].upper().startswith("P"):
                return (
                    "is een ISO-8601-herhaling met een duur vóór een einde, en die leest de engine "
                    "niet; schrijf R<n>/<duur> of R<n>/<begin>/<duur>"
                )
            return None
    except ValueError as exc:
        return f"is geen geldige ISO-8601-waarde: {exc}"
    except Exception:  # SpiffWorkflow raises a bare Exception("Invalid duration")
        return "is geen geldige ISO-8601-duur"
    return (
        "is geen ISO-8601-duur (P5D, PT4H), -datum met tijd (2026-03-01T09:00:00+01:00) "
        "of -herhaling (R3/PT1H)"
    )


# --- decisions (DMN) --------------------------------------------------------------------------


def lint_decisions(parser: Any) -> Iterator[Problem]:
    """Every decision table the parser knows, whether a process uses it yet or not."""
    for decision_id, dmn_parser in sorted(getattr(parser, "dmn_parsers", {}).items()):
        file = dmn_parser.filename
        try:
            if dmn_parser.decision is None:
                dmn_parser.parse()
        except Exception as exc:  # a ValidationException, or a KeyError on a broken table
            yield Problem(file, decision_id, f"de beslistabel kan niet worden gelezen: {exc}")
            continue
        for table_node in dmn_parser.node.iter("{*}decisionTable"):
            policy = (table_node.get("hitPolicy") or "UNIQUE").upper()
            if policy not in _HIT_POLICIES:
                yield Problem(
                    file, table_node.get("id"),
                    f"hit policy {policy} wordt niet ondersteund; gebruik UNIQUE, FIRST of COLLECT",
                )  # fmt: skip
            if table_node.get("aggregation"):
                yield Problem(
                    file, table_node.get("id"),
                    f"COLLECT met aggregatie {table_node.get('aggregation')} wordt niet "
                    "ondersteund; de engine geeft de lijst van alle passende rijen terug",
                )  # fmt: skip
        for table in dmn_parser.decision.decisionTables:
            yield from lint_decision_table(file, table)


def lint_decision_table(file: str | None, table: Any) -> Iterator[Problem]:
    """Input expressions, entries and outputs of one table, as the engine will evaluate them."""
    for inp in table.inputs:
        name = inp.label or inp.id
        if not (inp.expression or "").strip():
            yield Problem(
                file, inp.id, f"invoerkolom {name!r} van de beslistabel heeft geen invoerexpressie"
            )
            continue
        messages = check_code(inp.expression, "eval")
        for message in messages:
            yield Problem(file, inp.id, f"invoerkolom {name!r} van de beslistabel: {message}")
        if not messages and not _glues_safely(inp.expression):
            yield Problem(
                file, inp.id,
                f"invoerkolom {name!r} van de beslistabel: de invoerexpressie "
                f"{inp.expression.strip()!r} moet tussen haakjes staan, bijvoorbeeld "
                f"'({inp.expression.strip()})': de engine plakt er een cel zoals '> 5' letterlijk "
                "achter, dus zonder haakjes geldt de vergelijking alleen voor het laatste deel",
            )  # fmt: skip
    for rule in table.rules:
        where = rule.id
        for entry in rule.inputEntries:
            for lhs in entry.lhs:
                if lhs is None or not lhs.strip() or lhs.strip() == "-":
                    continue
                if _FEEL_ONLY.search(lhs):
                    yield Problem(
                        file, where,
                        f"rij {rule.row_number} van de beslistabel: cel {lhs!r} is FEEL (bereik, "
                        "lijst of not()); schrijf een Python-vergelijking zoals '>= 100', "
                        "'in (\"a\", \"b\")' of '!= \"a\"'",
                    )  # fmt: skip
                    continue
                expression = _evaluated_entry(entry.input.expression or "", lhs)
                glued = _badly_glued(entry.input.expression or "", lhs)
                if glued is not None:
                    yield Problem(
                        file, where,
                        f"rij {rule.row_number} van de beslistabel: cel {lhs!r} komt achter de "
                        f"invoerexpressie te staan als {glued!r}, en dat betekent iets anders; zet "
                        "de invoerexpressie tussen haakjes: "
                        f"'({(entry.input.expression or '').strip()})'",
                    )  # fmt: skip
                    continue
                if expression is None:
                    yield Problem(
                        file, where,
                        f"rij {rule.row_number} van de beslistabel: cel {lhs!r} is geen waarde "
                        "en ook geen vergelijking zoals '> 5'",
                    )  # fmt: skip
                    continue
                for message in check_code(expression, "eval"):
                    yield Problem(
                        file,
                        where,
                        f"rij {rule.row_number} van de beslistabel: cel {lhs!r}: {message}",
                    )
        for out in rule.outputEntries:
            if out.text and out.text.strip():
                for message in check_code(out.text, "eval"):
                    yield Problem(
                        file,
                        where,
                        f"rij {rule.row_number} van de beslistabel: uitvoercel {out.text!r}: "
                        f"{message}",
                    )


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def _evaluated_entry(input_expression: str, entry: str) -> str | None:
    """The expression SpiffWorkflow's DMN engine evaluates for an entry (None: it cannot)."""
    if _QUESTION_MARK.search(entry):
        return _QUESTION_MARK.sub("dmninputexpr", entry)
    if _parses(entry):
        return f"({input_expression}) == ({entry})"
    if _parses(f"v {entry}"):
        return input_expression + entry
    return None


def _badly_glued(input_expression: str, entry: str) -> str | None:
    """The glued text when ``input + entry`` parses differently from ``(input) entry``."""
    if _QUESTION_MARK.search(entry) or _parses(entry) or not _parses(f"v {entry}"):
        return None
    glued = input_expression + entry
    try:
        meant = ast.dump(ast.parse(f"({input_expression}) {entry}", mode="eval"))
        actual = ast.dump(ast.parse(glued, mode="eval"))
    except SyntaxError:
        return glued
    return None if meant == actual else glued


def _glues_safely(expression: str) -> bool:
    """A name, attribute, item, call or literal, or anything wrapped in parentheses."""
    text = expression.strip()
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return True  # check_code reports it
    if isinstance(tree.body, _PRIMARY) and not (
        isinstance(tree.body, ast.Constant) and text.startswith("-")
    ):
        return True
    return _wrapped(text)


def _wrapped(text: str) -> bool:
    """Whether the first character is a parenthesis that closes at the last one."""
    if not text.startswith("("):
        return False
    depth = 0
    tokens = [
        tok
        for tok in tokenize.generate_tokens(io.StringIO(text).readline)
        if tok.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER, tokenize.COMMENT)
    ]
    last = len(tokens) - 1
    for position, tok in enumerate(tokens):
        if tok.string in "([{":
            depth += 1
        elif tok.string in ")]}":
            depth -= 1
            if depth == 0:
                return position == last and tok.string == ")"
    return False
