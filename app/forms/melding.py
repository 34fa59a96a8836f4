"""F1 Melding: the corporation reports a household to the Meldpunt (CV-04, CV-12, CV-13).

Field names follow the GGM *Vroegsignalering* model where it has one (bedrag, ontstaansdatum,
signaaldatum, contactpoging soort/datum/bereikt). The fields it shares with the ``signalering``
start form are built by the factories in ``app.forms.shared``.
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
    VoorkomSchema,
    as_date,
    meta,
)
from app.forms.choices import CONTACT_KANAAL, INCASSOFASE, REDEN_MELDING
from app.forms.fields import (
    Bool,
    Choice,
    EmailAddress,
    Group,
    IsoDate,
    Phone,
    Repeat,
    Text,
    field_error,
)
from app.forms.shared import (
    ARREARS_READERS,
    CORPORATION_REFERENCE_READERS,
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

#: Who may read the corporation's side of the report: the corporation and the Meldpunt.
_REPORT = (CORPORATIE, MELDPUNT)
#: Arrears and the referral reason also go to Schulddienstverlening (COVENANT.md §7).
_ARREARS = ARREARS_READERS
#: The corporation reference also goes to Sociale Zaken (it pays the rent from the benefit).
_CORPORATION_REFERENCE = CORPORATION_REFERENCE_READERS
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


class MeldingSchema(SignaalRegels):
    """F1: the report, filled in by the corporation's caseworker or sent by its system.

    The signal fields (identity, address, household, rent, arrears, benefit) are shared with the
    ``signalering`` start form (``app.forms.shared``), as are their cross-field rules
    (``SignaalRegels``): children < household size, ontstaansdatum <= signaaldatum.
    """

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
    corporatie_dossiernummer = corporatie_dossiernummer_field()

    # Identity and contact details of the tenant.
    huurder_naam = huurder_naam_field()
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
    postcode = postcode_field()
    huisnummer = huisnummer_field()
    huisnummer_toevoeging = huisnummer_toevoeging_field()
    telefoon = Phone(
        metadata=meta("Telefoonnummer", "Telefoonnummer van de huurder.", _CONTACT),
    )
    email = EmailAddress(
        metadata=meta("E-mailadres", "E-mailadres van de huurder.", _CONTACT),
    )

    # Household (CV-02: children under 18 give priority).
    huishoudgrootte = huishoudgrootte_field()
    kinderen_onder_18 = kinderen_onder_18_field()

    # Rent and arrears.
    huurprijs = huurprijs_field()
    achterstand_bedrag = achterstand_bedrag_field()
    achterstand_maanden = achterstand_maanden_field()
    ontstaansdatum = ontstaansdatum_field()
    signaaldatum = signaaldatum_field()
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
    gemeentelijke_uitkering = gemeentelijke_uitkering_field()

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
