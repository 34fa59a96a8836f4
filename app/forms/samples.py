"""Random, valid form data for the simulator (and for property tests of the forms).

``sample(form_key, rng, case=..., today=..., knobs=...)`` returns what a client would send for
one form (strings, numbers, booleans, lists), and ``get_form(form_key)().load`` accepts it. Each
call plays one of two clients at random:

- a browser: Dutch notation (``"1.491,00"``, ``"1,5"``), ``"ja"``/``"on"`` and ``"nee"``/``""``
  for yes/no, blank strings for inputs left empty;
- an API client (e.g. a corporation's collection system): JSON numbers and booleans, optional
  fields left out.

The data is fictitious but realistic for Krimpenerwaard: Dutch names, postcodes 2820–2935 by
village, social rents, arrears of whole and half months from the first of a month, dates relative
to ``today``. It is consistent with what ``case`` already holds (the earlier forms' data, raw as
sent or as loaded): the melding repeats the signal's tenant, household, rent and arrears; the
inventory's housing cost is the rent; rent from the benefit lasts at most 3 months (CV-20);
dates never precede the dates they follow.

Decision fields (the ones gateways and DMN tables read) are drawn with the probabilities in
``DEFAULT_KNOBS``; ``knobs`` overrides some of them. A knob of 0 or 1 forces its field, except
where the comment next to the knob names a condition. Deterministic for a given ``rng`` state:
nothing but ``rng`` is random, and the clock is never read.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final, TypeVar

from marshmallow import ValidationError, fields

from app.forms.base import add_months
from app.forms.choices import DIENSTEN, STATUS_CODE, UITKOMST, WOONOVERLAST_STAP
from app.forms.corporatie import LAATSTE_KANS_MONTHS, laatste_kans_latest_end
from app.forms.fields import Amount, Bool, Count, IsoDate, Postcode, Quantity, Text
from app.forms.gemeente import rent_from_benefit_latest_end
from app.forms.registry import get_form

T = TypeVar("T")

#: The probability of each decision, by knob name. Override any of them with ``knobs``.
DEFAULT_KNOBS: Final[Mapping[str, float]] = MappingProxyType(
    {
        # signalering and melding: the household.
        "kinderen": 0.35,  # the household has children under 18 (CV-02)
        "gemeentelijke_uitkering": 0.3,  # the tenant has a municipal benefit (CV-20)
        # contact_corporatie: the corporation's contact before any report (CV-11).
        "corporatie_contact_bereikt": 0.6,  # contactpoging_bereikt
        "betalingsregeling": 0.4,  # betalingsregeling_getroffen, only when reached and unsolved
        "achterstand_opgelost": 0.25,  # the arrears are solved: case ends without a report
        # melding (F1).
        "vonnis": 0.08,  # an eviction judgment (CV-13)
        "overlast": 0.06,  # nuisance reported with the melding
        # triage (F2): the inputs of DMN-1.
        "opiumwet": 0.01,
        "onrechtmatige_bewoning": 0.01,
        "geen_verblijfsstatus": 0.01,
        "extreme_overlast": 0.02,
        "geen_legaal_inkomen": 0.01,
        "kan_zelf_oplossen": 0.07,
        # contactpoging (F3): the Meldpunt reaches the tenant at this attempt.
        "contact_bereikt": 0.55,
        # kwetsbaarheid (F4).
        "financiele_problemen": 0.9,  # also intake_schuldhulp, unless the case already says
        "psychische_problemen": 0.35,
        "sociale_problemen": 0.5,
        "bereid_tot_medewerking": 0.8,  # CV-07; "no" ends the protection
        # plan (F5): each service on its own.
        "dienst_schuldhulp": 0.75,
        "dienst_huur_uit_uitkering": 0.25,  # only when the case does not say "no benefit"
        "dienst_indicatie": 0.2,
        "dienst_woonoverlast": 0.08,
        # the trajectory.
        "voorstel_inkomensbeheer": 0.7,  # inventarisatie (F6): propose income management
        "opschorting_bevestigd": 0.98,  # opschorting: collection suspended (CV-09)
        "overdracht_gereed": 0.5,  # monitoring: ready for the handover
        "gesprek_doorgaan": 0.7,  # gesprek_afspraken: the trajectory continues
        "overlast_opgelost": 0.6,  # woonoverlast_stap: the nuisance stopped
        "voorwaarden_nagekomen": 0.9,  # afsluiting, for outcomes after a trajectory only
        # laatste_kans: Beter Wonen's last-chance agreement after a judgment; an agreement the
        # case already holds as signed stays signed (its evaluation after 12 months).
        "laatste_kans_getekend": 0.6,
    }
)

#: escalatie: how often the team lead chooses each action (not a knob: no gateway reads it).
ESCALATIE_WEIGHTS: Final[tuple[tuple[str, float], ...]] = (
    ("herverdelen", 0.5),
    ("zelf_oppakken", 0.35),
    ("extra_capaciteit", 0.15),
)

# --- fictitious but plausible Dutch data -----------------------------------------------------

_VOORNAMEN = (
    "Jan", "Kees", "Gerrit", "Henk", "Cor", "Teun", "Arie", "Pieter", "Dirk", "Marco",
    "Kevin", "Dennis", "Bram", "Daan", "Ruben", "Mohamed", "Youssef", "Mehmet", "Emre",
    "Radjesh", "Tomasz", "Marek", "Wilma", "Ria", "Joke", "Ingrid", "Annemiek", "Sanne",
    "Anouk", "Fleur", "Lisa", "Daphne", "Kim", "Naima", "Fatima", "Yasmina", "Ayse",
    "Elif", "Sharmila", "Agnieszka", "Jolanda", "Marieke",
)  # fmt: skip
_ACHTERNAMEN = (
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Jong", "Mulder",
    "de Graaf", "van Leeuwen", "van der Linden", "van Vliet", "den Hartog", "Verkerk",
    "Streefkerk", "Oskam", "Verhoef", "de Bruin", "Bikker", "Kok", "Boer", "Brouwer",
    "van Wijk", "Hoogendoorn", "Blom", "van den Berg", "El Amrani", "Benali", "Bouzid",
    "Yilmaz", "Kaya", "Öztürk", "Ramdin", "Pinas", "Kowalski", "Nowak",
)  # fmt: skip
#: Villages of Krimpenerwaard with their postcode areas (within 2820–2935) and a weight.
_PLAATSEN: tuple[tuple[str, tuple[int, ...], float], ...] = (
    ("Stolwijk", (2821,), 6),
    ("Berkenwoude", (2825,), 1.5),
    ("Gouderak", (2831,), 2.5),
    ("Haastrecht", (2851,), 4),
    ("Vlist", (2855,), 1),
    ("Bergambacht", (2861, 2862), 10),
    ("Ammerstol", (2865,), 1.5),
    ("Schoonhoven", (2871, 2872), 12),
    ("Krimpen aan de Lek", (2931,), 7),
    ("Ouderkerk aan den IJssel", (2935,), 8),
)
#: Postcode letters to draw from: no S (PostNL issues no SA, SD or SS) and none of the rare
#: F, I, O, Q, U, Y.
_LETTERS = "ABCDEGHJKLMNPRTVWXZ"
_CORPORATIES: tuple[tuple[str, str, float], ...] = (
    ("QuaWonen", "QW", 8400),
    ("Groen Wonen Vlist", "GWV", 1000),
    ('Woningbouwvereniging "Beter Wonen"', "BW", 1100),
    ('Woningbouwstichting "Samenwerking"', "WS", 1250),
    ("Woningstichting Gouderak", "WSG", 800),
    ("Woonzorg Nederland", "WZN", 350),
    ("Vestia", "VES", 600),
)
_REGIEHOUDERS = (
    ("Wijkteam Krimpenerwaard", 0.7),
    ("Maatschappelijk werk Krimpenerwaard", 0.15),
    ("Ambulante woonbegeleiding Krimpenerwaard", 0.1),
    ("Wijkteam Krimpenerwaard (jeugd en gezin)", 0.05),
)
_HULPVERLENERS = (
    "Wijkteam Krimpenerwaard",
    "Maatschappelijk werk",
    "Bewindvoerder (beschermingsbewind)",
    "Huisarts en praktijkondersteuner GGZ",
    "Jeugdhulp",
    "Ambulante woonbegeleiding",
    "Vrijwillige thuisadministratie",
)
_SCHULDEISERS = (
    ("Belastingdienst/Toeslagen", 300, 6000),
    ("CJIB", 90, 900),
    ("Zorgverzekeraar", 150, 2500),
    ("Energieleverancier", 120, 1800),
    ("Gemeente Krimpenerwaard (gemeentelijke belastingen)", 80, 700),
    ("Telecomaanbieder", 60, 900),
    ("Webwinkel (achteraf betalen)", 40, 1200),
    ("Incassobureau", 150, 3000),
    ("Waterschap", 60, 400),
)
_VASTE_LASTEN = (
    ("Energie", 110, 260),
    ("Zorgverzekering", 135, 310),
    ("Water", 18, 38),
    ("Internet en telefoon", 35, 85),
    ("Verzekeringen", 15, 55),
    ("Vervoer", 20, 120),
)


# --- reading what the case already knows -----------------------------------------------------

_DATE = IsoDate()
_AMOUNT = Amount(maximum=100_000_000)
_QUANTITY = Quantity(maximum=100_000)
_COUNT = Count(minimum=0, maximum=1_000_000)
_BOOL = Bool()
_TEXT = Text(max_length=100_000)
_POSTCODE = Postcode()


class _Case:
    """Typed, tolerant access to earlier form data (raw as sent, or as loaded).

    A value that is absent, blank or does not load is unknown (None); a blank yes/no is "no",
    as the forms load it.
    """

    def __init__(self, data: Mapping[str, Any] | None) -> None:
        self.data: Mapping[str, Any] = data or {}

    def _read(self, name: str, field: fields.Field) -> Any:
        value = self.data.get(name)
        if value is None:
            return None
        if isinstance(value, str) and not value.strip():
            return False if field is _BOOL else None
        try:
            return field.deserialize(value)
        except ValidationError:
            return None

    def date(self, name: str) -> dt.date | None:
        value = self._read(name, _DATE)
        return dt.date.fromisoformat(value) if value else None

    def amount(self, name: str) -> float | None:
        value = self._read(name, _AMOUNT)
        return float(value) if value is not None else None

    def quantity(self, name: str) -> float | None:
        value = self._read(name, _QUANTITY)
        return float(value) if value is not None else None

    def count(self, name: str) -> int | None:
        value = self._read(name, _COUNT)
        return int(value) if value is not None else None

    def flag(self, name: str) -> bool | None:
        value = self._read(name, _BOOL)
        return bool(value) if value is not None else None

    def text(self, name: str) -> str | None:
        value = self._read(name, _TEXT)
        return str(value) if value else None

    def postcode(self, name: str) -> str | None:
        value = self._read(name, _POSTCODE)
        return str(value) if value else None

    def choice(self, name: str, choices: Sequence[tuple[str, str]]) -> str | None:
        value = self.text(name)
        return value if value in {v for v, _label in choices} else None

    def choices(self, name: str, choices: Sequence[tuple[str, str]]) -> list[str]:
        value = self.data.get(name)
        known = {v for v, _label in choices}
        if not isinstance(value, list | tuple):
            return []
        return [v for v in value if isinstance(v, str) and v in known]


# --- writing what the client sends -----------------------------------------------------------


def _dutch_number(value: float, *, thousands: bool) -> str:
    """``1491.0`` as ``"1.491,00"`` (or ``"1491,00"`` without the thousands separator)."""
    text = f"{value:,.2f}" if thousands else f"{value:.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


class _Out:
    """The submission being built, in one client style (browser or API)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.web = rng.random() < 0.65
        self.data: dict[str, Any] = {}

    # Formatting single values (also for the items of repeating groups).
    def fmt_amount(self, value: float) -> Any:
        value = round(float(value), 2)
        if not self.web:
            return value
        style = self.rng.random()
        if style < 0.5:
            return _dutch_number(value, thousands=True)
        if style < 0.8 or not value.is_integer():
            return _dutch_number(value, thousands=False)
        return str(int(value))

    def fmt_quantity(self, value: float) -> Any:
        value = float(value)
        if not self.web:
            return int(value) if value.is_integer() else value
        return f"{value:g}".replace(".", ",")

    def fmt_count(self, value: int) -> Any:
        return str(value) if self.web else value

    def fmt_flag(self, value: bool) -> Any:
        if not self.web:
            return value
        return self.rng.choice(("ja", "on")) if value else self.rng.choice(("nee", ""))

    # Setting fields; ``None`` is "left empty": a blank input, or no key from an API client.
    def put(self, name: str, value: Any) -> None:
        if value is None:
            if self.web:
                self.data[name] = ""
            return
        self.data[name] = value

    def text(self, name: str, value: str | None) -> None:
        self.put(name, value)

    def date(self, name: str, value: dt.date | None) -> None:
        self.put(name, value.isoformat() if value else None)

    def amount(self, name: str, value: float | None) -> None:
        self.put(name, None if value is None else self.fmt_amount(value))

    def quantity(self, name: str, value: float) -> None:
        self.put(name, self.fmt_quantity(value))

    def count(self, name: str, value: int) -> None:
        self.put(name, self.fmt_count(value))

    def flag(self, name: str, value: bool) -> None:
        self.put(name, self.fmt_flag(value))


# --- the sampling context --------------------------------------------------------------------


@dataclass
class _Ctx:
    rng: random.Random
    case: _Case
    today: dt.date
    knobs: Mapping[str, float]
    out: _Out
    corporation: tuple[str, str] | None = None

    def chance(self, knob: str) -> bool:
        """True with the knob's probability (exactly never at 0, always at 1)."""
        return self.rng.random() < self.knobs[knob]

    def pick(self, weighted: Sequence[tuple[T, float]]) -> T:
        values = [value for value, _weight in weighted]
        weights = [weight for _value, weight in weighted]
        return self.rng.choices(values, weights)[0]

    def between(self, first: dt.date, last: dt.date) -> dt.date:
        """A day in ``[first, last]`` (``last`` when the range is empty)."""
        if first >= last:
            return last
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def recent(self, not_before: dt.date | None = None, days: int = 2) -> dt.date:
        """A day in the last few days up to today, not before a known earlier date."""
        first = self.today - dt.timedelta(days=days)
        if not_before is not None and not_before <= self.today:
            first = max(first, not_before)
        return self.between(first, self.today)

    def amount(self, low: float, high: float) -> float:
        return round(self.rng.uniform(low, high), 2)

    def name(self) -> tuple[str, str]:
        return self.rng.choice(_VOORNAMEN), self.rng.choice(_ACHTERNAMEN)

    def full_name(self) -> str:
        first, last = self.name()
        return f"{first} {last}"

    def corporatie(self) -> tuple[str, str]:
        """The corporation (name, dossier prefix): from the case, else drawn once per sample."""
        if self.corporation is None:
            self.corporation = self._known_corporatie() or self.pick(
                [((name, prefix), homes) for name, prefix, homes in _CORPORATIES]
            )
        return self.corporation

    def _known_corporatie(self) -> tuple[str, str] | None:
        known = self.case.text("corporatie_naam")
        dossier = self.case.text("corporatie_dossiernummer") or ""
        for name, prefix, _homes in _CORPORATIES:
            if name == known or (known is None and dossier.startswith(f"{prefix}-")):
                return name, prefix
        return (known, "HC") if known else None


# --- the signal: shared by signalering and melding -------------------------------------------


@dataclass
class _Signal:
    dossiernummer: str | None
    voornaam: str
    achternaam: str
    postcode: str
    huisnummer: int
    toevoeging: str | None
    grootte: int
    kinderen: int
    huurprijs: float
    bedrag: float
    maanden: float
    ontstaan: dt.date
    signaal: dt.date
    uitkering: bool

    @property
    def naam(self) -> str:
        return f"{self.voornaam} {self.achternaam}".strip()


def _postcode(c: _Ctx) -> str:
    known = c.case.postcode("postcode")
    if known is None:
        _place, areas, _weight = c.pick([(p, p[2]) for p in _PLAATSEN])
        known = f"{c.rng.choice(areas)}{c.rng.choice(_LETTERS)}{c.rng.choice(_LETTERS)}"
    digits, letters = known[:4], known[4:]
    if c.out.web:
        return c.rng.choice(
            (f"{digits} {letters}", f"{digits}{letters}", f"{digits}{letters.lower()}")
        )
    return c.rng.choice((f"{digits}{letters}", f"{digits} {letters}"))


def _household(c: _Ctx) -> tuple[int, int]:
    size, children = c.case.count("huishoudgrootte"), c.case.count("kinderen_onder_18")
    if size is not None and children is not None and 1 <= size <= 30 and children < size:
        return size, children
    if c.chance("kinderen"):
        children = c.pick([(1, 0.4), (2, 0.35), (3, 0.18), (4, 0.07)])
        adults = c.pick([(1, 0.45), (2, 0.55)])
    else:
        children = 0
        adults = c.pick([(1, 0.6), (2, 0.35), (3, 0.05)])
    return adults + children, children


def _signal(c: _Ctx, signaal: dt.date, *, at_report: bool) -> _Signal:
    """The signal fields: taken from the case where known, otherwise drawn."""
    case = c.case
    known_name = case.text("huurder_naam")
    if known_name:
        voornaam, _, achternaam = known_name.partition(" ")
    else:
        voornaam, achternaam = c.name()
    dossier = case.text("corporatie_dossiernummer")
    if dossier is None and c.rng.random() < 0.85:
        _name, prefix = c.corporatie()
        dossier = f"{prefix}-{signaal.year}-{c.rng.randint(1, 99999):05d}"
    postcode = _postcode(c)
    huisnummer = case.count("huisnummer")
    toevoeging = case.text("huisnummer_toevoeging")
    if huisnummer is None or not 1 <= huisnummer <= 99999:
        huisnummer = min(int(c.rng.expovariate(1 / 40)) + 1, 400)
        toevoeging = None
        if c.rng.random() < 0.15:
            toevoeging = c.rng.choice(("A", "B", "a", "1", "2", "bis", "2hg"))
    grootte, kinderen = _household(c)
    uitkering = case.flag("gemeentelijke_uitkering")
    if uitkering is None:
        uitkering = c.chance("gemeentelijke_uitkering")

    huurprijs = case.amount("huurprijs")
    maanden = case.quantity("achterstand_maanden")
    bedrag = case.amount("achterstand_bedrag")
    ontstaan = case.date("ontstaansdatum")
    if (
        huurprijs is None
        or maanden is None
        or bedrag is None
        or ontstaan is None
        or ontstaan > signaal
        or not 0 < huurprijs <= 10_000
    ):
        huurprijs = c.amount(430, 900)
        if at_report:
            maanden = c.pick([(1, 2), (1.5, 2), (2, 5), (2.5, 2), (3, 3), (4, 2), (5, 1), (6, 1)])
        else:
            maanden = c.pick([(0.5, 1), (1, 6), (1.5, 2), (2, 2), (3, 1)])
        # Rent is due on the first; a signal in the first week can still be about last month.
        back = math.ceil(maanden) - (1 if signaal.day > 7 else 0)
        ontstaan = add_months(signaal.replace(day=1), -max(back, 0))
        kosten = c.pick([(0.0, 0.7), (15.0, 0.2), (40.0, 0.1)])
        bedrag = round(huurprijs * maanden + kosten, 2)
    elif at_report:
        # The arrears may have grown since the signal.
        since = case.date("signaaldatum") or signaal
        elapsed = (signaal.year - since.year) * 12 + signaal.month - since.month
        if elapsed > 0:
            grown = min(elapsed, 6) * c.pick([(0.0, 0.3), (0.5, 0.3), (1.0, 0.4)])
            maanden += grown
            bedrag = round(bedrag + grown * huurprijs, 2)
    return _Signal(
        dossiernummer=dossier,
        voornaam=voornaam,
        achternaam=achternaam,
        postcode=postcode,
        huisnummer=huisnummer,
        toevoeging=toevoeging,
        grootte=grootte,
        kinderen=kinderen,
        huurprijs=huurprijs,
        bedrag=bedrag,
        maanden=maanden,
        ontstaan=ontstaan,
        signaal=signaal,
        uitkering=uitkering,
    )


def _put_signal(c: _Ctx, s: _Signal) -> None:
    out = c.out
    out.text("corporatie_dossiernummer", s.dossiernummer)
    out.text("huurder_naam", s.naam)
    out.text("postcode", s.postcode)
    out.count("huisnummer", s.huisnummer)
    out.text("huisnummer_toevoeging", s.toevoeging)
    out.count("huishoudgrootte", s.grootte)
    out.count("kinderen_onder_18", s.kinderen)
    out.amount("huurprijs", s.huurprijs)
    out.amount("achterstand_bedrag", s.bedrag)
    out.quantity("achterstand_maanden", s.maanden)
    out.date("ontstaansdatum", s.ontstaan)
    out.date("signaaldatum", s.signaal)
    out.flag("gemeentelijke_uitkering", s.uitkering)


# --- one sampler per form --------------------------------------------------------------------


def _signalering(c: _Ctx) -> None:
    """Arrears noticed (COVENANT.md §3 A1): usually today, by a caseworker or the system."""
    signaal = c.today - dt.timedelta(days=c.pick([(0, 0.7), (1, 0.2), (2, 0.1)]))
    _put_signal(c, _signal(c, signaal, at_report=False))


def _contact_corporatie(c: _Ctx) -> None:
    out = c.out
    soort = c.pick(
        [
            ("telefoon", 0.35),
            ("brief", 0.3),
            ("huisbezoek", 0.15),
            ("mail", 0.1),
            ("sms_whatsapp", 0.1),
        ]
    )
    out.text("contactpoging_soort", soort)
    out.date("contactpoging_datum", c.recent(c.case.date("signaaldatum"), days=10))
    bereikt = c.chance("corporatie_contact_bereikt")
    opgelost = c.chance("achterstand_opgelost")
    regeling = bereikt and not opgelost and c.chance("betalingsregeling")
    out.flag("contactpoging_bereikt", bereikt)
    notitie: str | None
    if opgelost:
        notitie = "Achterstand in één keer betaald."
    elif regeling:
        termijnen = c.rng.randint(3, 12)
        notitie = f"Betalingsregeling afgesproken in {termijnen} termijnen naast de lopende huur."
    elif bereikt:
        notitie = c.rng.choice(
            ("Huurder belooft te betalen.", "Huurder geeft aan het niet te kunnen betalen.")
        )
    else:
        notitie = c.rng.choice(("Geen reactie.", "Niet thuis; kaartje achtergelaten.", None))
    out.text("contactpoging_notities", notitie)
    out.flag("betalingsregeling_getroffen", regeling)
    out.flag("achterstand_opgelost", opgelost)


def _melding(c: _Ctx) -> None:
    out, case, rng = c.out, c.case, c.rng
    reported = c.today
    s = _signal(c, reported, at_report=True)
    corporatie, _prefix = c.corporatie()
    out.text("corporatie_naam", corporatie)
    out.text("corporatie_medewerker", case.text("corporatie_medewerker") or c.full_name())
    out.text("corporatie_dossiernummer", s.dossiernummer)
    out.text("huurder_naam", s.naam)
    adults = s.grootte - s.kinderen
    medehuurder = case.text("medehuurder_naam")
    if medehuurder is None and adults >= 2 and rng.random() < 0.6:
        first, last = c.name()
        medehuurder = f"{first} {s.achternaam if rng.random() < 0.5 else last}"
    out.text("medehuurder_naam", medehuurder)
    born = case.date("geboortedatum")
    if born is None or born >= reported:
        age = c.pick(
            [(rng.randint(19, 29), 0.2), (rng.randint(30, 66), 0.65), (rng.randint(67, 90), 0.15)]
        )
        born = add_months(reported, -12 * age) - dt.timedelta(days=rng.randint(1, 364))
    out.date("geboortedatum", born)
    out.text("postcode", s.postcode)
    out.count("huisnummer", s.huisnummer)
    out.text("huisnummer_toevoeging", s.toevoeging)
    telefoon = case.text("telefoon")
    if telefoon is None and rng.random() < 0.85:
        if rng.random() < 0.8:
            digits = f"6{rng.randint(10_000_000, 69_999_999)}"
        else:
            digits = f"{rng.choice(('182', '180'))}{rng.randint(300_000, 699_999)}"
        telefoon = rng.choice(
            (
                f"0{digits}",
                f"0{digits[:1]}-{digits[1:]}",
                f"0{digits[:3]} {digits[3:]}",
                f"+31 {digits[:1]} {digits[1:]}",
            )
        )
    out.text("telefoon", telefoon)
    email = case.text("email")
    if email is None and rng.random() < 0.6:
        parts = (re.sub(r"[^a-z]", "", _ascii(p).lower()) for p in (s.voornaam, s.achternaam))
        local = ".".join(p for p in parts if p) or "huurder"
        email = f"{local}@{rng.choice(('example.nl', 'example.com', 'example.org'))}"
    out.text("email", email)
    out.count("huishoudgrootte", s.grootte)
    out.count("kinderen_onder_18", s.kinderen)
    out.amount("huurprijs", s.huurprijs)
    out.amount("achterstand_bedrag", s.bedrag)
    out.quantity("achterstand_maanden", s.maanden)
    out.date("ontstaansdatum", s.ontstaan)
    out.date("signaaldatum", s.signaal)

    # Contact attempts: the corporation's earlier one from the case, plus some older ones.
    attempts: list[tuple[str, dt.date, bool]] = []
    for _ in range(c.pick([(0, 0.25), (1, 0.4), (2, 0.25), (3, 0.1)])):
        day = c.between(s.ontstaan, reported)
        attempts.append((c.pick([("brief", 3), ("telefoon", 3), ("huisbezoek", 1)]), day, False))
    earlier_soort = case.text("contactpoging_soort")
    earlier_datum = case.date("contactpoging_datum")
    earlier_bereikt = case.flag("contactpoging_bereikt")
    if earlier_soort and earlier_datum and earlier_datum <= reported:
        attempts.append((earlier_soort, earlier_datum, bool(earlier_bereikt)))
    elif attempts and rng.random() < 0.5:
        soort, day, _reached = attempts[-1]
        attempts[-1] = (soort, day, True)

    judged = c.chance("vonnis")
    if judged:
        reden = c.pick(
            [("ontruimingsvonnis", 0.85), ("afspraken_niet_nagekomen", 0.1), ("onbereikbaar", 0.05)]
        )
        fase = "vonnis"
    else:
        weights = {"vermoeden_doelgroep": 0.6, "afspraken_niet_nagekomen": 0.2, "onbereikbaar": 0.2}
        if case.flag("betalingsregeling_getroffen"):
            weights["afspraken_niet_nagekomen"] = 1.5
        if earlier_bereikt is False:
            weights["onbereikbaar"] = 1.0
        reden = c.pick(list(weights.items()))
        if s.maanden < 1.5:
            fase = c.pick([("herinnering", 1), ("aanmaning", 2)])
        elif s.maanden < 3:
            fase = c.pick([("aanmaning", 2), ("veertiendagenbrief", 2), ("deurwaarder", 1)])
        else:
            fase = c.pick([("veertiendagenbrief", 1), ("deurwaarder", 2), ("dagvaarding", 1)])
    if reden == "onbereikbaar" and not any(not reached for _s, _d, reached in attempts):
        attempts.append(("huisbezoek", c.between(s.ontstaan, reported), False))
    attempts.sort(key=lambda attempt: attempt[1])
    out.text("reden_melding", reden)
    out.text("incassofase", fase)
    out.flag("vonnis", judged)
    vonnisdatum = ontruimingsdatum = None
    if judged:
        earliest = min(s.ontstaan + dt.timedelta(days=45), reported)
        vonnisdatum = c.between(earliest, reported)
        if rng.random() < 0.75:
            ontruimingsdatum = max(vonnisdatum, reported) + dt.timedelta(days=rng.randint(3, 60))
    out.date("vonnisdatum", vonnisdatum)
    out.date("ontruimingsdatum", ontruimingsdatum)
    out.put(
        "contactpogingen",
        [
            {"soort": soort, "datum": day.isoformat(), "bereikt": out.fmt_flag(reached)}
            for soort, day, reached in attempts
        ],
    )
    hulp = None
    if rng.random() < 0.35:
        hulp = "; ".join(rng.sample(_HULPVERLENERS, rng.randint(1, 2)))
    out.text("bekende_hulpverleners", hulp)
    overlast = c.chance("overlast")
    out.flag("overlast", overlast)
    out.text(
        "overlast_omschrijving",
        rng.choice(
            (
                "Buren klagen over geluid in de avond en nacht, sinds een paar maanden.",
                "Vervuiling en stankoverlast in het trappenhuis.",
                "Ruzies en harde muziek; meerdere klachten bij de corporatie.",
            )
        )
        if overlast
        else None,
    )
    informed = None
    if rng.random() < 0.7:
        informed = c.between(max(s.ontstaan, reported - dt.timedelta(days=14)), reported)
    out.date("huurder_geinformeerd_datum", informed)
    out.flag("gemeentelijke_uitkering", s.uitkering)


def _triage(c: _Ctx) -> None:
    out = c.out
    for knob in (
        "opiumwet",
        "onrechtmatige_bewoning",
        "geen_verblijfsstatus",
        "extreme_overlast",
        "geen_legaal_inkomen",
        "kan_zelf_oplossen",
    ):
        out.flag(knob, c.chance(knob))
    out.text("toegewezen_medewerker", c.full_name())
    notes = []
    if (c.case.count("kinderen_onder_18") or 0) > 0:
        notes.append("Kinderen in huis.")
    if c.case.flag("vonnis"):
        notes.append("Ontruimingsvonnis: met spoed oppakken.")
    if c.rng.random() < 0.5:
        notes.append(c.rng.choice(("Melding compleet.", "Melding compleet; huurder gebeld.")))
    out.text("triage_toelichting", " ".join(notes) or None)


def _contactpoging(c: _Ctx) -> None:
    out = c.out
    out.text(
        "contact_kanaal",
        c.pick(
            [
                ("telefoon", 0.4),
                ("huisbezoek", 0.25),
                ("brief", 0.15),
                ("sms_whatsapp", 0.12),
                ("mail", 0.08),
            ]
        ),
    )
    out.date("contact_datum", c.recent(c.case.date("signaaldatum"), days=1))
    bereikt = c.chance("contact_bereikt")
    out.flag("contact_bereikt", bereikt)
    notitie: str | None
    if bereikt:
        day = c.today + dt.timedelta(days=c.rng.randint(2, 10))
        notitie = f"Afspraak voor een huisbezoek op {day:%d-%m-%Y}."
    else:
        notitie = c.rng.choice(
            ("Geen gehoor; voicemail ingesproken.", "Niet thuis; briefje achtergelaten.", None)
        )
    out.text("contact_notities", notitie)


def _kwetsbaarheid(c: _Ctx) -> None:
    out = c.out
    financieel = c.chance("financiele_problemen")
    psychisch = c.chance("psychische_problemen")
    sociaal = c.chance("sociale_problemen")
    bereid = c.chance("bereid_tot_medewerking")
    out.flag("financiele_problemen", financieel)
    out.flag("psychische_problemen", psychisch)
    out.flag("sociale_problemen", sociaal)
    out.flag("bereid_tot_medewerking", bereid)
    out.flag("conclusie_kwetsbaar", financieel or psychisch or sociaal)
    reasons = []
    if financieel:
        reasons.append(
            c.rng.choice(("inkomen gedaald na ontslag", "meerdere schulden", "geen overzicht"))
        )
    if psychisch:
        reasons.append(c.rng.choice(("somberheid", "angstklachten", "verslavingsproblematiek")))
    if sociaal:
        reasons.append(c.rng.choice(("klein netwerk", "recent gescheiden", "mantelzorgtaken")))
    summary = "; ".join(reasons).capitalize() if reasons else "Geen bijzondere problemen"
    willing = "wil meewerken." if bereid else "wil niet meewerken aan een hulptraject."
    out.text("onderbouwing", f"{summary}; huurder {willing}")


def _plan(c: _Ctx) -> None:
    out, case = c.out, c.case
    diensten = []
    for value, _label in DIENSTEN:
        chosen = c.chance(f"dienst_{value}")
        if value == "huur_uit_uitkering" and case.flag("gemeentelijke_uitkering") is False:
            chosen = False  # CV-20: only for tenants on a municipal benefit
        if chosen:
            diensten.append(value)
    out.text(
        "doelen",
        c.rng.choice(
            (
                "Huurachterstand aflossen en inkomen stabiliseren.",
                "Schulden in beeld, vaste lasten op tijd betalen en de huur veiligstellen.",
                "Structureel overzicht over de financiën en hulp bij de administratie.",
            )
        ),
    )
    out.text(
        "afspraken",
        "Huurder betaalt de lopende huur (CV-08)"
        + (
            " en komt naar de intake bij Schulddienstverlening."
            if "schuldhulp" in diensten
            else "."
        ),
    )
    out.put("diensten", diensten)
    out.text("beoogde_regiehouder", c.pick(_REGIEHOUDERS))
    out.date("evaluatiedatum", c.today + dt.timedelta(days=c.rng.randint(28, 84)))


def _inventarisatie(c: _Ctx) -> None:
    out, case, rng = c.out, c.case, c.rng
    size = case.count("huishoudgrootte") or c.pick([(1, 0.5), (2, 0.3), (3, 0.2)])
    children = case.count("kinderen_onder_18")
    if children is None or children >= size:
        children = 0
    adults = size - children
    if adults == 1:
        leefsituatie = "alleenstaande_ouder" if children else "alleenstaand"
    else:
        leefsituatie = "samenwonend_met_kinderen" if children else "samenwonend"
    uitkering = case.flag("gemeentelijke_uitkering")
    if uitkering is None:
        uitkering = c.chance("gemeentelijke_uitkering")
    inkomsten = []
    if uitkering:
        norm = 1_100 if adults == 1 else 1_700
        inkomsten.append(("bijstand", c.amount(norm * 0.9, norm * 1.05)))
    else:
        bron = c.pick([("loon", 0.6), ("uwv_uitkering", 0.25), ("pensioen_aow", 0.15)])
        inkomsten.append((bron, c.amount(1_250, 2_600)))
    if adults >= 2 and rng.random() < 0.5:
        inkomsten.append((c.pick([("loon", 3), ("uwv_uitkering", 1)]), c.amount(500, 1_800)))
    if rng.random() < 0.1:
        inkomsten.append(("alimentatie", c.amount(100, 450)))
    out.put(
        "inkomsten",
        [{"bron": bron, "bedrag_netto_per_maand": out.fmt_amount(x)} for bron, x in inkomsten],
    )
    vakantiegeld = round(sum(x for _b, x in inkomsten) * 0.08 / 1.08 * rng.uniform(0.6, 1), 2)
    out.amount("vakantiegeld_per_maand", vakantiegeld if rng.random() < 0.85 else None)
    out.amount("toeslagen", c.amount(100, 350) + children * c.amount(90, 160))
    lasten = rng.sample(_VASTE_LASTEN, rng.randint(2, len(_VASTE_LASTEN)))
    out.put(
        "vaste_lasten",
        [{"omschrijving": o, "bedrag": out.fmt_amount(c.amount(lo, hi))} for o, lo, hi in lasten],
    )
    schulden = []
    arrears = case.amount("achterstand_bedrag")
    corporatie, _prefix = c.corporatie()
    schulden.append((corporatie, arrears if arrears is not None else c.amount(400, 3_000)))
    for schuldeiser, lo, hi in rng.sample(_SCHULDEISERS, rng.randint(0, 4)):
        schulden.append((schuldeiser, c.amount(lo, hi)))
    out.put(
        "schulden",
        [{"schuldeiser": name, "bedrag": out.fmt_amount(x)} for name, x in schulden],
    )
    out.text("leefsituatie", leefsituatie)
    out.amount("woonkosten", case.amount("huurprijs") or c.amount(430, 900))
    extra = {
        "extra_kosten_kinderopvang": (0.3 if children else 0.0, 40, 250),
        "extra_kosten_reiskosten": (0.3, 15, 120),
        "extra_kosten_alimentatie": (0.08, 100, 500),
        "extra_kosten_gemeentelijke_belastingen": (0.4, 20, 60),
        "extra_kosten_beschermingsbewind": (0.15, 100, 130),
    }
    for name, (probability, lo, hi) in extra.items():
        out.amount(name, c.amount(lo, hi) if rng.random() < probability else None)
    out.flag("voorstel_inkomensbeheer", c.chance("voorstel_inkomensbeheer"))


def _huur_uit_uitkering(c: _Ctx) -> None:
    out, rng = c.out, c.rng
    out.text("uitkering_kenmerk", f"PW-{c.today.year}-{rng.randint(1, 9999):04d}")
    out.amount("uitkering_bedrag", c.case.amount("huurprijs") or c.amount(430, 900))
    # From today, or from the next rent day (the first of next month).
    start = c.today if rng.random() < 0.4 else add_months(c.today.replace(day=1), 1)
    latest = rent_from_benefit_latest_end(start)
    # Mostly the full period (income management may end it earlier, by a message).
    end = latest if rng.random() < 0.7 else c.between(start + dt.timedelta(days=14), latest)
    out.date("huur_uit_uitkering_start", start)
    out.date("huur_uit_uitkering_eind", end)


def _status(c: _Ctx) -> None:
    weights = {"in_behandeling": 3, "contact_gelegd": 2, "traject_gestart": 3}
    c.out.text("status_code", c.pick([(v, weights.get(v, 1)) for v, _label in STATUS_CODE]))


def _overdracht(c: _Ctx) -> None:
    out = c.out
    ontvanger = c.case.text("beoogde_regiehouder") or c.pick(_REGIEHOUDERS)
    out.text("ontvangende_organisatie", ontvanger)
    out.date("overdrachtsdatum", c.today)
    diensten = c.case.choices("diensten", DIENSTEN)
    labels = dict(DIENSTEN)
    lopend = ", ".join(labels[d].lower() for d in diensten) if diensten else "geen diensten"
    out.text(
        "overdracht_samenvatting",
        f"Lopende hulp: {lopend}. Huurder betaalt de lopende huur en komt de afspraken na.",
    )


def _afsluiting(c: _Ctx) -> None:
    out, case = c.out, c.case
    uitkomst = case.choice("uitkomst", UITKOMST)
    if uitkomst is None:
        doelgroep = case.choice("doelgroep_uitkomst", UITKOMST)
        uitkomst = doelgroep or c.pick(
            [
                ("voorkomen", 35),
                ("opgelost", 15),
                ("geen_contact", 12),
                ("geen_medewerking", 10),
                ("geen_doelgroep", 10),
                ("vertrokken", 5),
                ("ontruimd", 3),
                ("uitgesloten:opiumwet", 1),
                ("uitgesloten:bewoning", 1),
                ("uitgesloten:verblijfsstatus", 1),
                ("uitgesloten:overlast", 2),
                ("uitgesloten:inkomen", 1),
            ]
        )
    out.text("uitkomst", uitkomst)
    out.date("afsluitdatum", c.today)
    out.text(
        "afsluiting_notities", dict(UITKOMST)[uitkomst] + "." if c.rng.random() < 0.6 else None
    )
    after_trajectory = uitkomst in {"voorkomen", "opgelost", "vertrokken", "ontruimd"}
    out.flag("voorwaarden_nagekomen", after_trajectory and c.chance("voorwaarden_nagekomen"))


def _gesprek_afspraken(c: _Ctx) -> None:
    out = c.out
    out.date("gesprek_datum", c.recent(c.case.date("signaaldatum")))
    doorgaan = c.chance("gesprek_doorgaan")
    out.text("gesprek_besluit", "doorgaan" if doorgaan else "beeindigen")
    out.text(
        "gesprek_toelichting",
        c.rng.choice(
            (
                "Achterstallige huur alsnog betaald; nieuwe afspraak gemaakt.",
                "Huurder had een tijdelijke terugval; betaalt weer en houdt contact.",
            )
        )
        if doorgaan
        else c.rng.choice(
            (
                "Huurder komt afspraken herhaaldelijk niet na en wil niet meewerken.",
                "Lopende huur drie maanden niet betaald ondanks afspraken.",
            )
        ),
    )


def _opschorting(c: _Ctx) -> None:
    reported = c.case.date("signaaldatum")
    day = reported if reported is not None and reported <= c.today else c.today
    c.out.date("datum_opschorting", day)
    c.out.flag("opschorting_bevestigd", c.chance("opschorting_bevestigd"))


def _monitoring(c: _Ctx) -> None:
    out = c.out
    out.date("monitoring_datum", c.today)
    gereed = c.chance("overdracht_gereed")
    out.text(
        "voortgang",
        "Hulp loopt, huurder betaalt de lopende huur; klaar voor overdracht."
        if gereed
        else c.rng.choice(
            (
                "Intake schuldhulp gedaan; lopende huur betaald.",
                "Wacht op het besluit over de indicatie; huurder houdt zich aan de afspraken.",
                "Huurder lastig bereikbaar; nieuwe afspraak gepland.",
            )
        ),
    )
    out.text(
        "status_code",
        "traject_gestart" if gereed else c.pick([("traject_gestart", 3), ("in_behandeling", 1)]),
    )
    out.flag("overdracht_gereed", gereed)


def _intake_schuldhulp(c: _Ctx) -> None:
    c.out.date("intake_datum", c.today)
    known = c.case.flag("financiele_problemen")
    c.out.flag("financiele_problemen", c.chance("financiele_problemen") if known is None else known)


def _indicatie(c: _Ctx) -> None:
    out = c.out
    children = (c.case.count("kinderen_onder_18") or 0) > 0
    out.text(
        "indicatie_soort",
        c.pick(
            [
                ("wmo_begeleiding", 0.45),
                ("wmo_huishoudelijke_hulp", 0.15),
                ("beschermd_wonen", 0.08),
                ("jeugdhulp", 0.3 if children else 0.02),
                ("overig", 0.1),
            ]
        ),
    )
    out.text(
        "indicatie_besluit",
        c.pick(
            [
                ("toegekend", 0.7),
                ("gedeeltelijk_toegekend", 0.12),
                ("afgewezen", 0.12),
                ("ingetrokken", 0.06),
            ]
        ),
    )
    out.date("indicatie_besluitdatum", c.today)


def _woonoverlast_stap(c: _Ctx) -> None:
    out = c.out
    steps = [value for value, _label in WOONOVERLAST_STAP]
    previous = c.case.choice("woonoverlast_stap", WOONOVERLAST_STAP)
    step = steps[0] if previous is None else steps[min(steps.index(previous) + 1, len(steps) - 1)]
    out.text("woonoverlast_stap", step)
    out.date("woonoverlast_datum", c.today)
    labels = dict(WOONOVERLAST_STAP)
    out.text(
        "woonoverlast_toelichting",
        f"{labels[step]} na aanhoudende klachten van omwonenden." if c.rng.random() < 0.8 else None,
    )
    out.flag("overlast_opgelost", c.chance("overlast_opgelost"))


def _beoordeling_overlast(c: _Ctx) -> None:
    out = c.out
    out.date("overlast_beoordeling_datum", c.today)
    if c.case.flag("extreme_overlast"):
        ernst = "extreem"
    elif c.case.flag("overlast"):
        ernst = c.pick([("beperkt", 0.5), ("ernstig", 0.4), ("extreem", 0.1)])
    else:
        ernst = c.pick([("geen", 0.3), ("beperkt", 0.4), ("ernstig", 0.25), ("extreem", 0.05)])
    out.text("overlast_ernst", ernst)
    nodig = ernst in {"ernstig", "extreem"} or (ernst == "beperkt" and c.rng.random() < 0.4)
    out.flag("woonoverlast_aanpak_nodig", nodig)
    out.text(
        "overlast_beoordeling_toelichting",
        f"{c.rng.randint(1, 8)} klachten van omwonenden in de afgelopen maanden."
        if ernst != "geen"
        else "Geen klachten bekend bij politie en gemeente.",
    )


def _evaluatie_review(c: _Ctx) -> None:
    out = c.out
    out.date("vergaderdatum", c.today)
    out.text(
        "knelpunten",
        c.rng.choice(
            (
                "Eerste contact duurt bij P1-meldingen te lang.",
                "Meldingen komen pas bij een hoge achterstand binnen.",
                "Wachttijd voor de intake schuldhulp loopt op.",
            )
        ),
    )
    out.text(
        "besluiten",
        c.rng.choice(
            (
                "Meldpunt zet een piketdienst in voor P1-meldingen.",
                "Corporaties melden eerder bij een vermoeden van de doelgroep (CV-12).",
                "Extra capaciteit bij Schulddienstverlening voor een half jaar.",
            )
        ),
    )


def _escalatie(c: _Ctx) -> None:
    actie = c.pick(ESCALATIE_WEIGHTS)
    c.out.text("escalatie_actie", actie)
    toelichting = {
        "herverdelen": f"Zaak herverdeeld naar {c.full_name()}.",
        "zelf_oppakken": "Teamleider belt de huurder vandaag zelf.",
        "extra_capaciteit": "Tijdelijk een extra medewerker ingezet vanwege drukte.",
    }[actie]
    c.out.text("escalatie_toelichting", toelichting if c.rng.random() < 0.8 else None)


def _laatste_kans(c: _Ctx) -> None:
    """Beter Wonen's last-chance agreement: offered after a judgment, evaluated a year later."""
    out, case, rng = c.out, c.case, c.rng
    start, end = case.date("laatste_kans_start"), case.date("laatste_kans_eind")
    signed = case.flag("laatste_kans_getekend") is True
    if signed and start and end and start < end <= laatste_kans_latest_end(start):
        # The evaluation: the agreement as signed, with the verdict added to its conditions.
        verdict = (
            "Evaluatie: voorwaarden nagekomen; het vonnis wordt niet uitgevoerd."
            if rng.random() < 0.75
            else "Evaluatie: voorwaarden niet volledig nagekomen; besproken met het Meldpunt."
        )
        agreed = (case.text("laatste_kans_voorwaarden") or "")[:4000]
        out.flag("laatste_kans_getekend", True)
        out.date("laatste_kans_start", start)
        out.date("laatste_kans_eind", end)
        out.text("laatste_kans_voorwaarden", f"{agreed} {verdict}".strip())
        return
    arrears = case.amount("achterstand_bedrag") or c.amount(900, 3_500)
    termijn = max(25, round(arrears / LAATSTE_KANS_MONTHS / 5) * 5)
    voorwaarden = (
        f"Huurder betaalt de lopende huur op tijd (CV-08), lost € {termijn} per maand af op de "
        "achterstand en werkt mee aan het traject van het Meldpunt (CV-07)."
    )
    if not c.chance("laatste_kans_getekend"):
        out.flag("laatste_kans_getekend", False)
        out.text("laatste_kans_voorwaarden", voorwaarden if rng.random() < 0.5 else None)
        return
    # From the signing today, or from the next rent day (the first of next month).
    start = c.today if rng.random() < 0.5 else add_months(c.today.replace(day=1), 1)
    full = add_months(start, LAATSTE_KANS_MONTHS)
    end = c.pick(
        [
            (full - dt.timedelta(days=1), 0.6),
            (full, 0.3),
            (c.between(full + dt.timedelta(days=1), laatste_kans_latest_end(start)), 0.1),
        ]
    )
    out.flag("laatste_kans_getekend", True)
    out.date("laatste_kans_start", start)
    out.date("laatste_kans_eind", end)
    out.text("laatste_kans_voorwaarden", voorwaarden)


def _senioradvies(c: _Ctx) -> None:
    """Woonzorg Nederland's senior adviser: seen, maybe a home visit, maybe support needed."""
    out, rng = c.out, c.rng
    out.flag("senioradvies_gezien", True)
    visit = c.today + dt.timedelta(days=rng.randint(2, 15)) if rng.random() < 0.6 else None
    out.date("senioradvies_huisbezoek_gepland", visit)
    nodig = rng.random() < 0.45
    out.flag("senioradvies_ondersteuning_nodig", nodig)
    toelichting: str | None
    if nodig:
        toelichting = rng.choice(
            (
                "Huurder overziet de post niet meer; hulp bij de administratie via de Wmo.",
                "Huurder is vergeetachtig; mantelzorger en wijkteam betrekken.",
                "Inkomen na overlijden partner gedaald; toeslagen en bijzondere bijstand nagaan.",
            )
        )
    else:
        toelichting = rng.choice(
            ("Huurder heeft een netwerk dat helpt; geen ondersteuning nodig.", None)
        )
    out.text("senioradvies_toelichting", toelichting)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


_SAMPLERS: Final[dict[str, Callable[[_Ctx], None]]] = {
    "melding": _melding,
    "triage": _triage,
    "contactpoging": _contactpoging,
    "kwetsbaarheid": _kwetsbaarheid,
    "plan": _plan,
    "inventarisatie": _inventarisatie,
    "huur_uit_uitkering": _huur_uit_uitkering,
    "status": _status,
    "overdracht": _overdracht,
    "afsluiting": _afsluiting,
    "gesprek_afspraken": _gesprek_afspraken,
    "opschorting": _opschorting,
    "monitoring": _monitoring,
    "intake_schuldhulp": _intake_schuldhulp,
    "indicatie": _indicatie,
    "woonoverlast_stap": _woonoverlast_stap,
    "beoordeling_overlast": _beoordeling_overlast,
    "evaluatie_review": _evaluatie_review,
    "contact_corporatie": _contact_corporatie,
    "signalering": _signalering,
    "escalatie": _escalatie,
    "laatste_kans": _laatste_kans,
    "senioradvies": _senioradvies,
}


def resolve_knobs(knobs: Mapping[str, float] | None = None) -> dict[str, float]:
    """``DEFAULT_KNOBS`` with the given overrides; ValueError on an unknown name or value."""
    merged = dict(DEFAULT_KNOBS)
    for name, value in (knobs or {}).items():
        if name not in DEFAULT_KNOBS:
            known = ", ".join(sorted(DEFAULT_KNOBS))
            raise ValueError(f"Unknown knob {name!r}; known knobs: {known}")
        if not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ValueError(f"Knob {name!r} must be a probability from 0 to 1, not {value!r}")
        merged[name] = float(value)
    return merged


def sample(
    form_key: str,
    rng: random.Random,
    *,
    case: Mapping[str, Any] | None = None,
    today: dt.date,
    knobs: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """Random valid raw input for a form, consistent with ``case`` and dated around ``today``.

    KeyError for an unknown form key; ValueError for an unknown or out-of-range knob.
    """
    get_form(form_key)  # KeyError naming the known keys
    try:
        sampler = _SAMPLERS[form_key]
    except KeyError:
        raise KeyError(f"No sampler for form key {form_key!r}") from None
    ctx = _Ctx(
        rng=rng,
        case=_Case(case),
        today=today,
        knobs=resolve_knobs(knobs),
        out=_Out(rng),
    )
    sampler(ctx)
    return ctx.out.data
