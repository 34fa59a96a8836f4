"""Versions of a process: history, the difference between two, the live view of one, and the
migration of running cases to the newest (case references and counts only, COVENANT.md §7)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from app.engine.diff import ASPECT_LABELS
from app.models import ProcessVersion
from app.services.errors import ServiceError
from app.services.workbench.batches import BATCH_SIZE, migrate_batch, remaining_cases
from app.services.workbench.files import VersionFile, own_file, version_files
from app.services.workbench.liveview import cases_at, live_view
from app.services.workbench.migration import CaseMigration, plan_migration
from app.services.workbench.versions import diff_versions, get_version, version_history
from app.web.present import moment_text
from app.web.workbench.blueprint import bp, json_error, owner

#: what the diff calls each kind of element, in Dutch
ELEMENT_TYPES: dict[str, str] = {
    "userTask": "gebruikerstaak", "serviceTask": "servicetaak", "businessRuleTask": "beslistaak",
    "scriptTask": "scripttaak", "sendTask": "verzendtaak", "receiveTask": "ontvangsttaak",
    "manualTask": "handmatige taak", "task": "taak", "callActivity": "aanroep deelproces",
    "subProcess": "subproces", "startEvent": "startgebeurtenis", "endEvent": "eindgebeurtenis",
    "intermediateCatchEvent": "tussengebeurtenis", "intermediateThrowEvent": "tussengebeurtenis",
    "boundaryEvent": "randgebeurtenis", "exclusiveGateway": "keuze (exclusief)",
    "inclusiveGateway": "keuze (inclusief)", "parallelGateway": "parallel",
    "eventBasedGateway": "keuze op gebeurtenis", "sequenceFlow": "stroom", "lane": "baan",
    "process": "proces", "decision": "beslistabel", "message": "bericht",
    "participant": "pool", "messageFlow": "berichtstroom",
}  # fmt: skip


def _version_arg(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    if not raw.isdigit():
        abort(404)
    return int(raw)


@bp.get("/<process_id>")
def history(process_id: str) -> str:
    """Every version of a process: who deployed it, when, its cases and files."""
    versions = version_history(owner(), process_id)
    newest = versions[0]
    waiting_elsewhere = sum(v.open_cases for v in versions[1:])
    return render_template(
        "workbench/history.html",
        process_id=process_id,
        versions=versions,
        newest=newest,
        waiting_elsewhere=waiting_elsewhere,
    )


# --- the difference between two versions --------------------------------------------------------


def _pick_file(
    old: ProcessVersion, new: ProcessVersion, wanted: str | None
) -> tuple[str, list[str]]:
    names = sorted({*old.sources, *new.sources})
    own = own_file(new) or (names[0] if names else "")
    chosen = wanted if wanted in names else own
    return chosen, names


@bp.get("/<process_id>/verschil")
def diff(process_id: str) -> str:
    """Two versions side by side: added, removed and changed elements marked and listed."""
    versions = version_history(owner(), process_id)
    newest = versions[0].version
    new = _version_arg("naar", newest)
    old = _version_arg("van", new - 1 if new > 1 else new)
    result = diff_versions(owner(), process_id, old, new)
    before, after = result.old, result.new
    chosen, names = _pick_file(before, after, request.args.get("bestand"))
    per_file = {
        name: len(
            [c for group in (result.diff.added, result.diff.removed, result.diff.changed)
             for c in group if c.file == name]
        )
        for name in names
    }  # fmt: skip
    shown = result.diff.in_file(chosen)
    return render_template(
        "workbench/diff.html",
        process_id=process_id,
        versions=versions,
        old=before,
        new=after,
        chosen=chosen,
        names=names,
        per_file=per_file,
        shown=shown,
        total=sum(per_file.values()),
        data=shown.to_json(),
        types=ELEMENT_TYPES,
        aspects=ASPECT_LABELS,
        is_dmn=chosen.lower().endswith(".dmn"),
    )


# --- live view ---------------------------------------------------------------------------------


def _live_file(version: ProcessVersion) -> tuple[VersionFile, list[VersionFile]]:
    files = [f for f in version_files(version) if f.kind == "bpmn"]
    wanted = request.args.get("bestand")
    chosen = next((f for f in files if f.name == wanted), None)
    chosen = chosen or next((f for f in files if f.own), files[0] if files else None)
    if chosen is None:
        abort(404)
    return chosen, files


@bp.get("/<process_id>/v<int:version>/live")
def live(process_id: str, version: int) -> str:
    """The diagram of a version with, per element, the cases waiting there and how many late."""
    found = get_version(owner(), process_id, version)
    chosen, files = _live_file(found)
    view = live_view(owner(), process_id, version)
    here = [e for e in view.elements if e.process_id in chosen.scopes]
    per_file = {f.name: sum(e.waiting for e in view.elements if e.process_id in f.scopes and
                            e.kind != "subprocess") for f in files}  # fmt: skip
    return render_template(
        "workbench/live.html",
        process_id=process_id,
        version=found,
        view=view,
        file=chosen,
        files=files,
        per_file=per_file,
        elements=here,
        data=[
            {
                "id": e.activity_id,
                "name": e.name,
                "kind": e.kind,
                "waiting": e.waiting,
                "overdue": e.overdue,
            }
            for e in here
        ],
        at=moment_text(view.at),
    )


@bp.get("/<process_id>/v<int:version>/live/<activity_id>.json")
def live_cases(process_id: str, version: int, activity_id: str) -> Response:
    """The case references waiting at one element, overdue first (no personal data)."""
    found = cases_at(owner(), process_id, version, activity_id)
    return jsonify(
        {
            "activity": activity_id,
            "cases": [
                {
                    "reference": c.reference,
                    "due": moment_text(c.due) if c.due else None,
                    "overdue": c.overdue,
                }
                for c in found
            ],
        }
    )


# --- migration ---------------------------------------------------------------------------------


@bp.get("/<process_id>/migratie")
def migration(process_id: str) -> str:
    """Dry run: which open cases on older versions can move to the chosen version, and why not."""
    versions = version_history(owner(), process_id)
    target = _version_arg("naar", versions[0].version)
    plan = plan_migration(owner(), process_id, target)
    by_version: dict[int, dict[str, int]] = {}
    for item in plan.cases:
        counts = by_version.setdefault(item.from_version, {"movable": 0, "blocked": 0})
        counts["movable" if item.movable else "blocked"] += 1
    return render_template(
        "workbench/migration.html",
        process_id=process_id,
        versions=versions,
        target=target,
        plan=plan,
        by_version=sorted(by_version.items()),
        batch_size=BATCH_SIZE,
    )


def _case_json(item: CaseMigration) -> dict[str, Any]:
    return {
        "reference": item.reference,
        "from_version": item.from_version,
        "reasons": list(item.reasons),
    }


@bp.post("/<process_id>/migratie")
def migrate(process_id: str) -> BaseResponse | tuple[Response, int]:
    """Move the next batch of cases (each in its own transaction, audited); the page calls this
    until nothing remains and shows the progress. Without scripts: one batch per click."""
    target = request.form.get("naar", "")
    after = request.form.get("na", "0")
    if not target.isdigit() or not after.isdigit():
        abort(400, "Kies de versie waarnaar de zaken gaan.")
    wants_json = request.accept_mimetypes.best == "application/json"
    try:
        total = remaining_cases(owner(), process_id, int(target), after=int(after))
        result = migrate_batch(owner(), process_id, int(target), after=int(after))
    except ServiceError as exc:
        if wants_json:
            return json_error(exc)
        raise
    if wants_json:
        return jsonify(
            {
                "ok": True,
                "moved": [_case_json(c) for c in result.moved],
                "stayed": [_case_json(c) for c in result.stayed],
                "last_id": result.last_id,
                "remaining": result.remaining,
                "total": total,
            }
        )
    flash(
        f"{len(result.moved)} zaak/zaken verplaatst naar versie {target}, "
        f"{len(result.stayed)} blijven op hun versie. "
        + (f"Nog {result.remaining} te doen: klik opnieuw." if result.remaining else "Klaar."),
        "success",
    )
    return redirect(
        url_for(
            "workbench.migration", process_id=process_id, naar=target,
            na=result.last_id if result.remaining else None,
        )
    )  # fmt: skip
