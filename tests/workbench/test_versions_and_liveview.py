"""Version history, the diff of two versions, and live counts per element (no personal data)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pytest

from app.extensions import db
from app.services.cases import start_case
from app.services.errors import Forbidden, NotFound
from app.services.workbench.liveview import cases_at, live_view
from app.services.workbench.versions import (
    diff_versions,
    get_version,
    version_file,
    version_history,
)
from tests.scenarios.helpers import do, example
from tests.workbench.conftest import (
    contact_in,
    deploy_variant,
    field,
    meldpunt_file,
    upload,
    user_task,
    variant,
)


def test_history_lists_deployer_time_and_cases(
    deployed: Any, parties: Any, clock: Any, owner: Any
) -> None:
    start_case(parties.quawonen, example("signalering"))
    db.session.commit()
    clock.advance(hours=2)
    name, text = meldpunt_file()
    upload(owner, {name: contact_in(3, text)})
    history = version_history(owner, "quawonen")
    assert [(v.version, v.is_latest) for v in history] == [(2, True), (1, False)]
    newest, first = history
    assert (newest.deployed_by, first.deployed_by) == ("Pb", "systeem")
    assert newest.deployed_at == clock.now()  # deployed after the clock moved on 2 hours
    assert (first.open_cases, newest.open_cases) == (1, 0)
    assert name in newest.files
    assert get_version(owner, "quawonen", 2).id == newest.id
    assert "werkdagen(3)" in version_file(owner, "quawonen", 2, name)


def test_diff_of_two_deployed_versions(deployed: Any, parties: Any, owner: Any) -> None:
    name, text = meldpunt_file()
    upload(owner, {name: contact_in(3, text)})
    result = diff_versions(owner, "quawonen", 1, 2)
    assert {(c.process, c.element, c.aspects) for c in result.diff.changed} == {
        ("meldpunt", "Task_ContactLeggen", ("due_date",)),
        ("meldpunt", "Timer_ContactTeLaat", ("timer",)),
    }
    assert diff_versions(owner, "quawonen", 2, 2).diff.is_empty
    with pytest.raises(NotFound):
        diff_versions(owner, "quawonen", 1, 3)


def test_the_workbench_is_for_process_owners(deployed: Any, parties: Any) -> None:
    for actor in (parties.quawonen, parties.meldpunt):
        with pytest.raises(Forbidden):
            version_history(actor, "quawonen")
        with pytest.raises(Forbidden):
            live_view(actor, "quawonen", 1)


def test_live_counts_per_element_and_overdue(
    deployed: Any, parties: Any, clock: Any, owner: Any
) -> None:
    first = start_case(parties.quawonen, example("signalering"))
    db.session.commit()
    clock.advance(days=60)  # the first case's corporation task (30 working days) is now late
    second = start_case(parties.quawonen, example("signalering"))
    db.session.commit()
    third = start_case(parties.quawonen, example("signalering"))
    db.session.commit()
    third = do(parties.quawonen, third, "Task_ContactCorporatie", achterstand_opgelost=False)
    third = do(parties.quawonen, third, "Task_Melding")
    view = live_view(owner, "quawonen", 1)
    assert view.open_cases == 3
    contact = view.count("Task_ContactCorporatie")
    assert contact is not None and (contact.waiting, contact.overdue, contact.kind) == (
        2,
        1,
        "task",
    )
    triage = view.count("Task_Triage", "meldpunt")
    assert triage is not None and (triage.waiting, triage.overdue) == (1, 0)
    call = view.count("CallActivity_Meldpunt")
    assert call is not None and (call.waiting, call.kind) == (1, "subprocess")
    assert view.count("Task_Melding") is None
    # counts, never personal data
    text = repr([asdict(e) for e in view.elements])
    assert "Jan" not in text and first.reference not in text
    listed = cases_at(owner, "quawonen", 1, "Task_ContactCorporatie")
    assert [(c.reference, c.overdue) for c in listed] == [
        (first.reference, True),
        (second.reference, False),
    ]
    assert [c.reference for c in cases_at(owner, "quawonen", 1, "CallActivity_Meldpunt")] == [
        third.reference
    ]


def test_a_case_waiting_at_a_timer_counts_there(
    session: Any, parties: Any, clock: Any, owner: Any
) -> None:
    timer = (
        '<bpmn:intermediateCatchEvent id="Timer_Wacht" name="Een dag wachten">'
        "<bpmn:timerEventDefinition><bpmn:timeDuration>P1D</bpmn:timeDuration>"
        "</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>"
    )
    deploy_variant(variant([timer, user_task("Task_Daarna", field("notitie"))]))
    start_case(parties.quawonen, {})
    db.session.commit()
    waiting = live_view(owner, "quawonen", 1).count("Timer_Wacht")
    assert waiting is not None and (waiting.kind, waiting.waiting, waiting.overdue) == (
        "timer",
        1,
        0,
    )
    clock.advance(days=2)  # no worker ran: the timer is late
    late = live_view(owner, "quawonen", 1).count("Timer_Wacht")
    assert late is not None and late.overdue == 1
