"""The corporation's own forms: its contact attempts before the report (CV-11) and the
confirmation that collection is suspended once it has reported (CV-09).
"""

from __future__ import annotations

from app.forms.base import CORPORATIE, MELDPUNT, VoorkomSchema, meta
from app.forms.choices import CONTACT_KANAAL
from app.forms.fields import Bool, Choice, IsoDate, Text

_CORPORATIE = (CORPORATIE,)


class ContactCorporatieSchema(VoorkomSchema):
    """One contact attempt of the corporation before any report, and its result (CV-11)."""

    form_key = "contact_corporatie"
    title = "Contact met de huurder over de huurachterstand"

    contactpoging_soort = Choice(
        CONTACT_KANAAL,
        required=True,
        metadata=meta("Soort contact", "Hoe heeft u geprobeerd contact te krijgen?", _CORPORATIE),
    )
    contactpoging_datum = IsoDate(
        required=True,
        metadata=meta("Datum", "Datum van de contactpoging.", _CORPORATIE),
    )
    contactpoging_bereikt = Bool(
        metadata=meta("Huurder bereikt", "Heeft u de huurder gesproken?", _CORPORATIE),
    )
    contactpoging_notities = Text(
        max_length=5000,
        metadata=meta("Notities", "Wat is er besproken?", _CORPORATIE),
    )
    betalingsregeling_getroffen = Bool(
        metadata=meta(
            "Betalingsregeling getroffen",
            "Is er een betalingsregeling voor de achterstand afgesproken?",
            _CORPORATIE,
        ),
    )
    achterstand_opgelost = Bool(
        metadata=meta(
            "Achterstand opgelost",
            "Is de achterstand helemaal betaald? Dan wordt de zaak afgesloten zonder melding.",
            _CORPORATIE,
        ),
    )


class OpschortingSchema(VoorkomSchema):
    """The corporation confirms it suspended collection from the report on (CV-09)."""

    form_key = "opschorting"
    title = "Bevestiging opschorting incasso"

    datum_opschorting = IsoDate(
        required=True,
        metadata=meta(
            "Datum opschorting",
            "Vanaf deze datum zijn incassomaatregelen opgeschort.",
            (CORPORATIE, MELDPUNT),
        ),
    )
    opschorting_bevestigd = Bool(
        metadata=meta(
            "Opschorting bevestigd",
            "Ik bevestig dat verdere incassomaatregelen zijn opgeschort en dat de vordering "
            "niet meer oploopt met rente of andere kosten (CV-09).",
            (CORPORATIE, MELDPUNT),
        ),
    )
