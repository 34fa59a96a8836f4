"""The yearly evaluation meeting's record (CV-24, CV-26): no personal data."""

from __future__ import annotations

from app.forms.base import EVALUATIE, PROCESBEHEER, VoorkomSchema, meta
from app.forms.fields import IsoDate, Text

_COVENANT = (EVALUATIE, PROCESBEHEER)


class EvaluatieReviewSchema(VoorkomSchema):
    """The covenant parties review the metrics, name bottlenecks and decide on changes."""

    form_key = "evaluatie_review"
    title = "Jaarlijkse evaluatie van het convenant"

    vergaderdatum = IsoDate(
        required=True,
        metadata=meta(
            "Datum evaluatieoverleg", "Wanneer is het overleg gehouden?", _COVENANT, personal=False
        ),
    )
    knelpunten = Text(
        required=True,
        max_length=10000,
        metadata=meta(
            "Knelpunten",
            "Welke knelpunten in de samenwerking en de termijnen zijn besproken? Noem geen "
            "huurders of andere personen.",
            _COVENANT,
            personal=False,
        ),
    )
    besluiten = Text(
        required=True,
        max_length=10000,
        metadata=meta(
            "Besluiten",
            "Welke afspraken zijn gemaakt om de knelpunten op te lossen (CV-24, CV-26)?",
            _COVENANT,
            personal=False,
        ),
    )
