"""Services on a real database: authorisation, bad input, versions, audit (CV-23, CV-25)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry, Case, CaseEvent, HumanTask, ProcessVersion
from app.services.actors import SYSTEM
from app.services.cases import correlate_message, get_case, start_case, view_case
from app.services.deployments import deploy, latest_version, read_directory
from app.services.errors import (
    Conflict,
    DeploymentRefused,
    Forbidden,
    InvalidInput,
    NotFound,
)
from app.services.tasks import (
    TaskFilter,
    assign_task,
    claim_task,
    complete_task,
    list_tasks,
    release_task,
)
from tests.conftest import PROCESSES
from tests.scenarios.helpers import do, example, task_named


def _start(parties: Any) -> Case:
    case = start_case(parties.quawonen, example("signalering"))
    db.session.commit()
    return case


def _count(model: Any, **where: Any) -> int:
    stmt = select(func.count()).select_from(model)
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return db.session.scalar(stmt) or 0


def test_only_corporations_start_cases(deployed: Any, parties: Any, clock: Any) -> None:
    with pytest.raises(Forbidden):
        start_case(parties.meldpunt, example("signalering"))


def test_start_form_errors_per_field_change_nothing(
    deployed: Any, parties: Any, clock: Any
) -> None:
    """Invalid start data: Dutch messages per field, no case, no event."""
    bad = example("signalering", postcode="12345", achterstand_bedrag=-5)
    with pytest.raises(InvalidInput) as caught:
        start_case(parties.quawonen, bad)
    db.session.rollback()
    assert {"postcode", "achterstand_bedrag"} <= set(caught.value.errors)
    assert _count(Case) == 0 and _count(CaseEvent) == 0


def test_invalid_task_form_changes_nothing(deployed: Any, parties: Any, clock: Any) -> None:
    case = _start(parties)
    row = task_named(case, "Task_ContactCorporatie")
    state_before, events_before = case.state, _count(CaseEvent)
    with pytest.raises(InvalidInput) as caught:
        complete_task(parties.quawonen, row.id, {"contactpoging_soort": "postduif"})
    db.session.rollback()
    assert "contactpoging_soort" in caught.value.errors
    db.session.refresh(case)
    assert case.state == state_before and _count(CaseEvent) == events_before
    assert db.session.get(HumanTask, row.id) is not None


def test_double_submission_is_a_conflict(deployed: Any, parties: Any, clock: Any) -> None:
    case = _start(parties)
    row_id = task_named(case, "Task_ContactCorporatie").id
    data = example("contact_corporatie", achterstand_opgelost=False)
    complete_task(parties.quawonen, row_id, data)
    db.session.commit()
    with pytest.raises((Conflict, NotFound)):
        complete_task(parties.quawonen, row_id, data)
    db.session.rollback()
    assert _count(CaseEvent, lifecycle="completed", activity_id="Task_ContactCorporatie") == 1


def test_other_corporation_cannot_reach_the_case(deployed: Any, parties: Any, clock: Any) -> None:
    """Vestia gets 'not found' for QuaWonen's case and task; the attempt is audited."""
    case = _start(parties)
    row = task_named(case, "Task_ContactCorporatie")
    with pytest.raises(NotFound):
        get_case(parties.vestia, case.reference)
    with pytest.raises(NotFound):
        complete_task(parties.vestia, row.id, example("contact_corporatie"))
    with pytest.raises(NotFound):
        correlate_message(parties.vestia, case.reference, "achterstand_opgelost")
    db.session.commit()
    assert _count(AuditEntry, action="denied", case_id=case.id) >= 2
    assert list_tasks(parties.vestia).total == 0


def test_role_decides_who_acts(deployed: Any, parties: Any, clock: Any) -> None:
    """The Meldpunt cannot do the corporation's task, and process owners see no case."""
    case = _start(parties)
    row = task_named(case, "Task_ContactCorporatie")
    with pytest.raises(NotFound):
        complete_task(parties.meldpunt, row.id, example("contact_corporatie"))
    with pytest.raises(NotFound):
        get_case(parties.procesbeheer, case.reference)


def test_claim_release_assign(deployed: Any, parties: Any, clock: Any) -> None:
    case = _start(parties)
    case = do(parties.quawonen, case, "Task_ContactCorporatie", achterstand_opgelost=False)
    case = do(parties.quawonen, case, "Task_Melding")
    row = task_named(case, "Task_Triage")
    claim_task(parties.meldpunt, row.id)
    db.session.commit()
    with pytest.raises(Conflict, match="opgepakt"):
        claim_task(parties.meldpunt2, row.id)
    with pytest.raises(Conflict):
        complete_task(parties.meldpunt2, row.id, example("triage"))
    db.session.rollback()
    assert list_tasks(parties.meldpunt, TaskFilter(mine=True)).total == 1
    release_task(parties.meldpunt, row.id)
    assign_task(parties.meldpunt, row.id, parties.meldpunt2.user_id or 0)
    db.session.commit()
    assert list_tasks(parties.meldpunt2, TaskFilter(mine=True)).total == 1
    with pytest.raises(InvalidInput):
        assign_task(parties.meldpunt, row.id, parties.quawonen.user_id or 0)
    lifecycles = [
        e.lifecycle
        for e in db.session.scalars(
            select(CaseEvent).where(CaseEvent.task_id == row.task_id).order_by(CaseEvent.id)
        )
    ]
    assert lifecycles == ["created", "claimed", "released", "assigned"]


def test_corporation_sees_status_not_assessment(deployed: Any, parties: Any, clock: Any) -> None:
    """§7: the corporation sees its report and status codes, never the Meldpunt's triage."""
    case = _start(parties)
    case = do(parties.quawonen, case, "Task_ContactCorporatie", achterstand_opgelost=False)
    case = do(parties.quawonen, case, "Task_Melding")
    case = do(parties.meldpunt, case, "Task_Triage")
    corp_view = view_case(parties.quawonen, case.reference)
    mp_view = view_case(parties.meldpunt, case.reference)
    db.session.commit()
    assert "opiumwet" not in corp_view.data and "doelgroep_uitkomst" not in corp_view.data
    assert corp_view.data.get("status_code") == "ontvangen"
    assert "opiumwet" in mp_view.data and "huurder_naam" in mp_view.data
    assert _count(AuditEntry, action="read", case_id=case.id) == 2


def test_messages_only_when_waiting(deployed: Any, parties: Any, clock: Any) -> None:
    case = _start(parties)
    with pytest.raises(Conflict, match="wacht nu niet"):
        correlate_message(parties.quawonen, case.reference, "achterstand_opgelost")
    with pytest.raises(Forbidden):
        correlate_message(parties.quawonen, case.reference, "inkomensbeheer_gestart")


def test_versions_by_content_hash(deployed: Any, parties: Any, clock: Any) -> None:
    """Redeploying unchanged files makes no version; a change makes one; cases keep theirs."""
    first = latest_version("quawonen")
    again = deploy(read_directory(PROCESSES), actor=SYSTEM)
    db.session.commit()
    assert all(not r.created for r in again)
    case = _start(parties)
    assert case.process_version_id == first.id
    sources = read_directory(PROCESSES)
    sources["shared/meldpunt.bpmn"] = sources["shared/meldpunt.bpmn"].replace(
        "${werkdagen(2)}", "${werkdagen(3)}"
    )
    changed = {r.version.process_id: r for r in deploy(sources, actor=SYSTEM)}
    db.session.commit()
    assert changed["meldpunt"].created and changed["quawonen"].created
    assert latest_version("quawonen").version == first.version + 1
    db.session.refresh(case)
    assert case.process_version_id == first.id
    newer = _start(parties)
    assert newer.process_version_id == latest_version("quawonen").id


def test_unsafe_or_broken_diagram_is_refused(deployed: Any, parties: Any, clock: Any) -> None:
    versions = _count(ProcessVersion)
    sources = read_directory(PROCESSES)
    sources["shared/meldpunt.bpmn"] = sources["shared/meldpunt.bpmn"].replace(
        "dagen_tot_ontruiming = ", "dagen_tot_ontruiming = __import__('os').getpid() or "
    )
    with pytest.raises(DeploymentRefused) as caught:
        deploy(sources, actor=SYSTEM)
    db.session.rollback()
    assert any("Task_DagenTotOntruiming" in p for p in caught.value.problems)
    with pytest.raises(Forbidden):
        deploy(read_directory(PROCESSES), actor=parties.meldpunt)
    assert _count(ProcessVersion) == versions
