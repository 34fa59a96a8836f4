"""Every diagram in processes/bpmn is legible in a modeller (issue 3: every element drawn, no
overlapping shapes): each element has a shape, shapes sit in their lane, pool and subprocess and
do not overlap, flows start and end on their shapes without running through other shapes, and
labels do not cover shapes. Messages name the file and the elements.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = ROOT / "processes" / "bpmn"
FILES = sorted(PROCESSES.rglob("*.bpmn"))

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS = {
    "bpmn": BPMN,
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
}
FLOW_NODES = {
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
    "boundaryEvent", "task", "userTask", "manualTask", "scriptTask", "serviceTask",
    "businessRuleTask", "sendTask", "receiveTask", "callActivity", "subProcess", "transaction",
    "exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway",
    "complexGateway",
}  # fmt: skip
CONTAINERS = {"subProcess", "transaction"}
#: how far (px) a waypoint may lie from its shape's outline
TOLERANCE = 2.0


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )

    def contains(self, other: Box) -> bool:
        return (
            self.x <= other.x
            and self.y <= other.y
            and other.x + other.w <= self.x + self.w
            and other.y + other.h <= self.y + self.h
        )

    def holds_point(self, px: float, py: float, slack: float = 0.0) -> bool:
        return (
            self.x - slack <= px <= self.x + self.w + slack
            and self.y - slack <= py <= self.y + self.h + slack
        )

    def on_outline(self, px: float, py: float) -> bool:
        if not self.holds_point(px, py, TOLERANCE):
            return False
        return (
            min(
                abs(px - self.x), abs(px - self.x - self.w), abs(py - self.y),
                abs(py - self.y - self.h),
            )
            <= TOLERANCE
        )  # fmt: skip

    def inner(self, margin: float = 1.0) -> Box:
        return Box(self.x + margin, self.y + margin, self.w - 2 * margin, self.h - 2 * margin)


def local(el: Any) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def bounds(el: Any) -> Box:
    b = el.find("dc:Bounds", NS)
    return Box(*(float(b.get(k)) for k in ("x", "y", "width", "height")))


def segment_crosses(p: tuple[float, float], q: tuple[float, float], box: Box) -> bool:
    """Whether the segment p-q passes through the box's interior (Liang-Barsky clipping)."""
    inner = box.inner()
    (x1, y1), (x2, y2) = p, q
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = 0.0, 1.0
    for edge_p, edge_q in (
        (-dx, x1 - inner.x),
        (dx, inner.x + inner.w - x1),
        (-dy, y1 - inner.y),
        (dy, inner.y + inner.h - y1),
    ):
        if edge_p == 0:
            if edge_q < 0:
                return False
            continue
        t = edge_q / edge_p
        if edge_p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return False
    return t1 - t0 > 1e-9


class Diagram:
    """One file's model elements and their drawing."""

    def __init__(self, path: Path) -> None:
        self.name = path.relative_to(PROCESSES).as_posix()
        self.root = etree.parse(str(path)).getroot()
        self.elements = {el.get("id"): el for el in self.root.iter() if el.get("id")}
        self.shapes = {
            s.get("bpmnElement"): s for s in self.root.iterfind(".//bpmndi:BPMNShape", NS)
        }
        self.edges = {e.get("bpmnElement"): e for e in self.root.iterfind(".//bpmndi:BPMNEdge", NS)}
        self.nodes = {
            el.get("id"): el
            for el in self.root.iter(f"{{{BPMN}}}*")
            if local(el) in FLOW_NODES and el.get("id")
        }
        self.boxes = {n: bounds(self.shapes[n]) for n in self.nodes if n in self.shapes}

    def ancestors(self, node_id: str) -> set[str]:
        return {a.get("id") for a in self.nodes[node_id].iterancestors() if local(a) in CONTAINERS}

    def related(self, a: str, b: str) -> bool:
        """Nested in one another, or a boundary event and its host."""
        na, nb = self.nodes[a], self.nodes[b]
        if a in self.ancestors(b) or b in self.ancestors(a):
            return True
        host_a, host_b = na.get("attachedToRef"), nb.get("attachedToRef")
        return host_a == b or host_b == a

    def top_level(self, node_id: str) -> str:
        node = self.nodes[node_id]
        if node.get("attachedToRef"):
            return self.top_level(node.get("attachedToRef"))
        outer = [a for a in node.iterancestors() if local(a) in CONTAINERS]
        return outer[-1].get("id") if outer else node_id


def diagrams() -> list[Any]:
    return [pytest.param(path, id=path.relative_to(PROCESSES).as_posix()) for path in FILES]


def test_there_are_diagrams() -> None:
    assert FILES, f"no .bpmn files under {PROCESSES}"


@pytest.mark.parametrize("path", diagrams())
def test_ids_are_unique(path: Path) -> None:
    root = etree.parse(str(path)).getroot()
    ids = [el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    assert not twice, f"{path.name}: ids used more than once: {', '.join(twice)}"


@pytest.mark.parametrize("path", diagrams())
def test_every_element_is_drawn(path: Path) -> None:
    d = Diagram(path)
    missing = [
        f"{local(el)} {el.get('id')}"
        for el in d.root.iter(f"{{{BPMN}}}*")
        if (local(el) in FLOW_NODES | {"participant", "lane"} and el.get("id") not in d.shapes)
        or (local(el) == "sequenceFlow" and el.get("id") not in d.edges)
    ]
    dangling = [ref for ref in [*d.shapes, *d.edges] if ref not in d.elements]
    assert not missing, f"{d.name}: not drawn: {', '.join(missing)}"
    assert not dangling, f"{d.name}: drawings of unknown elements: {', '.join(dangling)}"


@pytest.mark.parametrize("path", diagrams())
def test_shapes_do_not_overlap(path: Path) -> None:
    d = Diagram(path)
    clashes = [
        f"{a} and {b}"
        for a, b in itertools.combinations(sorted(d.boxes), 2)
        if not d.related(a, b) and d.boxes[a].overlaps(d.boxes[b])
    ]
    assert not clashes, f"{d.name}: overlapping shapes: {'; '.join(clashes)}"


@pytest.mark.parametrize("path", diagrams())
def test_shapes_sit_in_their_pool_lane_and_subprocess(path: Path) -> None:
    d = Diagram(path)
    problems = []
    pools = {}
    for participant in d.root.iterfind(".//bpmn:participant", NS):
        pool = bounds(d.shapes[participant.get("id")])
        pools[participant.get("processRef")] = pool
    for a, b in itertools.combinations(pools.values(), 2):
        if a.overlaps(b):
            problems.append("pools overlap")
    for process in d.root.iterfind("bpmn:process", NS):
        pool = pools.get(process.get("id"))
        lanes = {}
        for lane in process.iterfind(".//bpmn:lane", NS):
            lanes[lane.get("id")] = bounds(d.shapes[lane.get("id")])
            if pool is not None and not pool.contains(lanes[lane.get("id")]):
                problems.append(f"lane {lane.get('id')} outside its pool")
            for ref in lane.iterfind("bpmn:flowNodeRef", NS):
                for node_id in d.boxes:
                    if d.top_level(node_id) != ref.text:
                        continue
                    box = d.boxes[node_id]
                    cx, cy = box.x + box.w / 2, box.y + box.h / 2
                    inside = (
                        lanes[lane.get("id")].holds_point(cx, cy)
                        if d.nodes[node_id].get("attachedToRef")
                        else lanes[lane.get("id")].contains(box)
                    )
                    if not inside:
                        problems.append(f"{node_id} drawn outside lane {lane.get('name')!r}")
        for a, b in itertools.combinations(lanes.values(), 2):
            if a.overlaps(b):
                problems.append(f"lanes of {process.get('id')} overlap")
        for node in process.iter(f"{{{BPMN}}}*"):
            node_id = node.get("id")
            if node_id not in d.boxes:
                continue
            if pool is not None and not pool.contains(d.boxes[node_id]):
                problems.append(f"{node_id} outside its pool")
            if node.get("attachedToRef"):
                continue
            for container in d.ancestors(node_id):
                if container in d.boxes and not d.boxes[container].contains(d.boxes[node_id]):
                    problems.append(f"{node_id} outside subprocess {container}")
    assert not problems, f"{d.name}: {'; '.join(problems)}"


@pytest.mark.parametrize("path", diagrams())
def test_flows_connect_their_shapes_around_others(path: Path) -> None:
    d = Diagram(path)
    problems = []
    for flow in d.root.iter(f"{{{BPMN}}}sequenceFlow"):
        fid, src, tgt = flow.get("id"), flow.get("sourceRef"), flow.get("targetRef")
        edge = d.edges.get(fid)
        if edge is None or src not in d.boxes or tgt not in d.boxes:
            continue  # reported by test_every_element_is_drawn
        points = [(float(w.get("x")), float(w.get("y"))) for w in edge.iterfind("di:waypoint", NS)]
        if len(points) < 2:
            problems.append(f"{fid} has fewer than two waypoints")
            continue
        for end, node_id in ((points[0], src), (points[-1], tgt)):
            box = d.boxes[node_id]
            round_or_diamond = local(d.nodes[node_id]).endswith(("Event", "Gateway"))
            ok = box.holds_point(*end, TOLERANCE) if round_or_diamond else box.on_outline(*end)
            if not ok:
                problems.append(f"{fid} does not touch {node_id} at {end}")
        # a flow may cross the subprocess it runs in and, from a boundary event, its host
        passable = {src, tgt, d.nodes[src].get("attachedToRef")}
        passable |= d.ancestors(src) | d.ancestors(tgt)
        for p, q in itertools.pairwise(points):
            for other, box in d.boxes.items():
                if other not in passable and segment_crosses(p, q, box):
                    problems.append(f"{fid} runs through {other}")
    assert not problems, f"{d.name}: {'; '.join(problems)}"


@pytest.mark.parametrize("path", diagrams())
def test_labels_do_not_cover_shapes(path: Path) -> None:
    d = Diagram(path)
    problems = []
    for element_id, drawing in itertools.chain(d.shapes.items(), d.edges.items()):
        label = drawing.find("bpmndi:BPMNLabel", NS)
        if label is None or label.find("dc:Bounds", NS) is None or element_id not in d.elements:
            continue
        own = d.elements[element_id]
        exempt = {element_id, own.get("attachedToRef"), own.get("sourceRef"), own.get("targetRef")}
        exempt |= {a.get("id") for a in own.iterancestors()}
        box = bounds(label)
        for other, other_box in d.boxes.items():
            if other in exempt or local(d.nodes[other]) in CONTAINERS:
                continue
            if box.overlaps(other_box):
                problems.append(f"label of {element_id} covers {other}")
    assert not problems, f"{d.name}: {'; '.join(problems)}"
