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
    ("senioradvies", 2),
    ("contact_corporatie", 4),
    ("laatste_kans", 10),
    ("melding", 10),
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
    ("laatste_kans", 210),  # Beter Wonen's evaluation, a year after the agreement
    ("evaluatie_review", 10),
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
            planned = name in {
                "ontruimingsdatum",
                "evaluatiedatum",
                "senioradvies_huisbezoek_gepland",
                "laatste_kans_eind",
            } or key in {"huur_uit_uitkering", "laatste_kans"}
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
    offer, evaluation = [loaded for key, _d, loaded in done if key == "laatste_kans"]
    if offer["laatste_kans_getekend"]:  # the evaluation keeps the agreement as signed
        period = ("laatste_kans_getekend", "laatste_kans_start", "laatste_kans_eind")
        assert [evaluation[n] for n in period] == [offer[n] for n in period]
        assert evaluation["laatste_kans_voorwaarden"].startswith(offer["laatste_kans_voorwaarden"])
        assert "Evaluatie" in evaluation["laatste_kans_voorwaarden"]


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


def test_last_chance_agreement_within_twelve_months_and_a_week() -> None:
    """The signed agreement starts today or on the next rent day and ends within 12 months and
    a week; the conditions name the monthly repayment."""
    for seed in SEEDS:
        today = _today(seed)
        data = sample("laatste_kans", random.Random(seed), case=EXAMPLES["melding"], today=today)
        loaded = _load("laatste_kans", data)
        if not loaded["laatste_kans_getekend"]:
            assert "laatste_kans_start" not in loaded and "laatste_kans_eind" not in loaded
            continue
        start = dt.date.fromisoformat(loaded["laatste_kans_start"])
        end = dt.date.fromisoformat(loaded["laatste_kans_eind"])
        assert start == today or (start.day == 1 and today < start <= today + dt.timedelta(31))
        assert add_months(start, 12) - dt.timedelta(days=1) <= end
        assert end <= add_months(start, 12) + dt.timedelta(days=7)
        assert "€ 125 per maand" in loaded["laatste_kans_voorwaarden"]  # 1,491 / 12


def test_senior_adviser_sample() -> None:
    """Always seen; support needed is explained; a home visit is planned ahead."""
    needed = 0
    for seed in SEEDS:
        loaded = _load("senioradvies", sample("senioradvies", random.Random(seed), today=TODAY))
        assert loaded["senioradvies_gezien"] is True
        if loaded["senioradvies_ondersteuning_nodig"]:
            needed += 1
            assert loaded["senioradvies_toelichting"]
        visit = loaded.get("senioradvies_huisbezoek_gepland")
        assert visit is None or TODAY.isoformat() < visit <= (TODAY + dt.timedelta(15)).isoformat()
    assert 40 < needed < 140


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
    "laatste_kans_getekend": ("laatste_kans", lambda d: d["laatste_kans_getekend"], {}, None),
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
        "laatste_kans_getekend": 0.6,
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


def test_signed_agreement_stays_signed_at_its_evaluation() -> None:
    """The knob decides the offer; the evaluation a year later repeats the signed agreement."""
    offer = sample(
        "laatste_kans", random.Random(3), today=TODAY, knobs={"laatste_kans_getekend": 1}
    )
    later = TODAY + dt.timedelta(days=366)
    for seed in range(30):
        data = sample(
            "laatste_kans",
            random.Random(seed),
            case=offer,
            today=later,
            knobs={"laatste_kans_getekend": 0},
        )
        loaded = _load("laatste_kans", data)
        assert loaded["laatste_kans_getekend"] is True
        assert loaded["laatste_kans_eind"] == _load("laatste_kans", offer)["laatste_kans_eind"]


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
