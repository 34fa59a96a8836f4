"""Afloscapaciteit: the monthly repayment capacity by a simplified VTLB (COVENANT.md §5, CV-18).

Dutch debt help computes the *vrij te laten bedrag* (VTLB), what a household keeps, by the
Recofa/NVVK method. The documented simplification used here:

- VTLB = ``vtlb_percentage`` % of the social-assistance norm for the household's situation
  + the housing costs above what that norm already covers + the proven extra costs
  (childcare, travel, alimony paid, municipal taxes, protective administration);
- net income = the F6 income sources + the holiday allowance per month; allowances
  (``toeslagen``), child benefit and special assistance are recorded but not counted;
- afloscapaciteit = net income − VTLB, at least 0, in euros per month.

The norm amounts are dated settings in ``norms.toml`` (never constants here); the result
names the norm it used and is marked indicative: a debt counsellor's calculation decides.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from app.tasks.registry import OperationContext, operation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NORMS_FILE = Path(__file__).with_name("norms.toml")
CENT = Decimal("0.01")

#: F6 ``leefsituatie`` -> norm category. A single parent gets the single norm: since 2015 the
#: children's costs come from the kindgebonden budget, which is not income here either.
NORM_CATEGORY: Mapping[str, str] = {
    "alleenstaand": "alleenstaand",
    "alleenstaande_ouder": "alleenstaand",
    "samenwonend": "gehuwd",
    "samenwonend_met_kinderen": "gehuwd",
}

#: F6 fields holding proven extra monthly costs that raise the VTLB.
EXTRA_COSTS: tuple[str, ...] = (
    "extra_kosten_kinderopvang",
    "extra_kosten_reiskosten",
    "extra_kosten_alimentatie",
    "extra_kosten_gemeentelijke_belastingen",
    "extra_kosten_beschermingsbewind",
)

_AMOUNTS = ("alleenstaand", "gehuwd", "vtlb_percentage", "woonkosten_in_norm")


class NormError(ValueError):
    """The norm settings are unusable, or none applies on the calculation date (Dutch text)."""


@dataclass(frozen=True)
class Norm:
    """The amounts valid from ``geldig_vanaf`` (to ``geldig_tot`` or the next norm)."""

    geldig_vanaf: date
    geldig_tot: date | None
    alleenstaand: Decimal
    gehuwd: Decimal
    vtlb_percentage: Decimal
    woonkosten_in_norm: Decimal

    def amount_for(self, category: str) -> Decimal:
        return self.alleenstaand if category == "alleenstaand" else self.gehuwd


@dataclass(frozen=True)
class Calculation:
    """One afloscapaciteit calculation with its parts, in euros per month."""

    netto_inkomen: Decimal
    vtlb: Decimal
    afloscapaciteit: Decimal
    norm: Norm


def _decimal(value: Any, where: str) -> Decimal:
    try:
        number = Decimal(str(0 if value is None or value == "" else value))
    except InvalidOperation:
        raise NormError(f"{where}: {value!r} is geen bedrag.") from None
    if not number.is_finite() or number < 0:
        raise NormError(f"{where}: {value!r} is geen bedrag van 0 of meer.")
    return number


def parse_norms(text: str, source: str = "norms.toml") -> tuple[Norm, ...]:
    """Read dated norms from TOML text, oldest first; NormError naming what is wrong."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise NormError(f"{source} is geen geldige TOML: {exc}") from None
    entries = raw.get("norm")
    if not isinstance(entries, list) or not entries:
        raise NormError(f"{source} bevat geen [[norm]]-regels.")
    norms = []
    for number, entry in enumerate(entries, start=1):
        where = f"{source}, norm {number}"
        start, end = entry.get("geldig_vanaf"), entry.get("geldig_tot")
        if not isinstance(start, date):
            raise NormError(f"{where}: geldig_vanaf moet een datum zijn (JJJJ-MM-DD).")
        if end is not None and (not isinstance(end, date) or end < start):
            raise NormError(f"{where}: geldig_tot moet een datum op of na geldig_vanaf zijn.")
        missing = [key for key in _AMOUNTS if key not in entry]
        if missing:
            raise NormError(f"{where}: ontbreekt {', '.join(missing)}.")
        amounts = {key: _decimal(entry[key], f"{where}, {key}") for key in _AMOUNTS}
        if not 0 < amounts["vtlb_percentage"] <= 100:
            raise NormError(f"{where}: vtlb_percentage moet tussen 0 en 100 liggen.")
        norms.append(Norm(geldig_vanaf=start, geldig_tot=end, **amounts))
    norms.sort(key=lambda n: n.geldig_vanaf)
    for earlier, later in pairwise(norms):
        if earlier.geldig_vanaf == later.geldig_vanaf:
            raise NormError(f"{source}: twee normen gelden vanaf {later.geldig_vanaf:%d-%m-%Y}.")
    return tuple(norms)


@cache
def load_norms(path: Path = NORMS_FILE) -> tuple[Norm, ...]:
    """The dated norms in the settings file (read once per process)."""
    return parse_norms(path.read_text(encoding="utf-8"), path.name)


def norm_on(day: date, norms: Sequence[Norm]) -> Norm:
    """The norm valid on ``day``: the latest one started, unless its geldig_tot has passed."""
    started = [n for n in norms if n.geldig_vanaf <= day]
    if not started:
        first = min((n.geldig_vanaf for n in norms), default=None)
        since = f" (de eerste geldt vanaf {first:%d-%m-%Y})" if first else ""
        raise NormError(f"Er is geen bijstandsnorm ingesteld voor {day:%d-%m-%Y}{since}.")
    norm = started[-1]
    if norm.geldig_tot is not None and norm.geldig_tot < day:
        raise NormError(
            f"De laatste bijstandsnorm gold tot en met {norm.geldig_tot:%d-%m-%Y}; voor "
            f"{day:%d-%m-%Y} is geen norm ingesteld."
        )
    return norm


def calculate(data: Mapping[str, Any], day: date, norms: Sequence[Norm]) -> Calculation:
    """The simplified VTLB and the afloscapaciteit for the F6 answers in ``data`` (CV-18)."""
    situation = data.get("leefsituatie")
    category = NORM_CATEGORY.get(str(situation))
    if category is None:
        raise NormError(f"Onbekende leefsituatie {situation!r}: kies er een op het formulier.")
    norm = norm_on(day, norms)
    income = sum(
        (
            _decimal(item.get("bedrag_netto_per_maand"), "inkomsten")
            for item in data.get("inkomsten") or ()
        ),
        start=_decimal(data.get("vakantiegeld_per_maand"), "vakantiegeld_per_maand"),
    )
    housing = _decimal(data.get("woonkosten"), "woonkosten")
    extra = sum((_decimal(data.get(key), key) for key in EXTRA_COSTS), start=Decimal(0))
    vtlb = (
        norm.amount_for(category) * norm.vtlb_percentage / 100
        + max(housing - norm.woonkosten_in_norm, Decimal(0))
        + extra
    ).quantize(CENT, rounding=ROUND_HALF_UP)
    capacity = max(income - vtlb, Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)
    return Calculation(netto_inkomen=income, vtlb=vtlb, afloscapaciteit=capacity, norm=norm)


@operation(
    "afloscapaciteit",
    description=(
        "Berekent de afloscapaciteit per maand met een vereenvoudigd VTLB uit de inventarisatie "
        "(F6); de uitkomst is indicatief (CV-18)."
    ),
)
def compute_afloscapaciteit(ctx: OperationContext, params: dict[str, Any]) -> dict[str, Any]:
    """Net income minus the simplified VTLB, at least 0, with the norm used (CV-18, §5)."""
    day = ctx.now.astimezone(AMSTERDAM).date()
    result = calculate(ctx.data, day, load_norms())
    return {
        "afloscapaciteit": float(result.afloscapaciteit),
        "afloscapaciteit_indicatief": True,
        "afloscapaciteit_norm_datum": result.norm.geldig_vanaf.isoformat(),
    }
