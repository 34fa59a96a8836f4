"""Fields that deliberately appear on more than one form with the same meaning.

All form data ends up in one flat workflow-variable dict, so a shared name must mean the same
thing, with the same readers, wherever it appears. Each shared field is built here, once.
"""

from __future__ import annotations

from app.forms.base import CORPORATIE, MELDPUNT, SCHULDHULP, meta
from app.forms.choices import STATUS_CODE
from app.forms.fields import Bool, Choice


def status_code_field() -> Choice:
    """The case status the corporation sees (F8 and the Meldpunt's monitoring)."""
    return Choice(
        STATUS_CODE,
        required=True,
        metadata=meta(
            "Status",
            "De status van de zaak die de corporatie te zien krijgt; geen inhoudelijke "
            "informatie over de huurder.",
            (CORPORATIE, MELDPUNT),
        ),
    )


def financiele_problemen_field() -> Bool:
    """Financial problems: the Meldpunt's assessment (F4), confirmed at the debt-help intake."""
    return Bool(
        metadata=meta(
            "Financiële problemen",
            "Heeft het huishouden financiële problemen (schulden, te weinig inkomen)? Dit "
            "bepaalt of Schulddienstverlening een inventarisatie maakt (CV-18).",
            (MELDPUNT, SCHULDHULP),
        ),
    )
