"""Moving running cases to a newer version: the issue's scenario, obstacles, bulk move, CLI."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.cli import main as cli
from app.extensions import db
from app.models import AuditEntry, Case, CaseEvent, HumanTask, ProcessVersion
from app.services.actors import SYSTEM
from app.services.cases import start_case
from app.services.errors import Forbidden, NotFound
from app.services.tasks import claim_task
from app.services.workbench.migration import migrate_cases, plan_migration
from tests.scenarios.helpers import do, example, lifecycle, task_named
from tests.workbench.conftest import (
    contact_in,
    deploy_variant,
    field,
    meldpunt_file,
    upload,
    user_task,
    variant,
)

P4 = {
    "kinderen_onder_18": 0, "achterstand_maanden": 1.5, "vonnis": False, "vonnisdatum": "",
    "ontruimingsdatum": "", "reden_melding": "vermoeden_doelgroep", "incassofase": "aanmaning",
}  # fmt: skip


def at_contact(parties: Any) -> Case:
    """A QuaWonen case (priority P4) waiting for the Meldpunt's first contact attempt."""
    case = start_case(parties.quawonen, example("signalering"))
    db.session.commit()
    case = do(parties.quawonen, case, "Task_ContactCorporatie", achterstand_opgelost=False)
    case = do(parties.quawonen, case, "Task_Melding", **P4)
    return do(parties.meldpunt, case, "Task_Triage")


def version_of(case: Case) -> int:
    db.session.refresh(case)
    version = db.session.get(ProcessVersion, case.process_version_id)
    assert version is not None
    return version.version


def three_working_days(owner: Any) -> None:
    """The process owner's change: contact within 3 working days instead of 5 (from the desktop)."""
    name, text = meldpunt_file()
    results = upload(owner, {name.rsplit("/", 1)[-1]: contact_in(3, text)})
    created = {r.version.process_id: r.version.version for r in results if r.created}
    assert created["meldpunt"] == 2 and created["quawonen"] == 2


def test_new_deadline_for_new_cases_old_for_existing_and_the_dry_run_says_movable(
    deployed: Any, parties: Any, clock: Any, owner: Any
) -> None:
    """Issue 5 §9 at service level: the Meldpunt contact deadline goes from 5 to 3 working days."""
    existing = at_contact(parties)
    assert task_named(existing, "Task_ContactLeggen").due_at == clock.now() + timedelta(days=7)
    three_working_days(owner)
    fresh = at_contact(parties)
    assert version_of(fresh) == 2
    # Monday 09:00 + 3 working days = Thursday; the existing case keeps its 5 (next Monday)
    assert task_named(fresh, "Task_ContactLeggen").due_at == clock.now() + timedelta(days=3)
    assert task_named(existing, "Task_ContactLeggen").due_at == clock.now() + timedelta(days=7)
    assert version_of(existing) == 1
    plan = plan_migration(owner, "quawonen", 2)
    assert [(c.reference, c.movable) for c in plan.cases] == [(existing.reference, True)]
    assert "Task_ContactLeggen" in plan.cases[0].changed_open
    # a dry run changes nothing
    assert version_of(existing) == 1
    assert ("case_migrated", None) not in lifecycle(existing)


def test_the_move_keeps_open_tasks_claims_and_deadlines_and_is_logged(
    deployed: Any, parties: Any, clock: Any, owner: Any
) -> None:
    case = at_contact(parties)
    row = task_named(case, "Task_ContactLeggen")
    claim_task(parties.meldpunt, row.id)
    db.session.commit()
    before = (row.id, row.task_id, row.due_at, row.claimed_by_id)
    three_working_days(owner)
    result = migrate_cases(owner, "quawonen", 2)
    assert [c.reference for c in result.moved] == [case.reference] and result.stayed == []
    assert version_of(case) == 2
    db.session.expire_all()
    after = task_named(case, "Task_ContactLeggen")
    assert (after.id, after.task_id, after.due_at, after.claimed_by_id) == before
    event = db.session.scalar(
        select(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.lifecycle == "case_migrated"
        )
    )
    assert event is not None and event.user_id == owner.user_id
    assert event.details == {"process": "quawonen", "from_version": 1, "to_version": 2}
    audit = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.case_id == case.id, AuditEntry.subject == "procesversie"
        )
    )
    assert audit is not None and audit.reason == "migratie quawonen v1 naar v2"
    # the escalation timer keeps its moment: it fires after 5 working days, not 3
    from app.services.timers import fire_due_timers

    clock.advance(days=4)
    fire_due_timers()
    assert "Task_EscalatieContact" not in [t.activity_id for t in _open(case)]
    clock.advance(days=3, hours=1)
    fire_due_timers()
    assert "Task_EscalatieContact" in [t.activity_id for t in _open(case)]
    # and the case runs on, on its new version
    case = do(parties.meldpunt, case, "Task_ContactLeggen", contact_bereikt=True)
    assert task_named(case, "Task_Kwetsbaarheid")


def _open(case: Case) -> list[HumanTask]:
    db.session.expire_all()
    return list(db.session.scalars(select(HumanTask).where(HumanTask.case_id == case.id)))


def at_triage(parties: Any) -> Case:
    case = start_case(parties.quawonen, example("signalering"))
    db.session.commit()
    case = do(parties.quawonen, case, "Task_ContactCorporatie", achterstand_opgelost=False)
    return do(parties.quawonen, case, "Task_Melding", **P4)


TRIAGE = 'camunda:formKey="triage" camunda:dueDate="${werkdagen(2)}"'


def test_a_changed_completed_part_blocks_and_the_case_stays_as_it_was(
    deployed: Any, parties: Any, clock: Any, owner: Any
) -> None:
    past_triage = at_contact(parties)
    waiting = at_triage(parties)
    name, text = meldpunt_file()
    assert TRIAGE in text  # the triage task gets another form: what it did would change
    upload(owner, {name: text.replace(TRIAGE, TRIAGE.replace('"triage"', '"escalatie"'))})
    plan = plan_migration(owner, "quawonen", 2)
    verdict = {c.reference: c for c in plan.cases}
    assert verdict[waiting.reference].movable
    blocked = verdict[past_triage.reference]
    assert not blocked.movable
    assert any("Task_Triage" in r and "al uitgevoerd" in r for r in blocked.reasons)
    state = bytes(past_triage.state)
    result = migrate_cases(owner, "quawonen", 2)
    assert {c.reference for c in result.moved} == {waiting.reference}
    assert [c.reference for c in result.stayed] == [past_triage.reference]
    db.session.expire_all()
    assert version_of(past_triage) == 1 and bytes(past_triage.state) == state
    assert ("case_migrated", None) not in lifecycle(past_triage)
    # the case that stayed finishes on its old version
    past_triage = do(parties.meldpunt, past_triage, "Task_ContactLeggen", contact_bereikt=True)
    assert task_named(past_triage, "Task_Kwetsbaarheid")


def test_a_new_deadline_on_a_part_already_done_does_not_block(
    deployed: Any, parties: Any, clock: Any, owner: Any
) -> None:
    """Only the deadline of the triage changed: what the case did there still stands."""
    past_triage = at_contact(parties)
    past_triage = do(parties.meldpunt, past_triage, "Task_ContactLeggen", contact_bereikt=True)
    name, text = meldpunt_file()
    changed = contact_in(3, text.replace(TRIAGE, TRIAGE.replace("(2)", "(4)")))
    upload(owner, {name: changed})
    plan = plan_migration(owner, "quawonen", 2)
    assert [(c.reference, c.movable) for c in plan.cases] == [(past_triage.reference, True)]


GEGEVENS = user_task("Task_Gegevens", field("opmerking"))
CONTROLE = user_task("Task_Controle", field("akkoord", "boolean"))


def test_a_removed_waiting_task_blocks(session: Any, parties: Any, clock: Any, owner: Any) -> None:
    deploy_variant(variant([GEGEVENS, CONTROLE]))
    waiting_at_removed = start_case(parties.quawonen, {})
    db.session.commit()
    past_removed = start_case(parties.quawonen, {})
    db.session.commit()
    past_removed = do(parties.quawonen, past_removed, "Task_Gegevens", opmerking="ok")
    deploy_variant(variant([CONTROLE]))  # Task_Gegevens removed
    plan = plan_migration(owner, "quawonen", 2)
    verdict = {c.reference: c for c in plan.cases}
    assert not verdict[waiting_at_removed.reference].movable
    assert "bestaat niet meer" in verdict[waiting_at_removed.reference].reasons[0]
    assert "Task_Gegevens" in verdict[waiting_at_removed.reference].reasons[0]
    assert not verdict[past_removed.reference].movable
    assert "al uitgevoerd" in verdict[past_removed.reference].reasons[0]


def test_an_added_task_ahead_is_taken_on_the_move(
    session: Any, parties: Any, clock: Any, owner: Any
) -> None:
    deploy_variant(variant([GEGEVENS, CONTROLE]))
    case = start_case(parties.quawonen, {})
    db.session.commit()
    extra = user_task("Task_Extra", field("uitleg"))
    renamed = user_task("Task_Gegevens", field("opmerking"), name="Gegevens van het bezoek")
    deploy_variant(variant([renamed, CONTROLE, extra]))
    result = migrate_cases(owner, "quawonen", 2)
    assert [c.reference for c in result.moved] == [case.reference]
    assert task_named(case, "Task_Gegevens").name == "Gegevens van het bezoek"
    case = do(parties.quawonen, case, "Task_Gegevens", opmerking="ok")
    case = do(parties.quawonen, case, "Task_Controle", akkoord="ja")
    assert task_named(case, "Task_Extra")  # v1 ended after Task_Controle


def test_only_process_owners_migrate(deployed: Any, parties: Any, clock: Any) -> None:
    with pytest.raises(Forbidden):
        plan_migration(parties.meldpunt, "quawonen", 1)
    with pytest.raises(Forbidden):
        migrate_cases(parties.quawonen, "quawonen", 1)
    with pytest.raises(NotFound):
        plan_migration(SYSTEM, "quawonen", 9)


def test_the_cli_dry_run_and_move(
    app: Flask, deployed: Any, parties: Any, clock: Any, owner: Any
) -> None:
    case = at_contact(parties)
    three_working_days(owner)
    runner = app.test_cli_runner()
    dry = runner.invoke(cli, ["migrate", "quawonen", "--to", "2", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"{case.reference} v1: can move" in dry.output
    assert version_of(case) == 1
    moved = runner.invoke(cli, ["migrate", "quawonen", "--to", "2"])
    assert moved.exit_code == 0, moved.output
    assert "1 case(s) moved, 0 stay" in moved.output
    db.session.expire_all()
    assert version_of(case) == 2
    unknown = runner.invoke(cli, ["migrate", "quawonen", "--to", "7"])
    assert unknown.exit_code == 1 and "bestaat niet" in unknown.output


def test_a_waiting_task_moved_to_another_party_blocks(
    session: Any, parties: Any, clock: Any, owner: Any
) -> None:
    deploy_variant(variant([GEGEVENS, CONTROLE]))
    case = start_case(parties.quawonen, {})
    db.session.commit()
    deploy_variant(variant([], [GEGEVENS, CONTROLE]))  # both tasks now in the Meldpunt's lane
    verdict = plan_migration(owner, "quawonen", 2).cases
    assert [(c.reference, c.movable) for c in verdict] == [(case.reference, False)]
    assert "andere partij" in verdict[0].reasons[0]
