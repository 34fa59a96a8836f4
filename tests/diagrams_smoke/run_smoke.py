"""Throwaway smoke harness for the first diagram set (QuaWonen + Meldpunt + DMN-1/DMN-2).

Not a pytest module (no ``test_`` prefix): run it directly with

    .venv/bin/python tests/diagrams_smoke/run_smoke.py

It uses the *stock* SpiffWorkflow 3.2.0 ``CamundaParser``, not the project engine, to check
that the diagrams are valid BPMN/DMN, follow the modelling conventions, are drawn without
overlaps, and reach every outcome. Stand-ins for the real engine:
- ``werkdagen(n)`` returns the ISO duration ``"P<n>D"`` (the stock timer understands it);
- bare ``P14D`` timer text is quoted before parsing (the real engine normalises it);
- service tasks only record their operation and ``status_code`` property;
- time is faked by moving a waiting timer's stored ``event_value`` into the past.
"""

from __future__ import annotations

import ast
import itertools
import re
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from lxml import etree
from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator, full_tag
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.bpmn.specs.defaults import EndEvent, ServiceTask
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.camunda.parser.task_spec import CamundaTaskParser
from SpiffWorkflow.camunda.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.dmn.parser.BpmnDmnParser import SCHEMAS as DMN_SCHEMAS
from SpiffWorkflow.util.task import TaskState

ROOT = Path(__file__).resolve().parents[2]
BPMN_DIR = ROOT / "processes" / "bpmn"
BPMN_FILES = [BPMN_DIR / "corporaties" / "quawonen.bpmn", BPMN_DIR / "shared" / "meldpunt.bpmn"]
DMN_FILES = [BPMN_DIR / "decisions" / "doelgroep.dmn", BPMN_DIR / "decisions" / "prioriteit.dmn"]

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "camunda": "http://camunda.org/schema/1.0/bpmn",
    "modeler": "http://camunda.org/schema/modeler/1.0",
    "dmn": "https://www.omg.org/spec/DMN/20191111/MODEL/",
}
CAM = f"{{{NS['camunda']}}}"

LANES = {
    "Woningcorporatie",
    "Meldpunt Zorg en Overlast",
    "Schulddienstverlening",
    "Sociale Zaken",
    "Sociaal Domein",
    "Openbare Orde en Veiligheid",
    "Regiehouder",
}
FORM_KEYS = {
    "signalering",
    "contact_corporatie",
    "melding",
    "triage",
    "contactpoging",
    "kwetsbaarheid",
    "plan",
    "inventarisatie",
    "huur_uit_uitkering",
    "status",
    "overdracht",
    "afsluiting",
    "gesprek_afspraken",
    "opschorting",
    "monitoring",
    "intake_schuldhulp",
    "indicatie",
    "woonoverlast_stap",
    "escalatie",
}
OPERATIONS = {"registreer_opschorting", "stuur_status"}
HELPERS = {"werkdagen", "now", "today", "datum", "dagen_tussen", "date", "datetime", "timedelta"}
BUILTINS = {
    "len",
    "min",
    "max",
    "sum",
    "abs",
    "round",
    "sorted",
    "any",
    "all",
    "str",
    "int",
    "float",
    "bool",
    "list",
    "dict",
    "True",
    "False",
    "None",
}
FORBIDDEN_NAMES = {
    "getattr",
    "setattr",
    "delattr",
    "eval",
    "exec",
    "open",
    "type",
    "compile",
    "globals",
    "locals",
    "vars",
    "dir",
    "input",
    "breakpoint",
    "help",
}
FLOW_NODE_TAGS = {
    "startEvent",
    "endEvent",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
    "boundaryEvent",
    "task",
    "userTask",
    "scriptTask",
    "serviceTask",
    "businessRuleTask",
    "sendTask",
    "receiveTask",
    "manualTask",
    "callActivity",
    "subProcess",
    "exclusiveGateway",
    "inclusiveGateway",
    "parallelGateway",
    "eventBasedGateway",
}

FAILURES: list[str] = []


def check(ok: bool, message: str) -> None:
    if not ok:
        FAILURES.append(message)


def local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def unwrap(expression: str) -> str:
    """``${x}`` (Camunda style) -> ``x``; plain Python stays as is."""
    m = re.fullmatch(r"\s*\$\{(.*)\}\s*", expression, re.DOTALL)
    return m.group(1) if m else expression


# --------------------------------------------------------------------------------------
# 1. XML, XSD and modelling conventions


def check_restricted(expression: str, where: str, mode: str = "eval") -> None:
    """The project's restricted Python: no imports, no _names, no dangerous builtins."""
    try:
        tree = ast.parse(expression, mode=mode)
    except SyntaxError as exc:
        FAILURES.append(f"{where}: not Python: {exc}")
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            FAILURES.append(f"{where}: import")
        if isinstance(node, ast.Name):
            check(not node.id.startswith("_"), f"{where}: name {node.id}")
            check(node.id not in FORBIDDEN_NAMES, f"{where}: forbidden {node.id}")
        if isinstance(node, ast.Attribute):
            check(not node.attr.startswith("_"), f"{where}: attribute {node.attr}")
            check(node.attr != "format", f"{where}: .format()")


def check_conventions(path: Path, root: Any) -> None:
    where = path.name
    check(root.get("exporter") == "Camunda Modeler", f"{where}: exporter")
    check(
        root.get(f"{{{NS['modeler']}}}executionPlatform") == "Camunda Platform",
        f"{where}: executionPlatform",
    )
    for process in root.iterfind("bpmn:process", NS):
        check(process.get("isExecutable") == "true", f"{where}: {process.get('id')} not executable")
        lane_of: dict[str, str] = {}
        for lane in process.iterfind(".//bpmn:lane", NS):
            check(lane.get("name") in LANES, f"{where}: lane name {lane.get('name')!r}")
            for ref in lane.iterfind("bpmn:flowNodeRef", NS):
                lane_of[ref.text] = lane.get("name")
        # every top-level flow node is in exactly one lane; nested ones inherit their container's
        for node in process:
            if local(node.tag) in FLOW_NODE_TAGS:
                check(node.get("id") in lane_of, f"{where}: {node.get('id')} in no lane")
        for user_task in process.iterfind(".//bpmn:userTask", NS):
            tid = user_task.get("id")
            top = user_task
            while top.getparent() is not process:
                top = top.getparent()
            check(top.get("id") in lane_of, f"{where}: user task {tid} in no lane")
            check(user_task.get(CAM + "formKey") in FORM_KEYS, f"{where}: {tid} formKey")
            due = user_task.get(CAM + "dueDate")
            check(bool(due), f"{where}: {tid} has no dueDate")
            if due:
                check_restricted(unwrap(due), f"{where}: {tid} dueDate")
        for gateway in process.iterfind(".//bpmn:exclusiveGateway", NS):
            outgoing = [o.text for o in gateway.iterfind("bpmn:outgoing", NS)]
            if len(outgoing) < 2:
                continue
            default = gateway.get("default")
            check(default in outgoing, f"{where}: {gateway.get('id')} has no default flow")
            for flow_id in outgoing:
                flow = process.find(f".//bpmn:sequenceFlow[@id='{flow_id}']", NS)
                cond = flow.find("bpmn:conditionExpression", NS)
                if flow_id == default:
                    check(cond is None, f"{where}: default flow {flow_id} has a condition")
                else:
                    check(cond is not None, f"{where}: {flow_id} has no condition")
                    if cond is not None:
                        check_restricted(unwrap(cond.text), f"{where}: {flow_id}")
        for script in process.iterfind(".//bpmn:scriptTask", NS):
            check(script.get("scriptFormat") == "python", f"{where}: {script.get('id')} format")
            check_restricted(
                script.find("bpmn:script", NS).text, f"{where}: {script.get('id')}", mode="exec"
            )
        for timer in process.iterfind(".//bpmn:timerEventDefinition/*", NS):
            value = timer.text.strip()
            if not re.fullmatch(r"P(\d+[YMWD])+(T(\d+[HMS])+)?", value):
                check_restricted(unwrap(value), f"{where}: timer {value}")
        for service in process.iterfind(".//bpmn:serviceTask", NS):
            op = unwrap(service.get(CAM + "delegateExpression") or "")
            check(op in OPERATIONS, f"{where}: {service.get('id')} operation {op!r}")
            if op == "stuur_status":
                props = service.findall(".//camunda:property[@name='status_code']", NS)
                check(len(props) == 1, f"{where}: {service.get('id')} without status_code")
        for el in process.iter():
            if local(el.tag) in (
                "userTask",
                "serviceTask",
                "scriptTask",
                "businessRuleTask",
                "callActivity",
                "subProcess",
                "boundaryEvent",
            ):
                doc = el.find("bpmn:documentation", NS)
                check(doc is not None and bool(doc.text), f"{where}: {el.get('id')} undocumented")
    for msg in root.iterfind("bpmn:message", NS):
        check(
            re.fullmatch(r"[a-z_]+", msg.get("name") or "") is not None,
            f"{where}: message name {msg.get('name')!r}",
        )


def check_xml() -> None:
    bpmn_validator = BpmnValidator()
    dmn_validator = BpmnValidator(DMN_SCHEMAS[NS["dmn"]])
    for path in BPMN_FILES:
        tree = etree.parse(str(path))
        bpmn_validator.validate(tree, str(path))
        check_conventions(path, tree.getroot())
        check_diagram(path, tree.getroot())
    for path in DMN_FILES:
        tree = etree.parse(str(path))
        dmn_validator.validate(tree, str(path))
        root = tree.getroot()
        check(root.get("exporter") == "Camunda Modeler", f"{path.name}: exporter")
        decision = root.find("dmn:decision", NS)
        check(
            root.find(
                f".//{{https://www.omg.org/spec/DMN/20191111/DMNDI/}}DMNShape"
                f"[@dmnElementRef='{decision.get('id')}']"
            )
            is not None,
            f"{path.name}: no DMNDI shape",
        )
        check(
            decision.find("dmn:decisionTable", NS).get("hitPolicy") == "FIRST",
            f"{path.name}: hit policy",
        )
        for text in decision.iterfind(".//dmn:inputExpression/dmn:text", NS):
            check_restricted(text.text, f"{path.name}: input {text.text}")
        for entry in decision.iterfind(".//dmn:inputEntry/dmn:text", NS):
            value = (entry.text or "").strip()
            check(not re.search(r"\.\.|^not\(|,", value), f"{path.name}: FEEL entry {value!r}")
            if value and value != "-":
                check_restricted(
                    f"v {value}" if value[0] in "<>=!" else value, f"{path.name}: entry {value}"
                )


# --------------------------------------------------------------------------------------
# 2. Diagram interchange: every element drawn, nothing overlapping


Box = tuple[float, float, float, float]


def intersects(a: Box, b: Box) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def contains(outer: Box, inner: Box) -> bool:
    ox, oy, ow, oh = outer
    ix, iy, iw, ih = inner
    return ox <= ix and oy <= iy and ix + iw <= ox + ow and iy + ih <= oy + oh


def on_border(point: tuple[float, float], box: Box, tol: float = 2.0) -> bool:
    x, y = point
    bx, by, bw, bh = box
    inside = bx - tol <= x <= bx + bw + tol and by - tol <= y <= by + bh + tol
    near = min(abs(x - bx), abs(x - bx - bw), abs(y - by), abs(y - by - bh)) <= tol
    return inside and near


def segment_hits(p: tuple[float, float], q: tuple[float, float], box: Box) -> bool:
    """An axis-parallel segment crossing the interior of a box (shrunk by 1px)."""
    bx, by, bw, bh = box[0] + 1, box[1] + 1, box[2] - 2, box[3] - 2
    (x1, y1), (x2, y2) = p, q
    if y1 == y2:
        return by < y1 < by + bh and min(x1, x2) < bx + bw and max(x1, x2) > bx
    if x1 == x2:
        return bx < x1 < bx + bw and min(y1, y2) < by + bh and max(y1, y2) > by
    return False


def bounds_of(el: Any) -> Box:
    b = el.find("dc:Bounds", NS)
    return (float(b.get("x")), float(b.get("y")), float(b.get("width")), float(b.get("height")))


def check_diagram(path: Path, root: Any) -> None:
    where = path.name
    shapes = {s.get("bpmnElement"): s for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
    edges = {e.get("bpmnElement"): e for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    nodes = {el.get("id"): el for el in root.iter() if local(el.tag) in FLOW_NODE_TAGS}
    for participant in root.iterfind(".//bpmn:participant", NS):
        check(participant.get("id") in shapes, f"{where}: participant not drawn")
    pool = bounds_of(shapes[root.find(".//bpmn:participant", NS).get("id")])
    lanes = {}
    for lane in root.iterfind(".//bpmn:lane", NS):
        check(lane.get("id") in shapes, f"{where}: lane {lane.get('id')} not drawn")
        lanes[lane.get("id")] = bounds_of(shapes[lane.get("id")])
        check(contains(pool, lanes[lane.get("id")]), f"{where}: lane outside pool")
        for ref in lane.iterfind("bpmn:flowNodeRef", NS):
            if ref.text in shapes:
                check(
                    contains(lanes[lane.get("id")], bounds_of(shapes[ref.text])),
                    f"{where}: {ref.text} drawn outside its lane",
                )
    for a, b in itertools.combinations(lanes.values(), 2):
        check(not intersects(a, b), f"{where}: lanes overlap")
    boxes: dict[str, Box] = {}
    for node_id in nodes:
        if node_id not in shapes:
            FAILURES.append(f"{where}: {node_id} has no shape")
            continue
        boxes[node_id] = bounds_of(shapes[node_id])
        check(contains(pool, boxes[node_id]), f"{where}: {node_id} outside the pool")
    for node_id, node in nodes.items():
        parent = node.getparent()
        if local(parent.tag) == "subProcess" and node_id in boxes:
            check(
                contains(boxes[parent.get("id")], boxes[node_id]),
                f"{where}: {node_id} outside its subprocess",
            )

    def related(a: str, b: str) -> bool:
        na, nb = nodes[a], nodes[b]
        if na.get("attachedToRef") == b or nb.get("attachedToRef") == a:
            return True
        return nb in na.iterancestors() or na in nb.iterancestors()

    for a, b in itertools.combinations(boxes, 2):
        if not related(a, b):
            check(not intersects(boxes[a], boxes[b]), f"{where}: shapes {a} and {b} overlap")
    # labels must not sit on other shapes (their own container excepted)
    elements = {el.get("id"): el for el in root.iter() if el.get("id")}
    for el_id, di in itertools.chain(shapes.items(), edges.items()):
        label = di.find("bpmndi:BPMNLabel", NS)
        if label is None or el_id not in elements:
            continue
        containers = {a.get("id") for a in elements[el_id].iterancestors()}
        containers.add(elements[el_id].get("attachedToRef"))
        for other, box in boxes.items():
            if other != el_id and other not in containers:
                check(
                    not intersects(bounds_of(label), box), f"{where}: label of {el_id} on {other}"
                )
    for flow in root.iter(f"{{{NS['bpmn']}}}sequenceFlow"):
        fid = flow.get("id")
        if fid not in edges:
            FAILURES.append(f"{where}: flow {fid} has no edge")
            continue
        points = [
            (float(w.get("x")), float(w.get("y"))) for w in edges[fid].iterfind("di:waypoint", NS)
        ]
        check(len(points) >= 2, f"{where}: {fid} has fewer than 2 waypoints")
        src, tgt = flow.get("sourceRef"), flow.get("targetRef")
        check(on_border(points[0], boxes[src]), f"{where}: {fid} does not leave {src}")
        check(on_border(points[-1], boxes[tgt]), f"{where}: {fid} does not reach {tgt}")
        for p, q in itertools.pairwise(points):
            check(p[0] == q[0] or p[1] == q[1], f"{where}: {fid} has a diagonal segment")
            for other, box in boxes.items():
                if other in (src, tgt) or local(nodes[other].tag) == "subProcess":
                    continue
                if nodes[src].get("attachedToRef") == other:
                    continue
                check(not segment_hits(p, q, box), f"{where}: {fid} crosses {other}")


# --------------------------------------------------------------------------------------
# 3. Executing the diagrams with the stock engine


def datum(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


HELPER_ENV = {
    "werkdagen": lambda n: f"P{int(n)}D",
    "now": lambda: datetime.now(UTC),
    "today": date.today,
    "datum": datum,
    "dagen_tussen": lambda a, b: (datum(b) - datum(a)).days,
    "date": date,
    "datetime": datetime,
    "timedelta": timedelta,
}


class SmokeEngine(PythonScriptEngine):
    def __init__(self) -> None:
        super().__init__(environment=TaskDataEnvironment(dict(HELPER_ENV)))
        self.calls: list[tuple[str, str | None]] = []


class RecordingServiceTask(ServiceTask):
    """Records (operation, status_code) instead of calling anything."""

    operations: ClassVar[dict[str, str]] = {}

    def _execute(self, task: Any) -> bool:
        operation = self.operations[self.bpmn_id]
        task.workflow.script_engine.calls.append((operation, self.extensions.get("status_code")))
        return True


class SmokeParser(CamundaParser):
    OVERRIDE_PARSER_CLASSES: ClassVar[dict[str, Any]] = {
        **CamundaParser.OVERRIDE_PARSER_CLASSES,
        full_tag("serviceTask"): (CamundaTaskParser, RecordingServiceTask),
    }


def load_specs() -> tuple[Any, dict[str, Any], dict[str, str]]:
    parser = SmokeParser(validator=BpmnValidator())
    due: dict[str, str] = {}
    for path in BPMN_FILES:
        text = path.read_text(encoding="utf-8").replace(">P14D<", '>"P14D"<')
        root = etree.fromstring(text.encode("utf-8"))
        for el in root.iter(f"{{{NS['bpmn']}}}serviceTask"):
            operation = unwrap(el.get(CAM + "delegateExpression"))
            RecordingServiceTask.operations[el.get("id")] = operation
        for el in root.iter(f"{{{NS['bpmn']}}}userTask"):
            due[el.get("id")] = el.get(CAM + "dueDate")
        parser.add_bpmn_xml(root, filename=str(path))
    parser.add_dmn_files([str(p) for p in DMN_FILES])
    spec = parser.get_spec("quawonen")
    subprocesses = parser.get_subprocess_specs("quawonen")
    check(spec.description == "Voorkomen huisuitzetting — QuaWonen", "quawonen: process name")
    check(
        subprocesses.get("meldpunt") is not None
        and subprocesses["meldpunt"].description == "Meldpunt Zorg en Overlast",
        "meldpunt: process name",
    )
    check("meldpunt" in subprocesses, "meldpunt not among the subprocess specs")
    return spec, subprocesses, due


SPEC, SUBPROCESSES, DUE = load_specs()

SIGNALERING = {
    "achterstand_bedrag": 1450.0,
    "achterstand_maanden": 2,
    "kinderen_onder_18": 0,
    "huishoudgrootte": 1,
    "vonnis": False,
    "vonnisdatum": None,
    "ontruimingsdatum": None,
    "gemeentelijke_uitkering": False,
    "overlast": False,
    "reden_melding": "vermoeden_doelgroep",
}
NIET_OPGELOST = {"achterstand_opgelost": False, "betalingsregeling_getroffen": False}
TRIAGE = {
    "opiumwet": False,
    "onrechtmatige_bewoning": False,
    "geen_verblijfsstatus": False,
    "extreme_overlast": False,
    "geen_legaal_inkomen": False,
    "kan_zelf_oplossen": False,
}
BEREIKT = {"contact_bereikt": True, "contact_kanaal": "telefoon", "contact_datum": "2025-03-03"}
NIET_BEREIKT = {
    "contact_bereikt": False,
    "contact_kanaal": "huisbezoek",
    "contact_datum": "2025-03-01",
}


class Case:
    def __init__(self, **signalering: Any) -> None:
        self.engine = SmokeEngine()
        self.wf = BpmnWorkflow(SPEC, SUBPROCESSES, script_engine=self.engine)
        for task in self.wf.get_tasks(state=TaskState.READY):
            task.set_data(**{**SIGNALERING, **signalering})
        self.wf.do_engine_steps()
        self.due: dict[str, Any] = {}

    def ready(self) -> list[Any]:
        return self.wf.get_tasks(state=TaskState.READY, manual=True)

    def ready_ids(self) -> list[str]:
        return sorted(t.task_spec.bpmn_id for t in self.ready())

    def complete(self, bpmn_id: str, **data: Any) -> None:
        tasks = [t for t in self.ready() if t.task_spec.bpmn_id == bpmn_id]
        assert len(tasks) == 1, f"{bpmn_id} not ready; ready: {self.ready_ids()}"
        task = tasks[0]
        assert task.task_spec.lane in LANES, f"{bpmn_id} lane {task.task_spec.lane!r}"
        assert task.task_spec.form.key in FORM_KEYS, bpmn_id
        self.due[bpmn_id] = self.engine.evaluate(task, unwrap(DUE[bpmn_id]))
        task.set_data(**data)
        task.run()
        self.wf.do_engine_steps()

    def waiting_timer(self, bpmn_id: str) -> Any:
        tasks = [
            t for t in self.wf.get_tasks(state=TaskState.WAITING) if t.task_spec.bpmn_id == bpmn_id
        ]
        assert len(tasks) == 1, f"timer {bpmn_id} not waiting"
        return tasks[0]

    def pass_time(self, timer_id: str, expected: timedelta) -> None:
        """Check when the timer would fire, then pretend that moment has passed."""
        timer = self.waiting_timer(timer_id)
        fire_at = datetime.fromisoformat(timer.internal_data["event_value"])
        delta = fire_at - datetime.now(UTC)
        assert abs(delta - expected) < timedelta(minutes=5), f"{timer_id} fires in {delta}"
        timer.internal_data["event_value"] = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
        self.wf.refresh_timers()
        self.wf.do_engine_steps()

    def message(self, name: str) -> None:
        payload = {"payload": {"achterstand_opgelost": True}, "result_var": "bericht"}
        self.wf.catch(BpmnEvent(MessageEventDefinition(name), payload=payload))
        self.wf.do_engine_steps()

    def to_meldpunt(self, **melding: Any) -> None:
        self.complete("Task_ContactCorporatie", **NIET_OPGELOST)
        self.complete("Task_Melding", **melding)

    def to_contact(self, triage: dict[str, Any] | None = None, **melding: Any) -> None:
        self.to_meldpunt(**melding)
        self.complete("Task_Triage", **(triage or TRIAGE))

    def finished(self, uitkomst: str, end_event: str, statuses: list[str]) -> None:
        assert self.wf.is_completed(), f"not completed; ready: {self.ready_ids()}"
        data = self.wf.last_task.data
        assert data.get("uitkomst") == uitkomst, data.get("uitkomst")
        ends = {
            t.task_spec.bpmn_id
            for t in self.wf.get_tasks(state=TaskState.COMPLETED)
            if isinstance(t.task_spec, EndEvent)
        }
        assert end_event in ends, ends
        codes = [code for op, code in self.engine.calls if op == "stuur_status"]
        assert codes == statuses, codes
        leftover = self.wf.get_tasks(state=TaskState.READY | TaskState.WAITING)
        assert not leftover, leftover


def scenario_voorkomen() -> None:
    case = Case()
    case.to_contact()
    case.complete("Task_ContactLeggen", **NIET_BEREIKT)  # a failed attempt loops back
    case.complete("Task_ContactLeggen", **BEREIKT)
    case.complete("Task_Kwetsbaarheid", bereid_tot_medewerking=True, conclusie_kwetsbaar=True)
    case.complete("Task_Plan", diensten=["schuldhulp", "huur_uit_uitkering"])
    case.complete(
        "Task_Overdracht",
        ontvangende_organisatie="Wijkteam Krimpenerwaard",
        overdrachtsdatum="2025-04-01",
    )
    case.finished("voorkomen", "EndEvent_Overgedragen", ["ontvangen", "overgedragen"])
    assert ("registreer_opschorting", None) in case.engine.calls
    assert case.wf.last_task.data["prioriteit"] == "P3"
    assert case.due["Task_ContactLeggen"] == "P5D", case.due
    assert case.due["Task_Triage"] == "P2D" and case.due["Task_Melding"] == "P5D"


def scenario_opgelost_voor_melding() -> None:
    case = Case()
    case.complete(
        "Task_ContactCorporatie", achterstand_opgelost=True, betalingsregeling_getroffen=True
    )
    case.finished("opgelost", "EndEvent_OpgelostZonderMelding", [])
    assert case.engine.calls == []


def scenario_opgelost_via_bericht() -> None:
    case = Case()
    case.to_contact()
    assert case.ready_ids() == ["Task_ContactLeggen"]
    case.message("achterstand_opgelost")
    case.finished("opgelost", "EndEvent_OpgelostNaMelding", ["ontvangen"])


def scenario_uitgesloten() -> None:
    reasons = {
        "opiumwet": "opiumwet",
        "onrechtmatige_bewoning": "bewoning",
        "geen_verblijfsstatus": "verblijfsstatus",
        "extreme_overlast": "overlast",
        "geen_legaal_inkomen": "inkomen",
    }
    for field, reason in reasons.items():
        case = Case()
        # also kan_zelf_oplossen: the exclusion must win (rule order, hit policy FIRST)
        case.to_contact({**TRIAGE, field: True, "kan_zelf_oplossen": True})
        case.finished(
            f"uitgesloten:{reason}", "EndEvent_NietInDoelgroep", ["ontvangen", "afgesloten"]
        )
    case = Case()  # two exclusions: the first in covenant order wins
    case.to_contact({**TRIAGE, "geen_legaal_inkomen": True, "onrechtmatige_bewoning": True})
    case.finished("uitgesloten:bewoning", "EndEvent_NietInDoelgroep", ["ontvangen", "afgesloten"])


def scenario_geen_doelgroep() -> None:
    case = Case()
    case.to_contact({**TRIAGE, "kan_zelf_oplossen": True})
    case.finished("geen_doelgroep", "EndEvent_NietInDoelgroep", ["ontvangen", "afgesloten"])


def scenario_geen_medewerking() -> None:
    case = Case()
    case.to_contact()
    case.complete("Task_ContactLeggen", **BEREIKT)
    case.complete("Task_Kwetsbaarheid", bereid_tot_medewerking=False, conclusie_kwetsbaar=True)
    case.finished("geen_medewerking", "EndEvent_GeenMedewerking", ["ontvangen", "geen_medewerking"])


def scenario_geen_contact() -> None:
    case = Case()
    case.to_contact()
    case.complete("Task_ContactLeggen", **NIET_BEREIKT)
    assert case.ready_ids() == ["Task_ContactLeggen"]
    case.pass_time("Timer_GeenContact", timedelta(days=14))
    case.finished("geen_contact", "EndEvent_GeenContact", ["ontvangen", "geen_contact"])


def scenario_escalatie() -> None:
    """P1: the contact deadline is 1 working day; missing it escalates without interrupting,
    and reaching the tenant closes the open escalation (terminate end event)."""
    over_10_dagen = (date.today() + timedelta(days=10)).isoformat()
    case = Case(
        vonnis=True,
        vonnisdatum="2025-01-15",
        ontruimingsdatum=over_10_dagen,
        reden_melding="ontruimingsvonnis",
    )
    case.to_contact()
    data = case.ready()[0].data
    assert data["dagen_tot_ontruiming"] == 10 and data["prioriteit"] == "P1", data
    case.pass_time("Timer_ContactTeLaat", timedelta(days=1))
    assert case.ready_ids() == ["Task_ContactLeggen", "Task_EscalatieContact"], case.ready_ids()
    assert case.due["Task_Triage"] == "P2D"
    case.complete("Task_ContactLeggen", **BEREIKT)
    assert case.ready_ids() == ["Task_Kwetsbaarheid"], case.ready_ids()
    assert case.due["Task_ContactLeggen"] == "P1D"
    case.complete("Task_Kwetsbaarheid", bereid_tot_medewerking=True, conclusie_kwetsbaar=True)
    case.complete("Task_Plan", diensten=[])
    case.complete(
        "Task_Overdracht",
        ontvangende_organisatie="Wijkteam Krimpenerwaard",
        overdrachtsdatum="2025-04-01",
    )
    case.finished("voorkomen", "EndEvent_Overgedragen", ["ontvangen", "overgedragen"])

    case = Case()  # escalation handled by the team lead, then contact
    case.to_contact()
    case.pass_time("Timer_ContactTeLaat", timedelta(days=5))
    case.complete("Task_EscalatieContact")
    case.complete("Task_ContactLeggen", **BEREIKT)
    assert case.ready_ids() == ["Task_Kwetsbaarheid"], case.ready_ids()


def scenario_prioriteit() -> None:
    """DMN-2 rows, driven through the diagram up to the first contact attempt."""
    soon = (date.today() + timedelta(days=14)).isoformat()
    later = (date.today() + timedelta(days=15)).isoformat()
    cases = [
        ({"vonnis": True, "ontruimingsdatum": soon}, 14, "P1"),
        ({"vonnis": True, "ontruimingsdatum": later}, 15, "P2"),
        ({"vonnis": True, "ontruimingsdatum": None}, None, "P2"),
        ({"kinderen_onder_18": 2, "achterstand_maanden": 2}, None, "P1"),
        ({"kinderen_onder_18": 1, "achterstand_maanden": 1.5}, None, "P2"),
        ({"kinderen_onder_18": None, "achterstand_maanden": 3}, None, "P3"),
        ({"achterstand_maanden": 1}, None, "P4"),
        ({"achterstand_maanden": None}, None, "P4"),
    ]
    for melding, dagen, expected in cases:
        case = Case()
        case.to_contact(**melding)
        data = case.ready()[0].data
        assert data["dagen_tot_ontruiming"] == dagen, (melding, data["dagen_tot_ontruiming"])
        assert data["prioriteit"] == expected, (melding, data["prioriteit"])
        assert data["doelgroep_uitkomst"] == "doelgroep"


SCENARIOS = [
    scenario_voorkomen,
    scenario_opgelost_voor_melding,
    scenario_opgelost_via_bericht,
    scenario_uitgesloten,
    scenario_geen_doelgroep,
    scenario_geen_medewerking,
    scenario_geen_contact,
    scenario_escalatie,
    scenario_prioriteit,
]


def main() -> int:
    check_xml()
    for scenario in SCENARIOS:
        try:
            scenario()
            print(f"ok    {scenario.__name__}")
        except Exception as exc:  # report every scenario, not only the first failure
            FAILURES.append(f"{scenario.__name__}: {type(exc).__name__}: {exc}")
            print(f"FAIL  {scenario.__name__}: {exc}")
    for failure in FAILURES:
        print("FAIL ", failure)
    print("all checks passed" if not FAILURES else f"{len(FAILURES)} failure(s)")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
