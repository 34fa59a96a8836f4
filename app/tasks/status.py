"""Status messages to the corporation and the collection suspension (CV-09)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from app.tasks.registry import OperationContext, operation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

#: status codes a corporation may see (F8); nothing else about the case reaches it
STATUS_CODES = {
    "ontvangen": "Melding ontvangen",
    "in_behandeling": "In behandeling",
    "contact_gelegd": "Contact gelegd",
    "geen_contact": "Geen contact",
    "traject_gestart": "Traject gestart",
    "overgedragen": "Overgedragen aan regiehouder",
    "afgesloten": "Afgesloten",
    "beeindigd": "Bescherming beëindigd",
    "geen_medewerking": "Geen medewerking",
    "geen_doelgroep": "Niet in de doelgroep",
    "incasso_hervatten": "Incasso mag worden hervat",
    "huur_uit_uitkering_gestart": "Huur wordt betaald uit de uitkering",
    "huur_uit_uitkering_beeindigd": "Huur uit de uitkering beëindigd",
}


@operation(
    "stuur_status",
    description="Stuurt een statuscode (alleen de code) naar de corporatie (F8).",
    parameters=("status_code",),
)
def send_status(ctx: OperationContext, params: dict[str, Any]) -> dict[str, Any]:
    """Tell the corporation the case's status code only, never its content (CV-23)."""
    code = str(params.get("status_code") or "")
    if code not in STATUS_CODES:
        raise ValueError(f"unknown status code {code!r}")
    day = ctx.now.astimezone(AMSTERDAM).date().isoformat()
    ctx.notify("status", {"status_code": code, "label": STATUS_CODES[code], "datum": day})
    return {"status_code": code, "statusberichten": status_history(ctx, code, day)}


def status_history(ctx: OperationContext, code: str, day: str) -> list[Any]:
    """The case's status messages so far, with this one added (what the timeline shows)."""
    return [*(ctx.data.get("statusberichten") or []), {"status_code": code, "datum": day}]


@operation(
    "registreer_opschorting",
    description="Registreert dat incassomaatregelen zijn opgeschort, met datum (CV-09).",
)
def register_suspension(ctx: OperationContext, params: dict[str, Any]) -> dict[str, Any]:
    """From the report on, collection is suspended and the claim does not grow (CV-09)."""
    day = ctx.now.astimezone(AMSTERDAM).date().isoformat()
    ctx.notify("status", {"status_code": "ontvangen", "label": "Incasso opgeschort", "datum": day})
    return {"incasso_opgeschort": True, "opschorting_datum": day}
