"""Party roles of the covenant (COVENANT.md §1): each is a lane in the diagrams."""

from __future__ import annotations

from typing import Final

#: role key -> Dutch lane label as process owners write it in the modeller.
LANE_LABELS: Final[dict[str, str]] = {
    "corporatie": "Woningcorporatie",
    "meldpunt": "Meldpunt Zorg en Overlast",
    "schuldhulp": "Schulddienstverlening",
    "sociale_zaken": "Sociale Zaken",
    "sociaal_domein": "Sociaal Domein",
    "oov": "Openbare Orde en Veiligheid",
    "regiehouder": "Regiehouder",
}

#: lanes of the covenant's own processes (jaarlijkse_evaluatie): a role, not a case party.
COVENANT_LANE_LABELS: Final[dict[str, str]] = {"evaluatie": "Evaluatieoverleg"}

#: roles that never see personal data.
NON_PERSONAL_ROLES: Final[frozenset[str]] = frozenset({"procesbeheer", "evaluatie", "beheer"})

ALL_ROLES: Final[tuple[str, ...]] = (*LANE_LABELS, "procesbeheer", "evaluatie", "beheer")

_BY_LABEL = {
    label.casefold(): key for key, label in {**LANE_LABELS, **COVENANT_LANE_LABELS}.items()
}


def role_for_lane(lane: str | None) -> str | None:
    """The role key a lane name stands for (its key or its Dutch label), else None."""
    if not lane:
        return None
    name = " ".join(lane.split()).casefold()
    if name in LANE_LABELS or name in COVENANT_LANE_LABELS:
        return name
    return _BY_LABEL.get(name)
