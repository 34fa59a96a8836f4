"""The evaluation pages' filters from the query string: year, period, corporation, party, and
the heatmap's measure and thresholds. Bad values come back as Dutch messages per field."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from app.services.errors import InvalidInput
from app.services.metrics.selection import Selection, check_selection, default_year

Errors = dict[str, str]


def _text(args: Mapping[str, str], name: str, limit: int = 60) -> str:
    return (args.get(name) or "").strip()[:limit]


def read_year(raw: str, errors: Errors) -> int:
    """A year from a form field; the default year when empty."""
    if not raw:
        return default_year()
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        errors["jaar"] = "Kies een jaar tussen 2000 en 2100."
        return default_year()
    return int(raw)


def read_selection(args: Mapping[str, str]) -> tuple[Selection, Errors]:
    """The selection the query string asks for, and what was wrong with it."""
    errors: Errors = {}
    year = read_year(_text(args, "jaar", 8), errors)
    selection = Selection(
        year=year,
        period=_text(args, "periode", 4),
        corporation=_text(args, "corporatie"),
        party=_text(args, "partij"),
    )
    try:
        check_selection(selection)
    except InvalidInput as exc:
        errors.update({k: str(v) for k, v in exc.errors.items()})
        selection = Selection(year=year)
    return selection, errors


# -- the heatmap ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """What colours the diagram, with the default thresholds for amber and red."""

    key: str
    label: str
    short: str
    unit: str
    amber: float
    red: float

    @property
    def default_text(self) -> str:
        """Its default limits in a few words: "te laat 10% en 25%"."""
        amber, red = shown_number(self.amber), shown_number(self.red)
        if self.unit == "%":
            return f"{self.short} {amber}% en {red}%"
        return f"{self.short} {amber} en {red} {self.unit}"

    def shown(self, value: float) -> str:
        """A limit with its unit, the Dutch way: 25%, 3 dagen, 50 taken."""
        number = shown_number(value)
        return f"{number}%" if self.unit == "%" else f"{number} {self.unit}"


#: the first is the default: lateness against each task's own deadline (CV-10, CV-26)
MEASURES: tuple[Measure, ...] = (
    Measure("te_laat", "Aandeel te laat afgerond", "te laat", "%", 10, 25),
    Measure("mediaan", "Mediane doorlooptijd van de taak", "mediaan", "dagen", 3, 7),
    Measure("p90", "90e percentiel van de doorlooptijd", "P90", "dagen", 7, 15),
    Measure("aantal", "Aantal afgeronde taken", "aantal", "taken", 50, 200),
)
MEASURE_BY_KEY = {m.key: m for m in MEASURES}


@dataclass(frozen=True)
class Thresholds:
    """The chosen measure and its limits: below amber is low, from red on is high."""

    measure: Measure
    amber: float
    red: float

    def level(self, value: float | None) -> str:
        """ "laag", "midden", "hoog", or "onbekend" (no data, or suppressed)."""
        if value is None:
            return "onbekend"
        if value >= self.red:
            return "hoog"
        if value >= self.amber:
            return "midden"
        return "laag"


def _number(raw: str) -> float | None:
    cleaned = raw.replace(" ", "").replace(".", "").replace(",", ".") if "," in raw else raw
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def read_thresholds(args: Mapping[str, str]) -> tuple[Thresholds, Errors]:
    """The measure and thresholds from the query string (defaults per measure)."""
    errors: Errors = {}
    key = _text(args, "maat", 12) or MEASURES[0].key
    measure = MEASURE_BY_KEY.get(key)
    if measure is None:
        errors["maat"] = "Kies waarop het diagram wordt gekleurd."
        measure = MEASURES[0]
    limits = {}
    for name, default in (("oranje", measure.amber), ("rood", measure.red)):
        raw = _text(args, name, 12)
        value = _number(raw) if raw else default
        if value is None or value < 0:
            errors[name] = "Vul een getal van 0 of meer in, bijvoorbeeld 3 of 2,5."
            value = default
        limits[name] = value
    if "oranje" not in errors and "rood" not in errors and limits["oranje"] >= limits["rood"]:
        errors["rood"] = "De grens voor rood moet hoger zijn dan de grens voor oranje."
    thresholds = Thresholds(measure, limits["oranje"], limits["rood"])
    if errors:
        thresholds = replace(thresholds, amber=measure.amber, red=measure.red)
    return thresholds, errors


def shown_number(value: float) -> str:
    """A threshold as typed in the form: 3, 2,5."""
    text = f"{value:g}"
    return text.replace(".", ",")
