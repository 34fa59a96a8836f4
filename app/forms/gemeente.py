"""The municipal departments' forms: F7 Huur uit uitkering (Sociale Zaken, CV-20), the indication
with priority and the senior adviser's assessment (Sociaal Domein, CV-21) and nuisance (OOV,
CV-22).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import ValidationError, validates_schema

from app.forms.base import (
    CORPORATIE,
    MELDPUNT,
    OOV,
    SOCIAAL_DOMEIN,
    SOCIALE_ZAKEN,
    VoorkomSchema,
    add_months,
    check_period_end,
    meta,
)
from app.forms.choices import INDICATIE_BESLUIT, INDICATIE_SOORT, OVERLAST_ERNST, WOONOVERLAST_STAP
from app.forms.fields import Amount, Bool, Choice, IsoDate, Text

#: CV-20: the rent is paid from the benefit for at most this many calendar months.
MAX_MONTHS_RENT_FROM_BENEFIT = 3


def rent_from_benefit_latest_end(start: dt.date) -> dt.date:
    """The latest end of paying the rent from the benefit starting on ``start`` (CV-20)."""
    return add_months(start, MAX_MONTHS_RENT_FROM_BENEFIT)


class HuurUitUitkeringSchema(VoorkomSchema):
    """F7: Sociale Zaken pays the rent from a municipal benefit, for at most 3 months (CV-20)."""

    form_key = "huur_uit_uitkering"
    title = "Huur betalen uit de uitkering"

    uitkering_kenmerk = Text(
        required=True,
        max_length=50,
        metadata=meta("Kenmerk uitkering", "Het dossiernummer van de uitkering.", (SOCIALE_ZAKEN,)),
    )
    uitkering_bedrag = Amount(
        required=True,
        maximum=10_000,
        metadata=meta(
            "Huur uit uitkering per maand",
            "Het bedrag dat elke maand uit de uitkering aan de corporatie wordt betaald.",
            (SOCIALE_ZAKEN,),
        ),
    )
    huur_uit_uitkering_start = IsoDate(
        required=True,
        metadata=meta(
            "Startdatum",
            "Vanaf deze datum wordt de huur uit de uitkering betaald.",
            (SOCIALE_ZAKEN, CORPORATIE, MELDPUNT),
        ),
    )
    huur_uit_uitkering_eind = IsoDate(
        required=True,
        metadata=meta(
            "Einddatum",
            "Uiterlijk 3 maanden na de startdatum; eerder als het inkomensbeheer is gestart.",
            (SOCIALE_ZAKEN, CORPORATIE, MELDPUNT),
        ),
    )

    @validates_schema
    def check_period(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """CV-20: the end lies after the start and at most 3 calendar months later."""
        check_period_end(
            data,
            "huur_uit_uitkering_start",
            "huur_uit_uitkering_eind",
            rent_from_benefit_latest_end,
            "De huur wordt hoogstens 3 maanden uit de uitkering betaald",
        )


class IndicatieSchema(VoorkomSchema):
    """Sociaal Domein decides an indication request with priority (CV-21)."""

    form_key = "indicatie"
    title = "Indicatieaanvraag met voorrang"

    indicatie_soort = Choice(
        INDICATIE_SOORT,
        required=True,
        metadata=meta(
            "Soort indicatie", "Om welke indicatie gaat het?", (SOCIAAL_DOMEIN, MELDPUNT)
        ),
    )
    indicatie_besluit = Choice(
        INDICATIE_BESLUIT,
        required=True,
        metadata=meta("Besluit", "Het besluit op de aanvraag.", (SOCIAAL_DOMEIN, MELDPUNT)),
    )
    indicatie_besluitdatum = IsoDate(
        required=True,
        metadata=meta("Datum besluit", "De datum van het besluit.", (SOCIAAL_DOMEIN, MELDPUNT)),
    )


class SenioradviesSchema(VoorkomSchema):
    """Woonzorg Nederland: Sociaal Domein's senior adviser, informed of the arrears of an older
    tenant in parallel with the corporation's own steps, judges whether support is needed
    (COVENANT.md §6, CV-21).
    """

    form_key = "senioradvies"
    title = "Senioradvies bij huurachterstand"

    senioradvies_gezien = Bool(
        metadata=meta(
            "Signalering gezien",
            "Ik heb als senioradviseur de signalering van de huurachterstand gezien. Met deze "
            "bevestiging rondt u de taak af.",
            (SOCIAAL_DOMEIN, MELDPUNT),
        ),
    )
    senioradvies_huisbezoek_gepland = IsoDate(
        metadata=meta(
            "Huisbezoek gepland op",
            "De datum van het huisbezoek bij de huurder, als u dat heeft gepland.",
            (SOCIAAL_DOMEIN, MELDPUNT),
        ),
    )
    senioradvies_ondersteuning_nodig = Bool(
        metadata=meta(
            "Ondersteuning nodig",
            "Heeft de huurder ondersteuning nodig, bijvoorbeeld via een indicatie met voorrang "
            "(CV-21)?",
            (SOCIAAL_DOMEIN, MELDPUNT),
        ),
    )
    senioradvies_toelichting = Text(
        max_length=5000,
        metadata=meta(
            "Toelichting",
            "Uw beoordeling; welke ondersteuning is nodig en wie pakt die op?",
            (SOCIAAL_DOMEIN, MELDPUNT),
        ),
    )

    @validates_schema
    def check_assessment(self, data: dict[str, Any], **_kwargs: Any) -> None:
        """The adviser confirms having seen the signal; needed support is explained."""
        errors: dict[str, list[str]] = {}
        if not data.get("senioradvies_gezien"):
            errors["senioradvies_gezien"] = [
                "Vink 'Signalering gezien' aan: daarmee bevestigt u dat u als senioradviseur "
                "bent geïnformeerd."
            ]
        if data.get("senioradvies_ondersteuning_nodig") and not data.get(
            "senioradvies_toelichting"
        ):
            errors["senioradvies_toelichting"] = [
                "Licht toe welke ondersteuning nodig is: u heeft aangegeven dat ondersteuning "
                "nodig is."
            ]
        if errors:
            raise ValidationError(errors)


class BeoordelingOverlastSchema(VoorkomSchema):
    """OOV assesses the nuisance and decides whether the Wet aanpak woonoverlast applies."""

    form_key = "beoordeling_overlast"
    title = "Beoordeling woonoverlast"

    overlast_beoordeling_datum = IsoDate(
        required=True,
        metadata=meta("Datum beoordeling", "De datum van de beoordeling.", (OOV, MELDPUNT)),
    )
    overlast_ernst = Choice(
        OVERLAST_ERNST,
        required=True,
        metadata=meta("Ernst van de overlast", "Hoe ernstig is de overlast?", (OOV,)),
    )
    woonoverlast_aanpak_nodig = Bool(
        metadata=meta(
            "Aanpak woonoverlast nodig",
            "Zet OOV de stappen van de Wet aanpak woonoverlast in (CV-22)?",
            (OOV, MELDPUNT),
        ),
    )
    overlast_beoordeling_toelichting = Text(
        max_length=5000,
        metadata=meta("Toelichting", "Waarop is de beoordeling gebaseerd?", (OOV,)),
    )


class WoonoverlastStapSchema(VoorkomSchema):
    """One step of the Wet aanpak woonoverlast: warning, intent, order, enforcement (CV-22)."""

    form_key = "woonoverlast_stap"
    title = "Stap aanpak woonoverlast"

    woonoverlast_stap = Choice(
        WOONOVERLAST_STAP,
        required=True,
        metadata=meta("Stap", "Welke stap is gezet?", (OOV, MELDPUNT)),
    )
    woonoverlast_datum = IsoDate(
        required=True,
        metadata=meta("Datum", "De datum van deze stap.", (OOV, MELDPUNT)),
    )
    woonoverlast_toelichting = Text(
        max_length=5000,
        metadata=meta("Toelichting", "Toelichting op deze stap.", (OOV,)),
    )
    overlast_opgelost = Bool(
        metadata=meta(
            "Overlast opgelost",
            "Is de overlast opgehouden? Dan zijn verdere stappen niet nodig.",
            (OOV, MELDPUNT),
        ),
    )
