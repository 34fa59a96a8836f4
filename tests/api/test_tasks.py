"""API on tasks: list, read, claim, release, complete; same rules as the services."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select, text

from app.extensions import db
from app.models import AuditEntry, Case, CaseEvent, HumanTask
from app.services.engine import lock_case
from tests.api.conftest import ApiFor
from tests.api.test_cases import complete, open_task, reported, start
from tests.scenarios.helpers import example


def test_task_list_shows_the_teams_open_tasks(
    api_for: ApiFor, deployed: Any, parties: Any, clock: Any
) -> None:
    case = reported(api_for, parties)
    page = api_for(parties.meldpunt).get("/tasks").get_json()
    assert page["total"] == 1 and page["pages"] == 1 and page["page"] == 1
    task = page["tasks"][0]
    assert task["case"] == case["reference"] and task["activity_id"] == "Task_Triage"
    assert task["corporation"] == "QuaWonen" and task["household"] == "Jan de Vries"
    assert task["claimed_by"] is None and task["overdue"] is False and task["due_soon"] is False
    shown = db.session.scalars(
        select(AuditEntry.case_id).where(
            AuditEntry.subject == "huishouden", AuditEntry.reason == "takenlijst"
        )
    ).all()
    assert len(shown) == 1  # the household's name on a list is a logged read (CV-23)
    clock.advance(days=1)
    soon = api_for(parties.meldpunt).get("/tasks").get_json()["tasks"][0]
    assert soon["due_soon"] is True and soon["overdue"] is False
    clock.advance(days=2)
    late = api_for(parties.meldpunt).get("/tasks", overdue="true").get_json()
    assert late["tasks"][0]["overdue"] is True
    assert api_for(parties.meldpunt).get("/tasks", mine="true").get_json()["total"] == 0
    assert api_for(parties.quawonen).get("/tasks").get_json()["total"] == 0
    assert api_for(parties.vestia).get("/tasks").get_json()["total"] == 0
    assert api_for(parties.procesbeheer).get("/tasks").get_json()["total"] == 0


def test_task_list_filters_sorts_and_pages(api_for: ApiFor, deployed: Any, parties: Any) -> None:
    corp = api_for(parties.quawonen)
    references = [start(corp)["reference"] for _ in range(3)]
    first = corp.get("/tasks", per_page=2, sort="created").get_json()
    assert first["total"] == 3 and first["pages"] == 2 and len(first["tasks"]) == 2
    second = corp.get("/tasks", per_page=2, page=2, sort="created").get_json()
    seen = [t["case"] for t in first["tasks"] + second["tasks"]]
    assert sorted(seen) == sorted(references)
    one = corp.get("/tasks", reference=references[1][-6:]).get_json()
    assert [t["case"] for t in one["tasks"]] == [references[1]]
    by_activity = corp.get("/tasks", activity_id="Task_Melding").get_json()
    assert by_activity["total"] == 0
    own = corp.get("/tasks", corporation_id=parties.org("quawonen").id).get_json()
    assert own["total"] == 3


def test_bad_task_list_filters_are_422_in_dutch(api_for: ApiFor, parties: Any) -> None:
    response = api_for(parties.meldpunt).get("/tasks", per_page=500, sort="naam", page="x")
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "per_page": ["Vul een aantal van 1 tot en met 200 in."],
        "sort": ["Sorteer op due, created of priority."],
        "page": ["Vul een geheel getal in."],
    }
    unknown = api_for(parties.meldpunt).get("/tasks", kleur="rood")
    assert unknown.get_json()["errors"] == {"kleur": ["Onbekend veld."]}


def test_task_page_has_the_task_draft_and_case(
    api_for: ApiFor, deployed: Any, parties: Any
) -> None:
    case = reported(api_for, parties)
    triage = open_task(case, "Task_Triage")
    detail = api_for(parties.meldpunt).get(f"/tasks/{triage['id']}").get_json()
    assert detail["task"]["form_key"] == "triage" and detail["draft"] is None
    assert detail["form"]["key"] == "triage" and detail["form"]["fields"][0]["label"]
    assert detail["case"]["reference"] == case["reference"]
    assert "huurder_naam" in detail["case"]["data"]
    assert api_for(parties.quawonen).get(f"/tasks/{triage['id']}").status_code == 404
    assert api_for(parties.schuldhulp).get(f"/tasks/{triage['id']}").status_code == 404


def test_claim_and_release(api_for: ApiFor, deployed: Any, parties: Any) -> None:
    case = reported(api_for, parties)
    task_id = open_task(case, "Task_Triage")["id"]
    me, colleague = api_for(parties.meldpunt), api_for(parties.meldpunt2)
    claimed = me.post(f"/tasks/{task_id}/claim")
    assert claimed.status_code == 200 and claimed.get_json()["claimed_by"] == "mp"
    assert me.get("/tasks", mine="true").get_json()["total"] == 1
    taken = colleague.post(f"/tasks/{task_id}/claim")
    assert taken.status_code == 409
    assert taken.get_json()["message"] == "Deze taak is al opgepakt door Mp."
    assert colleague.post(f"/tasks/{task_id}/release").status_code == 409
    not_allowed = colleague.post(f"/tasks/{task_id}/complete", example("triage"))
    assert not_allowed.status_code == 409
    released = me.post(f"/tasks/{task_id}/release")
    assert released.status_code == 200 and released.get_json()["claimed_by"] is None
    assert colleague.post(f"/tasks/{task_id}/claim").status_code == 200
    assert api_for(parties.quawonen).post(f"/tasks/{task_id}/claim").status_code == 404
    lifecycles = db.session.scalars(
        select(CaseEvent.lifecycle).where(CaseEvent.activity_id == "Task_Triage")
    ).all()
    assert lifecycles.count("claimed") == 2 and lifecycles.count("released") == 1


def test_complete_with_bad_data_is_422_and_changes_nothing(
    api_for: ApiFor, deployed: Any, parties: Any
) -> None:
    case = reported(api_for, parties)
    task_id = open_task(case, "Task_Triage")["id"]
    row = db.session.get(HumanTask, task_id)
    assert row is not None
    state = db.session.get(Case, row.case_id).state  # type: ignore[union-attr]
    events = db.session.scalar(select(func.count()).select_from(CaseEvent))
    response = api_for(parties.meldpunt).post(f"/tasks/{task_id}/complete", {"onzin": 1})
    assert response.status_code == 422
    body = response.get_json()
    assert body["message"] == "Het formulier bevat fouten."
    assert body["errors"]["onzin"] == ["Onbekend veld: dit veld hoort niet bij dit formulier."]
    assert any(msgs == ["Dit veld is verplicht."] for msgs in body["errors"].values())
    db.session.expire_all()
    assert db.session.get(Case, row.case_id).state == state  # type: ignore[union-attr]
    assert db.session.scalar(select(func.count()).select_from(CaseEvent)) == events
    assert db.session.get(HumanTask, task_id) is not None


def test_complete_runs_the_case_on_and_a_second_completion_fails(
    api_for: ApiFor, deployed: Any, parties: Any
) -> None:
    case = reported(api_for, parties)
    task_id = open_task(case, "Task_Triage")["id"]
    api = api_for(parties.meldpunt)
    after = complete(api, task_id, example("triage"))
    assert open_task(after, "Task_ContactLeggen")["role"] == "meldpunt"
    again = api.post(f"/tasks/{task_id}/complete", example("triage"))
    assert again.status_code == 404
    assert again.get_json()["message"] == "Taak niet gevonden of al afgehandeld."


def _wait_until_both_wait(backend: str) -> None:
    """Give both requests time to reach the case lock (PostgreSQL: watch them wait)."""
    deadline = time.monotonic() + 10
    if backend != "postgresql":
        time.sleep(0.5)
        return
    with db.engine.connect() as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            ).scalar()
            if waiting == 2:
                return
            time.sleep(0.02)


def test_double_submission_at_once_is_one_success_and_one_409(
    app: Flask, api_for: ApiFor, deployed: Any, parties: Any, backend: str
) -> None:
    """Two clicks on 'afronden' while the case is busy: one completes, the other gets 409."""
    case = reported(api_for, parties)
    task_id = open_task(case, "Task_Triage")["id"]
    token = api_for(parties.meldpunt).token
    row = db.session.get(HumanTask, task_id)
    assert row is not None
    case_id = row.case_id
    statuses: list[int] = []

    def submit() -> None:
        client = app.test_client()
        with app.app_context():  # its own session, like a second gunicorn worker
            response = client.post(
                f"/api/v1/tasks/{task_id}/complete",
                json=example("triage"),
                headers={"Authorization": f"Bearer {token}"},
            )
            statuses.append(response.status_code)

    lock_case(case_id)  # hold the case while both requests arrive
    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    _wait_until_both_wait(backend)
    db.session.rollback()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200, 409]
    completed = db.session.scalar(
        select(func.count())
        .select_from(CaseEvent)
        .where(CaseEvent.activity_id == "Task_Triage", CaseEvent.lifecycle == "completed")
    )
    assert completed == 1


def test_tasks_without_a_deadline_come_last(api_for: ApiFor, deployed: Any, parties: Any) -> None:
    """Sorting by deadline: soonest first, tasks without one at the end, on both databases."""
    corp = api_for(parties.quawonen)
    references = [start(corp)["reference"] for _ in range(3)]
    rows = db.session.scalars(select(HumanTask).order_by(HumanTask.id)).all()
    rows[0].due_at = None
    rows[2].due_at = rows[1].due_at - timedelta(days=1)  # type: ignore[operator]
    db.session.commit()
    listed = [t["case"] for t in corp.get("/tasks").get_json()["tasks"]]
    assert listed == [references[2], references[1], references[0]]
    by_priority = [t["case"] for t in corp.get("/tasks", sort="priority").get_json()["tasks"]]
    assert by_priority == listed
