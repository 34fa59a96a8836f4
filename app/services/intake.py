"""What a corporation needs to report a household: its variant and the variant's start form."""

from __future__ import annotations

from dataclasses import dataclass

from app.extensions import db
from app.models import Organisation
from app.services.actors import Actor
from app.services.deployments import latest_version
from app.services.errors import Forbidden, NotFound


@dataclass(frozen=True)
class StartForm:
    """The corporation's process variant (CV-25) and the form that starts it."""

    process_id: str
    process_name: str
    version: int
    form_key: str | None
    corporation: str


def start_form(actor: Actor) -> StartForm:
    """The start form of the actor's corporation's newest variant (COVENANT.md §6, CV-25)."""
    if not actor.is_corporation:
        raise Forbidden("Alleen een woningcorporatie kan een huishouden melden.")
    org = db.session.get(Organisation, actor.organisation_id)
    if org is None or not org.process_id:
        raise NotFound("Voor uw corporatie zijn nog geen werkafspraken uitgerold.")
    version = latest_version(org.process_id)
    return StartForm(
        process_id=version.process_id,
        process_name=version.name,
        version=version.version,
        form_key=version.summary.get("start_form"),
        corporation=org.name,
    )
