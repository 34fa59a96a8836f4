"""Deploy diagrams as immutable numbered versions, identified by content hash."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from app.engine import DiagramError, parse_sources
from app.engine.diff import defined_ids
from app.engine.lint import lint_sources
from app.extensions import db
from app.forms.registry import form_keys
from app.models import ProcessVersion
from app.services.actors import Actor
from app.services.clock import now
from app.services.diagram_forms import SUMMARY_KEY, collect_forms, name_problems
from app.services.errors import DeploymentRefused, Forbidden, NotFound
from app.tasks import OPERATIONS

DEPLOYER_ROLES = frozenset({"procesbeheer", "beheer", "systeem"})


@dataclass(frozen=True)
class Deployed:
    version: ProcessVersion
    created: bool


def read_directory(path: str | Path) -> dict[str, str]:
    """Every .bpmn and .dmn below path, keyed by its path relative to path."""
    root = Path(path)
    if root.is_file():
        return {root.name: root.read_text(encoding="utf-8")}
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in (".bpmn", ".dmn"))
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in files}


def lint(sources: Mapping[str, bytes | str]) -> list[str]:
    """Every problem with these diagrams, by the same rules deploy applies."""
    problems = [str(p) for p in lint_sources(sources, set(form_keys()), set(OPERATIONS))]
    return problems + name_problems(sources)


def deployed_sources() -> dict[str, str]:
    """The files of the newest version of every process, by name."""
    merged: dict[str, str] = {}
    for version in latest_versions():
        for name, text in version.sources.items():
            merged.setdefault(name, text)
    return merged


def with_deployed_dependencies(sources: Mapping[str, bytes | str]) -> dict[str, bytes | str]:
    """Add the latest deployed sources of anything the new files do not bring along.

    A deployed file defining a process or decision that a new file defines is left out: the
    new file replaces it, whatever its name.
    """
    provided = {item for name, text in sources.items() for item in defined_ids(name, text)}
    merged: dict[str, bytes | str] = {
        name: text
        for name, text in deployed_sources().items()
        if name not in sources and not defined_ids(name, text) & provided
    }
    merged.update(sources)
    return merged


def adopt_deployed_names(sources: Mapping[str, bytes | str]) -> dict[str, bytes | str]:
    """Give a new file the name of the deployed file that defines the same processes.

    Camunda Modeler sends ``meldpunt.bpmn`` for what was deployed as ``shared/meldpunt.bpmn``;
    keeping the deployed name keeps the content hash, so an unchanged file makes no version.
    """
    deployed = deployed_sources()
    by_ids: dict[frozenset[str], list[str]] = {}
    for name, text in deployed.items():
        by_ids.setdefault(defined_ids(name, text), []).append(name)
    result: dict[str, bytes | str] = {}
    for name, content in sources.items():
        ids = defined_ids(name, content)
        matches = by_ids.get(ids, []) if ids and name not in deployed else []
        unique = len(matches) == 1 and matches[0] not in sources and matches[0] not in result
        result[matches[0] if unique else name] = content
    return result


def deploy(
    sources: Mapping[str, bytes | str],
    *,
    actor: Actor,
    name: str | None = None,
    resolve_from_deployed: bool = True,
) -> list[Deployed]:
    """Check and store every process in the files; unchanged ones make no new version."""
    if actor.role not in DEPLOYER_ROLES:
        raise Forbidden("Alleen procesbeheer mag processen uitrollen.")
    if resolve_from_deployed:
        sources = adopt_deployed_names(sources)
    full = with_deployed_dependencies(sources) if resolve_from_deployed else dict(sources)
    problems = lint(full)
    if problems:
        raise DeploymentRefused("De diagrammen bevatten fouten; er is niets uitgerold.", problems)
    try:
        processes, _parser = parse_sources(full)
    except DiagramError as exc:  # lint parsed them already; this is belt and braces
        raise DeploymentRefused(
            "De diagrammen bevatten fouten.", [str(p) for p in exc.problems]
        ) from exc
    new_names = set(sources)
    results = []
    for process in processes.values():
        if not (set(process.files) & new_names):
            continue  # only processes touched by the uploaded files
        existing = db.session.scalar(
            select(ProcessVersion).where(
                ProcessVersion.process_id == process.process_id,
                ProcessVersion.content_hash == process.content_hash,
            )
        )
        if existing is not None:
            results.append(Deployed(existing, created=False))
            continue
        number = (
            db.session.scalar(
                select(func.max(ProcessVersion.version)).where(
                    ProcessVersion.process_id == process.process_id
                )
            )
            or 0
        ) + 1
        version = ProcessVersion(
            process_id=process.process_id,
            name=process.name,
            version=number,
            content_hash=process.content_hash,
            sources=process.files,
            spec_blob=process.spec_blob(),
            summary={**process.summary, SUMMARY_KEY: collect_forms(process)},
            deployed_at=now(),
            deployed_by_id=actor.user_id,
            deployment_name=name,
        )
        db.session.add(version)
        results.append(Deployed(version, created=True))
    db.session.flush()
    return results


def latest_version(process_id: str) -> ProcessVersion:
    version = db.session.scalar(
        select(ProcessVersion)
        .where(ProcessVersion.process_id == process_id)
        .order_by(ProcessVersion.version.desc())
        .limit(1)
    )
    if version is None:
        raise NotFound(f"Proces {process_id!r} is niet uitgerold.")
    return version


def latest_versions() -> list[ProcessVersion]:
    """The newest version of every process."""
    newest = (
        select(ProcessVersion.process_id, func.max(ProcessVersion.version).label("v"))
        .group_by(ProcessVersion.process_id)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(ProcessVersion)
            .join(
                newest,
                (ProcessVersion.process_id == newest.c.process_id)
                & (ProcessVersion.version == newest.c.v),
            )
            .order_by(ProcessVersion.process_id)
        )
    )
