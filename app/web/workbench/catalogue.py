"""The workbench's front page (every process and version), uploads from the desktop, file
downloads and the side panel's choices."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from app.services import transaction
from app.services.catalogue import VersionRow, process_overview
from app.services.deployments import Deployed, latest_versions
from app.services.errors import DeploymentRefused, InvalidInput
from app.services.workbench.drafts import list_drafts, structured
from app.services.workbench.files import own_file, process_kinds, workbench_choices
from app.services.workbench.uploads import Upload, clean_name, upload_diagrams
from app.services.workbench.versions import get_version, version_file
from app.web.workbench.blueprint import bp, max_bytes, owner


@dataclass
class ProcessEntry:
    """One process on the front page: its versions, newest first, and its own file."""

    process_id: str
    name: str
    kind: str  # variant | shared | other
    own_file: str | None = None
    versions: list[VersionRow] = field(default_factory=list)

    @property
    def open_cases(self) -> int:
        return sum(v.open_cases for v in self.versions)


def _entries() -> list[ProcessEntry]:
    """Each process with its versions, by name (the page groups them by kind)."""
    latest = latest_versions()
    kinds = process_kinds(latest)
    entries: dict[str, ProcessEntry] = {}
    for row in process_overview():
        entry = entries.setdefault(
            row.process_id,
            ProcessEntry(row.process_id, row.name, kinds.get(row.process_id, "other")),
        )
        entry.versions.append(row)
    for version in latest:
        if version.process_id in entries:
            entries[version.process_id].own_file = own_file(version)
    return sorted(entries.values(), key=lambda e: e.name.casefold())


@bp.get("/")
def catalogue() -> str:
    """Every process and variant with its versions, who deployed each and when, open cases."""
    return render_template(
        "workbench/catalogue.html", entries=_entries(), drafts=list_drafts(owner())
    )


@bp.get("/keuzes.json")
def choices() -> Response:
    """Forms, lane roles, operations, decisions, variables and processes for the side panel."""
    return jsonify(workbench_choices(owner()))


@bp.get("/<process_id>/v<int:version>/bestand")
def download(process_id: str, version: int) -> Response:
    """One file of a version, as stored (``?naam=shared/meldpunt.bpmn``; the own file if none)."""
    found = get_version(owner(), process_id, version)
    name = request.args.get("naam") or own_file(found) or ""
    text = version_file(owner(), process_id, version, name)
    answer = Response(text, mimetype="application/xml")
    if request.args.get("bekijken") != "1":
        short = name.rsplit("/", 1)[-1]
        answer.headers["Content-Disposition"] = f'attachment; filename="{short}"'
    return answer


@bp.get("/uploaden")
def upload_form() -> tuple[str, int]:
    """Upload .bpmn/.dmn files from the desktop; how to deploy from Camunda Modeler."""
    return _upload_page()


def _upload_page(
    *,
    message: str | None = None,
    problems: Iterable[object] = (),
    errors: dict[str, object] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    page = render_template(
        "workbench/upload.html",
        message=message,
        problems=list(problems),
        errors=errors or {},
        limit=size_text(max_bytes()),
        engine_rest=request.host_url.rstrip("/") + "/engine-rest",
        name=request.form.get("naam", ""),
    )
    return page, status


@bp.post("/uploaden")
def upload() -> BaseResponse | tuple[str, int]:
    """Deploy the uploaded files; refused files change nothing (size, safety, lint)."""
    uploads = [
        Upload(storage.filename or "", storage.read())
        for storage in request.files.getlist("bestanden")
        if storage.filename
    ]
    label = (request.form.get("naam") or "").strip()[:200] or None
    try:
        with transaction():
            results = upload_diagrams(owner(), uploads, name=label, max_bytes=max_bytes())
    except DeploymentRefused as refused:
        problems = structured(refused.problems, [clean_name(u.name) for u in uploads])
        return _upload_page(message=refused.message, problems=problems, status=422)
    except InvalidInput as invalid:
        return _upload_page(message=invalid.message, errors=invalid.errors, status=422)
    flash(deployed_text(results), "success")
    return redirect(url_for("workbench.catalogue"))


def size_text(count: int) -> str:
    """A byte count as people say it: '2 MB', '512 kB'."""
    if count >= 1024 * 1024 and count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024)} MB"
    return f"{count // 1024} kB"


def deployed_text(results: list[Deployed]) -> str:
    """What a deployment did, in one Dutch sentence."""
    created = [r.version for r in results if r.created]
    if not created:
        return "Er is niets veranderd: de bestanden zijn gelijk aan wat al is uitgerold."
    items = ", ".join(f"{v.name} ({v.process_id}) versie {v.version}" for v in created)
    return f"Uitgerold als nieuwe versie: {items}. Lopende zaken blijven op hun versie."
