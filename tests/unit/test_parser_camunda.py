"""What Camunda Modeler (Camunda 7 flavour) writes, parsed and run by the project's parser.

Every diagram goes through ``parse_sources`` and ``CaseRuntime`` with the restricted script
engine on a ManualClock and a fake service handler. No database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.engine.clock import ManualClock
from app.engine.runner import CaseRuntime, UserTaskView
from app.engine.script_engine import VoorkomScriptEngine
from app.engine.serializer import SERIALIZER_VERSION, dump_specs, load_specs
from app.engine.specs import DiagramError, parse_sources
from app.roles import LANE_LABELS, role_for_lane
from tests.fixtures.diagrams import FakeServices, bpmn, chain, dmn, flow, parse_one, read

#: Monday 2 March 2026, 10:00 in Amsterdam
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def run(
    sources: dict[str, str],
    data: dict[str, Any] | None = None,
    services: FakeServices | None = None,
    clock: ManualClock | None = None,
    process_id: str = "proces",
) -> CaseRuntime:
    bundle = parse_one(sources, process_id)
    engine = VoorkomScriptEngine(clock=clock or ManualClock(MONDAY), services=services)
    return CaseRuntime.start(bundle.spec, bundle.subprocess_specs, engine, data)


def around(*nodes: str, body: str, **kwargs: Any) -> dict[str, str]:
    """StartEvent_1 -> nodes... -> EndEvent_1 with the elements in body."""
    full = (
        '<bpmn:startEvent id="StartEvent_1" />'
        + body
        + '<bpmn:endEvent id="EndEvent_1" />'
        + chain("StartEvent_1", *nodes, "EndEvent_1")
    )
    return {"p.bpmn": bpmn(full, **kwargs)}


def only_task(runtime: CaseRuntime) -> UserTaskView:
    [view] = runtime.ready_user_tasks()
    return view


# --- user tasks -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("P3D", MONDAY + timedelta(days=3)),
        ("PT4H", MONDAY + timedelta(hours=4)),
        ("${werkdagen(3)}", datetime(2026, 3, 5, 9, 0, tzinfo=UTC)),
        ("werkdagen(5)", datetime(2026, 3, 9, 9, 0, tzinfo=UTC)),
        ("2026-03-20T17:00:00+01:00", datetime(2026, 3, 20, 16, 0, tzinfo=UTC)),
        ("2026-03-20T16:00:00Z", datetime(2026, 3, 20, 16, 0, tzinfo=UTC)),
        ("werkdagen(1) if spoed else werkdagen(5)", datetime(2026, 3, 3, 9, 0, tzinfo=UTC)),
    ],
)
def test_user_task_due_date(due: str, expected: datetime) -> None:
    task = f'<bpmn:userTask id="Taak" camunda:formKey="triage" camunda:dueDate="{due}" />'
    clock = ManualClock(MONDAY)
    runtime = run(around("Taak", body=task), {"spoed": True}, clock=clock)
    assert only_task(runtime).due_at == expected
    # fixed when first seen: a later look (or a restore) does not move it
    clock.advance(days=2)
    assert only_task(runtime).due_at == expected


def test_user_task_view_has_form_key_lane_role_and_properties() -> None:
    task = (
        '<bpmn:userTask id="Taak" name="Triage doen" camunda:formKey="triage" '
        'camunda:candidateGroups="genegeerd" camunda:assignee="niemand">'
        "<bpmn:documentation>Uitleg voor de medewerker</bpmn:documentation>"
        "<bpmn:extensionElements><camunda:properties>"
        '<camunda:property name="stap" value="B5" /><camunda:property name="kleur" value="rood" />'
        "</camunda:properties></bpmn:extensionElements></bpmn:userTask>"
    )
    runtime = run(around("Taak", body=task, lane="Meldpunt Zorg en Overlast"))
    view = only_task(runtime)
    assert view.activity_id == "Taak"
    assert view.name == "Triage doen"
    assert view.form_key == "triage"
    assert view.lane == "Meldpunt Zorg en Overlast"
    assert view.role == "meldpunt"
    assert view.documentation == "Uitleg voor de medewerker"
    assert view.properties == {"stap": "B5", "kleur": "rood"}
    assert view.due_at is None


@pytest.mark.parametrize(("role", "label"), sorted(LANE_LABELS.items()))
def test_every_lane_label_and_role_key_names_a_role(role: str, label: str) -> None:
    assert role_for_lane(label) == role
    assert role_for_lane(role) == role
    assert role_for_lane(f"  {label.upper()} ") == role
    task = '<bpmn:userTask id="Taak" camunda:formKey="triage" />'
    view = only_task(run(around("Taak", body=task, lane=label)))
    assert (view.lane, view.role) == (label, role)


def test_two_lanes_give_two_roles() -> None:
    body = (
        '<bpmn:userTask id="Melden" camunda:formKey="melding" />'
        '<bpmn:userTask id="Beoordelen" camunda:formKey="triage" />'
    )
    sources = around(
        "Melden",
        "Beoordelen",
        body=body,
        lanes={
            "Woningcorporatie": ["StartEvent_1", "Melden"],
            "Meldpunt Zorg en Overlast": ["Beoordelen", "EndEvent_1"],
        },
    )
    runtime = run(sources)
    view = only_task(runtime)
    assert (view.activity_id, view.role) == ("Melden", "corporatie")
    runtime.complete(view.task_id, {})
    view = only_task(runtime)
    assert (view.activity_id, view.role) == ("Beoordelen", "meldpunt")


def test_a_task_in_an_embedded_subprocess_takes_the_subprocess_lane() -> None:
    body = (
        '<bpmn:subProcess id="Sub"><bpmn:startEvent id="SubStart" />'
        '<bpmn:userTask id="Binnen" camunda:formKey="triage" /><bpmn:endEvent id="SubEnd" />'
        + chain("SubStart", "Binnen", "SubEnd")
        + "</bpmn:subProcess>"
    )
    runtime = run(around("Sub", body=body, lane="Schulddienstverlening"))
    view = only_task(runtime)
    assert (view.activity_id, view.role) == ("Binnen", "schuldhulp")
    runtime.complete(view.task_id, {"klaar": True})
    assert runtime.is_completed and runtime.data["klaar"] is True


# --- inputOutput ------------------------------------------------------------------------------

IO = (
    "<bpmn:extensionElements><camunda:inputOutput>"
    '<camunda:inputParameter name="tekst">hallo wereld</camunda:inputParameter>'
    '<camunda:inputParameter name="som">${a + 1}</camunda:inputParameter>'
    '<camunda:inputParameter name="groot">${a gt 10 &amp;&amp; !klein}</camunda:inputParameter>'
    '<camunda:outputParameter name="dubbel">${som * 2}</camunda:outputParameter>'
    "</camunda:inputOutput></bpmn:extensionElements>"
)


def test_input_output_on_a_user_task_becomes_pre_and_post_script() -> None:
    task = f'<bpmn:userTask id="Taak" camunda:formKey="triage">{IO}</bpmn:userTask>'
    bundle = parse_one(around("Taak", body=task))
    spec = bundle.spec.task_specs["Taak"]
    assert spec.prescript == "tekst = 'hallo wereld'\nsom = a + 1\ngroot = a > 10 and (not klein)"
    assert spec.postscript == "dubbel = som * 2"

    runtime = run(around("Taak", body=task), {"a": 20, "klein": False})
    assert runtime.data["tekst"] == "hallo wereld"
    assert runtime.data["som"] == 21
    assert runtime.data["groot"] is True
    runtime.complete(only_task(runtime).task_id, {})
    assert runtime.data["dubbel"] == 42


def test_input_output_on_a_script_task_is_applied() -> None:
    task = (
        f'<bpmn:scriptTask id="Script" scriptFormat="python">{IO}'
        "<bpmn:script>resultaat = som + len(tekst)</bpmn:script></bpmn:scriptTask>"
    )
    runtime = run(around("Script", body=task), {"a": 1, "klein": True})
    assert runtime.is_completed
    assert runtime.data["resultaat"] == 2 + len("hallo wereld")
    assert runtime.data["dubbel"] == 4


# --- service tasks ----------------------------------------------------------------------------


def test_delegate_expression_calls_the_handler_with_properties_and_merges_a_dict() -> None:
    task = (
        '<bpmn:serviceTask id="Status" camunda:delegateExpression="${stuur_status}">'
        "<bpmn:extensionElements><camunda:properties>"
        '<camunda:property name="status_code" value="ontvangen" />'
        "</camunda:properties></bpmn:extensionElements></bpmn:serviceTask>"
    )
    services = FakeServices({"status_code": "ontvangen", "teller": 1})
    clock = ManualClock(MONDAY)
    runtime = run(around("Status", body=task), {"naam": "Jansen"}, services, clock)
    assert runtime.is_completed
    [(call, params)] = services.calls
    assert call.operation == "stuur_status"
    assert call.activity_id == "Status"
    assert call.now == MONDAY
    assert call.data["naam"] == "Jansen"
    assert params == {"status_code": "ontvangen"}
    assert runtime.data["status_code"] == "ontvangen"
    assert runtime.data["teller"] == 1
    assert runtime.data["naam"] == "Jansen"


@pytest.mark.parametrize(
    "attribute",
    [
        'camunda:delegateExpression="${controle}"',
        'camunda:class="nl.krimpenerwaard.voorkom.controle"',
        'camunda:expression="${controle}"',
    ],
)
def test_result_variable_keeps_the_whole_result(attribute: str) -> None:
    task = f'<bpmn:serviceTask id="Controle" {attribute} camunda:resultVariable="antwoord" />'
    services = FakeServices({"ok": True})
    runtime = run(around("Controle", body=task), services=services)
    assert services.operations == ["controle"]
    assert runtime.data["antwoord"] == {"ok": True}
    assert "ok" not in runtime.data


def test_a_failing_service_stops_the_case_with_a_clear_error() -> None:
    def broken(call: Any, params: dict[str, Any]) -> Any:
        raise RuntimeError("mail server down")

    task = '<bpmn:serviceTask id="Status" camunda:delegateExpression="${stuur_status}" />'
    bundle = parse_one(around("Status", body=task))
    engine = VoorkomScriptEngine(clock=ManualClock(MONDAY), services=broken)
    with pytest.raises(Exception, match="stuur_status"):
        CaseRuntime.start(bundle.spec, bundle.subprocess_specs, engine)


# --- business rule tasks ----------------------------------------------------------------------

DECISION = dmn(
    "besluit",
    [("Bedrag", "bedrag"), ("Maanden", "(maanden or 0)")],
    [("niveau", "string")],
    [
        ([">= 1000", ""], ['"hoog"']),
        (["", "1 <= ? < 3"], ['"midden"']),
        (["-", "-"], ['"laag"']),
    ],
)


@pytest.mark.parametrize(
    ("data", "niveau"),
    [
        ({"bedrag": 1500, "maanden": None}, "hoog"),
        ({"bedrag": 10, "maanden": 2}, "midden"),
        ({"bedrag": 10, "maanden": None}, "laag"),
    ],
)
def test_decision_ref_runs_a_camunda_dmn_table(data: dict[str, Any], niveau: str) -> None:
    task = (
        '<bpmn:businessRuleTask id="Beslis" camunda:decisionRef="besluit" '
        'camunda:resultVariable="niveau" camunda:mapDecisionResult="singleEntry" />'
    )
    runtime = run({**around("Beslis", body=task), "besluit.dmn": DECISION}, data)
    assert runtime.is_completed
    assert runtime.data["niveau"] == niveau


def test_realistic_camunda_modeler_file_runs_end_to_end() -> None:
    sources = {"aanvraag.bpmn": read("aanvraag.bpmn"), "prioriteit.dmn": read("prioriteit.dmn")}
    processes, _parser = parse_sources(sources)
    bundle = processes["fixture_aanvraag"]
    assert bundle.decisions == ["fixture_prioriteit"]
    assert set(bundle.files) == {"aanvraag.bpmn", "prioriteit.dmn"}
    services = FakeServices({"status_code": "in_behandeling"})
    clock = ManualClock(MONDAY)

    spoed = CaseRuntime.start(
        bundle.spec, bundle.subprocess_specs, VoorkomScriptEngine(clock=clock, services=services)
    )
    melden = only_task(spoed)
    assert (melden.form_key, melden.role, melden.due_at) == (
        "melding",
        "corporatie",
        MONDAY + timedelta(days=3),
    )
    assert melden.properties == {"stap": "A3"}
    spoed.complete(
        melden.task_id,
        {"vonnis": True, "naam": "Jansen", "gemeente": "Gouda", "achterstand_maanden": None},
    )
    assert spoed.is_completed
    assert spoed.data["prioriteit"] == "P1"
    assert services.operations == ["stuur_status"]

    normaal = CaseRuntime.start(
        bundle.spec, bundle.subprocess_specs, VoorkomScriptEngine(clock=clock, services=services)
    )
    normaal.complete(
        only_task(normaal).task_id,
        {"vonnis": False, "achterstand_maanden": 4, "gemeente": "Krimpen", "naam": ""},
    )
    assert normaal.data["prioriteit"] == "P2"
    beoordelen = only_task(normaal)
    assert (beoordelen.form_key, beoordelen.role) == ("triage", "meldpunt")
    assert beoordelen.due_at == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    assert normaal.next_timer_due() == MONDAY + timedelta(days=2)
    clock.advance(days=2)
    assert [t.activity_id for t in normaal.fire_timers()] == ["Timer_Herinnering"]
    assert normaal.data["herinnerd"] is True
    normaal.complete(only_task(normaal).task_id, {})
    assert normaal.is_completed


# --- gateways ---------------------------------------------------------------------------------


def exclusive(condition: str) -> dict[str, str]:
    body = (
        '<bpmn:exclusiveGateway id="Keuze" default="Anders" />'
        '<bpmn:scriptTask id="Ja" scriptFormat="python"><bpmn:script>pad = "ja"</bpmn:script>'
        "</bpmn:scriptTask>"
        '<bpmn:scriptTask id="Nee" scriptFormat="python"><bpmn:script>pad = "nee"</bpmn:script>'
        "</bpmn:scriptTask>"
        '<bpmn:endEvent id="EndEvent_2" />'
    )
    full = (
        '<bpmn:startEvent id="StartEvent_1" />'
        + body
        + '<bpmn:endEvent id="EndEvent_1" />'
        + chain("StartEvent_1", "Keuze")
        + flow("Conditie", "Keuze", "Ja", condition)
        + flow("Anders", "Keuze", "Nee")
        + chain("Ja", "EndEvent_1")
        + chain("Nee", "EndEvent_2")
    )
    return {"g.bpmn": bpmn(full)}


@pytest.mark.parametrize(
    ("condition", "data", "pad"),
    [
        ("${bedrag > 100 && !spoed}", {"bedrag": 150, "spoed": False}, "ja"),
        ("${bedrag > 100 && !spoed}", {"bedrag": 150, "spoed": True}, "nee"),
        ("${bedrag gt 100 || soort eq 'x'}", {"bedrag": 1, "soort": "x"}, "ja"),
        ("${empty naam}", {"naam": ""}, "ja"),
        ("${not empty naam}", {"naam": ""}, "nee"),
        ("${v == null}", {"v": None}, "ja"),
        ('${s == "a &amp;&amp; b"}', {"s": "a && b"}, "ja"),
        ("bedrag > 100 and not spoed", {"bedrag": 150, "spoed": False}, "ja"),
        ("bedrag > 100 and not spoed", {"bedrag": 50, "spoed": False}, "nee"),
    ],
)
def test_exclusive_gateway_conditions_in_juel_or_python(
    condition: str, data: dict[str, Any], pad: str
) -> None:
    from xml.sax.saxutils import unescape

    runtime = run(exclusive(unescape(condition)), data)
    assert runtime.is_completed
    assert runtime.data["pad"] == pad


def test_inclusive_and_parallel_gateways() -> None:
    body = (
        '<bpmn:inclusiveGateway id="Welke" default="NaarGeen" />'
        '<bpmn:scriptTask id="Schuld" scriptFormat="python"><bpmn:script>schuld = True'
        "</bpmn:script></bpmn:scriptTask>"
        '<bpmn:scriptTask id="Zorg" scriptFormat="python"><bpmn:script>zorg = True'
        "</bpmn:script></bpmn:scriptTask>"
        '<bpmn:scriptTask id="Geen" scriptFormat="python"><bpmn:script>geen = True'
        "</bpmn:script></bpmn:scriptTask>"
        '<bpmn:inclusiveGateway id="Samen" />'
        '<bpmn:parallelGateway id="Splits" />'
        '<bpmn:userTask id="Links" camunda:formKey="triage" />'
        '<bpmn:userTask id="Rechts" camunda:formKey="plan" />'
        '<bpmn:parallelGateway id="Voeg" />'
    )
    full = (
        '<bpmn:startEvent id="StartEvent_1" />'
        + body
        + '<bpmn:endEvent id="EndEvent_1" />'
        + chain("StartEvent_1", "Welke")
        + flow("NaarSchuld", "Welke", "Schuld", "${schulden}")
        + flow("NaarZorg", "Welke", "Zorg", "zorgvraag == True")
        + flow("NaarGeen", "Welke", "Geen")
        + chain("Schuld", "Samen")
        + chain("Zorg", "Samen")
        + chain("Geen", "Samen", "Splits")
        + chain("Splits", "Links", "Voeg")
        + chain("Splits", "Rechts", "Voeg", "EndEvent_1")
    )
    runtime = run({"i.bpmn": bpmn(full)}, {"schulden": True, "zorgvraag": True})
    assert sorted(v.form_key for v in runtime.ready_user_tasks()) == ["plan", "triage"]
    data = runtime.data
    assert data["schuld"] is True and data["zorg"] is True and "geen" not in data
    for view in runtime.ready_user_tasks():
        runtime.complete(view.task_id, {view.activity_id.lower(): 1})
    assert runtime.is_completed
    assert runtime.data["links"] == 1 and runtime.data["rechts"] == 1


# --- call activity ----------------------------------------------------------------------------


def test_call_activity_shares_the_data_both_ways() -> None:
    called = (
        '<bpmn:startEvent id="StartEvent_1" />'
        '<bpmn:userTask id="Intake" camunda:formKey="intake_schuldhulp" />'
        '<bpmn:endEvent id="EndEvent_1" />' + chain("StartEvent_1", "Intake", "EndEvent_1")
    )
    caller = (
        '<bpmn:callActivity id="Aanroep" calledElement="schuldhulp">'
        '<bpmn:extensionElements><camunda:in variables="all" /><camunda:out variables="all" />'
        "</bpmn:extensionElements></bpmn:callActivity>"
    )
    sources = {
        **around("Aanroep", body=caller),
        "schuldhulp.bpmn": bpmn(called, process_id="schuldhulp", lane="Schulddienstverlening"),
    }
    processes, _parser = parse_sources(sources)
    assert processes["proces"].summary["called"] == ["schuldhulp"]
    runtime = run(sources, {"naam": "Jansen"})
    view = only_task(runtime)
    assert (view.activity_id, view.role, view.process_id) == ("Intake", "schuldhulp", "schuldhulp")
    assert runtime.data["naam"] == "Jansen"
    runtime.complete(view.task_id, {"schuld_totaal": 1200})
    assert runtime.is_completed
    assert runtime.data["schuld_totaal"] == 1200


# --- spiffworkflow: extensions keep working ---------------------------------------------------


def test_spiffworkflow_extensions_still_work() -> None:
    body = (
        '<bpmn:userTask id="Taak">'
        "<bpmn:extensionElements>"
        '<spiffworkflow:properties><spiffworkflow:property name="stap" value="B6" />'
        "</spiffworkflow:properties>"
        "<spiffworkflow:preScript>voor = 1</spiffworkflow:preScript>"
        "<spiffworkflow:postScript>na = voor + 1</spiffworkflow:postScript>"
        "</bpmn:extensionElements></bpmn:userTask>"
        '<bpmn:businessRuleTask id="Beslis"><bpmn:extensionElements>'
        "<spiffworkflow:calledDecisionId>besluit</spiffworkflow:calledDecisionId>"
        "</bpmn:extensionElements></bpmn:businessRuleTask>"
        '<bpmn:serviceTask id="Dienst"><bpmn:extensionElements>'
        '<spiffworkflow:serviceTaskOperator id="stuur_status" resultVariable="antwoord">'
        "<spiffworkflow:parameters>"
        '<spiffworkflow:parameter id="status_code" type="str" value="&quot;contact_gelegd&quot;" />'
        '<spiffworkflow:parameter id="teller" type="int" value="voor + 41" />'
        "</spiffworkflow:parameters></spiffworkflow:serviceTaskOperator>"
        "</bpmn:extensionElements></bpmn:serviceTask>"
    )
    body = body.replace(
        '<bpmn:userTask id="Taak">', '<bpmn:userTask id="Taak" camunda:formKey="triage">'
    )
    services = FakeServices({"ok": True})
    sources = {**around("Taak", "Beslis", "Dienst", body=body), "besluit.dmn": DECISION}
    runtime = run(sources, {"bedrag": 5000, "maanden": 0}, services)
    view = only_task(runtime)
    assert view.properties == {"stap": "B6"}
    assert runtime.data["voor"] == 1
    runtime.complete(view.task_id, {})
    assert runtime.is_completed
    assert runtime.data["na"] == 2
    assert runtime.data["niveau"] == "hoog"
    assert services.calls[0][1] == {"status_code": "contact_gelegd", "teller": 42}
    assert runtime.data["antwoord"] == {"ok": True}


# --- specs are stored once and read back ------------------------------------------------------


def test_parsed_specs_survive_dump_specs_and_load_specs() -> None:
    sources = {"aanvraag.bpmn": read("aanvraag.bpmn"), "prioriteit.dmn": read("prioriteit.dmn")}
    bundle = parse_sources(sources)[0]["fixture_aanvraag"]
    spec, subs = load_specs(dump_specs(bundle.spec, bundle.subprocess_specs))
    clock = ManualClock(MONDAY)
    services = FakeServices({})
    runtime = CaseRuntime.start(spec, subs, VoorkomScriptEngine(clock=clock, services=services))
    runtime = CaseRuntime.restore(
        runtime.dump(), spec, subs, SERIALIZER_VERSION, VoorkomScriptEngine(clock, services)
    )
    runtime.complete(
        only_task(runtime).task_id,
        {"vonnis": True, "naam": "x", "gemeente": "", "achterstand_maanden": 1},
    )
    assert runtime.is_completed
    assert services.operations == ["stuur_status"]


# --- XML safety -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "xml",
    [
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>',
        "<!DOCTYPE x><x/>",
        "<bpmn:definitions><unclosed>",
    ],
)
def test_unsafe_or_broken_xml_is_refused_by_parse_sources(xml: str) -> None:
    with pytest.raises(DiagramError) as caught:
        parse_sources({"kapot.bpmn": xml})
    [problem] = caught.value.problems
    assert problem.file == "kapot.bpmn"
    assert "DOCTYPE" in problem.message or "geen geldige XML" in problem.message
    assert "root:" not in problem.message


def test_a_decision_without_a_matching_rule_sets_nothing() -> None:
    task = '<bpmn:businessRuleTask id="Beslis" camunda:decisionRef="streng" />'
    table = dmn(
        "streng", [("Bedrag", "bedrag")], [("niveau", "string")], [([">= 1000"], ['"hoog"'])]
    )
    runtime = run({**around("Beslis", body=task), "streng.dmn": table}, {"bedrag": 5})
    assert runtime.is_completed
    assert "niveau" not in runtime.data
