"""The modeller in the browser: open a file of a version (or one's draft of it), save a draft,
check it with the lint rules, deploy it as a new version."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from app.models import ProcessVersion
from app.services import transaction
from app.services.deployments import latest_version
from app.services.errors import ServiceError
from app.services.workbench.drafts import (
    check_draft,
    deploy_draft,
    discard_draft,
    get_draft,
    save_draft,
)
from app.services.workbench.files import VersionFile, version_files
from app.services.workbench.versions import get_version
from app.web.present import moment_text
from app.web.workbench.blueprint import bp, json_body, json_error, max_bytes, owner
from app.web.workbench.catalogue import deployed_text


def _versions(process_id: str) -> tuple[ProcessVersion, ProcessVersion]:
    """The version named by ``?versie=`` (the newest when absent), and the newest."""
    raw = request.args.get("versie", "")
    if raw and not raw.isdigit():
        abort(404)
    if raw:
        return get_version(owner(), process_id, int(raw)), latest_version(process_id)
    newest = latest_version(process_id)  # the blueprint checked the role; this needs no more
    return newest, newest


def _file(version: ProcessVersion, name: str | None) -> tuple[VersionFile, list[VersionFile]]:
    files = version_files(version)
    wanted = name or next((f.name for f in files if f.own), files[0].name if files else "")
    chosen = next((f for f in files if f.name == wanted), None)
    if chosen is None:
        abort(404)
    return chosen, files


@bp.get("/<process_id>/bewerken")
def modeller(process_id: str) -> str:
    """The BPMN modeller (or the DMN table editor) on one file of a version."""
    version, newest = _versions(process_id)
    chosen, files = _file(version, request.args.get("bestand"))
    draft = get_draft(owner(), process_id, chosen.name)
    template = "workbench/dmn.html" if chosen.kind == "dmn" else "workbench/modeller.html"
    return render_template(
        template,
        version=version,
        newest=newest,
        file=chosen,
        files=files,
        draft=draft,
        source_url=url_for(
            "workbench.download",
            process_id=process_id,
            version=version.version,
            naam=chosen.name,
            bekijken=1,
        ),
        draft_url=url_for("workbench.draft", process_id=process_id, bestand=chosen.name),
    )


@bp.get("/<process_id>/concept")
def draft(process_id: str) -> Response:
    """The signed-in owner's draft of a file, as XML (404 when there is none)."""
    found = get_draft(owner(), process_id, request.args.get("bestand", ""))
    if found is None:
        abort(404)
    return Response(found.xml, mimetype="application/xml")


def _int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _edit() -> tuple[str, str, int | None]:
    data = json_body()
    name, xml = data.get("bestand"), data.get("xml")
    if not isinstance(name, str) or not isinstance(xml, str):
        abort(400, "Het verzoek mist het bestand of de XML.")
    return name, xml, _int(data.get("versie"))


@bp.post("/<process_id>/concept")
def save(process_id: str) -> Response | tuple[Response, int]:
    """Keep the diagram as the owner's draft (not checked, not deployed)."""
    name, xml, base = _edit()
    try:
        with transaction():
            saved = save_draft(owner(), process_id, name, xml, base_version=base,
                               max_bytes=max_bytes())  # fmt: skip
    except ServiceError as exc:
        return json_error(exc, name)
    return jsonify(
        {
            "ok": True,
            "message": f"Concept opgeslagen ({moment_text(saved.updated_at)}). Het draait "
            "nergens tot u het uitrolt.",
        }
    )


@bp.post("/<process_id>/concept/weggooien")
def discard(process_id: str) -> BaseResponse:
    """Throw the owner's draft away and show the deployed file again."""
    name = request.form.get("bestand", "")
    with transaction():
        gone = discard_draft(owner(), process_id, name)
    flash("Het concept is weggegooid." if gone else "Er was geen concept.", "success")
    version = request.form.get("versie", "")
    return redirect(
        url_for(
            "workbench.modeller", process_id=process_id, bestand=name,
            versie=version if version.isdigit() else None,
        )
    )  # fmt: skip


@bp.post("/<process_id>/controleren")
def check(process_id: str) -> Response | tuple[Response, int]:
    """The lint problems of the diagram with the deployed files it needs (none: deployable)."""
    name, xml, _base = _edit()
    try:
        problems = check_draft(owner(), name, xml, max_bytes=max_bytes())
    except ServiceError as exc:
        return json_error(exc, name)
    count = len(problems)
    return jsonify(
        {
            "ok": not problems,
            "message": "Geen problemen gevonden: dit diagram kan worden uitgerold."
            if not problems
            else f"{count} {'probleem' if count == 1 else 'problemen'} gevonden; zo kan het "
            "diagram niet worden uitgerold.",
            "problems": [p.to_json() for p in problems],
        }
    )


@bp.post("/<process_id>/uitrollen")
def deploy(process_id: str) -> Response | tuple[Response, int]:
    """Deploy the diagram as a new version of every process that uses it; nothing on refusal."""
    name, xml, base = _edit()
    force = json_body().get("toch") is True
    try:
        with transaction():
            results = deploy_draft(owner(), process_id, name, xml, base_version=base,
                                   force=force, max_bytes=max_bytes())  # fmt: skip
    except ServiceError as exc:
        return json_error(exc, name)
    created = [r.version for r in results if r.created]
    count = len(created)
    message = (
        f"Uitgerold als nieuwe versie van {count} {'proces' if count == 1 else 'processen'}. "
        "Nieuwe zaken starten op de nieuwe versie; lopende zaken blijven op hun versie."
        if created
        else deployed_text(results)
    )
    return jsonify(
        {
            "ok": True,
            "message": message,
            "created": [
                {
                    "process_id": v.process_id,
                    "name": v.name,
                    "version": v.version,
                    "history": url_for("workbench.history", process_id=v.process_id),
                }
                for v in created
            ],
        }
    )
