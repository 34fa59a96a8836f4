"""The task page: the form from its schema, messages, drafts, repeating groups, completion."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import CaseEvent, HumanTask
from app.services.cases import start_case
from app.services.tasks import claim_task
from tests.scenarios.helpers import example, task_named
from tests.web.conftest import case_by_reference, report, started, until_melding


def _melding_task(parties: Any) -> Any:
    case = started(parties)
    return case, until_melding(parties, case)


def _events(case: Any) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case.id)
        )
        or 0
    )


def test_form_is_drawn_from_the_schema_and_prefilled_from_the_case(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    _case, task = _melding_task(accounts)
    page = client_for("qua").get(f"/taken/{task.id}").get_data(as_text=True)
    assert '<label for="f-huurder_naam">Naam huurder <span class="req">(verplicht)</span>' in page
    assert 'id="f-huurder_naam" name="huurder_naam" type="text" value="Jan de Vries"' in page
    assert 'value="745,50"' in page  # amounts in Dutch notation
    assert "Voor- en achternaam van de huurder." in page  # help text
    assert 'aria-describedby="f-huurder_naam-hulp"' in page
    assert 'value="QuaWonen"' in page  # the corporation's name suggested
    assert '<legend>Reden van de melding <span class="req">(verplicht)</span></legend>' in page
    assert 'type="radio" id="f-reden_melding-0"' in page
    assert '<select id="f-incassofase" name="incassofase"' in page
    assert 'data-repeat="contactpogingen"' in page and "Contactpoging toevoegen" in page
    assert 'data-activity="Task_Melding"' in page
    assert "Geschiedenis" in page and "Taak afgerond" in page
    assert "Gegevens van de zaak" in page


def test_bad_input_shows_dutch_messages_and_changes_nothing(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    case, task = _melding_task(accounts)
    before = _events(case)
    client = client_for("qua")
    answer = client.send(
        f"/taken/{task.id}",
        {"_action": "afronden", "huurder_naam": "Jan de Vries", "postcode": "2931",
         "huisnummer": "12", "kinderen_onder_18": "9", "huishoudgrootte": "2"},
    )  # fmt: skip
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert 'id="foutoverzicht"' in page and "problemen met het formulier" in page
    assert '<a href="#f-postcode">Postcode: Vul een geldige Nederlandse postcode in' in page
    assert '<a href="#f-reden_melding-0">Reden van de melding: Dit veld is verplicht.</a>' in page
    assert 'id="f-postcode-fout"' in page and 'aria-invalid="true"' in page
    assert 'value="2931"' in page  # what was typed stays
    assert "<title>Fout:" in page
    crossed = client.send(
        f"/taken/{task.id}", example("melding", kinderen_onder_18="9", huishoudgrootte="2")
    )
    assert crossed.status_code == 422
    assert '<a href="#f-kinderen_onder_18">Aantal kinderen onder 18: Het aantal kinderen' in (
        crossed.get_data(as_text=True)
    )
    db.session.expire_all()
    assert _events(case) == before
    assert db.session.get(HumanTask, task.id) is not None


def test_repeating_group_add_and_remove_without_javascript(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    _case, task = _melding_task(accounts)
    client = client_for("qua")
    added = client.send(
        f"/taken/{task.id}", {"_action": "add:contactpogingen", "huurder_naam": "Jan"}
    )
    assert added.status_code == 200
    page = added.get_data(as_text=True)
    assert 'name="contactpogingen-0-soort"' in page
    assert "Contactpoging 1 verwijderen" in page
    assert 'data-focus="f-contactpogingen-0"' in page
    assert 'value="Jan"' in page
    twice = client.send(
        f"/taken/{task.id}",
        {"_action": "add:contactpogingen", "contactpogingen-0-_item": "1",
         "contactpogingen-0-soort": "brief", "contactpogingen-0-datum": "2026-02-01"},
    )  # fmt: skip
    page = twice.get_data(as_text=True)
    assert 'name="contactpogingen-1-soort"' in page
    removed = client.send(
        f"/taken/{task.id}",
        {"_action": "remove:contactpogingen:0", "contactpogingen-0-_item": "1",
         "contactpogingen-0-soort": "brief", "contactpogingen-1-_item": "1",
         "contactpogingen-1-soort": "telefoon"},
    )  # fmt: skip
    page = removed.get_data(as_text=True)
    assert 'name="contactpogingen-1-soort"' not in page
    assert re.search(r'<option value="telefoon" selected>', page)
    assert db.session.get(HumanTask, task.id).draft is None  # type: ignore[union-attr]


def test_errors_inside_a_repeating_group_point_at_the_item(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    _case, task = _melding_task(accounts)
    answer = client_for("qua").send(
        f"/taken/{task.id}",
        {"contactpogingen-0-_item": "1", "contactpogingen-0-soort": "brief",
         "contactpogingen-0-datum": "gisteren"},
    )  # fmt: skip
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert '<a href="#f-contactpogingen-0-datum">Contactpoging 1: Datum: Vul een geldige' in page


def test_draft_is_kept_and_shown_again(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    case, task = _melding_task(accounts)
    client = client_for("qua")
    saved = client.send(
        f"/taken/{task.id}", {"_action": "concept", "huurder_naam": "J. de Vries", "postcode": "x"}
    )
    assert saved.status_code == 302
    db.session.refresh(task)
    assert task.draft is not None and task.draft["huurder_naam"] == "J. de Vries"
    page = client.get(f"/taken/{task.id}").get_data(as_text=True)
    assert "opgeslagen concept" in page
    assert 'value="J. de Vries"' in page and 'value="x"' in page
    assert task_named(case, "Task_Melding").id == task.id  # a draft completes nothing


def test_complete_runs_the_case_on_and_shows_the_case(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    case = report(accounts)
    task = task_named(case, "Task_Triage")
    client = client_for("mp")
    answer = client.send(f"/taken/{task.id}", example("triage"))
    assert answer.status_code == 302
    assert answer.headers["Location"] == f"/zaken/{case.reference}"
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "is afgerond" in page
    assert "Contact leggen met huurder" in page
    assert task_named(case_by_reference(case.reference), "Task_ContactLeggen")


def test_someone_else_first_is_a_clear_conflict(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    case = report(accounts)
    task = task_named(case, "Task_Triage")
    claim_task(accounts.meldpunt2, task.id)
    db.session.commit()
    answer = client_for("mp").send(f"/taken/{task.id}", example("triage"))
    assert answer.status_code == 409
    page = answer.get_data(as_text=True)
    assert "Deze taak is opgepakt door Mp2." in page
    assert 'value="Pieter Smit"' in page  # the typed form is still there to copy
    assert task_named(case, "Task_Triage").id == task.id


def test_completed_meanwhile_is_not_found(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    case = report(accounts)
    task = task_named(case, "Task_Triage")
    first, second = client_for("mp"), client_for("mp2")
    assert first.send(f"/taken/{task.id}", example("triage")).status_code == 302
    late = second.send(f"/taken/{task.id}", example("triage"))
    assert late.status_code == 404
    assert "Taak niet gevonden of al afgehandeld." in late.get_data(as_text=True)


def test_other_roles_cannot_open_the_task(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    case = report(accounts)
    task = task_named(case, "Task_Triage")
    for username in ("qua", "sdv", "pb"):
        assert client_for(username).get(f"/taken/{task.id}").status_code == 404
        assert client_for(username).get(f"/taken/{task.id}/diagram.bpmn").status_code == 404


def test_diagram_of_a_called_subprocess_task(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    case = report(accounts)
    task = task_named(case, "Task_Triage")
    answer = client_for("mp").get(f"/taken/{task.id}/diagram.bpmn")
    assert answer.status_code == 200
    assert answer.mimetype == "application/xml"
    xml = answer.get_data(as_text=True)
    assert 'id="meldpunt"' in xml and 'id="Task_Triage"' in xml


def test_vendor_serves_only_whitelisted_bundles(app: Any, session: Any) -> None:
    client = app.test_client()
    viewer = client.get("/vendor/bpmn-js/dist/bpmn-navigated-viewer.production.min.js")
    assert viewer.status_code == 200
    viewer.close()
    for path in (
        "/vendor/bpmn-js/package.json",
        "/vendor/axe-core/axe.min.js",
        "/vendor/bpmn-js/dist/../package.json",
        "/vendor/bpmn-js/dist/%2e%2e/package.json",
        "/vendor/bpmn-js/dist/.hidden.js",
    ):
        assert client.get(path).status_code == 404, path


def test_a_form_drawn_in_the_diagram(accounts: Any, client_for: Any, clock: Any) -> None:
    """A process owner's camunda:formData form is drawn, checked and shown like the others."""
    from tests.workbench.conftest import deploy_variant, field, user_task, variant

    form = field(
        "aantal_bezoeken", "long", label="Aantal huisbezoeken",
        inner='<camunda:validation><camunda:constraint name="required" />'
        '<camunda:constraint name="max" config="10" /></camunda:validation>',
    ) + field(
        "kanaal", "enum", label="Kanaal", defaultValue="telefoon",
        inner='<camunda:value id="brief" name="Brief" /><camunda:value id="telefoon" '
        'name="Telefoon" />',
    )  # fmt: skip
    deploy_variant(variant([user_task("Task_Bezoek", form, name="Huisbezoek vastleggen")]))
    case = start_case(accounts.quawonen, {})
    db.session.commit()
    task = task_named(case, "Task_Bezoek")
    client = client_for("qua")
    page = client.get(f"/taken/{task.id}").get_data(as_text=True)
    assert "Aantal huisbezoeken <span" in page and "(verplicht)" in page
    assert 'name="kanaal" value="telefoon" checked' in page  # the diagram's default
    bad = client.send(f"/taken/{task.id}", {"aantal_bezoeken": "elf", "kanaal": "brief"})
    assert bad.status_code == 422
    assert "Aantal huisbezoeken: Vul een geheel getal in." in bad.get_data(as_text=True)
    done = client.send(f"/taken/{task.id}", {"aantal_bezoeken": "2", "kanaal": "brief"})
    assert done.status_code == 302
    shown = client.get(done.headers["Location"]).get_data(as_text=True)
    assert re.search(r"<dt>Aantal huisbezoeken</dt>\s*<dd>\s*2\s*</dd>", shown)
    assert re.search(r"<dt>Kanaal</dt>\s*<dd>\s*Brief\s*</dd>", shown)  # the choice's label


def test_a_required_yes_no_question_gets_two_answers(
    accounts: Any, client_for: Any, clock: Any
) -> None:
    """An unticked box cannot answer 'nee': a required boolean is asked with Ja and Nee."""
    from tests.workbench.conftest import deploy_variant, field, user_task, variant

    form = field(
        "akkoord", "boolean", label="Huurder akkoord",
        inner='<camunda:validation><camunda:constraint name="required" /></camunda:validation>',
    )  # fmt: skip
    deploy_variant(variant([user_task("Task_Akkoord", form, name="Akkoord vastleggen")]))
    case = start_case(accounts.quawonen, {})
    db.session.commit()
    task = task_named(case, "Task_Akkoord")
    client = client_for("qua")
    page = client.get(f"/taken/{task.id}").get_data(as_text=True)
    assert 'type="radio" id="f-akkoord-0" name="akkoord" value="ja"' in page
    assert 'type="radio" id="f-akkoord-1" name="akkoord" value="nee"' in page
    unanswered = client.send(f"/taken/{task.id}", {})
    assert unanswered.status_code == 422
    assert '<a href="#f-akkoord-0">Huurder akkoord: Dit veld is verplicht.</a>' in (
        unanswered.get_data(as_text=True)
    )
    assert client.send(f"/taken/{task.id}", {"akkoord": "nee"}).status_code == 302


def test_the_evaluation_meeting_sees_its_task_without_case_data(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    """A role without personal data (CV-23) gets its own task's form, and nothing of the case."""
    from app.models import AuditEntry, User
    from tests.web.conftest import password_hash

    case = report(accounts)
    evaluator = accounts.user("ev", "convenant", "evaluatie")
    db.session.get(User, evaluator.user_id).password_hash = password_hash()  # type: ignore[union-attr]
    row = HumanTask(
        case_id=case.id, task_id="evaluatie-1", activity_id="Task_Evaluatie",
        name="Evaluatieoverleg: metrieken en knelpunten", process_id="jaarlijkse_evaluatie",
        role="evaluatie", form_key="evaluatie_review", created_at=clock.now(),
    )  # fmt: skip
    db.session.add(row)
    db.session.commit()
    page = client_for("ev").get(f"/taken/{row.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Evaluatieoverleg: metrieken en knelpunten" in text
    assert "Jan de Vries" not in text and f'href="/zaken/{case.reference}"' not in text
    assert "geen gegevens van deze zaak die u mag zien" in text
    denied = db.session.scalar(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "denied")
    )
    assert denied == 0
