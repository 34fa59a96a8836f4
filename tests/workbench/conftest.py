"""Fixtures for the workbench tests: small variants of QuaWonen's process drawn in the test."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pytest
from argon2 import PasswordHasher

from app.extensions import db
from app.models import User
from app.services.actors import Actor
from app.services.deployments import Deployed, deploy
from app.services.workbench.uploads import Upload, upload_diagrams
from tests.conftest import PROCESSES
from tests.fixtures.diagrams import bpmn, chain

CORPORATIE = "Woningcorporatie"
MELDPUNT = "Meldpunt Zorg en Overlast"
PASSWORD = "een lang wachtwoord"


def meldpunt_file() -> tuple[str, str]:
    """(relative name, XML) of the catalogue file that defines the shared Meldpunt process."""
    for path in sorted(PROCESSES.rglob("*.bpmn")):
        text = path.read_text(encoding="utf-8")
        if 'bpmn:process id="meldpunt"' in text:
            return path.relative_to(PROCESSES).as_posix(), text
    raise AssertionError("the catalogue has no meldpunt process")


def contact_in(days: int, text: str) -> str:
    """The Meldpunt diagram with the first-contact deadline (task and its timer) set to days.

    Only Task_ContactLeggen's due date and the Timer_ContactTeLaat boundary timer change, as a
    process owner would edit them in the modeller (issue 5 §9).
    """
    changed = text
    for pattern in (
        r'<bpmn:userTask id="Task_ContactLeggen"[^>]*>',
        r'<bpmn:boundaryEvent id="Timer_ContactTeLaat".*?</bpmn:boundaryEvent>',
    ):
        match = re.search(pattern, changed, flags=re.S)
        assert match and "werkdagen(5)" in match.group(0), pattern
        edited = match.group(0).replace("werkdagen(5)", f"werkdagen({days})")
        changed = changed[: match.start()] + edited + changed[match.end() :]
    return changed


def user_task(task_id: str, fields: str = "", name: str | None = None, **attrs: str) -> str:
    """A user task with its own form (camunda:formData) when fields are given."""
    extra = "".join(f' camunda:{key}="{value}"' for key, value in attrs.items())
    form = (
        f"<bpmn:extensionElements><camunda:formData>{fields}</camunda:formData>"
        "</bpmn:extensionElements>"
        if fields
        else ""
    )
    return f'<bpmn:userTask id="{task_id}" name="{name or task_id}"{extra}>{form}</bpmn:userTask>'


def field(field_id: str, kind: str = "string", *, inner: str = "", **attrs: str) -> str:
    extra = "".join(f' {key}="{value}"' for key, value in attrs.items())
    return f'<camunda:formField id="{field_id}" type="{kind}"{extra}>{inner}</camunda:formField>'


def variant(corporation: Sequence[str], meldpunt: Sequence[str] = (), **kwargs: Any) -> str:
    """quawonen: start -> each task (corporation lane, then Meldpunt lane) -> end, in order."""

    def ids(nodes: Sequence[str]) -> list[str]:
        return [node.split('id="', 1)[1].split('"', 1)[0] for node in nodes]

    body = (
        '<bpmn:startEvent id="StartEvent_1" />'
        + "".join(corporation)
        + "".join(meldpunt)
        + '<bpmn:endEvent id="EndEvent_1" />'
        + chain("StartEvent_1", *ids(corporation), *ids(meldpunt), "EndEvent_1")
    )
    lanes = {CORPORATIE: ["StartEvent_1", *ids(corporation)]}
    if meldpunt:
        lanes[MELDPUNT] = [*ids(meldpunt), "EndEvent_1"]
    else:
        lanes[CORPORATIE].append("EndEvent_1")
    text = bpmn(body, process_id="quawonen", lanes=lanes, name="QuaWonen (test)", **kwargs)
    for index in range(len(lanes)):  # lanes are drawn too, as Camunda Modeler does
        if f'bpmnElement="Lane_{index}"' not in text:
            shape = (
                f'<bpmndi:BPMNShape id="LaneShape_{index}" bpmnElement="Lane_{index}" '
                f'isHorizontal="true"><dc:Bounds x="0" y="{index * 200}" width="2000" '
                'height="200" /></bpmndi:BPMNShape>'
            )
            text = text.replace("</bpmndi:BPMNPlane>", shape + "</bpmndi:BPMNPlane>", 1)
    return text


def deploy_variant(text: str, actor: Actor | None = None) -> list[Deployed]:
    from app.services.actors import SYSTEM

    results = deploy({"corporaties/quawonen.bpmn": text}, actor=actor or SYSTEM)
    db.session.commit()
    return results


def upload(actor: Actor, files: dict[str, str]) -> list[Deployed]:
    results = upload_diagrams(actor, [Upload(n, t.encode()) for n, t in files.items()])
    db.session.commit()
    return results


@pytest.fixture
def owner(parties: Any) -> Actor:
    """A process owner (procesbeheer)."""
    actor: Actor = parties.procesbeheer
    return actor


@pytest.fixture(scope="session")
def password_hash() -> str:
    """A cheap argon2 hash of PASSWORD (sign-in rehashes it to the production cost once)."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


def with_password(actor: Actor, password_hash: str) -> User:
    user = db.session.get(User, actor.user_id)
    assert user is not None
    user.password_hash = password_hash
    db.session.commit()
    return user
