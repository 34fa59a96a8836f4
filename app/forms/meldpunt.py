"""The Meldpunt's assessment forms: F2 Triage, F3 Contactpoging, F4 Kwetsbaarheid, F5 Plan,
and the team lead's escalation when the contact deadline is missed.

None of these are readable by the corporation: it sees the case status only (COVENANT.md §7).
"""

from __future__ import annotations

from app.forms.base import MELDPUNT, OOV, REGIEHOUDER, VoorkomSchema, meta
from app.forms.choices import CONTACT_KANAAL, DIENSTEN, ESCALATIE_ACTIE
from app.forms.fields import Bool, Choice, ChoiceList, IsoDate, Text
from app.forms.shared import financiele_problemen_field

_MELDPUNT = (MELDPUNT,)


class TriageSchema(VoorkomSchema):
    """F2: target group and exclusions (CV-01, CV-03); the inputs of decision table DMN-1."""

    form_key = "triage"
    title = "Triage van de melding"

    opiumwet = Bool(
        metadata=meta(
            "Overtreding Opiumwet",
            "Is de woning gebruikt in strijd met de Opiumwet (bijvoorbeeld een hennepkwekerij)? "
            "Dan valt het huishouden buiten het convenant.",
            _MELDPUNT,
        ),
    )
    onrechtmatige_bewoning = Bool(
        metadata=meta(
            "Onrechtmatige of illegale bewoning",
            "Woont de huurder er zonder recht, bijvoorbeeld bij illegale onderhuur?",
            _MELDPUNT,
        ),
    )
    geen_verblijfsstatus = Bool(
        metadata=meta(
            "Geen verblijfsstatus",
            "Heeft de huurder geen rechtmatig verblijf in Nederland?",
            _MELDPUNT,
        ),
    )
    extreme_overlast = Bool(
        metadata=meta(
            "Extreme overlast",
            "Veroorzaakt het huishouden extreme overlast? Dan gaat de zaak naar Openbare Orde "
            "en Veiligheid.",
            (MELDPUNT, OOV),
        ),
    )
    geen_legaal_inkomen = Bool(
        metadata=meta(
            "Geen legaal inkomen",
            "Heeft het huishouden geen legaal inkomen?",
            _MELDPUNT,
        ),
    )
    kan_zelf_oplossen = Bool(
        metadata=meta(
            "Kan het zelf oplossen",
            "Is het huishouden zelfredzaam genoeg om de huisuitzetting zelf te voorkomen? Dan "
            "hoort het niet tot de doelgroep (CV-01).",
            _MELDPUNT,
        ),
    )
    toegewezen_medewerker = Text(
        required=True,
        metadata=meta(
            "Toegewezen medewerker",
            "De medewerker van het Meldpunt die de zaak oppakt.",
            _MELDPUNT,
        ),
    )
    triage_toelichting = Text(
        max_length=2000,
        metadata=meta("Toelichting", "Korte toelichting op de beoordeling.", _MELDPUNT),
    )


class ContactpogingSchema(VoorkomSchema):
    """F3: one attempt of the Meldpunt to contact the tenant."""

    form_key = "contactpoging"
    title = "Contactpoging Meldpunt"

    contact_kanaal = Choice(
        CONTACT_KANAAL,
        required=True,
        metadata=meta("Kanaal", "Hoe heeft u geprobeerd contact te krijgen?", _MELDPUNT),
    )
    contact_datum = IsoDate(
        required=True,
        metadata=meta("Datum", "Datum van de contactpoging.", _MELDPUNT),
    )
    contact_bereikt = Bool(
        metadata=meta("Huurder bereikt", "Heeft u de huurder gesproken?", _MELDPUNT),
    )
    contact_notities = Text(
        max_length=5000,
        metadata=meta("Notities", "Wat is er besproken of geprobeerd?", _MELDPUNT),
    )


class EscalatieSchema(VoorkomSchema):
    """The Meldpunt's team lead acts on a missed contact deadline (COVENANT.md §3 B6, CV-10)."""

    form_key = "escalatie"
    title = "Escalatie: contact te laat"

    escalatie_actie = Choice(
        ESCALATIE_ACTIE,
        required=True,
        metadata=meta(
            "Actie",
            "De termijn voor het eerste contact met de huurder is verstreken. Wat doet u: zelf "
            "oppakken, de zaak herverdelen of extra capaciteit inzetten?",
            _MELDPUNT,
        ),
    )
    escalatie_toelichting = Text(
        max_length=2000,
        metadata=meta(
            "Toelichting",
            "Bijvoorbeeld aan wie de zaak is toegewezen of waarom de termijn niet is gehaald.",
            _MELDPUNT,
        ),
    )


class KwetsbaarheidSchema(VoorkomSchema):
    """F4: is the household vulnerable and willing to cooperate (CV-14, CV-07)."""

    form_key = "kwetsbaarheid"
    title = "Vaststelling kwetsbaarheid"

    financiele_problemen = financiele_problemen_field()
    psychische_problemen = Bool(
        metadata=meta(
            "Psychische problemen",
            "Zijn er psychische problemen die de huurder belemmeren de situatie zelf op te lossen?",
            _MELDPUNT,
        ),
    )
    sociale_problemen = Bool(
        metadata=meta(
            "Maatschappelijke of sociale problemen",
            "Zijn er maatschappelijke of sociale problemen, zoals een klein netwerk, "
            "verslaving of een scheiding?",
            _MELDPUNT,
        ),
    )
    bereid_tot_medewerking = Bool(
        metadata=meta(
            "Bereid tot medewerking",
            "Werkt de huurder mee aan een hulptraject en de voorwaarden daarvan (CV-07)? Zo "
            "niet, dan eindigt de bescherming.",
            _MELDPUNT,
        ),
    )
    conclusie_kwetsbaar = Bool(
        metadata=meta(
            "Conclusie: kwetsbaar",
            "Is het huishouden kwetsbaar en hoort het tot de doelgroep van het convenant?",
            _MELDPUNT,
        ),
    )
    onderbouwing = Text(
        required=True,
        max_length=5000,
        metadata=meta("Onderbouwing", "Waarop baseert u de conclusie?", _MELDPUNT),
    )


class PlanSchema(VoorkomSchema):
    """F5: the plan and the services the Meldpunt leads the household to (CV-05, CV-15)."""

    form_key = "plan"
    title = "Plan van aanpak en toeleiding"

    doelen = Text(
        required=True,
        max_length=5000,
        metadata=meta(
            "Doelen",
            "Wat moet het traject structureel oplossen (CV-05)?",
            (MELDPUNT, REGIEHOUDER),
        ),
    )
    afspraken = Text(
        required=True,
        max_length=5000,
        metadata=meta(
            "Afspraken met de huurder",
            "Wat heeft de huurder toegezegd, zoals het betalen van de lopende huur (CV-08)?",
            (MELDPUNT, REGIEHOUDER),
        ),
    )
    diensten = ChoiceList(
        DIENSTEN,
        metadata=meta(
            "Benodigde diensten",
            "Welke diensten van de gemeente zijn nodig? Ze starten tegelijk; laat leeg als er "
            "geen nodig zijn.",
            (MELDPUNT, REGIEHOUDER),
        ),
    )
    beoogde_regiehouder = Text(
        required=True,
        metadata=meta(
            "Beoogde regiehouder",
            "De organisatie die de regie van het Meldpunt overneemt, bijvoorbeeld Wijkteam "
            "Krimpenerwaard.",
            (MELDPUNT, REGIEHOUDER),
        ),
    )
    evaluatiedatum = IsoDate(
        required=True,
        metadata=meta("Evaluatiedatum", "Wanneer bekijkt u of het plan werkt?", _MELDPUNT),
    )
