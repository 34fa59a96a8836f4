"""Schulddienstverlening's forms: the intake and F6 Inventarisatie (CV-18, CV-19).

The full inventory is for Schulddienstverlening only; the Meldpunt sees the resulting
afloscapaciteit and the income-management proposal, the corporation nothing (COVENANT.md §7).
"""

from __future__ import annotations

from app.forms.base import MELDPUNT, SCHULDHULP, VoorkomSchema, meta
from app.forms.choices import INKOMSTEN_BRON, LEEFSITUATIE
from app.forms.fields import Amount, Bool, Choice, Group, IsoDate, Repeat, Text
from app.forms.shared import financiele_problemen_field

_SCHULDHULP = (SCHULDHULP,)
_STATUS = (SCHULDHULP, MELDPUNT)


class IntakeSchuldhulpSchema(VoorkomSchema):
    """The debt-help intake: are there financial problems to inventory (CV-18)?"""

    form_key = "intake_schuldhulp"
    title = "Intake schulddienstverlening"

    intake_datum = IsoDate(
        required=True,
        metadata=meta("Datum intake", "De datum van het intakegesprek.", _STATUS),
    )
    financiele_problemen = financiele_problemen_field()


class InkomstenSchema(VoorkomSchema):
    """One source of net monthly income."""

    bron = Choice(
        INKOMSTEN_BRON,
        required=True,
        metadata=meta("Bron", "Waar komt dit inkomen vandaan?", _SCHULDHULP),
    )
    bedrag_netto_per_maand = Amount(
        required=True,
        maximum=100_000,
        metadata=meta("Netto per maand", "Het netto bedrag per maand in euro's.", _SCHULDHULP),
    )


class VasteLastSchema(VoorkomSchema):
    """One fixed monthly cost."""

    omschrijving = Text(
        required=True,
        metadata=meta(
            "Omschrijving", "Bijvoorbeeld energie, zorgverzekering of water.", _SCHULDHULP
        ),
    )
    bedrag = Amount(
        required=True,
        maximum=100_000,
        metadata=meta("Bedrag per maand", "Het bedrag per maand in euro's.", _SCHULDHULP),
    )


class SchuldSchema(VoorkomSchema):
    """One debt."""

    schuldeiser = Text(
        required=True,
        metadata=meta("Schuldeiser", "Aan wie is het geld verschuldigd?", _SCHULDHULP),
    )
    bedrag = Amount(
        required=True,
        metadata=meta("Openstaand bedrag", "Het openstaande bedrag in euro's.", _SCHULDHULP),
    )


def _extra_cost(label: str, help_text: str) -> Amount:
    """A proven extra monthly cost that raises the VTLB; 0 when not filled in."""
    return Amount(
        load_default=0.0,
        maximum=100_000,
        metadata=meta(
            label, help_text + " Per maand, in euro's; alleen aangetoonde kosten.", _SCHULDHULP
        ),
    )


class InventarisatieSchema(VoorkomSchema):
    """F6: income and expenses, from which a service task computes the afloscapaciteit (CV-18).

    ``afloscapaciteit`` is that task's result: shown, never entered (it is refused on load).
    """

    form_key = "inventarisatie"
    title = "Inventarisatie inkomsten en uitgaven"

    inkomsten = Repeat(
        Group(InkomstenSchema),
        metadata=meta(
            "Netto inkomsten",
            "Alle netto inkomsten per bron. Kinderbijslag, bijzondere bijstand en toeslagen "
            "tellen niet mee: vul die hieronder apart in.",
            _SCHULDHULP,
        ),
    )
    vakantiegeld_per_maand = Amount(
        load_default=0.0,
        maximum=100_000,
        metadata=meta(
            "Vakantiegeld per maand",
            "Het vakantiegeld omgerekend naar een bedrag per maand (jaarbedrag gedeeld door 12).",
            _SCHULDHULP,
        ),
    )
    toeslagen = Amount(
        load_default=0.0,
        maximum=100_000,
        metadata=meta(
            "Toeslagen en kinderbijslag per maand",
            "Huurtoeslag, zorgtoeslag, kindgebonden budget en kinderbijslag samen. Wordt "
            "vastgelegd maar telt niet mee als inkomen.",
            _SCHULDHULP,
        ),
    )
    vaste_lasten = Repeat(
        Group(VasteLastSchema),
        metadata=meta(
            "Vaste lasten", "De vaste lasten per maand, behalve de woonkosten.", _SCHULDHULP
        ),
    )
    schulden = Repeat(
        Group(SchuldSchema),
        metadata=meta("Schulden", "Alle schulden, één regel per schuldeiser.", _SCHULDHULP),
    )
    leefsituatie = Choice(
        LEEFSITUATIE,
        required=True,
        metadata=meta(
            "Leefsituatie", "Bepaalt welke bijstandsnorm voor het VTLB geldt.", _SCHULDHULP
        ),
    )
    woonkosten = Amount(
        required=True,
        maximum=100_000,
        metadata=meta(
            "Woonkosten per maand",
            "De huur inclusief servicekosten per maand, in euro's.",
            _SCHULDHULP,
        ),
    )
    extra_kosten_kinderopvang = _extra_cost("Kosten kinderopvang", "Eigen bijdrage kinderopvang.")
    extra_kosten_reiskosten = _extra_cost("Reiskosten", "Noodzakelijke reiskosten voor werk.")
    extra_kosten_alimentatie = _extra_cost("Betaalde alimentatie", "Alimentatie die wordt betaald.")
    extra_kosten_gemeentelijke_belastingen = _extra_cost(
        "Gemeentelijke belastingen", "Gemeentelijke belastingen en heffingen."
    )
    extra_kosten_beschermingsbewind = _extra_cost(
        "Kosten beschermingsbewind", "Kosten van beschermingsbewind of budgetbeheer."
    )
    voorstel_inkomensbeheer = Bool(
        metadata=meta(
            "Voorstel inkomensbeheer",
            "Stelt Schulddienstverlening inkomensbeheer voor (CV-19)?",
            _STATUS,
        ),
    )
    afloscapaciteit = Amount(
        dump_only=True,
        metadata=meta(
            "Afloscapaciteit (indicatief)",
            "Berekend: netto inkomen min het vrij te laten bedrag (vereenvoudigd VTLB), "
            "minimaal 0. Een indicatie, geen besluit.",
            _STATUS,
        ),
    )
