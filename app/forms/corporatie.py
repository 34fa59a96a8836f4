"""The corporation's own forms: the signal that starts every corporation process (COVENANT.md
§3 A step 1), its contact attempts before the report (CV-11), the confirmation that
collection is suspended once it has reported (CV-09) and Beter Wonen's last-chance agreement
after an eviction judgment (COVENANT.md §6).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import ValidationError, validates_schema

from app.forms.base import (
    CORPORATIE,
    MELDPUNT,
    VoorkomSchema,
    add_months,
    check_period_end,
    meta,
)
from app.forms.choices import CONTACT_KANAAL
from app.forms.fields import Bool, Choice, IsoDate, Text, field_error
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


#: Beter Wonen: a last-chance agreement runs 12 calendar months (COVENANT.md §6, an AANNAME)...
LAATSTE_KANS_MONTHS = 12
#: ...plus at most a week, so that its last day can fall on a working day or on a payment day
#: agreed with the tenant.
LAATSTE_KANS_GRACE_DAYS = 7


def laatste_kans_latest_end(start: dt.date) -> dt.date:
    """The latest end of a last-chance agreement starting on ``start``: 12 months and a week."""
    return add_months(start, LAATSTE_KANS_MONTHS) + dt.timedelta(days=LAATSTE_KANS_GRACE_DAYS)


class LaatsteKansSchema(VoorkomSchema):
    """Beter Wonen's last-chance agreement after an eviction judgment (COVENANT.md §6, CV-13):
    the tenant pays the current rent and cooperates (CV-07, CV-08); the judgment is then not
    executed. Offered after the judgment and evaluated when its 12 months are over.
    """

    form_key = "laatste_kans"
    title = "Laatstekansovereenkomst"

    laatste_kans_getekend = Bool(
        metadata=meta(
            "Overeenkomst getekend",
            "Heeft de huurder de laatstekansovereenkomst getekend? Alleen dan loopt de "
            "overeenkomst; de melding bij het Meldpunt volgt hoe dan ook (CV-13).",
            (CORPORATIE, MELDPUNT),
        ),
    )
    laatste_kans_start = IsoDate(
        metadata=meta(
            "Startdatum",
            "Vanaf deze datum loopt de getekende overeenkomst.",
            (CORPORATIE, MELDPUNT),
        ),
    )
    laatste_kans_eind = IsoDate(
        metadata=meta(
            "Einddatum",
            "Uiterlijk 12 maanden en een week na de startdatum.",
            (CORPORATIE, MELDPUNT),
        ),
    )
    laatste_kans_voorwaarden = Text(
        max_length=5000,
        metadata=meta(
            "Voorwaarden",
            "Wat heeft de huurder toegezegd, bijvoorbeeld de lopende huur op tijd betalen, een "
            "bedrag per maand aflossen en meewerken aan hulp (CV-07, CV-08)? Bij de evaluatie: "
            "is de huurder de voorwaarden nagekomen?",
            (CORPORATIE, MELDPUNT),
        ),
    )

    @validates_schema
    def check_signed(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """A signed agreement has its period and conditions; an unsigned one has no period."""
        if data.get("laatste_kans_getekend"):
            missing = {
                "laatste_kans_start": "Vul de startdatum in: de overeenkomst is getekend.",
                "laatste_kans_eind": "Vul de einddatum in: de overeenkomst is getekend.",
                "laatste_kans_voorwaarden": "Vul de voorwaarden in: de overeenkomst is getekend.",
            }
            errors = {name: [text] for name, text in missing.items() if not data.get(name)}
            if errors:
                raise ValidationError(errors)
        elif data.get("laatste_kans_start") or data.get("laatste_kans_eind"):
            raise field_error(
                "laatste_kans_getekend",
                "Een start- of einddatum hoort alleen bij een getekende overeenkomst; vink "
                "'Overeenkomst getekend' aan of maak die datums leeg.",
            )

    @validates_schema
    def check_period(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """The end lies after the start and at most 12 months and a week later."""
        check_period_end(
            data,
            "laatste_kans_start",
            "laatste_kans_eind",
            laatste_kans_latest_end,
            "Een laatstekansovereenkomst loopt hoogstens 12 maanden en een week",
        )
