"""Forms drawn in the diagram (camunda:formData): lint, validation, rendering, privacy (CV-23)."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

from app.engine.form_data import read_form_fields
from app.engine.lint import lint_sources
from app.extensions import db
from app.forms.registry import form_keys
from app.models import CaseEvent, HumanTask, ProcessVersion
from app.services.cases import start_case, view_case
from app.services.diagram_forms import WholeNumber, form_key_for, task_schema
from app.services.errors import DeploymentRefused, InvalidInput
from app.services.tasks import claim_task, complete_task
from app.tasks import OPERATIONS
from tests.scenarios.helpers import task_named
from tests.workbench.conftest import deploy_variant, field, user_task, variant

VALUES = '<camunda:value id="brief" name="Brief" /><camunda:value id="telefoon" name="Telefoon" />'
CORPORATION_FORM = "".join(
    [
        field(
            "aantal_bezoeken", "long", label="Aantal huisbezoeken",
            inner='<camunda:validation><camunda:constraint name="required" />'
            '<camunda:constraint name="min" config="0" />'
            '<camunda:constraint name="max" config="10" /></camunda:validation>',
        ),
        field(
            "opmerking", label="Opmerking",
            inner='<camunda:validation><camunda:constraint name="minlength" config="2" />'
            '<camunda:constraint name="maxlength" config="20" />'
            '<camunda:constraint name="pattern" config="[A-Za-z ]*" /></camunda:validation>'
            '<camunda:properties><camunda:property id="help" value="Kort, alleen letters." />'
            "</camunda:properties>",
        ),
        field(
            "bezoekdatum", "date", label="Datum bezoek",
            inner='<camunda:validation><camunda:constraint name="min" config="2026-01-01" />'
            '<camunda:constraint name="max" config="2026-12-31" /></camunda:validation>',
        ),
        field(
            "akkoord", "boolean", label="Huurder akkoord",
            inner='<camunda:validation><camunda:constraint name="required" /></camunda:validation>',
        ),
        field("kanaal", "enum", label="Kanaal", defaultValue="telefoon", inner=VALUES),
        field(
            "gedeelde_stand", label="Stand voor het Meldpunt",
            inner='<camunda:properties>'
            '<camunda:property id="readers" value="corporatie, meldpunt" />'
            '<camunda:property id="personal" value="false" /></camunda:properties>',
        ),
    ]
)  # fmt: skip
MELDPUNT_FORM = field(
    "oordeel", "enum", label="Oordeel",
    inner='<camunda:value id="ok" name="In orde" /><camunda:value id="nee" name="Niet in orde" />'
    '<camunda:validation><camunda:constraint name="required" /></camunda:validation>',
)  # fmt: skip
VALID = {
    "aantal_bezoeken": "3",
    "opmerking": "Twee keer thuis",
    "bezoekdatum": "2026-03-01",
    "akkoord": "ja",
    "gedeelde_stand": "bezocht",
}


def form_variant() -> str:
    return variant(
        [user_task("Task_Gegevens", CORPORATION_FORM, name="Gegevens bezoek")],
        [user_task("Task_Oordeel", MELDPUNT_FORM, name="Oordeel Meldpunt")],
    )


def lint(text: str) -> list[str]:
    return [str(p) for p in lint_sources({"q.bpmn": text}, set(form_keys()), set(OPERATIONS))]


# --- lint -------------------------------------------------------------------------------------


def test_a_diagram_form_passes_lint_without_a_form_key() -> None:
    assert lint(form_variant()) == []


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        (field("x", "double"), "type 'double' wordt niet ondersteund"),
        (field("x", inner='<camunda:validation><camunda:constraint name="pattern" '
               'config="[a-" /></camunda:validation>'), "geen geldige reguliere expressie"),
        (field("x", "long", inner='<camunda:validation><camunda:constraint name="min" config="5" />'
               '<camunda:constraint name="max" config="1" /></camunda:validation>'),
         "min 5 is groter dan max 1"),
        (field("x", "long", inner='<camunda:validation><camunda:constraint name="min" '
               'config="veel" /></camunda:validation>'), "'veel' is geen geheel getal"),
        (field("x", inner='<camunda:validation><camunda:constraint name="readonly" />'
               "</camunda:validation>"), "controle (constraint) 'readonly' wordt niet ondersteund"),
        (field("x", "boolean", inner='<camunda:validation><camunda:constraint name="maxlength" '
               'config="3" /></camunda:validation>'),
         "'maxlength' wordt niet ondersteund bij een boolean"),
        (field("x", "date", defaultValue="01-02-2026"), "geen datum in de vorm JJJJ-MM-DD"),
        (field("x", "enum"), "ten minste één waarde"),
        (field("x", "enum", defaultValue="fax", inner=VALUES), "'fax' is niet een van de waarden"),
        (field("x", defaultValue="${naam}"), "kan geen expressie zijn"),
        (field("x", inner='<camunda:properties><camunda:property id="readers" value="buren" />'
               "</camunda:properties>"), "lezer (readers) 'buren' is geen partij in de zaak"),
        (field("x", inner='<camunda:properties><camunda:property id="lezers" value="oov" />'
               "</camunda:properties>"), "eigenschap (property) 'lezers' is onbekend"),
        (field("x", inner='<camunda:properties><camunda:property id="personal" value="soms" />'
               "</camunda:properties>"), "personal moet true of false zijn"),
        (field("1x"), "moet een variabelenaam zijn"),
        (field("class"), "moet een variabelenaam zijn"),
        (field("x") + field("x"), "komt twee keer voor"),
    ],
)  # fmt: skip
def test_lint_names_what_is_wrong_with_a_field(fields: str, words: str) -> None:
    problems = lint(variant([user_task("Task_X", fields)]))
    assert any("Task_X" in p and words in p for p in problems), problems


def test_a_registered_form_key_and_form_fields_together_are_refused() -> None:
    text = variant([user_task("Task_X", field("x"), formKey="triage")])
    assert any("Task_X" in p and "houd er één over" in p for p in lint(text))


def test_a_user_task_without_any_form_is_refused() -> None:
    problems = lint(variant([user_task("Task_X")]))
    assert any("geen formuliersleutel" in p and "camunda:formData" in p for p in problems)


def test_field_definitions_are_typed() -> None:
    raw = [
        {
            "id": "n", "label": "Aantal", "type": "long", "defaultValue": "4",
            "constraints": {"min": "-2", "max": "9"}, "values": [], "properties": {},
        }
    ]  # fmt: skip
    fields, problems = read_form_fields(raw, "meldpunt")
    assert problems == []
    assert (fields[0].minimum, fields[0].maximum, fields[0].default) == (-2, 9, 4)
    assert fields[0].readers == ("meldpunt",)  # the task's own party by default


# --- deploy, validate, complete ---------------------------------------------------------------


def test_a_field_may_not_take_a_registered_forms_variable(session: Any, parties: Any) -> None:
    """huurder_naam belongs to form F1 (readable by every party): a diagram may not redefine it."""
    text = variant([user_task("Task_X", field("huurder_naam"))])
    with pytest.raises(DeploymentRefused) as refused:
        deploy_variant(text)
    assert any("huurder_naam" in p and "melding" in p for p in refused.value.problems)
    assert db.session.scalar(select(func.count()).select_from(ProcessVersion)) == 0


def test_the_version_summary_carries_the_forms(session: Any, parties: Any) -> None:
    version = deploy_variant(form_variant())[0].version
    forms = version.summary["diagram_forms"]
    assert set(forms) == {"quawonen/Task_Gegevens", "quawonen/Task_Oordeel"}
    fields = {f["id"]: f for f in forms["quawonen/Task_Gegevens"]["fields"]}
    assert fields["opmerking"]["readers"] == ["corporatie"]
    assert fields["gedeelde_stand"]["readers"] == ["corporatie", "meldpunt"]
    assert fields["gedeelde_stand"]["personal"] is False


def start(parties: Any) -> Any:
    case = start_case(parties.quawonen, {})
    db.session.commit()
    return case


def test_bad_input_is_refused_per_field_in_dutch_and_changes_nothing(
    session: Any, parties: Any, clock: Any
) -> None:
    deploy_variant(form_variant())
    case = start(parties)
    row = task_named(case, "Task_Gegevens")
    assert row.form_key is None
    events = db.session.scalar(select(func.count()).select_from(CaseEvent))
    bad = {
        "aantal_bezoeken": "12",
        "opmerking": "x1",
        "bezoekdatum": "2025-12-31",
        "kanaal": "fax",
        "onbekend": "1",
    }
    with pytest.raises(InvalidInput) as invalid:
        complete_task(parties.quawonen, row.id, bad)
    errors = invalid.value.errors
    assert errors["aantal_bezoeken"] == ["Vul een getal van 0 tot en met 10 in."]
    assert "Gebruik minstens 2 tekens." in errors["opmerking"] or errors["opmerking"] == [
        "De invoer heeft niet de gevraagde vorm."
    ]
    assert errors["bezoekdatum"] == ["Vul een datum op of na 01-01-2026 in."]
    assert errors["akkoord"] == ["Dit veld is verplicht."]
    assert errors["kanaal"][0].startswith("Kies een van de mogelijkheden: Brief, Telefoon")
    assert errors["onbekend"] == ["Onbekend veld: dit veld hoort niet bij dit formulier."]
    db.session.rollback()
    assert db.session.get(HumanTask, row.id) is not None
    assert db.session.scalar(select(func.count()).select_from(CaseEvent)) == events


def test_valid_input_completes_the_task_with_typed_values(
    session: Any, parties: Any, clock: Any
) -> None:
    deploy_variant(form_variant())
    case = start(parties)
    row = task_named(case, "Task_Gegevens")
    claim_task(parties.quawonen, row.id)
    case = complete_task(parties.quawonen, row.id, dict(VALID))
    db.session.commit()
    meldpunt_task = task_named(case, "Task_Oordeel")
    own = view_case(parties.quawonen, case.reference).data
    assert own["aantal_bezoeken"] == 3
    assert own["akkoord"] is True
    assert own["kanaal"] == "telefoon"  # the diagram's default value
    assert own["opmerking"] == "Twee keer thuis"
    # the Meldpunt reads only what the diagram shares with it (CV-23)
    theirs = view_case(parties.meldpunt, case.reference).data
    assert theirs == {"gedeelde_stand": "bezocht"}
    complete_task(parties.meldpunt, meldpunt_task.id, {"oordeel": "ok"})
    db.session.commit()
    assert view_case(parties.meldpunt, case.reference).data["oordeel"] == "ok"
    assert "oordeel" not in view_case(parties.quawonen, case.reference).data


def test_the_schema_carries_labels_help_readers_and_choices(
    session: Any, parties: Any, clock: Any
) -> None:
    deploy_variant(form_variant())
    row = task_named(start(parties), "Task_Gegevens")
    schema = task_schema(row)
    assert schema is not None
    assert schema.form_key == form_key_for("quawonen", "Task_Gegevens")  # type: ignore[attr-defined]
    assert schema.title == "Gegevens bezoek"  # type: ignore[attr-defined]
    fields = schema._declared_fields
    assert fields["opmerking"].metadata["label"] == "Opmerking"
    assert fields["opmerking"].metadata["help"] == "Kort, alleen letters."
    assert fields["opmerking"].metadata["readers"] == ("corporatie",)
    assert fields["kanaal"].metadata["choices"] == [("brief", "Brief"), ("telefoon", "Telefoon")]
    assert fields["aantal_bezoeken"].required is True


def test_a_registered_form_key_task_keeps_its_registered_schema(
    deployed: Any, parties: Any, clock: Any
) -> None:
    case = start_case(parties.quawonen, _signalering())
    db.session.commit()
    schema = task_schema(task_named(case, "Task_ContactCorporatie"))
    assert schema is not None and schema.form_key == "contact_corporatie"  # type: ignore[attr-defined]


def _signalering() -> dict[str, Any]:
    from tests.scenarios.helpers import example

    return example("signalering")


def test_a_negative_whole_number_counts_alike_typed_or_as_json() -> None:
    number = WholeNumber(minimum=-10, maximum=10)
    assert number.deserialize(-5) == number.deserialize("-5") == -5
    assert number.deserialize(3) == number.deserialize("3") == 3
    for too_low in (-11, "-11"):
        with pytest.raises(ValidationError):
            number.deserialize(too_low)
