"""Two people completing the same task: exactly one wins, nothing is lost or doubled."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.models import CaseEvent, HumanTask
from app.services.cases import start_case
from app.services.errors import Conflict, NotFound
from app.services.tasks import complete_task
from app.services.timers import fire_due_timers
from tests.scenarios.helpers import do, example, task_named


def _reported(parties: Any) -> Any:
    case = start_case(parties.quawonen, example("signalering"))
    db.session.commit()
    case = do(parties.quawonen, case, "Task_ContactCorporatie", achterstand_opgelost=False)
    return do(parties.quawonen, case, "Task_Melding")


def _race(app: Flask, calls: list[Any]) -> list[Any]:
    """Run each call in its own thread, app context and session, all at once."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Any) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[index] = call()
                db.session.commit()
            except Exception as exc:
                db.session.rollback()
                results[index] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_parallel_completion_of_one_task(
    app: Flask, deployed: Any, parties: Any, clock: Any
) -> None:
    """Two Meldpunt workers submit triage at the same moment: one succeeds, one conflicts."""
    case = _reported(parties)
    task_id = task_named(case, "Task_Triage").id
    triage = example("triage")
    actors = [parties.meldpunt, parties.meldpunt2]
    db.session.commit()
    results = _race(app, [lambda a=a: complete_task(a, task_id, dict(triage)) for a in actors])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1, results
    assert isinstance(errors[0], (Conflict, NotFound))
    db.session.expire_all()
    completed = db.session.scalar(
        select(func.count())
        .select_from(CaseEvent)
        .where(
            CaseEvent.case_id == case.id,
            CaseEvent.activity_id == "Task_Triage",
            CaseEvent.lifecycle == "completed",
        )
    )
    assert completed == 1
    open_contact = db.session.scalar(
        select(func.count())
        .select_from(HumanTask)
        .where(HumanTask.case_id == case.id, HumanTask.activity_id == "Task_ContactLeggen")
    )
    assert open_contact == 1


def test_parallel_workers_fire_a_timer_once(
    app: Flask, deployed: Any, parties: Any, clock: Any
) -> None:
    """Several timer workers at once: the escalation timer fires exactly once."""
    case = _reported(parties)
    case = do(parties.meldpunt, case, "Task_Triage")
    clock.advance(days=8)
    db.session.commit()
    results = _race(app, [lambda: fire_due_timers() for _ in range(3)])
    assert not [r for r in results if isinstance(r, Exception)], results
    db.session.expire_all()
    fired = db.session.scalar(
        select(func.count())
        .select_from(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.lifecycle == "timer_fired")
    )
    assert fired == 1
    escalations = db.session.scalar(
        select(func.count())
        .select_from(HumanTask)
        .where(HumanTask.case_id == case.id, HumanTask.activity_id == "Task_EscalatieContact")
    )
    assert escalations == 1
