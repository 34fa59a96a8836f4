"""The lint rules that keep the catalogue honest (issue 3 item 7): every user task has a
registered form and a lane with a known role, every called process and decision exists, every
service operation is registered, every timer parses, every element and pool is drawn,
no element takes a name the engine reserves, no process is marked not executable, and every
message event names a message that exists.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine.lint import lint_sources
from app.engine.specs import Problem
from app.forms import form_keys
from app.services.deployments import lint as lint_catalogue
from app.services.deployments import read_directory
from app.tasks import OPERATIONS

PROCESSES = Path(__file__).resolve().parents[2] / "processes" / "bpmn"

#: a small valid variant: start -> user task -> service task -> call activity -> end,
#: with a message boundary event, in one lane, fully drawn
BASE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_t" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:collaboration id="Collaboration_t">
    <bpmn:participant id="Participant_t" name="Test" processRef="variant" />
  </bpmn:collaboration>
  <bpmn:process id="variant" name="Test" isExecutable="true">
    <bpmn:laneSet id="LaneSet_t">
      <bpmn:lane id="Lane_Corporatie" name="Woningcorporatie">
        <bpmn:flowNodeRef>StartEvent_1</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Task_Contact</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Task_Opschorting</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Call_Sub</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Boundary_Opgelost</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>EndEvent_1</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>EndEvent_2</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="StartEvent_1" camunda:formKey="signalering" />
    <bpmn:userTask id="Task_Contact" name="Contact" camunda:formKey="contact_corporatie" camunda:dueDate="${werkdagen(5)}" />
    <bpmn:serviceTask id="Task_Opschorting" camunda:delegateExpression="${registreer_opschorting}" />
    <bpmn:callActivity id="Call_Sub" calledElement="sub" />
    <bpmn:boundaryEvent id="Boundary_Opgelost" attachedToRef="Call_Sub">
      <bpmn:messageEventDefinition id="Med_1" messageRef="Message_Opgelost" />
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="EndEvent_1" />
    <bpmn:endEvent id="EndEvent_2" />
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Task_Contact" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_Contact" targetRef="Task_Opschorting" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Task_Opschorting" targetRef="Call_Sub" />
    <bpmn:sequenceFlow id="Flow_4" sourceRef="Call_Sub" targetRef="EndEvent_1" />
    <bpmn:sequenceFlow id="Flow_5" sourceRef="Boundary_Opgelost" targetRef="EndEvent_2" />
  </bpmn:process>
  <bpmn:message id="Message_Opgelost" name="achterstand_opgelost" />
  <bpmndi:BPMNDiagram id="BPMNDiagram_t">
    <bpmndi:BPMNPlane id="BPMNPlane_t" bpmnElement="Collaboration_t">
      <bpmndi:BPMNShape id="Participant_t_di" bpmnElement="Participant_t" isHorizontal="true"><dc:Bounds x="160" y="80" width="900" height="300" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Lane_Corporatie_di" bpmnElement="Lane_Corporatie" isHorizontal="true"><dc:Bounds x="190" y="80" width="870" height="300" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="StartEvent_1_di" bpmnElement="StartEvent_1"><dc:Bounds x="232" y="162" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_Contact_di" bpmnElement="Task_Contact"><dc:Bounds x="310" y="140" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_Opschorting_di" bpmnElement="Task_Opschorting"><dc:Bounds x="460" y="140" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Call_Sub_di" bpmnElement="Call_Sub"><dc:Bounds x="610" y="140" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="EndEvent_1_di" bpmnElement="EndEvent_1"><dc:Bounds x="772" y="162" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="EndEvent_2_di" bpmnElement="EndEvent_2"><dc:Bounds x="772" y="282" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Boundary_Opgelost_di" bpmnElement="Boundary_Opgelost"><dc:Bounds x="642" y="202" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1"><di:waypoint x="268" y="180" /><di:waypoint x="310" y="180" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_2_di" bpmnElement="Flow_2"><di:waypoint x="410" y="180" /><di:waypoint x="460" y="180" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_3_di" bpmnElement="Flow_3"><di:waypoint x="560" y="180" /><di:waypoint x="610" y="180" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_4_di" bpmnElement="Flow_4"><di:waypoint x="710" y="180" /><di:waypoint x="772" y="180" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_5_di" bpmnElement="Flow_5"><di:waypoint x="660" y="238" /><di:waypoint x="660" y="300" /><di:waypoint x="772" y="300" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""  # noqa: E501

#: the called process, with one user task of the Meldpunt and a decision
SUB = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_s" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="sub" isExecutable="true">
    <bpmn:laneSet id="LaneSet_s">
      <bpmn:lane id="Lane_Meldpunt" name="Meldpunt Zorg en Overlast">
        <bpmn:flowNodeRef>Start_Sub</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Task_Triage</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Task_Doelgroep</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Timer_Wacht</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>End_Sub</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="Start_Sub" />
    <bpmn:userTask id="Task_Triage" camunda:formKey="triage" />
    <bpmn:businessRuleTask id="Task_Doelgroep" camunda:decisionRef="doelgroep" />
    <bpmn:intermediateCatchEvent id="Timer_Wacht">
      <bpmn:timerEventDefinition id="Ted_1"><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P14D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="End_Sub" />
    <bpmn:sequenceFlow id="Flow_s1" sourceRef="Start_Sub" targetRef="Task_Triage" />
    <bpmn:sequenceFlow id="Flow_s2" sourceRef="Task_Triage" targetRef="Task_Doelgroep" />
    <bpmn:sequenceFlow id="Flow_s3" sourceRef="Task_Doelgroep" targetRef="Timer_Wacht" />
    <bpmn:sequenceFlow id="Flow_s4" sourceRef="Timer_Wacht" targetRef="End_Sub" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_s">
    <bpmndi:BPMNPlane id="BPMNPlane_s" bpmnElement="sub">
      <bpmndi:BPMNShape id="Lane_Meldpunt_di" bpmnElement="Lane_Meldpunt" isHorizontal="true"><dc:Bounds x="190" y="80" width="800" height="200" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Start_Sub_di" bpmnElement="Start_Sub"><dc:Bounds x="232" y="162" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_Triage_di" bpmnElement="Task_Triage"><dc:Bounds x="310" y="140" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_Doelgroep_di" bpmnElement="Task_Doelgroep"><dc:Bounds x="460" y="140" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Timer_Wacht_di" bpmnElement="Timer_Wacht"><dc:Bounds x="612" y="162" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="End_Sub_di" bpmnElement="End_Sub"><dc:Bounds x="712" y="162" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_s1_di" bpmnElement="Flow_s1"><di:waypoint x="268" y="180" /><di:waypoint x="310" y="180" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_s2_di" bpmnElement="Flow_s2"><di:waypoint x="410" y="180" /><di:waypoint x="460" y="180" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_s3_di" bpmnElement="Flow_s3"><di:waypoint x="560" y="180" /><di:waypoint x="612" y="180" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_s4_di" bpmnElement="Flow_s4"><di:waypoint x="648" y="180" /><di:waypoint x="712" y="180" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""  # noqa: E501


def problems(variant: str = BASE, sub: str = SUB) -> list[Problem]:
    sources = {
        "variant.bpmn": variant,
        "sub.bpmn": sub,
        "doelgroep.dmn": (PROCESSES / "decisions" / "doelgroep.dmn").read_text(encoding="utf-8"),
    }
    return lint_sources(sources, set(form_keys()), set(OPERATIONS))


def about(found: list[Problem], element: str) -> list[str]:
    return [p.message for p in found if p.element == element]


def swap(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new)


def test_the_small_catalogue_is_clean() -> None:
    """The fixture itself passes, so every other test fails for its one change only."""
    assert problems() == []


def test_the_real_catalogue_is_clean() -> None:
    """`voorkom lint processes/bpmn` exits 0: all seven variants and the shared processes."""
    found = lint_catalogue(read_directory(PROCESSES))
    assert found == []


def test_user_task_needs_a_registered_form() -> None:
    found = problems(swap(BASE, '"contact_corporatie"', '"contactformulier"'))
    assert about(found, "Task_Contact") == [
        "formuliersleutel (camunda:formKey) 'contactformulier' is geen geregistreerd formulier"
    ]


def test_user_task_needs_a_form_at_all() -> None:
    found = problems(swap(BASE, ' camunda:formKey="contact_corporatie"', ""))
    assert any("geen formuliersleutel" in m for m in about(found, "Task_Contact"))


def test_user_task_needs_a_lane_with_a_known_role() -> None:
    found = problems(swap(BASE, 'name="Woningcorporatie"', 'name="Huismeester"'))
    assert "baan (lane) 'Huismeester' is geen bekende rol van een partij" in about(
        found, "Task_Contact"
    )


def test_user_task_needs_a_lane() -> None:
    found = problems(swap(BASE, "<bpmn:flowNodeRef>Task_Contact</bpmn:flowNodeRef>", ""))
    assert "gebruikerstaak (user task) staat niet in een baan (lane)" in about(
        found, "Task_Contact"
    )


def test_called_process_must_exist() -> None:
    found = problems(swap(BASE, 'calledElement="sub"', 'calledElement="schuldhulp"'))
    messages = about(found, "Call_Sub")
    assert len(messages) == 1 and "aangeroepen proces 'schuldhulp' bestaat niet" in messages[0]


def test_called_decision_must_exist() -> None:
    found = problems(sub=swap(SUB, 'decisionRef="doelgroep"', 'decisionRef="prioriteit_oud"'))
    messages = about(found, "Task_Doelgroep")
    assert any("beslistabel 'prioriteit_oud' bestaat niet" in m for m in messages)


def test_service_operation_must_be_registered() -> None:
    found = problems(swap(BASE, "${registreer_opschorting}", "${stuur_brief}"))
    assert about(found, "Task_Opschorting") == [
        "service-operatie 'stuur_brief' is niet geregistreerd"
    ]


@pytest.mark.parametrize(
    "timer,expected",
    [
        ("P14X", "geen"),
        ("0 0 * * *", "cron-expressie"),
        ("werkdagen(", "schrijfwijze"),
        ("open('/etc/passwd')", "open"),
    ],
)
def test_every_timer_parses(timer: str, expected: str) -> None:
    found = problems(sub=swap(SUB, ">P14D<", f">{timer}<"))
    messages = about(found, "Timer_Wacht")
    assert messages and expected in " ".join(messages).lower()


def test_every_due_date_parses() -> None:
    found = problems(swap(BASE, "${werkdagen(5)}", "${werkdagen(5}"))
    assert any(m.startswith("termijn") for m in about(found, "Task_Contact"))


def test_every_element_has_a_shape() -> None:
    found = problems(
        swap(
            BASE,
            '<bpmndi:BPMNShape id="Task_Opschorting_di" bpmnElement="Task_Opschorting">',
            '<bpmndi:BPMNShape id="Task_Opschorting_di" bpmnElement="Task_Weg">',
        )
    )
    assert "serviceTask is niet getekend: het element heeft geen vorm in het diagram" in about(
        found, "Task_Opschorting"
    )


def test_every_flow_has_an_edge() -> None:
    found = problems(swap(BASE, 'bpmnElement="Flow_5"', 'bpmnElement="Flow_Weg"'))
    assert "sequenceFlow is niet getekend: het element heeft geen vorm in het diagram" in about(
        found, "Flow_5"
    )


def test_every_pool_has_a_shape() -> None:
    found = problems(swap(BASE, 'bpmnElement="Participant_t"', 'bpmnElement="Participant_Weg"'))
    assert about(found, "Participant_t") == [
        "pool (participant) 'Test' is niet getekend: de pool heeft geen vorm in het diagram"
    ]


@pytest.mark.parametrize("element,reserved", [("StartEvent_1", "Start"), ("EndEvent_1", "End")])
def test_start_and_end_are_reserved(element: str, reserved: str) -> None:
    """A start event with id ``Start`` silently breaks the engine: refuse it."""
    found = problems(BASE.replace(element, reserved))
    assert any("is gereserveerd voor de engine" in m for m in about(found, reserved))


@pytest.mark.parametrize("owner", ["variant", "sub"])
def test_end_join_of_a_process_is_reserved(owner: str) -> None:
    """``<process>.EndJoin`` is the engine's hidden join; an element with that id replaces it."""
    found = problems(BASE.replace("EndEvent_2", f"{owner}.EndJoin"))
    messages = about(found, f"{owner}.EndJoin")
    assert len(messages) == 1 and "gereserveerd voor de engine" in messages[0]
    if owner == "variant":
        assert "waarmee proces 'variant' eindigt" in messages[0]


def test_a_process_marked_not_executable_is_reported() -> None:
    found = problems(swap(BASE, 'isExecutable="true"', 'isExecutable="false"'))
    assert about(found, "variant") == [
        "proces 'variant' is gemarkeerd als niet uitvoerbaar (isExecutable=\"false\"); vink "
        "'Executable' aan in het eigenschappenpaneel van de modeller, of laat het bestand weg "
        "als het alleen een tekening is"
    ]


def test_message_event_must_name_a_defined_message() -> None:
    found = problems(swap(BASE, 'messageRef="Message_Opgelost"', 'messageRef="Message_Weg"'))
    assert about(found, "Boundary_Opgelost") == [
        "bericht (messageRef) 'Message_Weg' staat niet in dit bestand (bekend: Message_Opgelost)"
    ]


def test_message_event_without_message_is_reported() -> None:
    """Without messageRef the engine would wait for the event's own label."""
    found = problems(swap(BASE, ' messageRef="Message_Opgelost"', ""))
    assert any("heeft geen bericht (messageRef)" in m for m in about(found, "Boundary_Opgelost"))


def test_message_needs_a_name() -> None:
    found = problems(swap(BASE, 'name="achterstand_opgelost"', 'name=""'))
    assert any("heeft geen naam" in m for m in about(found, "Message_Opgelost"))
