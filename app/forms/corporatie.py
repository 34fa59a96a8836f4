"""The corporation's own forms: the signal that starts every corporation process (COVENANT.md
§3 A step 1), its contact attempts before the report (CV-11) and the confirmation that
collection is suspended once it has reported (CV-09).
"""

from __future__ import annotations

from app.forms.base import CORPORATIE, MELDPUNT, VoorkomSchema, meta
from app.forms.choices import CONTACT_KANAAL
from app.forms.fields import Bool, Choice, IsoDate, Text
from app.forms.shared import (
    SignaalRegels,
    achterstand_bedrag_field,
    achterstand_maanden_field,
    corporatie_dossiernummer_field,
    gemeentelijke_uitkering_field,
    huishoudgrootte_field,
    huisnummer_field,
    huisnummer_toevoeging_field,
    huurder_naam_field,
    huurprijs_field,
    kinderen_onder_18_field,
    ontstaansdatum_field,
    postcode_field,
    signaaldatum_field,
)

_CORPORATIE = (CORPORATIE,)


class SignaleringSchema(SignaalRegels):
    """The start of every corporation process: arrears noticed (COVENANT.md §3 A step 1, CV-11).

    Filled in by a caseworker or sent by the corporation's collection system through the API.
    Every field is shared with F1 ``melding`` (same factory, same meaning, same readers); the
    melding later updates them, e.g. ``signaaldatum`` becomes the date of the report.
    """

    form_key = "signalering"
    title = "Huurachterstand gesignaleerd"

    corporatie_dossiernummer = corporatie_dossiernummer_field()

    # Identity and address of the tenant.
    huurder_naam = huurder_naam_field()
    postcode = postcode_field()
    huisnummer = huisnummer_field()
    huisnummer_toevoeging = huisnummer_toevoeging_field()

    # Household (CV-02: children under 18 give priority).
    huishoudgrootte = huishoudgrootte_field()
    kinderen_onder_18 = kinderen_onder_18_field()

    # Rent and arrears (GGM Vroegsignalering: bedrag, ontstaansdatum, signaaldatum).
    huurprijs = huurprijs_field()
    achterstand_bedrag = achterstand_bedrag_field()
    achterstand_maanden = achterstand_maanden_field()
    ontstaansdatum = ontstaansdatum_field()
    signaaldatum = signaaldatum_field()

    gemeentelijke_uitkering = gemeentelijke_uitkering_field()


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
