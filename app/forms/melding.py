"""F1 Melding: the corporation reports a household to the Meldpunt (CV-04, CV-12, CV-13).

Field names follow the GGM *Vroegsignalering* model where it has one (bedrag, ontstaansdatum,
signaaldatum, contactpoging soort/datum/bereikt).
"""

from __future__ import annotations

from typing import Any

from marshmallow import validates_schema

from app.forms.base import (
    CASE_PARTIES,
    CORPORATIE,
    MELDPUNT,
    OOV,
    REGIEHOUDER,
    SCHULDHULP,
    SOCIAAL_DOMEIN,
    SOCIALE_ZAKEN,
    VoorkomSchema,
    as_date,
    meta,
)
from app.forms.choices import CONTACT_KANAAL, INCASSOFASE, REDEN_MELDING
from app.forms.fields import (
    Amount,
    Bool,
    Choice,
    Count,
    EmailAddress,
    Group,
    IsoDate,
    Phone,
    Postcode,
    Quantity,
    Repeat,
    Text,
    field_error,
)

#: Who may read the corporation's side of the report: the corporation and the Meldpunt.
_REPORT = (CORPORATIE, MELDPUNT)
#: Arrears and the referral reason also go to Schulddienstverlening (COVENANT.md §7).
_ARREARS = (CORPORATIE, MELDPUNT, SCHULDHULP)
#: The corporation reference also goes to Sociale Zaken (it pays the rent from the benefit).
_CORPORATION_REFERENCE = (CORPORATIE, MELDPUNT, SCHULDHULP, SOCIALE_ZAKEN)
#: Contact details: everyone who has to reach the tenant.
_CONTACT = (CORPORATIE, MELDPUNT, SCHULDHULP, SOCIAAL_DOMEIN, OOV, REGIEHOUDER)


class MeldingContactpogingSchema(VoorkomSchema):
    """One contact attempt of the corporation before the report (GGM *Contactpoging*)."""

    soort = Choice(
        CONTACT_KANAAL,
        required=True,
        metadata=meta("Soort contact", "Hoe is geprobeerd contact te krijgen?", _REPORT),
    )
    datum = IsoDate(
        required=True,
        metadata=meta("Datum", "Datum van de contactpoging.", _REPORT),
    )
    bereikt = Bool(
        metadata=meta("Huurder bereikt", "Is de huurder bij deze poging bereikt?", _REPORT),
    )


class MeldingSchema(VoorkomSchema):
    """F1: the report, filled in by the corporation's caseworker or sent by its system."""

    form_key = "melding"
    title = "Melding dreigende huisuitzetting"

    # The corporation and its caseworker.
    corporatie_naam = Text(
        required=True,
        metadata=meta(
            "Woningcorporatie",
            "Naam van de corporatie die meldt.",
            _CORPORATION_REFERENCE,
            personal=False,
        ),
    )
    corporatie_medewerker = Text(
        required=True,
        metadata=meta(
            "Contactpersoon corporatie",
            "Naam van de medewerker die de melding doet en bereikbaar is voor vragen.",
            _CORPORATION_REFERENCE,
        ),
    )
    corporatie_dossiernummer = Text(
        max_length=50,
        metadata=meta(
            "Dossier- of contractnummer",
            "Het kenmerk waaronder de corporatie deze huurder kent.",
            _CORPORATION_REFERENCE,
        ),
    )

    # Identity and contact details of the tenant.
    huurder_naam = Text(
        required=True,
        metadata=meta("Naam huurder", "Voor- en achternaam van de huurder.", CASE_PARTIES),
    )
    medehuurder_naam = Text(
        metadata=meta(
            "Naam medehuurder",
            "Voor- en achternaam van de medehuurder, als die er is.",
            CASE_PARTIES,
        ),
    )
    geboortedatum = IsoDate(
        required=True,
        metadata=meta("Geboortedatum huurder", "Geboortedatum van de huurder.", CASE_PARTIES),
    )
    postcode = Postcode(
        required=True,
        metadata=meta(
            "Postcode", "Postcode van de huurwoning, bijvoorbeeld 2931 AB.", CASE_PARTIES
        ),
    )
    huisnummer = Count(
        required=True,
        minimum=1,
        maximum=99999,
        metadata=meta(
            "Huisnummer", "Huisnummer van de huurwoning, zonder toevoeging.", CASE_PARTIES
        ),
    )
    huisnummer_toevoeging = Text(
        max_length=6,
        metadata=meta(
            "Toevoeging", "Toevoeging op het huisnummer, bijvoorbeeld A of 2hg.", CASE_PARTIES
        ),
    )
    telefoon = Phone(
        metadata=meta("Telefoonnummer", "Telefoonnummer van de huurder.", _CONTACT),
    )
    email = EmailAddress(
        metadata=meta("E-mailadres", "E-mailadres van de huurder.", _CONTACT),
    )

    # Household (CV-02: children under 18 give priority).
    huishoudgrootte = Count(
        required=True,
        minimum=1,
        maximum=30,
        metadata=meta(
            "Aantal personen in het huishouden",
            "Alle bewoners, volwassenen en kinderen samen.",
            _ARREARS,
        ),
    )
    kinderen_onder_18 = Count(
        required=True,
        minimum=0,
        maximum=29,
        metadata=meta(
            "Aantal kinderen onder 18",
            "Kinderen jonger dan 18 jaar in het huishouden; vul 0 in als er geen zijn.",
            _ARREARS,
        ),
    )

    # Rent and arrears.
    huurprijs = Amount(
        required=True,
        maximum=10_000,
        metadata=meta(
            "Huurprijs per maand",
            "De huidige kale huur plus servicekosten per maand, in euro's.",
            _CORPORATION_REFERENCE,
        ),
    )
    achterstand_bedrag = Amount(
        required=True,
        maximum=1_000_000,
        metadata=meta("Huurachterstand (bedrag)", "De totale huurachterstand in euro's.", _ARREARS),
    )
    achterstand_maanden = Quantity(
        required=True,
        maximum=240,
        metadata=meta(
            "Huurachterstand (maanden)",
            "Hoeveel maanden huur de achterstand is, bijvoorbeeld 1,5.",
            _ARREARS,
        ),
    )
    ontstaansdatum = IsoDate(
        required=True,
        metadata=meta(
            "Ontstaansdatum achterstand",
            "De datum waarop de achterstand is ontstaan (eerste onbetaalde huur).",
            _ARREARS,
        ),
    )
    signaaldatum = IsoDate(
        required=True,
        metadata=meta("Signaaldatum", "De datum van deze melding.", _ARREARS),
    )
    reden_melding = Choice(
        REDEN_MELDING,
        required=True,
        metadata=meta("Reden van de melding", "Waarom meldt u dit huishouden nu?", _ARREARS),
    )
    incassofase = Choice(
        INCASSOFASE,
        required=True,
        metadata=meta(
            "Incassofase", "De verste stap die de incasso tot nu toe heeft bereikt.", _ARREARS
        ),
    )

    # Court judgment (CV-13).
    vonnis = Bool(
        metadata=meta(
            "Ontruimingsvonnis",
            "Heeft de rechter een ontruimingsvonnis uitgesproken?",
            _ARREARS,
        ),
    )
    vonnisdatum = IsoDate(
        metadata=meta("Datum vonnis", "Verplicht als er een ontruimingsvonnis is.", _ARREARS),
    )
    ontruimingsdatum = IsoDate(
        metadata=meta(
            "Geplande ontruimingsdatum",
            "De datum waarop de ontruiming gepland is, als die bekend is.",
            _ARREARS,
        ),
    )

    # What the corporation did and knows.
    contactpogingen = Repeat(
        Group(MeldingContactpogingSchema),
        metadata=meta(
            "Contactpogingen",
            "De pogingen van de corporatie om de huurder te spreken. Verplicht als de huurder "
            "onbereikbaar is.",
            _REPORT,
        ),
    )
    bekende_hulpverleners = Text(
        max_length=2000,
        metadata=meta(
            "Bekende hulpverleners",
            "Hulpverleners of instanties die al bij het huishouden betrokken zijn.",
            _REPORT,
        ),
    )
    overlast = Bool(
        metadata=meta(
            "Overlast", "Is er sprake van overlast vanuit de woning?", (CORPORATIE, MELDPUNT, OOV)
        ),
    )
    overlast_omschrijving = Text(
        max_length=2000,
        metadata=meta(
            "Omschrijving overlast",
            "Wat voor overlast, sinds wanneer? Verplicht als er overlast is.",
            (CORPORATIE, MELDPUNT, OOV),
        ),
    )
    huurder_geinformeerd_datum = IsoDate(
        metadata=meta(
            "Huurder geïnformeerd op",
            "De datum waarop de huurder is verteld dat hij of zij wordt aangemeld.",
            _REPORT,
        ),
    )
    gemeentelijke_uitkering = Bool(
        metadata=meta(
            "Gemeentelijke uitkering",
            "Heeft de huurder een uitkering van de gemeente (bijstand)? Dan kan de huur "
            "tijdelijk uit de uitkering worden betaald (CV-20).",
            (CORPORATIE, MELDPUNT, SOCIALE_ZAKEN),
        ),
    )

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
        """The arrears arose on or before the report date."""
        arisen, reported = as_date(data.get("ontstaansdatum")), as_date(data.get("signaaldatum"))
        if arisen and reported and arisen > reported:
            raise field_error(
                "ontstaansdatum",
                "De ontstaansdatum van de achterstand moet op of vóór de signaaldatum liggen.",
            )

    @validates_schema
    def check_birth_date(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """The tenant was born before the report."""
        born, reported = as_date(data.get("geboortedatum")), as_date(data.get("signaaldatum"))
        if born and reported and born >= reported:
            raise field_error(
                "geboortedatum", "De geboortedatum moet vóór de datum van de melding liggen."
            )

    @validates_schema
    def check_judgment(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """A judgment needs its date; judgment and eviction dates are in order (CV-13)."""
        judged = bool(data.get("vonnis"))
        judgment_date = as_date(data.get("vonnisdatum"))
        eviction_date = as_date(data.get("ontruimingsdatum"))
        if judged and judgment_date is None:
            raise field_error(
                "vonnisdatum", "Vul de datum van het vonnis in: er is een ontruimingsvonnis."
            )
        if not judged and (judgment_date or eviction_date):
            raise field_error(
                "vonnis",
                "Een vonnisdatum of ontruimingsdatum kan alleen als er een ontruimingsvonnis is; "
                "vink 'Ontruimingsvonnis' aan of maak die datums leeg.",
            )
        names_judgment = (
            data.get("reden_melding") == "ontruimingsvonnis" or data.get("incassofase") == "vonnis"
        )
        if not judged and names_judgment:
            raise field_error(
                "vonnis",
                "De reden of de incassofase noemt een vonnis: vink 'Ontruimingsvonnis' aan en "
                "vul de datum van het vonnis in.",
            )
        if judgment_date and eviction_date and judgment_date > eviction_date:
            raise field_error(
                "ontruimingsdatum",
                "De ontruimingsdatum moet op of na de datum van het vonnis liggen.",
            )

    @validates_schema
    def check_reason_details(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """An unreachable tenant needs contact attempts; nuisance needs a description."""
        if data.get("reden_melding") == "onbereikbaar" and not data.get("contactpogingen"):
            raise field_error(
                "contactpogingen",
                "Vul minstens één contactpoging in: de reden van de melding is dat de huurder "
                "onbereikbaar is.",
            )
        if data.get("overlast") and not data.get("overlast_omschrijving"):
            raise field_error(
                "overlast_omschrijving",
                "Omschrijf de overlast: u heeft aangegeven dat er overlast is.",
            )
