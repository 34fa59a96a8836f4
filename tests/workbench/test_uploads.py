"""Uploads from the desktop: safe XML only, size-limited, checked; refused means nothing changed."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import ProcessVersion
from app.services.errors import DeploymentRefused, Forbidden, InvalidInput
from app.services.workbench.uploads import Upload, clean_name, upload_diagrams
from tests.workbench.conftest import contact_in, meldpunt_file

XXE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE bpmn:definitions [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
)
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
)


def versions() -> int:
    return db.session.scalar(select(func.count()).select_from(ProcessVersion)) or 0


def poisoned(prefix: str, entity: str) -> str:
    """The Meldpunt diagram with a DTD in front and the entity used in a documentation text."""
    _name, text = meldpunt_file()
    body = text.split("?>", 1)[1]
    return prefix + body.replace("<bpmn:documentation>", f"<bpmn:documentation>{entity} ", 1)


@pytest.mark.parametrize(("prefix", "entity"), [(XXE, "&e;"), (LAUGHS, "&lol9;")])
def test_entities_are_refused_and_nothing_changes(
    deployed: Any, owner: Any, prefix: str, entity: str
) -> None:
    before = versions()
    started = time.perf_counter()
    with pytest.raises(DeploymentRefused) as refused:
        upload_diagrams(owner, [Upload("meldpunt.bpmn", poisoned(prefix, entity).encode())])
    assert time.perf_counter() - started < 5  # no expansion: refused at once
    db.session.rollback()
    assert any(
        "DOCTYPE- en ENTITY-declaraties zijn niet toegestaan" in p for p in refused.value.problems
    )
    assert "root:" not in " ".join(refused.value.problems)
    assert versions() == before


def test_a_broken_diagram_is_refused_with_its_problems(deployed: Any, owner: Any) -> None:
    name, text = meldpunt_file()
    broken = text.replace('camunda:formKey="triage"', 'camunda:formKey="bestaat_niet"')
    before = versions()
    with pytest.raises(DeploymentRefused) as refused:
        upload_diagrams(owner, [Upload(name, broken.encode())])
    db.session.rollback()
    assert any("Task_Triage" in p and "bestaat_niet" in p for p in refused.value.problems)
    assert versions() == before


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (Upload("proces.xml", b"<x/>"), "Alleen .bpmn- en .dmn-bestanden"),
        (Upload("leeg.bpmn", b"  \n"), "Het bestand is leeg."),
        (Upload("groot.bpmn", b"<x>" + b"a" * 5000 + b"</x>"), "groter dan 4 kB"),
        (Upload("latin.bpmn", "<x>é</x>".encode("latin-1")), "geen tekst in UTF-8"),
        (Upload("", b"<x/>"), "geen naam"),
    ],
)
def test_bad_files_are_refused_per_file_in_dutch(
    session: Any, owner: Any, upload: Upload, message: str
) -> None:
    with pytest.raises(InvalidInput) as invalid:
        upload_diagrams(owner, [upload], max_bytes=4096)
    assert message in " ".join(str(m) for m in invalid.value.errors.values())
    assert versions() == 0


def test_two_files_with_one_name_are_refused(session: Any, owner: Any) -> None:
    with pytest.raises(InvalidInput) as invalid:
        upload_diagrams(owner, [Upload("a.bpmn", b"<a/>"), Upload("x/a.bpmn", b"<b/>")])
    assert "al een bestand met deze naam" in str(invalid.value.errors)


def test_only_process_owners_upload(session: Any, parties: Any) -> None:
    with pytest.raises(Forbidden):
        upload_diagrams(parties.meldpunt, [Upload("a.bpmn", b"<a/>")])


def test_client_paths_are_dropped() -> None:
    assert clean_name("C:\\Users\\pb\\meldpunt.bpmn") == "meldpunt.bpmn"
    assert clean_name("../../etc/meldpunt.bpmn") == "meldpunt.bpmn"


def test_an_unchanged_file_under_the_desktop_name_makes_no_version(
    deployed: Any, owner: Any
) -> None:
    """Camunda Modeler sends 'meldpunt.bpmn' for the deployed 'shared/meldpunt.bpmn'."""
    name, text = meldpunt_file()
    assert "/" in name
    before = versions()
    results = upload_diagrams(owner, [Upload(name.rsplit("/", 1)[-1], text.encode())])
    assert results and not any(r.created for r in results)
    assert versions() == before


def test_decisions_and_called_processes_resolve_from_what_is_deployed(
    deployed: Any, owner: Any
) -> None:
    """Only the Meldpunt file is sent; its DMN tables and callers come from earlier versions."""
    name, text = meldpunt_file()
    results = upload_diagrams(owner, [Upload("meldpunt.bpmn", contact_in(4, text).encode())])
    db.session.commit()
    created = {r.version.process_id: r.version for r in results if r.created}
    assert {"meldpunt", "quawonen"} <= set(created)
    sources = created["quawonen"].sources
    assert name in sources and "meldpunt.bpmn" not in sources  # the deployed name is kept
    assert any(n.endswith(".dmn") for n in sources)


def test_a_decision_table_no_process_uses_is_refused(deployed: Any, owner: Any) -> None:
    from tests.fixtures.diagrams import dmn

    table = dmn("los", [("Aantal", "aantal")], [("uitkomst", "string")], [(["> 1"], ['"ja"'])])
    before = versions()
    with pytest.raises(InvalidInput) as invalid:
        upload_diagrams(owner, [Upload("los.dmn", table.encode())])
    assert "geen enkel proces" in invalid.value.message
    db.session.rollback()
    assert versions() == before
