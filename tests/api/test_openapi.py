"""The OpenAPI document and the form descriptions clients build their forms from."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from openapi_spec_validator import validate

from app.forms.registry import FORMS
from tests.api.conftest import ApiFor


def test_openapi_document_is_valid_openapi_3(api_for: ApiFor) -> None:
    document = api_for(None).get("/openapi.json").get_json()
    validate(document)
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_openapi_document_lists_every_api_route(app: Flask, api_for: ApiFor) -> None:
    document = api_for(None).get("/openapi.json").get_json()
    documented = {
        (path, method.upper()) for path, ops in document["paths"].items() for method in ops
    }
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.unknown_route":
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        routes |= {(path, m) for m in rule.methods or () if m not in ("HEAD", "OPTIONS")}
    assert routes == documented
    assert ("/api/v1/tasks/{task_id}/complete", "POST") in routes


def test_operations_declare_auth_and_dutch_errors(api_for: ApiFor) -> None:
    document = api_for(None).get("/openapi.json").get_json()
    complete = document["paths"]["/api/v1/tasks/{task_id}/complete"]["post"]
    assert complete["security"] == [{"bearer": []}]
    assert {"200", "401", "404", "409", "422"} <= set(complete["responses"])
    forms = complete["requestBody"]["content"]["application/json"]["schema"]["anyOf"]
    assert {ref["$ref"].rsplit("_", 1)[-1] for ref in forms} >= {"triage", "status"}
    assert document["paths"]["/api/v1/openapi.json"]["get"]["security"] == []
    status = document["components"]["schemas"]["Form_status"]
    assert (
        status["required"] == ["status_code"]
        and "ontvangen" in (status["properties"]["status_code"]["enum"])
    )


def test_every_form_is_described(api_for: ApiFor, parties: Any) -> None:
    api = api_for(parties.meldpunt)
    for key, schema in FORMS.items():
        response = api.get(f"/forms/{key}")
        assert response.status_code == 200, key
        form = response.get_json()
        names = [f["name"] for f in form["fields"]]
        assert names == [f.data_key or n for n, f in schema().fields.items() if not f.dump_only]
        assert all(f["label"] and f["type"] for f in form["fields"]), key


def test_form_description_has_labels_types_required_and_choices(
    api_for: ApiFor, parties: Any
) -> None:
    form = api_for(parties.quawonen).get("/forms/melding").get_json()
    assert form["key"] == "melding" and form["title"]
    fields = {f["name"]: f for f in form["fields"]}
    name = fields["huurder_naam"]
    assert (name["label"], name["type"], name["required"]) == ("Naam huurder", "text", True)
    assert name["personal"] is True and name["max_length"] == 200
    repeat = fields["contactpogingen"]
    assert repeat["type"] == "repeat"
    items = {f["name"]: f for f in repeat["fields"]}
    assert items["soort"]["type"] == "choice" and items["soort"]["required"] is True
    assert {"value", "label"} == set(items["soort"]["choices"][0])
    assert items["datum"]["type"] == "date" and items["bereikt"]["type"] == "boolean"


def test_unknown_form_is_404(api_for: ApiFor, parties: Any) -> None:
    response = api_for(parties.meldpunt).get("/forms/bestaat_niet")
    assert response.status_code == 404
    assert response.get_json()["message"] == "Formulier 'bestaat_niet' bestaat niet."


def test_task_page_describes_a_form_drawn_in_the_diagram(
    api_for: ApiFor, parties: Any, clock: Any
) -> None:
    """A task with its own camunda:formData form: described, checked and completed via the API."""
    from tests.api.test_cases import open_task
    from tests.workbench.conftest import deploy_variant, field, user_task, variant

    form = field(
        "aantal_bezoeken", "long", label="Aantal huisbezoeken",
        inner='<camunda:validation><camunda:constraint name="required" /></camunda:validation>',
    ) + field(
        "kanaal", "enum", label="Kanaal",
        inner='<camunda:value id="brief" name="Brief" /><camunda:value id="telefoon" '
        'name="Telefoon" />',
    )  # fmt: skip
    deploy_variant(variant([user_task("Task_Bezoek", form, name="Huisbezoek vastleggen")]))
    corp = api_for(parties.quawonen)
    task = open_task(corp.post("/cases", {}).get_json(), "Task_Bezoek")
    assert task["form_key"] is None
    described = corp.get(f"/tasks/{task['id']}").get_json()["form"]
    assert described["key"] == "diagram:quawonen/Task_Bezoek"
    fields = {f["name"]: f for f in described["fields"]}
    assert fields["aantal_bezoeken"]["label"] == "Aantal huisbezoeken"
    assert fields["aantal_bezoeken"]["required"] is True
    assert fields["kanaal"]["choices"] == [
        {"value": "brief", "label": "Brief"},
        {"value": "telefoon", "label": "Telefoon"},
    ]
    bad = corp.post(f"/tasks/{task['id']}/complete", {"aantal_bezoeken": "elf", "kanaal": "brief"})
    assert bad.status_code == 422
    assert bad.get_json()["errors"] == {"aantal_bezoeken": ["Vul een geheel getal in."]}
    done = corp.post(f"/tasks/{task['id']}/complete", {"aantal_bezoeken": 2, "kanaal": "brief"})
    assert done.status_code == 200 and done.get_json()["status"] == "closed"
