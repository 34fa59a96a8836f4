"""The task lists: who sees which tasks and households, filters, marks, claim/release/assign."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry, HumanTask
from app.services.worklist import DUE_SOON, OVERDUE, due_state
from tests.scenarios.helpers import task_named
from tests.web.conftest import report, started


def test_meldpunt_team_list_shows_reference_household_and_deadline(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    case = report(accounts)
    page = client_for("mp").get("/taken").get_data(as_text=True)
    assert case.reference in page
    assert "Jan de Vries" in page  # the Meldpunt may see who it is about (§7)
    assert "Melding beoordelen (triage)" in page
    assert "QuaWonen" in page
    assert "Oppakken" in page
    shown = db.session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(AuditEntry.case_id == case.id, AuditEntry.reason == "takenlijst")
    )
    assert shown == 1  # the household's name on a list is a logged read (CV-23)


def test_corporation_sees_only_its_own_tasks(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    ours = started(accounts)
    vestia_page = client_for("vest").get("/taken").get_data(as_text=True)
    assert ours.reference not in vestia_page
    assert "Er staan geen open taken" in vestia_page
    qua_page = client_for("qua").get("/taken").get_data(as_text=True)
    assert ours.reference in qua_page
    assert "Corporatie</th>" not in qua_page  # no corporation column for a corporation


def test_filters_search_and_overdue(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    first = report(accounts)
    second = report(accounts, huurder_naam="Ria Jansen")
    client = client_for("mp")
    page = client.get(f"/taken?zaak={second.reference}").get_data(as_text=True)
    assert second.reference in page and first.reference not in page
    assert "1 taak gevonden" in page
    assert "Geen taken" in client.get("/taken?te_laat=1").get_data(as_text=True)
    clock.advance(days=4)  # triage is due within 2 working days
    page = client.get("/taken?te_laat=1&taak=Task_Triage").get_data(as_text=True)
    assert first.reference in page and second.reference in page
    assert "Te laat" in page
    assert "Geen taken" in client.get("/taken?prioriteit=P1&zaak=XYZ").get_data(as_text=True)


def test_paging(
    deployed: Any, accounts: Any, client_for: Any, clock: Any, monkeypatch: Any
) -> None:
    from app.web import tasklist

    monkeypatch.setattr(tasklist, "PER_PAGE", 1)
    cases = [report(accounts), report(accounts)]
    client = client_for("mp")
    first = client.get("/taken").get_data(as_text=True)
    assert "pagina 1 van 2" in first and "Volgende pagina" in first
    second = client.get("/taken?pagina=2").get_data(as_text=True)
    assert "Vorige pagina" in second
    assert sum(c.reference in first for c in cases) == 1
    assert sum(c.reference in second for c in cases) == 1


def test_due_marks_count_working_days(clock: Any) -> None:
    friday_evening = clock.now() + timedelta(days=4, hours=8)  # Fri 2026-03-06 18:00 local
    assert due_state(friday_evening - timedelta(hours=1), friday_evening) == OVERDUE
    assert due_state(friday_evening + timedelta(days=3), friday_evening) == DUE_SOON  # Monday
    assert due_state(friday_evening + timedelta(days=4), friday_evening) is None  # Tuesday
    assert due_state(None, friday_evening) is None


def test_claim_release_and_assign(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    case = report(accounts)
    task = task_named(case, "Task_Triage")
    mp = client_for("mp")
    claimed = mp.send(f"/taken/{task.id}/oppakken")
    assert claimed.headers["Location"] == f"/taken/{task.id}"
    db.session.refresh(task)
    assert task.claimed_by_id == accounts.meldpunt.user_id
    mine = mp.get("/taken/mijn").get_data(as_text=True)
    assert case.reference in mine and "Teruggeven" in mine
    other = client_for("mp2")
    taken = other.send(f"/taken/{task.id}/oppakken", follow_redirects=True)
    assert "al opgepakt door" in taken.get_data(as_text=True)
    assert mp.send(f"/taken/{task.id}/teruggeven").status_code == 302
    db.session.refresh(task)
    assert task.claimed_by_id is None
    page = mp.get(f"/taken/{task.id}").get_data(as_text=True)
    assert "Toewijzen aan" in page and "Mp2" in page
    given = mp.send(f"/taken/{task.id}/toewijzen", {"collega": str(accounts.meldpunt2.user_id)})
    assert given.status_code == 302
    db.session.refresh(task)
    assert task.claimed_by_id == accounts.meldpunt2.user_id
    stranger = mp.send(
        f"/taken/{task.id}/toewijzen", {"collega": str(accounts.quawonen.user_id)},
        follow_redirects=True,
    )  # fmt: skip
    assert "Kies een collega uit het eigen team." in stranger.get_data(as_text=True)
    db.session.refresh(task)
    assert task.claimed_by_id == accounts.meldpunt2.user_id


def test_list_actions_need_the_csrf_token(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    case = report(accounts)
    task = task_named(case, "Task_Triage")
    assert client_for("mp").post(f"/taken/{task.id}/oppakken").status_code == 400
    assert db.session.get(HumanTask, task.id).claimed_by_id is None  # type: ignore[union-attr]
