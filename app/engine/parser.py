"""A SpiffWorkflow parser that also reads what Camunda Modeler (Camunda 7) writes.

``spiffworkflow:`` extensions keep working. On top of them every task parser reads
``camunda:*`` attributes, ``camunda:properties`` and ``camunda:inputOutput``; service
tasks map ``camunda:delegateExpression``/``class``/``expression`` to a registered
operation; business rule tasks take ``camunda:decisionRef``; conditions may be simple
JUEL; timer values may be bare ISO-8601 or working-day expressions; timers read the
engine clock. XML is parsed without DTDs, entities or network access.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser, full_tag
from SpiffWorkflow.bpmn.parser.util import first, xpath_eval
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.parser.task_spec import BusinessRuleTaskParser, SpiffTaskParser
from SpiffWorkflow.spiff.specs.spiff_task import SpiffBpmnTask

from app.engine.juel import JuelError, juel_to_python, normalise_timer
from app.engine.service_task import VoorkomServiceTask
from app.engine.timers import (
    ClockCycleTimerEventDefinition,
    ClockDurationTimerEventDefinition,
    ClockTimeDateEventDefinition,
)

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
CAMUNDA_NSMAP = {"camunda": CAMUNDA_NS}
_EXPR_NAME = re.compile(r"^\s*[$#]\{\s*([A-Za-z_][\w.]*)\s*\}\s*$")


class UnsafeXml(ValueError):
    """The file uses DTDs or entities, or is not well-formed XML.

    The message does not repeat the file name (``filename`` holds it): problems already
    name their file.
    """

    def __init__(self, filename: str, message: str) -> None:
        super().__init__(message)
        self.filename = filename


def safe_xml(data: bytes | str, filename: str) -> Any:
    """Parse XML without DTD, entity expansion or network; refuse any DOCTYPE."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper():
        raise UnsafeXml(
            filename,
            "DOCTYPE- en ENTITY-declaraties zijn niet toegestaan (het bestand is niet verder "
            "gelezen; externe entiteiten en het uitvouwen van entiteiten worden geweigerd)",
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=False,
    )
    try:
        return etree.fromstring(raw, parser=parser).getroottree()
    except etree.XMLSyntaxError as exc:
        raise UnsafeXml(filename, f"het bestand is geen geldige XML: {exc}") from exc


def operation_name(text: str | None) -> str | None:
    """``${afloscapaciteit}`` -> ``afloscapaciteit``; a Java class -> its simple name."""
    if not text:
        return None
    match = _EXPR_NAME.match(text)
    if match:
        return match.group(1)
    return text.strip().rsplit(".", 1)[-1]


def _literal_or_expression(text: str | None) -> str:
    """An inputOutput value: ``${expr}`` is an expression, other text a string literal."""
    if text is None:
        return "None"
    body = text.strip()
    if body.startswith(("${", "#{")):
        return juel_to_python(body)
    return repr(body)


def read_camunda(node: Any) -> dict[str, Any]:
    """Everything ``camunda:`` on a node, as plain values."""
    found: dict[str, Any] = {}
    attrs = {
        etree.QName(key).localname: value
        for key, value in node.attrib.items()
        if key.startswith("{" + CAMUNDA_NS + "}")
    }
    if attrs:
        found["camunda"] = attrs
    xpath = xpath_eval(node, CAMUNDA_NSMAP)
    props = xpath("./bpmn:extensionElements/camunda:properties/camunda:property")
    if props:
        found["properties"] = {p.get("name"): p.get("value", "") for p in props}
    io = first(xpath("./bpmn:extensionElements/camunda:inputOutput"))
    if io is not None:
        inputs: dict[str, str] = {}
        outputs: dict[str, str] = {}
        unsupported: list[str] = []
        for child in io:
            kind = etree.QName(child).localname
            name = child.get("name")
            if len(child):  # script, list or map
                unsupported.append(
                    f"camunda:inputOutput {kind} {name!r} gebruikt een script, lijst of map; "
                    "alleen tekst en ${...}-waarden werken"
                )
                continue
            target = inputs if kind == "inputParameter" else outputs
            target[name] = _literal_or_expression(child.text)
        found["inputOutput"] = {"inputs": inputs, "outputs": outputs, "unsupported": unsupported}
    form_fields = xpath("./bpmn:extensionElements/camunda:formData/camunda:formField")
    if form_fields:
        found["formData"] = [_form_field(f) for f in form_fields]
    return found


def _form_field(node: Any) -> dict[str, Any]:
    xpath = xpath_eval(node, CAMUNDA_NSMAP)
    return {
        "id": node.get("id"),
        "label": node.get("label"),
        "type": node.get("type", "string"),
        "defaultValue": node.get("defaultValue"),
        "constraints": {
            c.get("name"): c.get("config") for c in xpath("./camunda:validation/camunda:constraint")
        },
        "values": [(v.get("id"), v.get("name")) for v in xpath("./camunda:value")],
        "properties": {
            p.get("id"): p.get("value") for p in xpath("./camunda:properties/camunda:property")
        },
    }


class CamundaMixin:
    """Reads camunda: extensions, JUEL conditions and clock-aware timers for any node."""

    node: Any
    filename: str | None

    def parse_extensions(self, node: Any = None) -> dict[str, Any]:
        node = self.node if node is None else node
        extensions: dict[str, Any] = SpiffTaskParser._parse_extensions(node)
        camunda = read_camunda(node)
        props = {**camunda.pop("properties", {}), **extensions.get("properties", {})}
        extensions.update(camunda)
        if props:
            extensions["properties"] = props
        attrs = extensions.get("camunda", {})
        for key in ("formKey", "dueDate", "followUpDate", "priority", "candidateGroups"):
            if key in attrs and key not in extensions:
                extensions[key] = attrs[key]
        io = extensions.get("inputOutput")
        if io and node is self.node and not self._holds_scripts():
            io["unsupported"].append(
                f"camunda:inputOutput op een {etree.QName(node).localname} wordt niet "
                "toegepast; gebruik het op een taak, subproces of aanroep deelproces "
                "(call activity)"
            )
        if io:
            pre = "\n".join(f"{name} = {expr}" for name, expr in io["inputs"].items())
            post = "\n".join(f"{name} = {expr}" for name, expr in io["outputs"].items())
            if pre:
                extensions["preScript"] = "\n".join(
                    filter(None, [extensions.get("preScript"), pre])
                )
            if post:
                extensions["postScript"] = "\n".join(
                    filter(None, [extensions.get("postScript"), post])
                )
        if "serviceTaskOperator" not in extensions and etree.QName(node).localname in (
            "serviceTask",
            "sendTask",
        ):
            operator = self._camunda_operator(attrs, props)
            if operator is not None:
                extensions["serviceTaskOperator"] = operator
        return extensions

    def _holds_scripts(self) -> bool:
        """Whether the spec this parser makes runs pre- and post-scripts."""
        spec_class = getattr(self, "spec_class", None)
        return isinstance(spec_class, type) and issubclass(spec_class, SpiffBpmnTask)

    def create_task(self) -> Any:
        """Spiff's script-task and event parsers drop pre/post-scripts; put them back."""
        extensions = self.parse_extensions()
        if (
            etree.QName(self.node).localname == "serviceTask"
            and "serviceTaskOperator" not in extensions
        ):
            raise ValidationException(
                "servicetaak (service task) heeft geen implementatie: zet Implementation op "
                "Delegate expression met een geregistreerde operatie, "
                'camunda:delegateExpression="${operation}"',
                node=self.node,
                file_name=self.filename,
            )
        task = super().create_task()  # type: ignore[misc]
        for attr, key in (("prescript", "preScript"), ("postscript", "postScript")):
            if extensions.get(key) and getattr(task, attr, False) is None:
                setattr(task, attr, extensions[key])
        return task

    def parse_message_event(self, message_event: Any) -> Any:
        """A caught message's payload lands in the variable named after the message.

        Spiff only copies the payload when ``spiffworkflow:messageVariable`` is set, which
        Camunda Modeler cannot write; without it the payload would be dropped.
        """
        definition = super().parse_message_event(message_event)  # type: ignore[misc]
        if getattr(definition, "message_var", False) is None and definition.name:
            definition.message_var = definition.name
        return definition

    @staticmethod
    def _camunda_operator(attrs: dict[str, str], props: dict[str, str]) -> dict[str, Any] | None:
        name: str | None
        if attrs.get("type") == "external":
            name = f"external:{attrs.get('topic', '')}"
        else:
            name = operation_name(
                attrs.get("delegateExpression") or attrs.get("class") or attrs.get("expression")
            )
        if name is None:
            return None
        return {
            "name": name,
            "resultVariable": attrs.get("resultVariable"),
            "parameters": {
                key: {"value": repr(value), "type": "str"} for key, value in props.items()
            },
        }

    def parse_condition(self, sequence_flow: Any) -> str | None:
        expression = first(xpath_eval(sequence_flow)(".//bpmn:conditionExpression"))
        if expression is None or expression.text is None:
            return None
        try:
            return juel_to_python(expression.text)
        except JuelError as exc:
            raise ValidationException(
                str(exc), node=sequence_flow, file_name=self.filename
            ) from exc

    def parse_timer_event(self, event: Any) -> Any:
        description = self.get_event_description(event)  # type: ignore[attr-defined]
        name = self.node.get("name", self.node.get("id"))
        xpath = self.xpath  # type: ignore[attr-defined]
        for tag, cls in (
            ("timeDate", ClockTimeDateEventDefinition),
            ("timeDuration", ClockDurationTimerEventDefinition),
            ("timeCycle", ClockCycleTimerEventDefinition),
        ):
            found = first(xpath(f".//bpmn:{tag}"))
            if found is not None:
                text = (found.text or "").strip()
                if not text:
                    raise ValidationException(
                        f"timer {tag} is leeg", node=self.node, file_name=self.filename
                    )
                return cls(name, normalise_timer(text), description=description)
        raise ValidationException(
            "onbekende tijdsaanduiding: geef de timer een timeDate, timeDuration of timeCycle",
            node=self.node,
            file_name=self.filename,
        )


class VoorkomBusinessRuleTaskParser(CamundaMixin, BusinessRuleTaskParser):
    """Decision reference from ``spiffworkflow:calledDecisionId`` or ``camunda:decisionRef``."""

    def create_task(self) -> Any:
        ref = self.get_decision_ref(self.node)
        if not ref:
            raise ValidationException(
                "beslistaak (business rule task) verwijst niet naar een beslistabel "
                "(camunda:decisionRef)",
                node=self.node,
                file_name=self.filename,
            )
        known = self.process_parser.parser.dmn_parsers
        if ref not in known:
            raise ValidationException(
                f"beslistabel {ref!r} bestaat niet; bekende beslistabellen: "
                f"{', '.join(sorted(known)) or 'geen'}",
                node=self.node,
                file_name=self.filename,
            )
        return super().create_task()

    @staticmethod
    def get_decision_ref(node: Any) -> str | None:
        ref = SpiffTaskParser._parse_extensions(node).get("calledDecisionId")
        return ref or node.get(f"{{{CAMUNDA_NS}}}decisionRef")


def _override_classes() -> dict[str, tuple[type, type]]:
    merged = {**BpmnParser.PARSER_CLASSES, **SpiffBpmnParser.OVERRIDE_PARSER_CLASSES}
    result: dict[str, tuple[type, type]] = {}
    for tag, (parser_cls, spec_cls) in merged.items():
        if tag == full_tag("businessRuleTask"):
            result[tag] = (VoorkomBusinessRuleTaskParser, spec_cls)
            continue
        mixed = type(f"Voorkom{parser_cls.__name__}", (CamundaMixin, parser_cls), {})
        if tag == full_tag("serviceTask"):
            spec_cls = VoorkomServiceTask
        result[tag] = (mixed, spec_cls)
    return result


class VoorkomParser(SpiffBpmnParser):
    """The project's parser: Spiff + Camunda 7 extensions, safe XML."""

    OVERRIDE_PARSER_CLASSES = _override_classes()

    def add_source(self, filename: str, data: bytes | str) -> None:
        """Add one .bpmn or .dmn file's content."""
        tree = safe_xml(data, filename)
        if filename.lower().endswith(".dmn"):
            self.add_dmn_xml(tree.getroot(), filename=filename)
        else:
            self.add_bpmn_xml(tree, filename=filename)
