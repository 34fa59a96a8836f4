"""Editing in the workbench: drafts, checking with the lint rules, deploying (refusals and
conflicts change nothing), then the versions: the diff, the live view and migration in batches."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry, Case, DiagramDraft, ProcessVersion
from app.services.cases import start_case
from app.services.workbench.batches import migrate_batch, remaining_cases
from tests.conftest import PROCESSES
from tests.scenarios.helpers import do, example, task_named
from tests.workbench.conftest import contact_in, meldpunt_file

P4 = {
    "kinderen_onder_18": 0, "achterstand_maanden": 1.5, "vonnis": False, "vonnisdatum": "",
    "ontruimingsdatum": "", "reden_melding": "vermoeden_doelgroep", "incassofase": "aanmaning",
}  # fmt: skip


def post(client: Any, path: str, body: dict[str, Any], *, token: bool = True) -> Any:
    """POST JSON as the page's scripts do (CSRF token in the X-CSRFToken header)."""
    headers = {"X-CSRFToken": client.token()} if token else {}
    return client.post(path, json=body, headers={**headers, "Accept": "application/json"})


def edit(days: int) -> dict[str, Any]:
    name, text = meldpunt_file()
    return {"bestand": name, "xml": contact_in(days, text), "versie": 1}


def count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def at_contact(parties: Any) -> Case:
    """A QuaWonen case (priority P4) waiting for the Meldpunt's first contact attempt."""
    case = start_case(parties.quawonen, example("signalering"))
    db.session.commit()
    case = do(parties.quawonen, case, "Task_ContactCorporatie", achterstand_opgelost=False)
    case = do(parties.quawonen, case, "Task_Melding", **P4)
    return do(parties.meldpunt, case, "Task_Triage")


def version_of(case: Case) -> int:
    db.session.refresh(case)
    found = db.session.get(ProcessVersion, case.process_version_id)
    assert found is not None
    return found.version


def test_a_draft_is_kept_per_user_shown_again_and_thrown_away(
    deployed: Any, client_for: Any, clock: Any
) -> None:
    client = client_for("pb")
    body = edit(3)
    answer = post(client, "/werkbank/quawonen/concept", body)
    assert answer.status_code == 200 and answer.get_json()["ok"], answer.get_json()
    assert "Concept opgeslagen" in answer.get_json()["message"]
    again = post(client, "/werkbank/quawonen/concept", body)  # saving twice keeps one draft
    assert again.status_code == 200 and count(DiagramDraft) == 1
    stored = client.get(f"/werkbank/quawonen/concept?bestand={body['bestand']}")
    assert stored.get_data(as_text=True) == body["xml"]
    page = client.get(f"/werkbank/quawonen/bewerken?bestand={body['bestand']}")
    text = page.get_data(as_text=True)
    assert "U ziet uw concept van" in text and 'data-has-draft="1"' in text
    assert "shared/meldpunt.bpmn" in client.get("/werkbank/").get_data(as_text=True)
    answer = client.send("/werkbank/quawonen/concept/weggooien", {"bestand": body["bestand"]})
    assert answer.status_code == 302
    assert count(DiagramDraft) == 0
    assert client.get(f"/werkbank/quawonen/concept?bestand={body['bestand']}").status_code == 404


def test_drafts_need_the_csrf_token_and_a_diagram_file(deployed: Any, client_for: Any) -> None:
    client = client_for("pb")
    assert post(client, "/werkbank/quawonen/concept", edit(3), token=False).status_code == 400
    bad = post(client, "/werkbank/quawonen/concept", {**edit(3), "bestand": "notities.txt"})
    assert bad.status_code == 422
    assert "Alleen .bpmn- en .dmn-bestanden" in str(bad.get_json()["errors"])
    unknown = post(client, "/werkbank/bestaatniet/concept", edit(3))
    assert unknown.status_code == 404 and "niet uitgerold" in unknown.get_json()["message"]
    assert post(client, "/werkbank/quawonen/concept", {"xml": 3}).status_code == 400
    assert count(DiagramDraft) == 0


def test_check_uses_the_lint_rules_and_names_each_element(deployed: Any, client_for: Any) -> None:
    client = client_for("pb")
    fine = post(client, "/werkbank/quawonen/controleren", edit(3)).get_json()
    assert fine == {
        "ok": True,
        "message": "Geen problemen gevonden: dit diagram kan worden uitgerold.",
        "problems": [],
    }
    body = edit(3)
    body["xml"] = (
        body["xml"]
        .replace('camunda:formKey="contactpoging"', 'camunda:formKey="contactpogin"')
        .replace(
            'id="Lane_Meldpunt" name="Meldpunt Zorg en Overlast"',
            'id="Lane_Meldpunt" name="Meldpunten"',
        )
    )
    answer = post(client, "/werkbank/quawonen/controleren", body).get_json()
    assert answer["ok"] is False and "problemen gevonden" in answer["message"]
    where = {(p["file"], p["element"]) for p in answer["problems"]}
    assert ("shared/meldpunt.bpmn", "Task_ContactLeggen") in where
    assert ("shared/meldpunt.bpmn", "Task_Triage") in where  # the lane's other tasks
    messages = " ".join(p["message"] for p in answer["problems"])
    assert "'contactpogin' is geen geregistreerd formulier" in messages
    assert "baan (lane) 'Meldpunten' is geen bekende rol van een partij" in messages
    unsafe = post(
        client,
        "/werkbank/quawonen/controleren",
        {"bestand": "shared/meldpunt.bpmn", "xml": '<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>'},
    ).get_json()
    assert not unsafe["ok"]
    assert any("DOCTYPE" in p["message"] for p in unsafe["problems"])


def test_deploy_makes_versions_and_refusals_change_nothing(
    deployed: Any, client_for: Any, clock: Any
) -> None:
    client = client_for("pb")
    before = count(ProcessVersion)
    broken = edit(3)
    broken["xml"] = broken["xml"].replace('camunda:formKey="contactpoging"', 'camunda:formKey="x"')
    refused = post(client, "/werkbank/quawonen/uitrollen", broken)
    assert refused.status_code == 422
    answer = refused.get_json()
    assert answer["message"] == "De diagrammen bevatten fouten; er is niets uitgerold."
    assert any(p["element"] == "Task_ContactLeggen" for p in answer["problems"])
    assert count(ProcessVersion) == before
    post(client, "/werkbank/quawonen/concept", edit(3))
    done = post(client, "/werkbank/quawonen/uitrollen", edit(3))
    assert done.status_code == 200, done.get_json()
    created = {(v["process_id"], v["version"]) for v in done.get_json()["created"]}
    assert {("meldpunt", 2), ("quawonen", 2)} <= created
    assert "lopende zaken blijven op hun versie" in done.get_json()["message"]
    assert count(DiagramDraft) == 0  # the deployed draft is gone
    newest = db.session.scalar(
        select(ProcessVersion).where(
            ProcessVersion.process_id == "quawonen", ProcessVersion.version == 2
        )
    )
    assert newest is not None and newest.deployment_name == "werkbank: shared/meldpunt.bpmn"
    same = post(client, "/werkbank/quawonen/uitrollen", {**edit(3), "versie": 2})
    assert same.get_json()["message"].startswith("Er is niets veranderd")


def test_a_deployment_in_between_is_a_conflict_unless_forced(
    deployed: Any, client_for: Any, clock: Any
) -> None:
    client = client_for("pb")
    assert post(client, "/werkbank/quawonen/uitrollen", edit(3)).status_code == 200
    versions = count(ProcessVersion)
    late = post(client, "/werkbank/quawonen/uitrollen", edit(4))  # started on version 1
    assert late.status_code == 409
    assert "Intussen is versie 2 van quawonen uitgerold" in late.get_json()["message"]
    assert count(ProcessVersion) == versions
    forced = post(client, "/werkbank/quawonen/uitrollen", {**edit(4), "toch": True})
    assert forced.status_code == 200 and ("quawonen", 3) in {
        (v["process_id"], v["version"]) for v in forced.get_json()["created"]
    }


def test_diff_marks_the_changed_deadline(deployed: Any, client_for: Any, clock: Any) -> None:
    client = client_for("pb")
    post(client, "/werkbank/quawonen/uitrollen", edit(3))
    page = client.get(
        "/werkbank/quawonen/verschil?van=1&naar=2&bestand=shared/meldpunt.bpmn"
    ).get_data(as_text=True)
    assert "0 nieuw</span>" in page and "2 gewijzigd</span>" in page
    assert 'data-element="Task_ContactLeggen" data-kind="changed"' in page
    assert "termijn (due date)" in page
    assert 'data-element="Timer_ContactTeLaat"' in page
    assert '"element": "Task_ContactLeggen"' in page  # the markers' data
    assert "shared/meldpunt.bpmn (2 wijzigingen)" in page


def test_live_view_counts_and_lists_references_only(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    case = at_contact(accounts)
    clock.advance(timedelta(days=10))  # past the 5 working days
    client = client_for("pb")
    page = client.get("/werkbank/quawonen/v1/live?bestand=shared/meldpunt.bpmn")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '"id": "Task_ContactLeggen"' in text and '"overdue": 1' in text
    assert "1 lopende zaak op deze versie" in text
    assert "Jan de Vries" not in text
    listed = client.get("/werkbank/quawonen/v1/live/Task_ContactLeggen.json").get_json()
    assert listed["cases"] == [
        {"reference": case.reference, "due": listed["cases"][0]["due"], "overdue": True}
    ]
    own = client.get("/werkbank/quawonen/v1/live").get_data(as_text=True)
    call = (
        '{"id": "CallActivity_Meldpunt", "kind": "subprocess", "name": "Meldpunt Zorg en Overlast"'
    )
    assert call + ', "overdue": 1, "waiting": 1}' in own  # the call activity counts it too


def test_dry_run_then_batches_move_the_case_and_audit_it(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    """Issue 5 §6 and §9 through the pages: the existing case at the contact step is movable."""
    case = at_contact(accounts)
    assert task_named(case, "Task_ContactLeggen").due_at == clock.now() + timedelta(days=7)
    client = client_for("pb")
    post(client, "/werkbank/quawonen/uitrollen", edit(3))
    page = client.get("/werkbank/quawonen/migratie").get_data(as_text=True)
    assert f"<td>{case.reference}</td>" in page
    assert "Open stap met nieuwe definitie: Task_ContactLeggen" in page
    assert '<dd id="wb-movable">1</dd>' in page
    assert version_of(case) == 1  # the dry run changed nothing
    answer = client.post(
        "/werkbank/quawonen/migratie",
        data={"naar": "2", "na": "0", "csrf_token": client.token()},
        headers={"Accept": "application/json"},
    ).get_json()
    assert answer["ok"] and answer["total"] == 1 and answer["remaining"] == 0
    assert [c["reference"] for c in answer["moved"]] == [case.reference]
    assert version_of(case) == 2
    assert task_named(case, "Task_ContactLeggen").due_at == clock.now() + timedelta(days=7)
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.case_id == case.id)).all()
    assert any(a.reason == "migratie quawonen v1 naar v2" for a in audit)
    again = client.send("/werkbank/quawonen/migratie", {"naar": "2", "na": "0"})
    assert again.status_code == 302  # without scripts: one batch, then back to the page
    assert "0 zaak/zaken verplaatst" in client.get(again.headers["Location"]).get_data(as_text=True)


def _decisions_file() -> tuple[str, str]:
    path = PROCESSES / "decisions" / "prioriteit.dmn"
    return "decisions/prioriteit.dmn", path.read_text(encoding="utf-8")


def test_decision_tables_are_edited_checked_and_deployed_like_diagrams(
    deployed: Any, client_for: Any, clock: Any
) -> None:
    client = client_for("pb")
    name, text = _decisions_file()
    page = client.get(f"/werkbank/quawonen/bewerken?bestand={name}").get_data(as_text=True)
    assert "dmn-modeler.production.min.js" in page and "Cellen zijn Python, geen FEEL" in page
    feel = text.replace("<text>&gt;= 2</text>", "<text>[2..12]</text>", 1)
    assert feel != text
    refused = post(client, "/werkbank/quawonen/controleren", {"bestand": name, "xml": feel})
    assert not refused.get_json()["ok"]
    assert any(p["file"] == name for p in refused.get_json()["problems"])
    sharper = text.replace("<text>&gt;= 2</text>", "<text>&gt;= 3</text>", 1)
    done = post(client, "/werkbank/quawonen/uitrollen", {"bestand": name, "xml": sharper})
    assert done.status_code == 200, done.get_json()
    created = {v["process_id"] for v in done.get_json()["created"]}
    assert {"meldpunt", "quawonen", "vestia"} <= created  # every process that uses it


def test_a_draft_decision_is_offered_and_an_unused_one_is_not_deployed(
    deployed: Any, client_for: Any, clock: Any
) -> None:
    client = client_for("pb")
    _name, text = _decisions_file()
    new = text.replace('decision id="prioriteit"', 'decision id="prioriteit_nieuw"')
    body = {"bestand": "decisions/prioriteit_nieuw.dmn", "xml": new}
    assert post(client, "/werkbank/quawonen/concept", body).status_code == 200
    choices = client.get("/werkbank/keuzes.json").get_json()
    offered = {d["id"]: d["source"] for d in choices["decisions"]}
    assert offered["prioriteit_nieuw"] == "concept" and offered["prioriteit"] == "uitgerold"
    before = count(ProcessVersion)
    answer = post(client, "/werkbank/quawonen/uitrollen", body)
    assert answer.status_code == 422
    assert "hoort bij geen enkel proces" in answer.get_json()["message"]
    assert count(ProcessVersion) == before
    assert count(DiagramDraft) == 1  # a refused deployment keeps the draft


def test_batches_go_on_after_the_last_case_they_saw(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    first, second = at_contact(accounts), at_contact(accounts)
    post(client_for("pb"), "/werkbank/quawonen/uitrollen", edit(3))
    owner = accounts.procesbeheer
    assert remaining_cases(owner, "quawonen", 2) == 2
    batch = migrate_batch(owner, "quawonen", 2, after=0, size=1)
    assert [c.reference for c in batch.moved] == [first.reference]
    assert (batch.last_id, batch.remaining) == (first.id, 1)
    batch = migrate_batch(owner, "quawonen", 2, after=batch.last_id, size=1)
    assert [c.reference for c in batch.moved] == [second.reference]
    assert batch.remaining == 0
    assert (version_of(first), version_of(second)) == (2, 2)
    done = migrate_batch(owner, "quawonen", 2, after=batch.last_id)
    assert (done.moved, done.stayed, done.remaining) == ([], [], 0)
