"""Forms during and at the end of the trajectory: the Meldpunt's conversation after a signal,
monitoring, F8 Status, F9 Overdracht and F10 Afsluiting (CV-06, CV-16, CV-17).
"""

from __future__ import annotations

from app.forms.base import CORPORATIE, MELDPUNT, REGIEHOUDER, VoorkomSchema, meta
from app.forms.choices import GESPREK_BESLUIT, UITKOMST
from app.forms.fields import Bool, Choice, IsoDate, Text
from app.forms.shared import status_code_field

_MELDPUNT = (MELDPUNT,)
_HANDOVER = (MELDPUNT, REGIEHOUDER)


class GesprekAfsprakenSchema(VoorkomSchema):
    """The Meldpunt's conversation after *afspraken niet nagekomen* or *ontruimingsvonnis*."""

    form_key = "gesprek_afspraken"
    title = "Gesprek na signaal van de corporatie"

    gesprek_datum = IsoDate(
        required=True,
        metadata=meta(
            "Datum gesprek",
            "Wanneer is het gesprek met de huurder gevoerd?",
            (MELDPUNT, CORPORATIE),
        ),
    )
    gesprek_besluit = Choice(
        GESPREK_BESLUIT,
        required=True,
        metadata=meta(
            "Besluit",
            "Gaat het traject door, of eindigt de bescherming? Bij beëindigen mag de corporatie "
            "de incasso hervatten.",
            (MELDPUNT, CORPORATIE),
        ),
    )
    gesprek_toelichting = Text(
        required=True,
        max_length=5000,
        metadata=meta("Toelichting", "Wat is besproken en waarom dit besluit?", _MELDPUNT),
    )


class MonitoringSchema(VoorkomSchema):
    """The Meldpunt's 4-weekly monitoring until the handover (CV-17)."""

    form_key = "monitoring"
    title = "Monitoring van het traject"

    monitoring_datum = IsoDate(
        required=True,
        metadata=meta("Datum", "Datum van dit monitoringsmoment.", _MELDPUNT),
    )
    voortgang = Text(
        required=True,
        max_length=5000,
        metadata=meta(
            "Voortgang",
            "Hoe gaat het traject? Komt de huurder de afspraken na? Alleen voor het Meldpunt.",
            _MELDPUNT,
        ),
    )
    status_code = status_code_field()
    overdracht_gereed = Bool(
        metadata=meta(
            "Klaar voor overdracht",
            "Kan de zaak worden overgedragen aan de nieuwe regiehouder?",
            _MELDPUNT,
        ),
    )


class StatusSchema(VoorkomSchema):
    """F8: the status message to the corporation: a status code only (COVENANT.md §7)."""

    form_key = "status"
    title = "Statusbericht aan de corporatie"

    status_code = status_code_field()


class OverdrachtSchema(VoorkomSchema):
    """F9: handover from the Meldpunt to the new regiehouder (CV-16)."""

    form_key = "overdracht"
    title = "Overdracht aan de regiehouder"

    ontvangende_organisatie = Text(
        required=True,
        metadata=meta(
            "Ontvangende organisatie",
            "De organisatie die de regie overneemt.",
            _HANDOVER,
        ),
    )
    overdrachtsdatum = IsoDate(
        required=True,
        metadata=meta("Overdrachtsdatum", "De datum van de overdracht.", _HANDOVER),
    )
    overdracht_samenvatting = Text(
        required=True,
        max_length=10000,
        metadata=meta(
            "Samenvatting",
            "De situatie van het huishouden, de lopende hulp en de gemaakte afspraken; alleen "
            "wat de regiehouder nodig heeft.",
            _HANDOVER,
        ),
    )


class AfsluitingSchema(VoorkomSchema):
    """F10: how the case ended (COVENANT.md §3E); the input of the evaluation metrics."""

    form_key = "afsluiting"
    title = "Afsluiting van de zaak"

    uitkomst = Choice(
        UITKOMST,
        required=True,
        metadata=meta("Uitkomst", "Hoe is de zaak afgelopen?", _MELDPUNT),
    )
    afsluitdatum = IsoDate(
        required=True,
        metadata=meta(
            "Afsluitdatum",
            "De datum waarop de zaak is afgesloten; de bewaartermijn begint dan te lopen.",
            (MELDPUNT, CORPORATIE),
        ),
    )
    afsluiting_notities = Text(
        max_length=5000,
        metadata=meta("Notities", "Toelichting op de afsluiting.", _MELDPUNT),
    )
    voorwaarden_nagekomen = Bool(
        metadata=meta(
            "Voorwaarden nagekomen",
            "Heeft de huurder de voorwaarden nagekomen: meewerken aan het hulptraject en de "
            "lopende huur betalen (CV-06, CV-07, CV-08)? Een ontruiming ondanks nagekomen "
            "voorwaarden wordt apart geteld.",
            _MELDPUNT,
        ),
    )
