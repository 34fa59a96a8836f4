"""Diagram edits in the browser modeller: a draft per user, process and file; checking a draft
with the rules of ``voorkom lint``; deploying it as a new version.

A draft is checked and deployed together with the deployed files it needs (called processes,
decision tables), exactly as ``voorkom deploy`` and the upload do; a refused draft changes
nothing. Drafts hold diagram XML only, never case data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from app.extensions import db
from app.models import DiagramDraft, ProcessVersion, User
from app.services.actors import Actor
from app.services.clock import now
from app.services.deployments import (
    Deployed,
    adopt_deployed_names,
    deploy,
    deployed_sources,
    latest_version,
    lint,
    with_deployed_dependencies,
)
from app.services.errors import Conflict, InvalidInput
from app.services.workbench import require_workbench
from app.services.workbench.uploads import DEFAULT_MAX_BYTES, Upload, read_uploads
from app.services.workbench.versions import find_version

#: the longest file name a draft may have (the column's size)
MAX_FILE_NAME = 300
#: after the file name: an optional line, an optional element id, then the message
_WHERE = re.compile(r"^(?::(?P<line>\d+))?(?: \[(?P<element>[^\]]+)\])?: (?P<message>.*)$", re.S)


@dataclass(frozen=True)
class DraftProblem:
    """One lint problem, pinned to a file and element where the rule names them."""

    file: str | None
    element: str | None
    line: int | None
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "element": self.element,
            "line": self.line,
            "message": self.message,
        }


def parse_problem(text: str, names: Iterable[str]) -> DraftProblem:
    """Split a lint line (``file:line [element]: message``) into its parts."""
    for name in sorted({*names, "?"}, key=len, reverse=True):
        if text.startswith(name):
            match = _WHERE.match(text[len(name) :])
            if match:
                line = match.group("line")
                return DraftProblem(
                    None if name == "?" else name,
                    match.group("element"),
                    int(line) if line else None,
                    match.group("message").strip(),
                )
    return DraftProblem(None, None, None, text)


def structured(problems: Iterable[str], file_names: Iterable[str]) -> list[DraftProblem]:
    """Lint lines of a refused deployment, split by file and element."""
    names = {*file_names, *deployed_sources()}
    return [parse_problem(text, names) for text in problems]


def _source(file_name: str, xml: str, max_bytes: int) -> dict[str, str]:
    """The draft as ``{name: text}``: a .bpmn/.dmn name, UTF-8, within the size limit.

    The name keeps its folder (``shared/meldpunt.bpmn``, as deployed) but may not climb out.
    """
    parts = file_name.split("/")
    if (
        not file_name
        or len(file_name) > MAX_FILE_NAME
        or "\\" in file_name
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise InvalidInput(
            "Deze bestandsnaam kan niet; er is niets opgeslagen.",
            {file_name or "(zonder naam)": ["Gebruik een naam als map/bestand.bpmn."]},
        )
    checked = read_uploads([Upload(file_name, xml.encode("utf-8"))], max_bytes=max_bytes)
    return {file_name: next(iter(checked.values()))}


def get_draft(actor: Actor, process_id: str, file_name: str) -> DiagramDraft | None:
    """The actor's draft of one file opened from one process, if any."""
    require_workbench(actor)
    return db.session.scalar(
        select(DiagramDraft).where(
            DiagramDraft.user_id == actor.user_id,
            DiagramDraft.process_id == process_id,
            DiagramDraft.file_name == file_name,
        )
    )


def list_drafts(actor: Actor) -> list[DiagramDraft]:
    """The actor's drafts, most recently saved first."""
    require_workbench(actor)
    return list(
        db.session.scalars(
            select(DiagramDraft)
            .where(DiagramDraft.user_id == actor.user_id)
            .order_by(DiagramDraft.updated_at.desc(), DiagramDraft.id.desc())
        )
    )


def save_draft(
    actor: Actor,
    process_id: str,
    file_name: str,
    xml: str,
    *,
    base_version: int | None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> DiagramDraft:
    """Keep an unfinished edit for later; it is not checked and runs nowhere until deployed."""
    require_workbench(actor)
    if actor.user_id is None:
        raise Conflict("Alleen een persoon kan een concept opslaan.")
    latest_version(process_id)  # NotFound for a process that was never deployed
    name, text = next(iter(_source(file_name, xml, max_bytes).items()))
    if base_version is not None:
        find_version(process_id, base_version)
    draft = get_draft(actor, process_id, name)
    if draft is None:
        draft = DiagramDraft(user_id=actor.user_id, process_id=process_id, file_name=name)
        db.session.add(draft)
    draft.xml = text
    draft.base_version = base_version
    draft.updated_at = now()
    db.session.flush()
    return draft


def discard_draft(actor: Actor, process_id: str, file_name: str) -> bool:
    """Throw the actor's draft away; False when there was none."""
    require_workbench(actor)
    result = db.session.execute(
        delete(DiagramDraft).where(
            DiagramDraft.user_id == actor.user_id,
            DiagramDraft.process_id == process_id,
            DiagramDraft.file_name == file_name,
        )
    )
    db.session.flush()
    return bool(getattr(result, "rowcount", 0))


def check_draft(
    actor: Actor, file_name: str, xml: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> list[DraftProblem]:
    """Every problem ``voorkom lint`` (and so deploy) finds in the draft together with the
    deployed files it needs; an empty list means it can be deployed."""
    require_workbench(actor)
    sources = adopt_deployed_names(_source(file_name, xml, max_bytes))
    full = with_deployed_dependencies(sources)
    return [parse_problem(text, full) for text in lint(full)]


def newer_deployment(
    process_id: str, file_name: str, base_version: int | None
) -> ProcessVersion | None:
    """A version deployed after the draft's starting point with another text of this file."""
    if base_version is None:
        return None
    latest = latest_version(process_id)
    if latest.version <= base_version:
        return None
    base = find_version(process_id, base_version)
    if latest.sources.get(file_name) == base.sources.get(file_name):
        return None
    return latest


def deploy_draft(
    actor: Actor,
    process_id: str,
    file_name: str,
    xml: str,
    *,
    base_version: int | None,
    force: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Deployed]:
    """Deploy the edited file as a new version of every process that uses it; the draft goes.

    Refused (DeploymentRefused, every problem) when a lint rule fails, and (Conflict) when
    someone deployed another text of the file since the edit began, unless ``force``.
    """
    require_workbench(actor)
    sources = _source(file_name, xml, max_bytes)
    name = next(iter(sources))
    newer = None if force else newer_deployment(process_id, name, base_version)
    if newer is not None:
        who = db.session.get(User, newer.deployed_by_id) if newer.deployed_by_id else None
        raise Conflict(
            f"Intussen is versie {newer.version} van {process_id} uitgerold"
            f"{' door ' + who.display_name if who else ''}, met een andere {name} dan versie "
            f"{base_version} waarop u begon. Open de nieuwste versie en breng uw wijziging "
            "opnieuw aan, of rol toch uit: dan vervangt uw bestand dat van de nieuwste versie."
        )
    results = deploy(sources, actor=actor, name=f"werkbank: {name}"[:200])
    if not results:
        raise InvalidInput(
            "Dit bestand hoort bij geen enkel proces: een beslistabel wordt uitgerold met een "
            "proces dat hem gebruikt. Er is niets uitgerold.",
            {name: ["Geen proces gebruikt dit bestand."]},
        )
    discard_draft(actor, process_id, name)
    return results
