"""The simulator's random form data (``app.forms.samples``): always valid, consistent with the
case, driven by the knobs, and deterministic per seed.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from typing import Any

import pytest

from app.forms import form_keys, get_form
from app.forms.base import add_months
from app.forms.examples import EXAMPLES
from app.forms.samples import DEFAULT_KNOBS, resolve_knobs, sample

SEEDS = range(200)
TODAY = dt.date(2025, 3, 10)


def _load(key: str, data: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = get_form(key)().load(data)
    return loaded


def _loaded_melding() -> dict[str, Any]:
    return _load("melding", EXAMPLES["melding"])


def _today(seed: int) -> dt.date:
    """A spread of days over 2024 (a leap year) and 2025."""
    return dt.date(2024, 1, 1) + dt.timedelta(days=(seed * 37) % 730)


@pytest.mark.parametrize("key", form_keys())
def test_every_sample_loads(key: str) -> None:
    """For every form key and 200 seeds, without a case and with the example melding as case
    (raw as posted, and as loaded), the form's schema accepts the sample."""
    contexts: list[dict[str, Any] | None] = [None, EXAMPLES["melding"], _loaded_melding()]
    for seed in SEEDS:
        rng = random.Random(seed)
        for case in contexts:
            today = TODAY if case is not None and seed % 2 else _today(seed)
            data = sample(key, rng, case=case, today=today)
            try:
                loaded = _load(key, data)
            except Exception as error:  # pragma: no cover - the message is the point
                raise AssertionError(f"{key} seed {seed}: {error}\n{data}") from error
            assert json.loads(json.dumps(data)) == data  # what a client can send
            assert json.loads(json.dumps(loaded)) == loaded


#: A case in the order the diagrams ask for the forms (COVENANT.md §3), as the simulator does it.
CHAIN = [
    ("signalering", 0),
    ("contact_corporatie", 6),
    ("melding", 20),
    ("opschorting", 1),
    ("triage", 1),
    ("contactpoging", 3),
    ("escalatie", 1),
    ("contactpoging", 1),
    ("kwetsbaarheid", 10),
    ("plan", 5),
    ("intake_schuldhulp", 4),
    ("inventarisatie", 7),
    ("huur_uit_uitkering", 3),
    ("indicatie", 6),
    ("beoordeling_overlast", 2),
    ("woonoverlast_stap", 10),
    ("woonoverlast_stap", 20),
    ("monitoring", 28),
    ("gesprek_afspraken", 5),
    ("status", 1),
    ("overdracht", 20),
    ("afsluiting", 0),
    ("evaluatie_review", 200),
]


def _run_chain(seed: int) -> list[tuple[str, dt.date, dict[str, Any]]]:
    """Every form of one case; the case context accumulates the raw samples."""
    rng = random.Random(seed)
    today = _today(seed)
    case: dict[str, Any] = {}
    done = []
    for key, days_later in CHAIN:
        today += dt.timedelta(days=days_later)
        data = sample(key, rng, case=case, today=today)
        done.append((key, today, _load(key, data)))
        case.update(data)
    return done


@pytest.mark.parametrize("seed", range(0, 200, 4))
def test_a_whole_case_is_consistent(seed: int) -> None:
    done = _run_chain(seed)
    forms: dict[str, dict[str, Any]] = {}
    for key, today, loaded in done:
        forms.setdefault(key, loaded)
        for name, value in loaded.items():
            is_date = isinstance(value, str) and len(value) == 10 and value[4] == "-"
            planned = name in {"ontruimingsdatum", "evaluatiedatum"} or key == "huur_uit_uitkering"
            if is_date and not planned:
                assert value <= today.isoformat(), (key, name, value, today)
    signal, melding = forms["signalering"], forms["melding"]
    for name in (
        "huurder_naam",
        "postcode",
        "huisnummer",
        "huishoudgrootte",
        "kinderen_onder_18",
        "huurprijs",
        "ontstaansdatum",
        "gemeentelijke_uitkering",
    ):
        assert melding[name] == signal[name], name
    if "corporatie_dossiernummer" in signal:  # the melding may add a number the signal lacked
        assert melding["corporatie_dossiernummer"] == signal["corporatie_dossiernummer"]
    assert melding["achterstand_maanden"] >= signal["achterstand_maanden"]
    assert melding["signaaldatum"] > signal["signaaldatum"]  # the report is a later signal
    contact_day = forms["contact_corporatie"]["contactpoging_datum"]
    assert signal["signaaldatum"] <= contact_day <= melding["signaaldatum"]
    assert contact_day in [p["datum"] for p in melding["contactpogingen"]]
    assert forms["opschorting"]["datum_opschorting"] == melding["signaaldatum"]
    assert forms["inventarisatie"]["woonkosten"] == signal["huurprijs"]
    assert forms["inventarisatie"]["schulden"][0]["bedrag"] == melding["achterstand_bedrag"]
    assert forms["huur_uit_uitkering"]["uitkering_bedrag"] == signal["huurprijs"]
    assert forms["overdracht"]["ontvangende_organisatie"] == forms["plan"]["beoogde_regiehouder"]
    dossier = melding.get("corporatie_dossiernummer")
    if dossier and not dossier.startswith("HC-"):
        corporations = {"QuaWonen": "QW", "Vestia": "VES", "Groen Wonen Vlist": "GWV"}
        prefix = corporations.get(melding["corporatie_naam"])
        assert prefix is None or dossier.startswith(f"{prefix}-")
    if not melding["gemeentelijke_uitkering"]:
        assert "huur_uit_uitkering" not in forms["plan"]["diensten"]  # CV-20
    steps = [loaded["woonoverlast_stap"] for key, _d, loaded in done if key == "woonoverlast_stap"]
    assert steps == ["waarschuwing", "voornemen"]


def test_realistic_krimpenerwaard_data() -> None:
    for seed in SEEDS:
        loaded = _load("signalering", sample("signalering", random.Random(seed), today=TODAY))
        assert 2820 <= int(loaded["postcode"][:4]) <= 2935
        assert 400 <= loaded["huurprijs"] <= 1000
        rent_owed = round(loaded["huurprijs"] * loaded["achterstand_maanden"], 2)
        assert loaded["achterstand_bedrag"] >= rent_owed
        assert loaded["ontstaansdatum"].endswith("-01")  # rent is due on the first
        assert TODAY - dt.timedelta(days=2) <= dt.date.fromisoformat(loaded["signaaldatum"])
        assert loaded["signaaldatum"] <= TODAY.isoformat()
        assert " " in loaded["huurder_naam"]


def test_rent_from_benefit_never_exceeds_three_months() -> None:
    """CV-20, also checked by the schema; here on the sampler's own terms."""
    for seed in SEEDS:
        today = _today(seed)
        loaded = _load(
            "huur_uit_uitkering", sample("huur_uit_uitkering", random.Random(seed), today=today)
        )
        start = dt.date.fromisoformat(loaded["huur_uit_uitkering_start"])
        end = dt.date.fromisoformat(loaded["huur_uit_uitkering_eind"])
        assert today <= start < end <= add_months(start, 3)


def test_both_clients_are_played() -> None:
    """Browser-style strings and API-style numbers both occur."""
    kinds = Counter(
        type(sample("signalering", random.Random(seed), today=TODAY)["huisnummer"]).__name__
        for seed in SEEDS
    )
    assert kinds["str"] > 20 and kinds["int"] > 20


# --- knobs -----------------------------------------------------------------------------------

#: knob -> (form key, a test of the loaded data that is true when the decision is "yes",
#: extra knobs or case needed for the knob to apply).
KNOB_FIELDS: dict[str, tuple[str, Any, dict[str, float], dict[str, Any] | None]] = {
    "contact_bereikt": ("contactpoging", lambda d: d["contact_bereikt"], {}, None),
    "bereid_tot_medewerking": ("kwetsbaarheid", lambda d: d["bereid_tot_medewerking"], {}, None),
    "kan_zelf_oplossen": ("triage", lambda d: d["kan_zelf_oplossen"], {}, None),
    "opiumwet": ("triage", lambda d: d["opiumwet"], {}, None),
    "onrechtmatige_bewoning": ("triage", lambda d: d["onrechtmatige_bewoning"], {}, None),
    "geen_verblijfsstatus": ("triage", lambda d: d["geen_verblijfsstatus"], {}, None),
    "extreme_overlast": ("triage", lambda d: d["extreme_overlast"], {}, None),
    "geen_legaal_inkomen": ("triage", lambda d: d["geen_legaal_inkomen"], {}, None),
    "achterstand_opgelost": ("contact_corporatie", lambda d: d["achterstand_opgelost"], {}, None),
    "corporatie_contact_bereikt": (
        "contact_corporatie",
        lambda d: d["contactpoging_bereikt"],
        {},
        None,
    ),
    "betalingsregeling": (
        "contact_corporatie",
        lambda d: d["betalingsregeling_getroffen"],
        {"corporatie_contact_bereikt": 1, "achterstand_opgelost": 0},
        None,
    ),
    "vonnis": ("melding", lambda d: d["vonnis"] and d["incassofase"] == "vonnis", {}, None),
    "overlast": ("melding", lambda d: d["overlast"], {}, None),
    "kinderen": ("signalering", lambda d: d["kinderen_onder_18"] > 0, {}, None),
    "gemeentelijke_uitkering": ("signalering", lambda d: d["gemeentelijke_uitkering"], {}, None),
    "financiele_problemen": ("kwetsbaarheid", lambda d: d["financiele_problemen"], {}, None),
    "psychische_problemen": ("kwetsbaarheid", lambda d: d["psychische_problemen"], {}, None),
    "sociale_problemen": ("kwetsbaarheid", lambda d: d["sociale_problemen"], {}, None),
    "voorstel_inkomensbeheer": ("inventarisatie", lambda d: d["voorstel_inkomensbeheer"], {}, None),
    "opschorting_bevestigd": ("opschorting", lambda d: d["opschorting_bevestigd"], {}, None),
    "overdracht_gereed": ("monitoring", lambda d: d["overdracht_gereed"], {}, None),
    "gesprek_doorgaan": (
        "gesprek_afspraken",
        lambda d: d["gesprek_besluit"] == "doorgaan",
        {},
        None,
    ),
    "overlast_opgelost": ("woonoverlast_stap", lambda d: d["overlast_opgelost"], {}, None),
    "voorwaarden_nagekomen": (
        "afsluiting",
        lambda d: d["voorwaarden_nagekomen"],
        {},
        {"uitkomst": "voorkomen"},
    ),
    **{
        f"dienst_{service}": ("plan", lambda d, s=service: s in d["diensten"], {}, None)
        for service in ("schuldhulp", "huur_uit_uitkering", "indicatie", "woonoverlast")
    },
}


def test_every_knob_is_tested() -> None:
    assert set(KNOB_FIELDS) == set(DEFAULT_KNOBS)


def test_default_knobs_are_the_agreed_probabilities() -> None:
    assert {
        "contact_bereikt": 0.55,
        "bereid_tot_medewerking": 0.8,
        "kan_zelf_oplossen": 0.07,
        "opiumwet": 0.01,
        "onrechtmatige_bewoning": 0.01,
        "geen_verblijfsstatus": 0.01,
        "extreme_overlast": 0.02,
        "geen_legaal_inkomen": 0.01,
        "achterstand_opgelost": 0.25,
        "vonnis": 0.08,
        "kinderen": 0.35,
        "gemeentelijke_uitkering": 0.3,
        "overdracht_gereed": 0.5,
        "gesprek_doorgaan": 0.7,
        "overlast_opgelost": 0.6,
        "dienst_schuldhulp": 0.75,
        "dienst_huur_uit_uitkering": 0.25,
        "dienst_indicatie": 0.2,
        "dienst_woonoverlast": 0.08,
    }.items() <= DEFAULT_KNOBS.items()
    assert all(0 <= p <= 1 for p in DEFAULT_KNOBS.values())


@pytest.mark.parametrize("knob", sorted(KNOB_FIELDS))
@pytest.mark.parametrize("value", [0, 1])
def test_knobs_at_0_or_1_force_the_decision(knob: str, value: int) -> None:
    key, decided, extra, case = KNOB_FIELDS[knob]
    for seed in range(60):
        data = sample(
            key, random.Random(seed), case=case, today=TODAY, knobs={knob: value, **extra}
        )
        assert bool(decided(_load(key, data))) is bool(value), (knob, seed, data)


@pytest.mark.parametrize(
    ("knob", "key", "field"),
    [
        ("contact_bereikt", "contactpoging", "contact_bereikt"),
        ("bereid_tot_medewerking", "kwetsbaarheid", "bereid_tot_medewerking"),
        ("achterstand_opgelost", "contact_corporatie", "achterstand_opgelost"),
        ("overdracht_gereed", "monitoring", "overdracht_gereed"),
    ],
)
def test_default_knobs_make_outcomes_vary(knob: str, key: str, field: str) -> None:
    hits = sum(
        _load(key, sample(key, random.Random(seed), today=TODAY))[field] for seed in range(400)
    )
    assert abs(hits / 400 - DEFAULT_KNOBS[knob]) < 0.08


def test_huur_uit_uitkering_only_for_a_municipal_benefit() -> None:
    """CV-20: the plan never sends a tenant without a municipal benefit to Sociale Zaken."""
    no_benefit = {**EXAMPLES["melding"], "gemeentelijke_uitkering": "nee"}
    for seed in range(50):
        data = sample(
            "plan",
            random.Random(seed),
            case=no_benefit,
            today=TODAY,
            knobs={"dienst_huur_uit_uitkering": 1},
        )
        assert "huur_uit_uitkering" not in data["diensten"]


def test_unknown_or_invalid_knobs_are_refused() -> None:
    with pytest.raises(ValueError, match="Unknown knob 'contact'"):
        sample("contactpoging", random.Random(1), today=TODAY, knobs={"contact": 1})
    with pytest.raises(ValueError, match="probability"):
        resolve_knobs({"vonnis": 1.5})
    assert resolve_knobs({"vonnis": 1})["vonnis"] == 1.0
    assert resolve_knobs()["kinderen"] == DEFAULT_KNOBS["kinderen"]


def test_unknown_form_key_raises_key_error() -> None:
    with pytest.raises(KeyError, match="bestaat_niet"):
        sample("bestaat_niet", random.Random(1), today=TODAY)


# --- determinism -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", form_keys())
def test_same_seed_same_sample(key: str) -> None:
    case = _loaded_melding()
    for seed in range(20):
        first = sample(key, random.Random(seed), case=case, today=TODAY)
        again = sample(key, random.Random(seed), case=case, today=TODAY)
        assert first == again


def test_a_whole_case_is_deterministic_and_seeds_differ() -> None:
    assert _run_chain(7) == _run_chain(7)
    assert _run_chain(7) != _run_chain(8)
    names = {sample("signalering", random.Random(s), today=TODAY)["huurder_naam"] for s in SEEDS}
    assert len(names) > 100
