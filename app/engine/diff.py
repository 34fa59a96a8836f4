"""What changed between two versions' diagram files, element by element (by BPMN/DMN id).

A pure comparison of the stored XML (``ProcessVersion.sources``): elements are matched by their
id within their process (ids such as ``StartEvent_1`` recur across files), so a file may be
renamed or split without every element showing up as removed and added. An element is
*changed* when its type, name, attributes, ``camunda:`` extensions, form, due date, lane,
incoming or outgoing flows, condition, timer, script, documentation or other content differ;
``aspects`` says which, so the workbench can mark it on the diagram and explain it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from app.engine.parser import CAMUNDA_NS, UnsafeXml, safe_xml

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
#: elements of a process the diff reports on (flow nodes, flows, lanes, data)
TRACKED = frozenset(
    {
        "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask",
        "businessRuleTask", "callActivity", "subProcess", "transaction", "adHocSubProcess",
        "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
        "boundaryEvent", "exclusiveGateway", "inclusiveGateway", "parallelGateway",
        "eventBasedGateway", "complexGateway", "sequenceFlow", "lane", "dataObject",
        "dataObjectReference", "dataStoreReference",
    }
)  # fmt: skip
#: elements outside a process that processes refer to (messages, signals, errors, pools)
ROOT_ELEMENTS = frozenset(
    {"message", "signal", "error", "escalation", "participant", "messageFlow"}
)
#: children folded into the aspects of their parent instead of reported on their own
_FOLDED = frozenset(
    {
        "documentation", "extensionElements", "incoming", "outgoing", "conditionExpression",
        "script", "flowNodeRef", "childLaneSet", "laneSet",
    }
)  # fmt: skip
#: Dutch labels of the aspects, for the workbench
ASPECT_LABELS: dict[str, str] = {
    "type": "soort element",
    "name": "naam",
    "attributes": "instellingen",
    "extensions": "Camunda-eigenschappen",
    "form": "formulier",
    "due_date": "termijn (due date)",
    "lane": "baan (partij)",
    "incoming": "inkomende stromen",
    "outgoing": "uitgaande stromen",
    "condition": "voorwaarde",
    "timer": "timer",
    "event": "gebeurtenis",
    "script": "script",
    "documentation": "toelichting",
    "content": "inhoud",
    "decision": "beslistabel",
}


@dataclass(frozen=True)
class ElementChange:
    """One element that was added, removed or changed."""

    process: str
    element: str
    type: str
    name: str | None
    file: str
    aspects: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "process": self.process,
            "element": self.element,
            "type": self.type,
            "name": self.name,
            "file": self.file,
            "aspects": list(self.aspects),
            "aspect_labels": [ASPECT_LABELS.get(a, a) for a in self.aspects],
        }


@dataclass(frozen=True)
class SourceDiff:
    """Added, removed and changed elements between two sets of diagram files."""

    added: list[ElementChange] = field(default_factory=list)
    removed: list[ElementChange] = field(default_factory=list)
    changed: list[ElementChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def in_file(self, name: str) -> SourceDiff:
        """Only what concerns one file (the diagram the workbench shows)."""
        return SourceDiff(
            [c for c in self.added if c.file == name],
            [c for c in self.removed if c.file == name],
            [c for c in self.changed if c.file == name],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "added": [c.to_json() for c in self.added],
            "removed": [c.to_json() for c in self.removed],
            "changed": [c.to_json() for c in self.changed],
        }


@dataclass(frozen=True)
class _Element:
    process: str
    element: str
    type: str
    name: str | None
    file: str
    facets: tuple[tuple[str, Any], ...]


def diff_sources(old: Mapping[str, str], new: Mapping[str, str]) -> SourceDiff:
    """Compare two versions' files: a pure function of the XML texts."""
    before = _elements(old)
    after = _elements(new)
    added = [_change(after[key]) for key in after if key not in before]
    removed = [_change(before[key]) for key in before if key not in after]
    changed = []
    for key in after:
        if key not in before:
            continue
        old_facets = dict(before[key].facets)
        new_facets = dict(after[key].facets)
        aspects = tuple(a for a in new_facets if old_facets.get(a) != new_facets.get(a))
        if aspects:
            changed.append(_change(after[key], aspects))
    order = _order
    return SourceDiff(
        sorted(added, key=order), sorted(removed, key=order), sorted(changed, key=order)
    )


def _order(change: ElementChange) -> tuple[str, str, str]:
    return (change.file, change.process, change.element)


def _change(item: _Element, aspects: tuple[str, ...] = ()) -> ElementChange:
    return ElementChange(item.process, item.element, item.type, item.name, item.file, aspects)


def defined_ids(name: str, text: bytes | str) -> frozenset[str]:
    """What a file defines for others to refer to: ``process:<id>`` and ``decision:<id>``."""
    try:
        root = safe_xml(text, name).getroot()
    except UnsafeXml:
        return frozenset()
    if name.lower().endswith(".dmn"):
        return frozenset(
            f"decision:{el.get('id')}" for el in root.iter("{*}decision") if el.get("id")
        )
    return frozenset(
        f"process:{el.get('id')}" for el in root.iter(f"{{{BPMN_NS}}}process") if el.get("id")
    )


# --- reading elements ---------------------------------------------------------------------------


def _elements(sources: Mapping[str, str]) -> dict[tuple[str, str], _Element]:
    found: dict[tuple[str, str], _Element] = {}
    for name in sorted(sources):
        try:
            root = safe_xml(sources[name], name).getroot()
        except UnsafeXml:
            continue
        items = _dmn_elements(name, root) if name.lower().endswith(".dmn") else _bpmn(name, root)
        for item in items:
            found.setdefault((item.process, item.element), item)
    return found


def _bpmn(file: str, root: Any) -> Iterator[_Element]:
    processes = [p for p in root.iter(f"{{{BPMN_NS}}}process") if p.get("id")]
    scope = "definitions:" + ",".join(sorted(p.get("id") for p in processes))
    for el in root:
        if _local(el) in ROOT_ELEMENTS and el.get("id"):
            yield _read(file, scope, el, {}, {})
        if _local(el) == "collaboration":
            for child in el:
                if _local(child) in ROOT_ELEMENTS and child.get("id"):
                    yield _read(file, scope, child, {}, {})
    for process in processes:
        lanes = {
            ref.text.strip(): lane.get("name") or lane.get("id")
            for lane in process.iter(f"{{{BPMN_NS}}}lane")
            for ref in lane.iter(f"{{{BPMN_NS}}}flowNodeRef")
            if ref.text
        }
        flows: dict[str, dict[str, list[str]]] = {}
        for flow in process.iter(f"{{{BPMN_NS}}}sequenceFlow"):
            source, target = flow.get("sourceRef"), flow.get("targetRef")
            flows.setdefault(source, {"in": [], "out": []})["out"].append(flow.get("id"))
            flows.setdefault(target, {"in": [], "out": []})["in"].append(flow.get("id"))
        yield _read(file, process.get("id"), process, {}, {}, process_level=True)
        for el in process.iter():
            if el is process or not isinstance(el.tag, str) or not el.get("id"):
                continue
            if el.tag.startswith(f"{{{BPMN_NS}}}") and _local(el) in TRACKED:
                yield _read(file, process.get("id"), el, lanes, flows)


def _read(
    file: str,
    scope: str,
    el: Any,
    lanes: Mapping[str, str],
    flows: Mapping[str, Mapping[str, list[str]]],
    *,
    process_level: bool = False,
) -> _Element:
    element_id = el.get("id")
    facets: dict[str, Any] = {"type": _local(el), "name": (el.get("name") or "").strip()}
    facets["attributes"] = tuple(
        sorted(
            (etree.QName(k).localname, v)
            for k, v in el.attrib.items()
            if not k.startswith(f"{{{CAMUNDA_NS}}}") and k not in ("id", "name")
            and not k.startswith("{http://www.w3.org/2001/XMLSchema-instance}")
        )
    )  # fmt: skip
    camunda = {
        etree.QName(k).localname: v
        for k, v in el.attrib.items()
        if k.startswith(f"{{{CAMUNDA_NS}}}")
    }
    facets["form"] = (
        camunda.pop("formKey", None),
        _canon_all(el, "bpmn:extensionElements/camunda:formData"),
    )
    facets["due_date"] = camunda.pop("dueDate", None)
    facets["extensions"] = (
        tuple(sorted(camunda.items())),
        _canon_all(el, "bpmn:extensionElements/*[not(self::camunda:formData)]"),
    )
    facets["lane"] = lanes.get(element_id)
    facets["incoming"] = tuple(sorted(flows.get(element_id, {}).get("in", [])))
    facets["outgoing"] = tuple(sorted(flows.get(element_id, {}).get("out", [])))
    facets["condition"] = _texts(el, "bpmn:conditionExpression")
    facets["timer"] = _texts(el, "bpmn:timerEventDefinition/*")
    facets["event"] = _canon_all(
        el, "*[contains(local-name(), 'EventDefinition')][not(self::bpmn:timerEventDefinition)]"
    )
    facets["script"] = _texts(el, "bpmn:script")
    facets["documentation"] = _texts(el, "bpmn:documentation")
    if not process_level:
        facets["content"] = tuple(
            _canon(child)
            for child in el
            if isinstance(child.tag, str)
            and _local(child) not in _FOLDED
            and _local(child) not in TRACKED
            and "EventDefinition" not in _local(child)
        )
    return _Element(scope, element_id, _local(el), el.get("name"), file, tuple(facets.items()))


def _dmn_elements(file: str, root: Any) -> Iterator[_Element]:
    for decision in root.iter("{*}decision"):
        if not decision.get("id"):
            continue
        facets = {
            "type": "decision",
            "name": (decision.get("name") or "").strip(),
            "decision": tuple(_canon(child) for child in decision if isinstance(child.tag, str)),
        }
        yield _Element(
            "decisions", decision.get("id"), "decision", decision.get("name"), file,
            tuple(facets.items()),
        )  # fmt: skip


_NS = {"bpmn": BPMN_NS, "camunda": CAMUNDA_NS}


def _texts(el: Any, path: str) -> tuple[str, ...]:
    return tuple(" ".join((node.text or "").split()) for node in el.xpath(path, namespaces=_NS))


def _canon_all(el: Any, path: str) -> tuple[Any, ...]:
    return tuple(_canon(node) for node in el.xpath(path, namespaces=_NS))


def _canon(el: Any) -> Any:
    """An element as a comparable value: whitespace, comments and attribute order ignored."""
    if not isinstance(el.tag, str):
        return None
    return (
        el.tag,
        tuple(sorted(el.attrib.items())),
        " ".join((el.text or "").split()),
        tuple(_canon(child) for child in el if isinstance(child.tag, str)),
    )


def _local(el: Any) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""
