"""API on cases: start, read as one's role may, send messages; audit like the UI (CV-23)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry, Case, CaseEvent
from app.services.privacy import readable_variables
from tests.api.conftest import Api, ApiFor
from tests.scenarios.helpers import example


def _count(model: Any, **where: Any) -> int:
    stmt = select(func.count()).select_from(model)
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return db.session.scalar(stmt) or 0


def start(api: Api, **overrides: Any) -> dict[str, Any]:
    response = api.post("/cases", example("signalering", **overrides))
    assert response.status_code == 201, response.get_json()
    body: dict[str, Any] = response.get_json()
    return body


def complete(api: Api, task_id: int, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post(f"/tasks/{task_id}/complete", body)
    assert response.status_code == 200, response.get_json()
    result: dict[str, Any] = response.get_json()
    return result


def open_task(case: dict[str, Any], activity_id: str) -> dict[str, Any]:
    found = [t for t in case["open_tasks"] if t["activity_id"] == activity_id]
    assert found, [t["activity_id"] for t in case["open_tasks"]]
    return found[0]


def reported(api_for: ApiFor, parties: Any) -> dict[str, Any]:
    """A QuaWonen case reported to the Meldpunt, through the API only."""
    corp = api_for(parties.quawonen)
    case = start(corp)
    contact = open_task(case, "Task_ContactCorporatie")
    case = complete(corp, contact["id"], example("contact_corporatie", achterstand_opgelost=False))
    return complete(corp, open_task(case, "Task_Melding")["id"], example("melding"))


def test_a_corporation_starts_a_case(api_for: ApiFor, deployed: Any, parties: Any) -> None:
    case = start(api_for(parties.quawonen))
    assert case["reference"].startswith("VK-2026-")
    assert case["status"] == "open" and case["process_id"] == "quawonen"
    assert case["corporation"] == "QuaWonen" and case["household"] == "Jan de Vries"
    task = open_task(case, "Task_ContactCorporatie")
    assert task["role"] == "corporatie" and task["form_key"] == "contact_corporatie"
    assert _count(AuditEntry, action="write", subject="start") == 1


def test_only_corporations_start_cases(api_for: ApiFor, deployed: Any, parties: Any) -> None:
    response = api_for(parties.meldpunt).post("/cases", example("signalering"))
    assert response.status_code == 403
    assert response.get_json()["message"] == "Alleen een woningcorporatie kan een zaak starten."
    assert _count(Case) == 0


def test_bad_start_data_is_422_per_field_and_changes_nothing(
    api_for: ApiFor, deployed: Any, parties: Any
) -> None:
    body = example("signalering", postcode="12345", achterstand_bedrag=-5, schoenmaat=44)
    response = api_for(parties.quawonen).post("/cases", body)
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert {"postcode", "achterstand_bedrag", "schoenmaat"} <= set(errors)
    assert errors["schoenmaat"] == ["Onbekend veld: dit veld hoort niet bij dit formulier."]
    assert _count(Case) == 0 and _count(CaseEvent) == 0


def test_body_that_is_not_json_is_400(api_for: ApiFor, deployed: Any, parties: Any) -> None:
    api = api_for(parties.quawonen)
    headers = {"Authorization": f"Bearer {api.token}", "Content-Type": "application/json"}
    response = api.client.post("/api/v1/cases", data="{niet: json", headers=headers)
    assert response.status_code == 400
    assert response.get_json()["message"] == "De inhoud is geen geldige JSON."
    listed = api.post("/cases", ["een", "lijst"])
    assert listed.status_code == 422
    assert _count(Case) == 0


def test_a_corporation_may_not_start_another_corporations_process(
    api_for: ApiFor, deployed: Any, parties: Any
) -> None:
    response = api_for(parties.vestia).post("/cases", example("signalering"), process_id="quawonen")
    assert response.status_code == 403
    unknown = api_for(parties.quawonen).post("/cases", example("signalering"), tijd="nu")
    assert unknown.status_code == 422 and "tijd" in unknown.get_json()["errors"]


def test_reading_a_case_shows_what_the_role_may_see(
    api_for: ApiFor, deployed: Any, parties: Any
) -> None:
    case = reported(api_for, parties)
    corp = api_for(parties.quawonen).get(f"/cases/{case['reference']}").get_json()
    meldpunt = api_for(parties.meldpunt).get(f"/cases/{case['reference']}").get_json()
    assert meldpunt["household"] == "Jan de Vries"
    assert "huurder_naam" in meldpunt["data"] and "huurder_naam" in corp["data"]
    assert "contactpoging_soort" in corp["data"] and "contactpoging_soort" not in meldpunt["data"]
    assert set(corp["data"]) <= readable_variables("corporatie")
    assert set(meldpunt["data"]) <= readable_variables("meldpunt")
    lifecycles = [(e["lifecycle"], e["activity_id"]) for e in meldpunt["events"]]
    assert ("completed", "Task_Melding") in lifecycles
    assert open_task(meldpunt, "Task_Triage")["role"] == "meldpunt"
    reads = _count(AuditEntry, action="read", reason="zaakpagina")
    assert reads == 2


def test_other_corporation_and_process_owners_get_404_and_the_attempt_is_audited(
    api_for: ApiFor, deployed: Any, parties: Any
) -> None:
    case = start(api_for(parties.quawonen))
    for actor in (parties.vestia, parties.procesbeheer, parties.schuldhulp):
        response = api_for(actor).get(f"/cases/{case['reference']}")
        assert response.status_code == 404
        assert response.get_json()["message"] == "Zaak niet gevonden."
    assert _count(AuditEntry, action="denied") == 3
    assert api_for(parties.vestia).get("/cases/VK-2026-999999").status_code == 404


def test_a_corporation_signals_arrears_solved(api_for: ApiFor, deployed: Any, parties: Any) -> None:
    case = reported(api_for, parties)
    response = api_for(parties.quawonen).post(
        f"/cases/{case['reference']}/messages", {"message": "achterstand_opgelost"}
    )
    assert response.status_code == 200, response.get_json()
    closed = response.get_json()
    assert closed["status"] == "closed" and closed["outcome"] == "opgelost"
    assert closed["open_tasks"] == []
    again = api_for(parties.quawonen).post(
        f"/cases/{case['reference']}/messages", {"message": "achterstand_opgelost"}
    )
    assert again.status_code == 409
    assert again.get_json()["message"] == "De zaak is al afgesloten."


def test_messages_the_case_does_not_wait_for_or_may_not_send(
    api_for: ApiFor, deployed: Any, parties: Any
) -> None:
    case = reported(api_for, parties)
    path = f"/cases/{case['reference']}/messages"
    corp = api_for(parties.quawonen)
    not_waiting = corp.post(path, {"message": "ontruimingsvonnis"})
    assert not_waiting.status_code == 409
    assert "wacht nu niet" in not_waiting.get_json()["message"]
    forbidden = corp.post(path, {"message": "iets_anders"})
    assert forbidden.status_code == 403
    other = api_for(parties.vestia).post(path, {"message": "achterstand_opgelost"})
    assert other.status_code == 404
    assert _count(AuditEntry, action="denied", reason="bericht achterstand_opgelost") == 1
    bad = corp.post(path, {"bericht": "x", "payload": []})
    assert bad.status_code == 422
    assert bad.get_json()["errors"] == {
        "bericht": ["Onbekend veld."],
        "message": ["Dit veld is verplicht."],
        "payload": ["Geef de gegevens als JSON-object."],
    }
    assert (
        api_for(parties.meldpunt).get(f"/cases/{case['reference']}").get_json()["status"] == "open"
    )


def test_a_body_over_the_upload_limit_is_413_in_dutch(api_for: ApiFor, parties: Any) -> None:
    big = {"huurder_naam": "x" * (3 * 1024 * 1024)}
    response = api_for(parties.quawonen).post("/cases", big)
    assert response.status_code == 413
    assert response.get_json()["message"] == "Het verzoek is te groot."
    assert _count(Case) == 0
