"""diff_sources: added, removed and changed elements between two versions' XML (pure, no DB)."""

from __future__ import annotations

from app.engine.diff import defined_ids, diff_sources
from app.services.deployments import read_directory
from tests.conftest import PROCESSES
from tests.fixtures.diagrams import bpmn, chain, dmn, flow
from tests.workbench.conftest import contact_in, field, meldpunt_file, user_task, variant


def one(text: str, name: str = "q.bpmn") -> dict[str, str]:
    return {name: text}


def by_id(changes: list) -> dict[str, tuple[str, ...]]:  # type: ignore[type-arg]
    return {c.element: c.aspects for c in changes}


def test_the_same_files_have_no_difference() -> None:
    sources = read_directory(PROCESSES)
    assert diff_sources(sources, sources).is_empty


def test_reformatting_and_attribute_order_are_no_change() -> None:
    text = variant([user_task("Task_A", formKey="triage", dueDate="${werkdagen(2)}")])
    spaced = text.replace("><", ">\n    <").replace(
        'camunda:formKey="triage" camunda:dueDate="${werkdagen(2)}"',
        'camunda:dueDate="${werkdagen(2)}"   camunda:formKey="triage"',
    )
    assert diff_sources(one(text), one(spaced)).is_empty


def test_the_meldpunt_contact_deadline_change() -> None:
    """The issue's change: werkdagen(5) becomes werkdagen(3) on the contact task and its timer."""
    name, text = meldpunt_file()
    diff = diff_sources({name: text}, {name: contact_in(3, text)})
    assert diff.added == [] and diff.removed == []
    changed = by_id(diff.changed)
    assert changed["Task_ContactLeggen"] == ("due_date",)
    assert changed["Timer_ContactTeLaat"] == ("timer",)
    entry = next(c for c in diff.changed if c.element == "Task_ContactLeggen")
    assert (entry.process, entry.file, entry.type) == ("meldpunt", name, "userTask")
    assert entry.to_json()["aspect_labels"] == ["termijn (due date)"]


def test_added_and_removed_tasks_and_their_flows() -> None:
    old = variant([user_task("Task_A", formKey="triage"), user_task("Task_B", formKey="triage")])
    new = variant([user_task("Task_A", formKey="triage"), user_task("Task_C", formKey="plan")])
    diff = diff_sources(one(old), one(new))
    added, removed = by_id(diff.added), by_id(diff.removed)
    assert "Task_C" in added and "Flow_Task_A_Task_C" in added
    assert "Task_B" in removed and "Flow_Task_B_EndEvent_1" in removed
    changed = by_id(diff.changed)
    assert changed["Task_A"] == ("outgoing",)
    assert changed["EndEvent_1"] == ("incoming",)


def test_name_form_and_lane_changes() -> None:
    old = variant([user_task("Task_A", field("x"), name="Oud")])
    new = variant([], [user_task("Task_A", field("x", label="Nieuw label"), name="Nieuw")])
    changed = by_id(diff_sources(one(old), one(new)).changed)
    assert set(changed["Task_A"]) == {"name", "form", "lane"}


def test_condition_and_extension_changes() -> None:
    def process(condition: str, operation: str) -> str:
        body = (
            '<bpmn:startEvent id="S" /><bpmn:exclusiveGateway id="G" default="F_else" />'
            f'<bpmn:serviceTask id="T" camunda:delegateExpression="${{{operation}}}" />'
            '<bpmn:endEvent id="E" />'
            + chain("S", "G")
            + flow("F_if", "G", "T", condition)
            + flow("F_else", "G", "E")
            + chain("T", "E")
        )
        return bpmn(body)

    changed = by_id(diff_sources(one(process("a > 1", "x")), one(process("a > 2", "y"))).changed)
    assert changed == {"F_if": ("condition",), "T": ("extensions",)}


def test_a_renamed_file_is_not_everything_removed_and_added() -> None:
    text = variant([user_task("Task_A", formKey="triage")])
    diff = diff_sources({"quawonen.bpmn": text}, {"corporaties/quawonen.bpmn": text})
    assert diff.is_empty


def test_a_changed_decision_table() -> None:
    old = dmn("prio", [("Kinderen", "kinderen")], [("p", "string")], [(["> 0"], ['"P1"'])])
    new = dmn("prio", [("Kinderen", "kinderen")], [("p", "string")], [(["> 1"], ['"P1"'])])
    diff = diff_sources({"p.dmn": old}, {"p.dmn": new})
    assert [(c.element, c.aspects) for c in diff.changed] == [("prio", ("decision",))]


def test_in_file_keeps_what_one_diagram_shows() -> None:
    name, text = meldpunt_file()
    other = variant([user_task("Task_A", formKey="triage")])
    new_other = variant([user_task("Task_A", formKey="plan")])
    diff = diff_sources(
        {name: text, "q.bpmn": other},
        {name: contact_in(3, text), "q.bpmn": new_other},
    )
    assert {c.element for c in diff.in_file("q.bpmn").changed} == {"Task_A"}
    assert "Task_A" not in {c.element for c in diff.in_file(name).changed}


def test_defined_ids() -> None:
    assert defined_ids("q.bpmn", variant([user_task("A", formKey="triage")])) == {
        "process:quawonen"
    }
    assert defined_ids("p.dmn", dmn("prio", [("a", "a")], [("p", "string")], [])) == {
        "decision:prio"
    }
    assert defined_ids("x.bpmn", "<!DOCTYPE x [<!ENTITY e 'x'>]><x/>") == frozenset()


def test_camunda_properties_and_documentation() -> None:
    def task(prop: str, doc: str) -> str:
        return (
            f'<bpmn:userTask id="Task_A" camunda:formKey="triage"><bpmn:documentation>{doc}'
            "</bpmn:documentation><bpmn:extensionElements><camunda:properties>"
            f'<camunda:property name="p" value="{prop}" /></camunda:properties>'
            "</bpmn:extensionElements></bpmn:userTask>"
        )

    changed = by_id(
        diff_sources(one(variant([task("1", "oud")])), one(variant([task("2", "nieuw")]))).changed
    )
    assert set(changed["Task_A"]) == {"extensions", "documentation"}
