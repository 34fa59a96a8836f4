"""Fields that deliberately appear on more than one form with the same meaning.

All form data ends up in one flat workflow-variable dict, so a shared name must mean the same
thing, with the same readers, wherever it appears. Each shared field is built here, once, by a
factory; the forms call the factory (a marshmallow field instance belongs to one schema).

The signal fields (identity, address, household, rent and arrears) are first filled in on the
``signalering`` start form (COVENANT.md §3 A step 1) and completed or updated on F1 ``melding``;
their cross-field rules live in ``SignaalRegels``, which both schemas inherit.
"""

from __future__ import annotations

from typing import Any

from marshmallow import validates_schema

from app.forms.base import (
    CASE_PARTIES,
    CORPORATIE,
    MELDPUNT,
    SCHULDHULP,
    SOCIALE_ZAKEN,
    VoorkomSchema,
    as_date,
    meta,
)
from app.forms.choices import STATUS_CODE
from app.forms.fields import (
    Amount,
    Bool,
    Choice,
    Count,
    IsoDate,
    Postcode,
    Quantity,
    Text,
    field_error,
)

#: Arrears, household and the referral reason: the corporation, the Meldpunt and
#: Schulddienstverlening (COVENANT.md §7).
ARREARS_READERS = (CORPORATIE, MELDPUNT, SCHULDHULP)
#: The corporation reference and the rent also go to Sociale Zaken (it pays the rent from the
#: benefit).
CORPORATION_REFERENCE_READERS = (CORPORATIE, MELDPUNT, SCHULDHULP, SOCIALE_ZAKEN)
#: Whether there is a municipal benefit: the corporation, the Meldpunt and Sociale Zaken.
BENEFIT_READERS = (CORPORATIE, MELDPUNT, SOCIALE_ZAKEN)


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


# --- the signal: signalering (start form) and F1 melding -------------------------------------


def corporatie_dossiernummer_field() -> Text:
    """The corporation's own reference for the tenant (optional)."""
    return Text(
        max_length=50,
        metadata=meta(
            "Dossier- of contractnummer",
            "Het kenmerk waaronder de corporatie deze huurder kent.",
            CORPORATION_REFERENCE_READERS,
        ),
    )


def huurder_naam_field() -> Text:
    """The tenant's name: identity, known to every case party."""
    return Text(
        required=True,
        metadata=meta("Naam huurder", "Voor- en achternaam van de huurder.", CASE_PARTIES),
    )


def postcode_field() -> Postcode:
    """The postcode of the rented home."""
    return Postcode(
        required=True,
        metadata=meta(
            "Postcode", "Postcode van de huurwoning, bijvoorbeeld 2931 AB.", CASE_PARTIES
        ),
    )


def huisnummer_field() -> Count:
    """The house number of the rented home, without its addition."""
    return Count(
        required=True,
        minimum=1,
        maximum=99999,
        metadata=meta(
            "Huisnummer", "Huisnummer van de huurwoning, zonder toevoeging.", CASE_PARTIES
        ),
    )


def huisnummer_toevoeging_field() -> Text:
    """The addition to the house number (optional)."""
    return Text(
        max_length=6,
        metadata=meta(
            "Toevoeging", "Toevoeging op het huisnummer, bijvoorbeeld A of 2hg.", CASE_PARTIES
        ),
    )


def huishoudgrootte_field() -> Count:
    """Everyone living in the home (CV-02 needs the children; see ``kinderen_onder_18``)."""
    return Count(
        required=True,
        minimum=1,
        maximum=30,
        metadata=meta(
            "Aantal personen in het huishouden",
            "Alle bewoners, volwassenen en kinderen samen.",
            ARREARS_READERS,
        ),
    )


def kinderen_onder_18_field() -> Count:
    """Children under 18 in the household (CV-02: extra vulnerable, priority in DMN-2)."""
    return Count(
        required=True,
        minimum=0,
        maximum=29,
        metadata=meta(
            "Aantal kinderen onder 18",
            "Kinderen jonger dan 18 jaar in het huishouden; vul 0 in als er geen zijn.",
            ARREARS_READERS,
        ),
    )


def huurprijs_field() -> Amount:
    """The current monthly rent."""
    return Amount(
        required=True,
        maximum=10_000,
        metadata=meta(
            "Huurprijs per maand",
            "De huidige kale huur plus servicekosten per maand, in euro's.",
            CORPORATION_REFERENCE_READERS,
        ),
    )


def achterstand_bedrag_field() -> Amount:
    """The total arrears in euros (GGM *bedrag*)."""
    return Amount(
        required=True,
        maximum=1_000_000,
        metadata=meta(
            "Huurachterstand (bedrag)", "De totale huurachterstand in euro's.", ARREARS_READERS
        ),
    )


def achterstand_maanden_field() -> Quantity:
    """The arrears in months of rent (DMN-2 compares it with 2)."""
    return Quantity(
        required=True,
        maximum=240,
        metadata=meta(
            "Huurachterstand (maanden)",
            "Hoeveel maanden huur de achterstand is, bijvoorbeeld 1,5.",
            ARREARS_READERS,
        ),
    )


def ontstaansdatum_field() -> IsoDate:
    """When the arrears arose (GGM *ontstaansdatum*)."""
    return IsoDate(
        required=True,
        metadata=meta(
            "Ontstaansdatum achterstand",
            "De datum waarop de achterstand is ontstaan (eerste onbetaalde huur).",
            ARREARS_READERS,
        ),
    )


def signaaldatum_field() -> IsoDate:
    """The date of the latest signal about the arrears (GGM *signaaldatum*).

    The signalering sets it when the arrears are noticed; the melding updates it to the date of
    the report (the later signal, to the Meldpunt).
    """
    return IsoDate(
        required=True,
        metadata=meta(
            "Signaaldatum",
            "De datum van het signaal over de huurachterstand: bij de signalering de datum "
            "waarop de achterstand is opgemerkt, bij de melding de datum van de melding.",
            ARREARS_READERS,
        ),
    )


def gemeentelijke_uitkering_field() -> Bool:
    """Whether the tenant has a municipal benefit (CV-20: rent from the benefit)."""
    return Bool(
        metadata=meta(
            "Gemeentelijke uitkering",
            "Heeft de huurder een uitkering van de gemeente (bijstand)? Dan kan de huur "
            "tijdelijk uit de uitkering worden betaald (CV-20).",
            BENEFIT_READERS,
        ),
    )


class SignaalRegels(VoorkomSchema):
    """The cross-field rules of the signal fields, for every schema that has them.

    A base without fields: ``SignaleringSchema`` and ``MeldingSchema`` inherit the rules.
    """

    @validates_schema
    def check_household(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """A household has at least one adult: children under 18 < household size."""
        size, children = data.get("huishoudgrootte"), data.get("kinderen_onder_18")
        if size is not None and children is not None and children > size - 1:
            raise field_error(
                "kinderen_onder_18",
                "Het aantal kinderen onder 18 moet kleiner zijn dan het aantal personen in het "
                "huishouden: er woont minstens één volwassene.",
            )

    @validates_schema
    def check_arrears_dates(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """The arrears arose on or before the signal date."""
        arisen, reported = as_date(data.get("ontstaansdatum")), as_date(data.get("signaaldatum"))
        if arisen and reported and arisen > reported:
            raise field_error(
                "ontstaansdatum",
                "De ontstaansdatum van de achterstand moet op of vóór de signaaldatum liggen.",
            )
