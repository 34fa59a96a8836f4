"""The files of a deployed version as the workbench shows them, and what the modeller's side
panel offers to choose from: forms, lane roles, operations, decisions, variables, processes.

Nothing here is personal data: names of forms, fields, roles and diagram elements only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.engine.diff import defined_ids
from app.engine.parser import UnsafeXml, safe_xml
from app.extensions import db
from app.forms.registry import FORMS
from app.models import DiagramDraft, Organisation, ProcessVersion
from app.roles import COVENANT_LANE_LABELS, LANE_LABELS
from app.services.actors import Actor
from app.services.deployments import deployed_sources, latest_versions
from app.services.privacy import ENGINE_VARIABLES
from app.services.workbench import require_workbench
from app.tasks import OPERATIONS


@dataclass(frozen=True)
class VersionFile:
    """One file of a version: BPMN or DMN, and what it defines."""

    name: str
    kind: str  # bpmn | dmn
    processes: tuple[str, ...]
    decisions: tuple[str, ...]
    #: whether it defines the version's own process (the diagram to open first)
    own: bool
    #: its processes and the embedded subprocesses in them (where a live count can sit)
    scopes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The file name without its folder, for buttons and downloads."""
        return self.name.rsplit("/", 1)[-1]


#: files per (process id, content hash): a version's sources never change
_FILES: dict[tuple[str, str], tuple[VersionFile, ...]] = {}
_FILES_LIMIT = 512


def version_files(version: ProcessVersion) -> list[VersionFile]:
    """The files of a version: its own diagram first, then the others by name."""
    key = (version.process_id, version.content_hash)
    if key not in _FILES:
        if len(_FILES) >= _FILES_LIMIT:
            _FILES.clear()
        _FILES[key] = tuple(_read_files(version))
    return list(_FILES[key])


def _read_files(version: ProcessVersion) -> list[VersionFile]:
    files = []
    for name, text in version.sources.items():
        ids = defined_ids(name, text)
        processes = tuple(sorted(i.split(":", 1)[1] for i in ids if i.startswith("process:")))
        decisions = tuple(sorted(i.split(":", 1)[1] for i in ids if i.startswith("decision:")))
        kind = "dmn" if name.lower().endswith(".dmn") else "bpmn"
        own = version.process_id in processes
        scopes = (*processes, *_subprocesses(name, text)) if kind == "bpmn" else ()
        files.append(VersionFile(name, kind, processes, decisions, own, scopes))
    return sorted(files, key=lambda f: (not f.own, f.kind, f.name))


def _subprocesses(name: str, text: str) -> tuple[str, ...]:
    """Ids of the embedded subprocesses of a BPMN file (SpiffWorkflow runs each as a scope)."""
    try:
        root = safe_xml(text, name).getroot()
    except UnsafeXml:
        return ()
    kinds = ("subProcess", "transaction", "adHocSubProcess")
    return tuple(
        el.get("id")
        for el in root.iter()
        if isinstance(el.tag, str) and el.tag.rsplit("}", 1)[-1] in kinds and el.get("id")
    )


def own_file(version: ProcessVersion) -> str | None:
    """The name of the file that defines the version's own process."""
    return next((f.name for f in version_files(version) if f.own), None)


def process_kinds(latest: Sequence[ProcessVersion]) -> dict[str, str]:
    """Per deployed process (``latest``: the newest version of each): ``variant`` (a
    corporation's own process), ``shared`` (called by another process) or ``other`` (such as
    the covenant's yearly evaluation)."""
    variants = set(db.session.scalars(select(Organisation.process_id).where(
        Organisation.process_id.is_not(None))))  # fmt: skip
    called = {name for v in latest for name in v.summary.get("called") or ()}
    return {
        v.process_id: "variant"
        if v.process_id in variants
        else ("shared" if v.process_id in called else "other")
        for v in latest
    }


def decisions_in(name: str, text: str) -> list[dict[str, str]]:
    """The decisions a DMN file defines: id and name (nothing when it cannot be read)."""
    try:
        root = safe_xml(text, name).getroot()
    except UnsafeXml:
        return []
    return [
        {"id": el.get("id"), "name": el.get("name") or el.get("id")}
        for el in root.iter("{*}decision")
        if el.get("id")
    ]


def _decision_outputs(texts: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Variables the deployed decision tables set: output name -> its label."""
    outputs: dict[str, str] = {}
    for name, text in texts:
        try:
            root = safe_xml(text, name).getroot()
        except UnsafeXml:
            continue
        for el in root.iter("{*}output"):
            if el.get("name"):
                outputs.setdefault(el.get("name"), el.get("label") or el.get("name"))
    return outputs


def workbench_choices(actor: Actor) -> dict[str, Any]:
    """What the modeller's side panel lets a process owner pick instead of typing."""
    require_workbench(actor)
    deployed = deployed_sources()
    dmn = [(n, t) for n, t in deployed.items() if n.lower().endswith(".dmn")]
    drafts = db.session.scalars(
        select(DiagramDraft)
        .where(DiagramDraft.user_id == actor.user_id)
        .order_by(DiagramDraft.file_name)
    ).all()
    decisions: dict[str, dict[str, str]] = {}
    for name, text in dmn:
        for item in decisions_in(name, text):
            decisions.setdefault(item["id"], {**item, "source": "uitgerold", "file": name})
    for draft in drafts:
        if draft.file_name.lower().endswith(".dmn"):
            for item in decisions_in(draft.file_name, draft.xml):
                decisions.setdefault(
                    item["id"], {**item, "source": "concept", "file": draft.file_name}
                )
    return {
        "forms": [_form(key, schema) for key, schema in FORMS.items()],
        "roles": [
            {"key": key, "label": label}
            for key, label in {**LANE_LABELS, **COVENANT_LANE_LABELS}.items()
        ],
        "operations": [
            {"name": op.name, "description": op.description, "parameters": list(op.parameters)}
            for op in sorted(OPERATIONS.values(), key=lambda o: o.name)
        ],
        "decisions": sorted(decisions.values(), key=lambda d: d["id"]),
        "variables": _variables(_decision_outputs(dmn)),
        "processes": [
            {"id": v.process_id, "name": v.name, "version": v.version} for v in latest_versions()
        ],
    }


def _form(key: str, schema: Any) -> dict[str, Any]:
    return {"key": key, "title": getattr(schema, "title", "") or key}


def _variables(decision_outputs: Mapping[str, str]) -> list[dict[str, str]]:
    """Every variable a condition can test: form fields, engine variables, decision outputs."""
    found: dict[str, dict[str, str]] = {}
    for key, schema in FORMS.items():
        title = getattr(schema, "title", "") or key
        for name, field in schema._declared_fields.items():
            variable = field.data_key or name
            label = str(field.metadata.get("label") or variable)
            found.setdefault(variable, {"name": variable, "label": label, "source": title})
    for variable in ENGINE_VARIABLES:
        found.setdefault(
            variable, {"name": variable, "label": variable, "source": "gezet door het proces"}
        )
    for variable, label in decision_outputs.items():
        found.setdefault(
            variable, {"name": variable, "label": label, "source": "uitkomst van een beslistabel"}
        )
    return sorted(found.values(), key=lambda v: v["name"])
