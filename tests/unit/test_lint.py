"""The deploy rules (``lint_sources``): the catalogue passes, and each rule names element and
reason. No database."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.engine.lint import iso_problem, lint_sources
from app.engine.specs import Problem
from app.forms.registry import form_keys
from app.services.deployments import read_directory
from app.tasks import OPERATIONS
from tests.fixtures.diagrams import bpmn, chain, dmn, flow, read

ROOT = Path(__file__).resolve().parents[2]
FORMS = set(form_keys())
OPS = set(OPERATIONS)


def lint(sources: dict[str, str]) -> list[Problem]:
    return lint_sources(sources, FORMS, OPS)


def one_node(node: str, node_id: str = "X", **kwargs: object) -> dict[str, str]:
    """StartEvent_1 -> node -> EndEvent_1."""
    body = f'<bpmn:startEvent id="StartEvent_1" />{node}<bpmn:endEvent id="EndEvent_1" />' + chain(
        "StartEvent_1", node_id, "EndEvent_1"
    )
    return {"p.bpmn": bpmn(body, **kwargs)}  # type: ignore[arg-type]


def problem_for(problems: list[Problem], element: str, *words: str) -> Problem:
    """The one problem about element whose text has every word (case-insensitive)."""
    found = [
        p
        for p in problems
        if p.element == element and all(w.lower() in str(p).lower() for w in words)
    ]
    assert found, f"no problem for {element} with {words}: {[str(p) for p in problems]}"
    assert element in str(found[0])
    return found[0]


# --- what passes ------------------------------------------------------------------------------


def test_the_catalogue_has_no_problems() -> None:
    sources = read_directory(ROOT / "processes" / "bpmn")
    assert any(name.endswith(".dmn") for name in sources)
    assert [str(p) for p in lint(sources)] == []


def test_the_realistic_fixture_has_no_problems() -> None:
    sources = {"aanvraag.bpmn": read("aanvraag.bpmn"), "prioriteit.dmn": read("prioriteit.dmn")}
    assert lint(sources) == []


def test_a_small_correct_diagram_has_no_problems() -> None:
    sources = one_node(
        '<bpmn:userTask id="X" camunda:formKey="triage" camunda:dueDate="${werkdagen(2)}" />'
    )
    assert lint(sources) == []


# --- the restriction --------------------------------------------------------------------------


def test_script_with_import_names_the_element() -> None:
    sources = one_node(
        '<bpmn:scriptTask id="Script_Kwaad" scriptFormat="python">'
        "<bpmn:script>__import__('os').system('id')</bpmn:script></bpmn:scriptTask>",
        "Script_Kwaad",
    )
    problems = lint(sources)
    assert problems
    problem = problem_for(problems, "Script_Kwaad", "script", "__import__")
    assert "Script_Kwaad" in str(problem)
    assert problem.file == "p.bpmn"


def gateway(condition: str) -> dict[str, str]:
    body = (
        '<bpmn:startEvent id="StartEvent_1" /><bpmn:exclusiveGateway id="Gateway_1" '
        'default="Anders" /><bpmn:endEvent id="EndEvent_1" /><bpmn:endEvent id="EndEvent_2" />'
        + chain("StartEvent_1", "Gateway_1")
        + flow("Conditie", "Gateway_1", "EndEvent_1", condition)
        + flow("Anders", "Gateway_1", "EndEvent_2")
    )
    return {"g.bpmn": bpmn(body)}


@pytest.mark.parametrize(
    ("condition", "word"),
    [
        ("().__class__.__base__.__subclasses__()", "__class__"),
        ("${().__class__.__base__.__subclasses__()}", "__subclasses__"),
        ("getattr(x, 'y')", "getattr"),
        ("eval('1')", "eval"),
    ],
)
def test_unsafe_gateway_condition(condition: str, word: str) -> None:
    problem_for(lint(gateway(condition)), "Gateway_1", "voorwaarde", word)


def test_unsafe_due_date() -> None:
    sources = one_node(
        '<bpmn:userTask id="X" camunda:formKey="triage" camunda:dueDate="${getattr(x, \'y\')}" />'
    )
    problem_for(lint(sources), "X", "termijn", "getattr")


def timer(value: str, kind: str = "timeDuration") -> dict[str, str]:
    return one_node(
        '<bpmn:intermediateCatchEvent id="Timer_1"><bpmn:timerEventDefinition id="T">'
        f"<bpmn:{kind}>{value}</bpmn:{kind}></bpmn:timerEventDefinition>"
        "</bpmn:intermediateCatchEvent>",
        "Timer_1",
    )


def test_unsafe_timer_expression() -> None:
    problem_for(lint(timer("open('/etc/passwd')")), "Timer_1", "timer", "open")


def test_import_in_a_pre_script() -> None:
    sources = one_node(
        '<bpmn:userTask id="X" camunda:formKey="triage"><bpmn:extensionElements>'
        "<spiffworkflow:preScript>import os</spiffworkflow:preScript>"
        "</bpmn:extensionElements></bpmn:userTask>"
    )
    problem_for(lint(sources), "X", "script vooraf", "import")


@pytest.mark.parametrize("tag", ["userTask", "scriptTask", "serviceTask"])
def test_unsafe_input_output_parameter(tag: str) -> None:
    extra = {
        "userTask": ' camunda:formKey="triage"',
        "scriptTask": ' scriptFormat="python"',
        "serviceTask": ' camunda:delegateExpression="${stuur_status}"',
    }[tag]
    script = "<bpmn:script>y = 1</bpmn:script>" if tag == "scriptTask" else ""
    sources = one_node(
        f'<bpmn:{tag} id="X"{extra}><bpmn:extensionElements><camunda:inputOutput>'
        "<camunda:inputParameter name=\"y\">${__import__('os')}</camunda:inputParameter>"
        "</camunda:inputOutput></bpmn:extensionElements>"
        f"{script}</bpmn:{tag}>"
    )
    problem_for(lint(sources), "X", "script vooraf", "__import__")


def test_input_output_script_list_or_map_is_refused() -> None:
    sources = one_node(
        '<bpmn:userTask id="X" camunda:formKey="triage"><bpmn:extensionElements>'
        '<camunda:inputOutput><camunda:inputParameter name="y">'
        '<camunda:script scriptFormat="groovy">1</camunda:script></camunda:inputParameter>'
        '<camunda:outputParameter name="z"><camunda:list><camunda:value>a</camunda:value>'
        "</camunda:list></camunda:outputParameter>"
        "</camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>"
    )
    problems = lint(sources)
    problem_for(problems, "X", "inputParameter 'y'", "script, lijst of map")
    problem_for(problems, "X", "outputParameter 'z'", "script, lijst of map")


def test_input_output_on_an_event_is_refused() -> None:
    sources = one_node(
        '<bpmn:intermediateThrowEvent id="X"><bpmn:extensionElements><camunda:inputOutput>'
        '<camunda:inputParameter name="y">1</camunda:inputParameter>'
        "</camunda:inputOutput></bpmn:extensionElements></bpmn:intermediateThrowEvent>"
    )
    problem_for(lint(sources), "X", "inputOutput", "niet toegepast")


def test_assigning_to_a_helper_name_is_refused() -> None:
    sources = one_node(
        '<bpmn:scriptTask id="X" scriptFormat="python">'
        "<bpmn:script>datum = today()</bpmn:script></bpmn:scriptTask>"
    )
    problem_for(lint(sources), "X", "'datum'", "hulpfunctie")


# --- user tasks -------------------------------------------------------------------------------


def test_user_task_without_form_key() -> None:
    problem_for(lint(one_node('<bpmn:userTask id="X" />')), "X", "geen formuliersleutel")


def test_user_task_with_unregistered_form_key() -> None:
    sources = one_node('<bpmn:userTask id="X" camunda:formKey="bestaat_niet" />')
    problem_for(lint(sources), "X", "'bestaat_niet'", "geen geregistreerd formulier")


def test_user_task_outside_any_lane() -> None:
    sources = one_node('<bpmn:userTask id="X" camunda:formKey="triage" />', lane=None)
    problem_for(lint(sources), "X", "niet in een baan")


def test_user_task_in_a_lane_that_is_no_role() -> None:
    sources = one_node('<bpmn:userTask id="X" camunda:formKey="triage" />', lane="Kantine")
    problem_for(lint(sources), "X", "'Kantine'", "geen bekende rol")


# --- service tasks ----------------------------------------------------------------------------


def test_unknown_service_operation() -> None:
    sources = one_node('<bpmn:serviceTask id="X" camunda:delegateExpression="${bestaat_niet}" />')
    problem_for(lint(sources), "X", "'bestaat_niet'", "niet geregistreerd")


def test_external_service_task() -> None:
    sources = one_node('<bpmn:serviceTask id="X" camunda:type="external" camunda:topic="mail" />')
    problem_for(lint(sources), "X", "extern", "niet ondersteund")


def test_service_task_without_implementation() -> None:
    problem_for(lint(one_node('<bpmn:serviceTask id="X" />')), "X", "geen implementatie")


# --- timers and due dates ---------------------------------------------------------------------


@pytest.mark.parametrize("cron", ["0 0 9 * * ?", "0 15 10 ? * MON-FRI"])
def test_cron_timer(cron: str) -> None:
    problem_for(lint(timer(cron, "timeCycle")), "Timer_1", "cron")


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("P5X", "timeDuration"),
        ("PT1H30", "timeDuration"),
        ('"P5X"', "timeDuration"),
        ("2026-02-30T09:00:00Z", "timeDate"),
        ("2026-03-01 09:00", "timeDate"),
        ("R3/PTXH", "timeCycle"),
        ("R3/2026-03-01T09:00:00Z", "timeCycle"),
        ("R/PT1H/PT2H", "timeCycle"),
    ],
)
def test_invalid_iso_literal(value: str, kind: str) -> None:
    problem_for(lint(timer(value, kind)), "Timer_1", "timer", "ISO")


def test_invalid_iso_due_date() -> None:
    sources = one_node('<bpmn:userTask id="X" camunda:formKey="triage" camunda:dueDate="P3X" />')
    problem_for(lint(sources), "X", "termijn", "'P3X'")


@pytest.mark.parametrize(
    "value",
    ["P5D", "PT90M", "P1Y2M", "P2W", "2026-03-01T09:00:00+01:00", "R3/PT1H", "R/P1D",
     "R2/2026-03-01T09:00:00Z/P1D", "werkdagen(2)", "${werkdagen(2)}"],
)  # fmt: skip
def test_valid_timer_values_pass(value: str) -> None:
    assert lint(timer(value)) == []


def test_iso_problem_explains() -> None:
    assert iso_problem("P5D") is None
    assert "ISO-8601" in (iso_problem("P5X") or "")
    assert "out of range" in (iso_problem("2026-02-30") or "")


# --- references -------------------------------------------------------------------------------


def test_called_process_that_does_not_exist() -> None:
    sources = one_node('<bpmn:callActivity id="X" calledElement="bestaat_niet" />')
    problems = lint(sources)
    problem_for(problems, "X", "'bestaat_niet'", "bestaat niet")
    assert all(p.element for p in problems), [str(p) for p in problems]


def test_decision_that_does_not_exist() -> None:
    sources = one_node('<bpmn:businessRuleTask id="X" camunda:decisionRef="bestaat_niet" />')
    problem = problem_for(lint(sources), "X", "'bestaat_niet'", "bestaat niet")
    assert problem.file == "p.bpmn"


def test_business_rule_task_without_decision() -> None:
    problem_for(
        lint(one_node('<bpmn:businessRuleTask id="X" />')),
        "X",
        "verwijst niet naar een beslistabel",
    )


def test_result_variable_that_is_not_the_output_column() -> None:
    sources = {
        **one_node(
            '<bpmn:businessRuleTask id="X" camunda:decisionRef="d" camunda:resultVariable="r" />'
        ),
        "d.dmn": dmn("d", [("a", "a")], [("uitkomst", "string")], [(["> 1"], ['"x"'])]),
    }
    problem_for(lint(sources), "X", "resultVariable 'r'", "'uitkomst'")


# --- DMN --------------------------------------------------------------------------------------


def decision(entry: str, expression: str = "a", *, policy: str = "FIRST") -> dict[str, str]:
    return {
        **one_node(
            '<bpmn:businessRuleTask id="X" camunda:decisionRef="d" camunda:resultVariable="r" />'
        ),
        "d.dmn": dmn(
            "d", [("Invoer", expression)], [("r", "string")], [([entry], ['"x"'])],
            hit_policy=policy,
        ),
    }  # fmt: skip


@pytest.mark.parametrize("entry", ["[1..5]", "]1..5[", '"a","b"', 'not("a")', "not( 1 )"])
def test_feel_entries_are_refused(entry: str) -> None:
    problem = problem_for(lint(decision(entry)), "Rule_0", "FEEL")
    assert problem.file == "d.dmn"
    assert entry in problem.message


@pytest.mark.parametrize(
    "entry", [">= 100", '"tekst"', "True", "in (1, 2)", "-", "", "1 <= ? < 3", '!= "a"']
)
def test_python_entries_pass(entry: str) -> None:
    assert lint(decision(entry, "(a)")) == []


@pytest.mark.parametrize("expression", ["a or 0", "a + b", "x if y else z", "-a"])
def test_dmn_input_expression_must_be_in_parentheses(expression: str) -> None:
    problem = problem_for(lint(decision("> 5", expression)), "Input_0", "tussen haakjes")
    assert f"({expression})" in problem.message
    assert lint(decision("> 5", f"({expression})")) == []


@pytest.mark.parametrize("expression", ["a", "huurder.leeftijd", 'x["k"]', "len(x)"])
def test_plain_dmn_input_expressions_need_no_parentheses(expression: str) -> None:
    assert lint(decision("> 5", expression)) == []


@pytest.mark.parametrize("entry", ['in ("a", "b")', "is None", "not in (1, 2)"])
def test_word_operator_entries_need_a_parenthesised_input(entry: str) -> None:
    problem = problem_for(
        lint(decision(entry, "gemeente")), "Rule_0", "achter de invoerexpressie", "(gemeente)"
    )
    assert "gemeente" + entry in problem.message
    assert lint(decision(entry, "(gemeente)")) == []


@pytest.mark.parametrize("policy", ["ANY", "PRIORITY", "RULE ORDER", "OUTPUT ORDER"])
def test_unsupported_hit_policies(policy: str) -> None:
    problem_for(lint(decision("> 1", policy=policy)), "DecisionTable_d", "hit policy", policy)


def test_unsafe_dmn_cells() -> None:
    problems = lint(decision("> __import__('os').getpid()", "().__class__"))
    problem_for(problems, "Input_0", "__class__")
    problem_for(problems, "Rule_0", "__import__")


# --- drawing, ids and loops -------------------------------------------------------------------


def test_flow_node_without_a_shape() -> None:
    sources = one_node('<bpmn:userTask id="X" camunda:formKey="triage" />', undrawn=["X"])
    problem = problem_for(lint(sources), "X", "geen vorm")
    assert problem.line


def test_sequence_flow_without_an_edge() -> None:
    sources = one_node(
        '<bpmn:userTask id="X" camunda:formKey="triage" />', undrawn=["Flow_StartEvent_1_X"]
    )
    problem_for(lint(sources), "Flow_StartEvent_1_X", "sequenceFlow", "geen vorm")


def test_reserved_ids() -> None:
    body = '<bpmn:startEvent id="Start" /><bpmn:endEvent id="End" />' + chain("Start", "End")
    problems = lint({"p.bpmn": bpmn(body)})
    problem_for(problems, "Start", "gereserveerd")
    problem_for(problems, "End", "gereserveerd")


def test_loop_without_a_wait_state() -> None:
    body = (
        '<bpmn:startEvent id="StartEvent_1" />'
        '<bpmn:scriptTask id="Tel" scriptFormat="python"><bpmn:script>n = n + 1</bpmn:script>'
        '</bpmn:scriptTask><bpmn:exclusiveGateway id="Nog" default="Terug" />'
        '<bpmn:endEvent id="EndEvent_1" />'
        + chain("StartEvent_1", "Tel", "Nog")
        + flow("Terug", "Nog", "Tel")
        + flow("Uit", "Nog", "EndEvent_1", "n > 3")
    )
    problem = problem_for(lint({"l.bpmn": bpmn(body)}), "Nog", "lus", "Tel")
    assert "wachten" in problem.message


def test_loop_through_a_user_task_is_fine() -> None:
    body = (
        '<bpmn:startEvent id="StartEvent_1" />'
        '<bpmn:exclusiveGateway id="Samen" />'
        '<bpmn:userTask id="Poging" camunda:formKey="contactpoging" />'
        '<bpmn:exclusiveGateway id="Gelukt" default="Opnieuw" />'
        '<bpmn:endEvent id="EndEvent_1" />'
        + chain("StartEvent_1", "Samen", "Poging", "Gelukt")
        + flow("Opnieuw", "Gelukt", "Samen")
        + flow("Ja", "Gelukt", "EndEvent_1", "bereikt")
    )
    assert lint({"l.bpmn": bpmn(body)}) == []


# --- XML --------------------------------------------------------------------------------------


def test_malformed_xml() -> None:
    [problem] = lint({"kapot.bpmn": "<bpmn:definitions><bpmn:process>"})
    assert problem.file == "kapot.bpmn"
    assert "geen geldige XML" in problem.message


def test_external_entity_is_refused_without_reading_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM-12345", encoding="utf-8")
    xxe = (
        '<?xml version="1.0"?>'
        f'<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">'
        '<bpmn:process id="p" name="&e;" isExecutable="true" /></bpmn:definitions>'
    )
    for sources in (
        {"xxe.bpmn": xxe},
        {"xxe.bpmn": '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'},
    ):
        [problem] = lint(sources)
        assert problem.file == "xxe.bpmn"
        assert "DOCTYPE" in problem.message and "entit" in problem.message
        assert "GEHEIM" not in problem.message and "root:" not in problem.message


def test_billion_laughs_is_refused_without_expanding() -> None:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    bomb = f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><lolz>&lol9;</lolz>'
    began = time.perf_counter()
    [problem] = lint({"bom.bpmn": bomb})
    assert time.perf_counter() - began < 1
    assert "DOCTYPE" in problem.message
    assert "lol" not in problem.message


def test_every_problem_names_file_and_element() -> None:
    sources = one_node('<bpmn:userTask id="X" />', lane="Kantine")
    problems = lint(sources)
    assert len(problems) >= 2
    assert all(p.file == "p.bpmn" and p.element == "X" for p in problems)


# --- what the engine would silently get wrong -------------------------------------------------


def test_start_event_with_unregistered_form_key() -> None:
    body = (
        '<bpmn:startEvent id="StartEvent_1" camunda:formKey="bestaat_niet" />'
        '<bpmn:endEvent id="EndEvent_1" />' + chain("StartEvent_1", "EndEvent_1")
    )
    problem_for(lint({"p.bpmn": bpmn(body)}), "StartEvent_1", "startgebeurtenis", "bestaat_niet")


def test_form_data_does_not_excuse_an_unregistered_form_key() -> None:
    sources = one_node(
        '<bpmn:userTask id="X" camunda:formKey="eigen"><bpmn:extensionElements>'
        '<camunda:formData><camunda:formField id="a" type="string" /></camunda:formData>'
        "</bpmn:extensionElements></bpmn:userTask>"
    )
    problem_for(lint(sources), "X", "'eigen'", "geen geregistreerd formulier")


def test_plain_task_needs_to_be_a_user_task() -> None:
    problem_for(lint(one_node('<bpmn:task id="X" />')), "X", "handmatige taak", "user task")


@pytest.mark.parametrize("script_format", ["javascript", "groovy"])
def test_script_in_another_language(script_format: str) -> None:
    sources = one_node(
        f'<bpmn:scriptTask id="X" scriptFormat="{script_format}">'
        "<bpmn:script>x = 1</bpmn:script></bpmn:scriptTask>"
    )
    problem_for(lint(sources), "X", "scriptformaat", script_format)


def test_script_task_without_inline_script() -> None:
    sources = one_node(
        '<bpmn:scriptTask id="X" scriptFormat="python" camunda:resource="deployment://x.py" />'
    )
    problem_for(lint(sources), "X", "geen script")


def test_event_based_gateway_is_refused() -> None:
    body = (
        '<bpmn:startEvent id="StartEvent_1" /><bpmn:eventBasedGateway id="Wacht" />'
        '<bpmn:intermediateCatchEvent id="Tijd"><bpmn:timerEventDefinition id="T">'
        "<bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition>"
        "</bpmn:intermediateCatchEvent>"
        '<bpmn:intermediateCatchEvent id="Bericht">'
        '<bpmn:messageEventDefinition id="M" messageRef="Message_1" />'
        "</bpmn:intermediateCatchEvent>"
        '<bpmn:endEvent id="EndEvent_1" /><bpmn:endEvent id="EndEvent_2" />'
        + chain("StartEvent_1", "Wacht", "Tijd", "EndEvent_1")
        + chain("Wacht", "Bericht", "EndEvent_2")
    )
    extra = '<bpmn:message id="Message_1" name="ontruimingsvonnis" />'
    problem_for(lint({"p.bpmn": bpmn(body, extra=extra)}), "Wacht", "event-based", "boundary")


def test_send_task_with_a_delegate_is_refused() -> None:
    sources = one_node('<bpmn:sendTask id="X" camunda:delegateExpression="${stuur_status}" />')
    problem_for(lint(sources), "X", "send task", "service task")


@pytest.mark.parametrize("call", ["datetime.now()", "date.today()", "datetime.utcnow()"])
def test_wall_clock_calls_are_refused(call: str) -> None:
    sources = one_node(
        '<bpmn:scriptTask id="X" scriptFormat="python">'
        f"<bpmn:script>moment = {call}</bpmn:script></bpmn:scriptTask>"
    )
    problem_for(lint(sources), "X", call.rstrip("()"), "now() of today()")
    assert lint(timer(call.replace("()", "() + timedelta(days=1)"))) != []


@pytest.mark.parametrize(
    ("interrupting", "refused"), [("", True), ('isInterrupting="false"', False)]
)
def test_interrupting_event_subprocess_is_refused(interrupting: str, refused: bool) -> None:
    body = (
        '<bpmn:startEvent id="StartEvent_1" /><bpmn:userTask id="X" camunda:formKey="triage" />'
        '<bpmn:endEvent id="EndEvent_1" />'
        + chain("StartEvent_1", "X", "EndEvent_1")
        + '<bpmn:subProcess id="Bewaking" triggeredByEvent="true">'
        f'<bpmn:startEvent id="Dag" {interrupting}><bpmn:timerEventDefinition id="T">'
        "<bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:startEvent>"
        '<bpmn:endEvent id="Klaar" />' + chain("Dag", "Klaar") + "</bpmn:subProcess>"
    )
    problems = lint({"p.bpmn": bpmn(body)})
    if refused:
        problem_for(problems, "Dag", "interrupting event subprocess")
    else:
        assert problems == []
