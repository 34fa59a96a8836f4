"""Status messages during the trajectory: the monitoring status the Meldpunt chose (CV-17) and
the rent-from-benefit period (CV-20). The corporation gets codes and dates only (CV-23).
"""

from __future__ import annotations

from typing import Any

from app.tasks.registry import OperationContext, operation
from app.tasks.status import AMSTERDAM, STATUS_CODES, send_status, status_history

#: the status code the corporation hears about the rent paid from a municipal benefit (CV-20)
RENT_STATUS: dict[str, str] = {
    "gestart": "huur_uit_uitkering_gestart",
    "beeindigd": "huur_uit_uitkering_beeindigd",
}


@operation(
    "stuur_gekozen_status",
    description=(
        "Stuurt de statuscode die op het formulier is gekozen (veld status_code) naar de "
        "corporatie, bijvoorbeeld bij de monitoring (CV-17)."
    ),
)
def send_chosen_status(ctx: OperationContext, params: dict[str, Any]) -> dict[str, Any]:
    """The 4-weekly monitoring tells the corporation the status the Meldpunt chose (CV-17)."""
    return send_status(ctx, {"status_code": ctx.data.get("status_code")}) or {}


@operation(
    "stuur_huurstatus",
    description=(
        "Meldt de corporatie dat de huur uit de uitkering is gestart of beëindigd, met de "
        "start- en einddatum (CV-20)."
    ),
    parameters=("fase",),
)
def send_rent_status(ctx: OperationContext, params: dict[str, Any]) -> dict[str, Any]:
    """Start or end of the rent paid from the benefit, with both dates, to the corporation."""
    phase = str(params.get("fase") or "")
    if phase not in RENT_STATUS:
        raise ValueError(f"onbekende fase {phase!r}; kies uit {', '.join(RENT_STATUS)}")
    code = RENT_STATUS[phase]
    day = ctx.now.astimezone(AMSTERDAM).date().isoformat()
    start = ctx.data.get("huur_uit_uitkering_start")
    end = ctx.data.get("huur_uit_uitkering_eind")
    ctx.notify(
        "status",
        {
            "status_code": code,
            "label": STATUS_CODES[code],
            "datum": day,
            "huur_uit_uitkering_start": start,
            "huur_uit_uitkering_eind": end,
        },
    )
    return {"statusberichten": status_history(ctx, code, day)}
