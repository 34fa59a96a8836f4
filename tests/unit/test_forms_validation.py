"""Each validation rule of the forms rejects bad input with a Dutch message on the right field."""

from __future__ import annotations

import json
from typing import Any

import pytest
from marshmallow import ValidationError

from app.forms import get_form
from app.forms.examples import EXAMPLES


def _errors(key: str, data: Any) -> dict[Any, Any]:
    """The error messages of loading ``data`` into form ``key`` (which must fail)."""
    with pytest.raises(ValidationError) as caught:
        get_form(key)().load(data)
    messages = caught.value.messages
    assert isinstance(messages, dict)
    return messages


def _melding(**changes: Any) -> dict[str, Any]:
    data = {**EXAMPLES["melding"], **changes}
    return {key: value for key, value in data.items() if value is not None}


def _load(key: str, data: dict[str, Any]) -> dict[str, Any]:
    loaded: dict[str, Any] = get_form(key)().load(data)
    return loaded


# --- required, unknown, wrong type -----------------------------------------------------------


def test_required_fields_say_so_in_dutch() -> None:
    errors = _errors("melding", {})
    assert errors["huurder_naam"] == ["Dit veld is verplicht."]
    assert errors["postcode"] == ["Dit veld is verplicht."]
    assert "vonnis" not in errors  # a checkbox left unticked is "nee"


def test_a_blank_required_field_counts_as_missing() -> None:
    errors = _errors("melding", _melding(huurder_naam="   "))
    assert errors == {"huurder_naam": ["Dit veld is verplicht."]}


def test_null_is_refused_in_dutch() -> None:
    errors = _errors("melding", {**EXAMPLES["melding"], "telefoon": None})
    assert errors == {"telefoon": ["Dit veld mag niet leeg zijn."]}


def test_unknown_field_is_refused_in_dutch() -> None:
    errors = _errors("status", {"status_code": "ontvangen", "bsn": "123456782"})
    assert errors == {"bsn": ["Onbekend veld: dit veld hoort niet bij dit formulier."]}


def test_a_computed_result_cannot_be_submitted() -> None:
    data = {**EXAMPLES["inventarisatie"], "afloscapaciteit": "999"}
    assert list(_errors("inventarisatie", data)) == ["afloscapaciteit"]


def test_input_that_is_not_an_object_is_refused_in_dutch() -> None:
    errors = _errors("status", ["ontvangen"])
    assert errors["_schema"] == [
        "Ongeldige invoer: verwacht een verzameling velden met hun waarden."
    ]


def test_invalid_choice_lists_the_dutch_labels() -> None:
    errors = _errors("status", {"status_code": "kwijt"})
    assert errors["status_code"][0].startswith("Kies een van de mogelijkheden: Melding ontvangen")


# --- F1 field formats ------------------------------------------------------------------------


@pytest.mark.parametrize("postcode", ["0931AB", "2931 A", "29310AB", "2931SS", "abcd ef"])
def test_invalid_postcode(postcode: str) -> None:
    errors = _errors("melding", _melding(postcode=postcode))
    assert errors == {
        "postcode": ["Vul een geldige Nederlandse postcode in, bijvoorbeeld 2931 AB."]
    }


@pytest.mark.parametrize("telefoon", ["12345", "06-1234567", "+44 20 7946 0958", "0612345678x"])
def test_invalid_phone(telefoon: str) -> None:
    errors = _errors("melding", _melding(telefoon=telefoon))
    assert list(errors) == ["telefoon"]
    assert "Nederlands telefoonnummer" in errors["telefoon"][0]


def test_invalid_email() -> None:
    errors = _errors("melding", _melding(email="jan@"))
    assert errors == {"email": ["Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl."]}


@pytest.mark.parametrize("huisnummer", ["0", "12a", "-3", "100000"])
def test_invalid_house_number(huisnummer: str) -> None:
    assert list(_errors("melding", _melding(huisnummer=huisnummer))) == ["huisnummer"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("huurprijs", "-1"), ("achterstand_bedrag", -0.01), ("achterstand_maanden", "-2")],
)
def test_negative_amounts_are_refused(field: str, value: Any) -> None:
    errors = _errors("melding", _melding(**{field: value}))
    assert list(errors) == [field]
    assert "mag niet negatief zijn" in errors[field][0]


def test_amount_that_is_not_a_number() -> None:
    errors = _errors("melding", _melding(huurprijs="zeshonderd"))
    assert errors == {"huurprijs": ["Vul een bedrag in euro's in, bijvoorbeeld 1234,56."]}


def test_date_in_the_wrong_format() -> None:
    errors = _errors("melding", _melding(signaaldatum="03-03-2025"))
    assert errors == {
        "signaaldatum": ["Vul een geldige datum in als JJJJ-MM-DD, bijvoorbeeld 2025-03-31."]
    }


def test_impossible_date() -> None:
    assert list(_errors("melding", _melding(ontstaansdatum="2025-02-30"))) == ["ontstaansdatum"]


# --- F1 cross-field rules --------------------------------------------------------------------


@pytest.mark.parametrize(("size", "children"), [(1, 1), (3, 3), (2, 5)])
def test_children_must_be_fewer_than_household_size(size: int, children: int) -> None:
    errors = _errors("melding", _melding(huishoudgrootte=size, kinderen_onder_18=children))
    assert list(errors) == ["kinderen_onder_18"]
    assert "moet kleiner zijn dan het aantal personen" in errors["kinderen_onder_18"][0]


def test_one_adult_with_children_is_fine() -> None:
    loaded = _load("melding", _melding(huishoudgrootte=3, kinderen_onder_18=2))
    assert loaded["kinderen_onder_18"] == 2


def test_arrears_cannot_arise_after_the_report() -> None:
    errors = _errors("melding", _melding(ontstaansdatum="2025-04-01", signaaldatum="2025-03-03"))
    assert errors == {
        "ontstaansdatum": [
            "De ontstaansdatum van de achterstand moet op of vóór de signaaldatum liggen."
        ]
    }


# --- signalering: the start form shares F1's signal fields and their rules --------------------


def _signalering(**changes: Any) -> dict[str, Any]:
    return {**EXAMPLES["signalering"], **changes}


@pytest.mark.parametrize("key", ["signalering", "melding"])
@pytest.mark.parametrize(("size", "children"), [(1, 1), (3, 3)])
def test_children_rule_holds_on_both_signal_forms(key: str, size: int, children: int) -> None:
    data = {**EXAMPLES[key], "huishoudgrootte": size, "kinderen_onder_18": children}
    errors = _errors(key, data)
    assert list(errors) == ["kinderen_onder_18"]


@pytest.mark.parametrize("key", ["signalering", "melding"])
def test_arrears_date_rule_holds_on_both_signal_forms(key: str) -> None:
    data = {**EXAMPLES[key], "ontstaansdatum": "2025-04-01", "signaaldatum": "2025-03-03"}
    assert list(_errors(key, data)) == ["ontstaansdatum"]


def test_signalering_requires_the_household_and_arrears() -> None:
    errors = _errors("signalering", {})
    assert set(errors) == {
        "huurder_naam",
        "postcode",
        "huisnummer",
        "huishoudgrootte",
        "kinderen_onder_18",
        "huurprijs",
        "achterstand_bedrag",
        "achterstand_maanden",
        "ontstaansdatum",
        "signaaldatum",
    }


def test_signalering_from_an_api_client_loads_typed_json() -> None:
    loaded = _load(
        "signalering",
        _signalering(
            huisnummer=12,
            huishoudgrootte=1,
            kinderen_onder_18=0,
            huurprijs=612.4,
            achterstand_bedrag=918.6,
            achterstand_maanden=1.5,
            gemeentelijke_uitkering=False,
            corporatie_dossiernummer="",
        ),
    )
    assert loaded["postcode"] == "2931AB"
    assert (loaded["achterstand_maanden"], loaded["gemeentelijke_uitkering"]) == (1.5, False)
    assert "corporatie_dossiernummer" not in loaded


def test_birth_date_before_the_report() -> None:
    errors = _errors("melding", _melding(geboortedatum="2025-03-04"))
    assert list(errors) == ["geboortedatum"]


def test_judgment_requires_its_date() -> None:
    errors = _errors("melding", _melding(vonnis="ja"))
    assert errors == {
        "vonnisdatum": ["Vul de datum van het vonnis in: er is een ontruimingsvonnis."]
    }


def test_judgment_date_requires_a_judgment() -> None:
    errors = _errors("melding", _melding(vonnisdatum="2025-02-01"))
    assert list(errors) == ["vonnis"]


@pytest.mark.parametrize(
    "change", [{"reden_melding": "ontruimingsvonnis"}, {"incassofase": "vonnis"}]
)
def test_reason_or_stage_judgment_requires_the_judgment(change: dict[str, str]) -> None:
    errors = _errors("melding", _melding(**change))
    assert list(errors) == ["vonnis"]


def test_eviction_date_not_before_the_judgment() -> None:
    errors = _errors(
        "melding",
        _melding(vonnis="ja", vonnisdatum="2025-02-10", ontruimingsdatum="2025-02-09"),
    )
    assert errors == {
        "ontruimingsdatum": ["De ontruimingsdatum moet op of na de datum van het vonnis liggen."]
    }


def test_judgment_with_dates_in_order_loads() -> None:
    loaded = _load(
        "melding",
        _melding(
            vonnis="ja",
            vonnisdatum="2025-02-10",
            ontruimingsdatum="2025-03-20",
            reden_melding="ontruimingsvonnis",
            incassofase="vonnis",
        ),
    )
    assert (loaded["vonnis"], loaded["ontruimingsdatum"]) == (True, "2025-03-20")


def test_unreachable_tenant_needs_a_contact_attempt() -> None:
    errors = _errors("melding", _melding(reden_melding="onbereikbaar", contactpogingen=[]))
    assert list(errors) == ["contactpogingen"]
    assert "minstens één contactpoging" in errors["contactpogingen"][0]


def test_nuisance_needs_a_description() -> None:
    errors = _errors("melding", _melding(overlast="ja"))
    assert list(errors) == ["overlast_omschrijving"]


def test_contact_attempt_items_report_errors_per_item() -> None:
    attempts = [
        {"soort": "brief", "datum": "2025-02-03"},
        {"soort": "postduif", "datum": "gisteren", "notitie": "x"},
        {"datum": "2025-02-04"},
    ]
    errors = _errors("melding", _melding(contactpogingen=attempts))
    item_errors = errors["contactpogingen"]
    assert set(item_errors) == {1, 2}
    assert item_errors[1]["soort"][0].startswith("Kies een van de mogelijkheden")
    assert item_errors[1]["datum"][0].startswith("Vul een geldige datum in")
    assert item_errors[1]["notitie"] == ["Onbekend veld: dit veld hoort niet bij dit formulier."]
    assert item_errors[2] == {"soort": ["Dit veld is verplicht."]}


def test_repeating_group_must_be_a_list() -> None:
    errors = _errors("melding", _melding(contactpogingen={"soort": "brief"}))
    assert errors == {"contactpogingen": ["Vul een lijst in."]}


# --- F5, F6 ----------------------------------------------------------------------------------


def test_plan_services_may_be_empty_but_not_repeated_or_unknown() -> None:
    plan = EXAMPLES["plan"]
    assert _load("plan", {**plan, "diensten": []})["diensten"] == []
    assert _load("plan", {k: v for k, v in plan.items() if k != "diensten"})["diensten"] == []
    errors = _errors("plan", {**plan, "diensten": ["schuldhulp", "schuldhulp"]})
    assert errors == {"diensten": ["Kies elke mogelijkheid hoogstens één keer."]}
    assert list(_errors("plan", {**plan, "diensten": ["kapper"]})["diensten"]) == [0]


def test_inventory_item_errors_and_negative_costs() -> None:
    data = {
        **EXAMPLES["inventarisatie"],
        "schulden": [{"schuldeiser": "Belastingdienst", "bedrag": "-5"}, {"bedrag": "10"}],
        "extra_kosten_reiskosten": "-1",
    }
    errors = _errors("inventarisatie", data)
    assert errors["schulden"] == {
        0: {"bedrag": ["Het bedrag mag niet negatief zijn."]},
        1: {"schuldeiser": ["Dit veld is verplicht."]},
    }
    assert errors["extra_kosten_reiskosten"] == ["Het bedrag mag niet negatief zijn."]


def test_inventory_defaults_make_the_computation_inputs_complete() -> None:
    minimal = {"leefsituatie": "alleenstaand", "woonkosten": "600"}
    loaded = _load("inventarisatie", minimal)
    assert loaded["inkomsten"] == [] and loaded["schulden"] == []
    assert loaded["extra_kosten_beschermingsbewind"] == 0.0
    assert loaded["vakantiegeld_per_maand"] == 0.0
    assert json.loads(json.dumps(loaded)) == loaded


# --- F7 (CV-20) ------------------------------------------------------------------------------


def _huur(start: str, end: str) -> dict[str, str]:
    return {
        **EXAMPLES["huur_uit_uitkering"],
        "huur_uit_uitkering_start": start,
        "huur_uit_uitkering_eind": end,
    }


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2025-04-01", "2025-07-01"),
        ("2024-11-30", "2025-02-28"),  # CV-20: 30 Nov + 3 months = 28 Feb
        ("2023-11-30", "2024-02-29"),  # leap year
        ("2025-01-31", "2025-04-30"),
        ("2025-04-01", "2025-04-02"),
    ],
)
def test_rent_from_benefit_for_at_most_three_months(start: str, end: str) -> None:
    assert _load("huur_uit_uitkering", _huur(start, end))["huur_uit_uitkering_eind"] == end


@pytest.mark.parametrize(
    ("start", "end", "latest"),
    [
        ("2025-04-01", "2025-07-02", "01-07-2025"),
        ("2024-11-30", "2025-03-01", "28-02-2025"),
        ("2023-11-30", "2024-03-01", "29-02-2024"),
    ],
)
def test_rent_from_benefit_longer_than_three_months_is_refused(
    start: str, end: str, latest: str
) -> None:
    errors = _errors("huur_uit_uitkering", _huur(start, end))
    assert errors == {
        "huur_uit_uitkering_eind": [
            "De huur wordt hoogstens 3 maanden uit de uitkering betaald: de einddatum mag "
            f"niet later zijn dan {latest}."
        ]
    }


@pytest.mark.parametrize("end", ["2025-04-01", "2025-03-31"])
def test_rent_from_benefit_end_after_start(end: str) -> None:
    errors = _errors("huur_uit_uitkering", _huur("2025-04-01", end))
    assert errors == {"huur_uit_uitkering_eind": ["De einddatum moet na de startdatum liggen."]}


# --- Beter Wonen's last-chance agreement (COVENANT.md §6) -----------------------------------


def _laatste_kans(**changes: Any) -> dict[str, Any]:
    data = {**EXAMPLES["laatste_kans"], **changes}
    return {key: value for key, value in data.items() if value is not None}


def test_signed_last_chance_agreement_loads() -> None:
    assert _load("laatste_kans", EXAMPLES["laatste_kans"]) == {
        "laatste_kans_getekend": True,
        "laatste_kans_start": "2025-04-01",
        "laatste_kans_eind": "2026-03-31",
        "laatste_kans_voorwaarden": EXAMPLES["laatste_kans"]["laatste_kans_voorwaarden"],
    }


def test_unsigned_agreement_needs_nothing_else() -> None:
    assert _load("laatste_kans", {"laatste_kans_getekend": "nee"}) == {
        "laatste_kans_getekend": False
    }
    offered = {"laatste_kans_voorwaarden": "Aangeboden: lopende huur betalen en aflossen."}
    assert _load("laatste_kans", offered)["laatste_kans_getekend"] is False


def test_signed_agreement_needs_its_period_and_conditions() -> None:
    errors = _errors("laatste_kans", {"laatste_kans_getekend": "ja"})
    assert errors == {
        "laatste_kans_start": ["Vul de startdatum in: de overeenkomst is getekend."],
        "laatste_kans_eind": ["Vul de einddatum in: de overeenkomst is getekend."],
        "laatste_kans_voorwaarden": ["Vul de voorwaarden in: de overeenkomst is getekend."],
    }
    blank = _laatste_kans(laatste_kans_voorwaarden="  ")
    assert list(_errors("laatste_kans", blank)) == ["laatste_kans_voorwaarden"]


@pytest.mark.parametrize(
    "dates", [{"laatste_kans_start": "2025-04-01"}, {"laatste_kans_eind": "2026-03-31"}]
)
def test_unsigned_agreement_has_no_period(dates: dict[str, str]) -> None:
    errors = _errors("laatste_kans", {"laatste_kans_getekend": "", **dates})
    assert errors == {
        "laatste_kans_getekend": [
            "Een start- of einddatum hoort alleen bij een getekende overeenkomst; vink "
            "'Overeenkomst getekend' aan of maak die datums leeg."
        ]
    }


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2025-04-01", "2026-03-31"),
        ("2025-04-01", "2026-04-01"),  # 12 months
        ("2025-04-01", "2026-04-08"),  # 12 months and a week
        ("2024-02-29", "2025-03-07"),  # 29 Feb + 12 months = 28 Feb, plus a week
        ("2025-04-01", "2025-04-02"),  # ended early, e.g. the arrears were paid
    ],
)
def test_last_chance_for_at_most_twelve_months_and_a_week(start: str, end: str) -> None:
    data = _laatste_kans(laatste_kans_start=start, laatste_kans_eind=end)
    assert _load("laatste_kans", data)["laatste_kans_eind"] == end


@pytest.mark.parametrize(
    ("start", "end", "latest"),
    [
        ("2025-04-01", "2026-04-09", "08-04-2026"),
        ("2024-02-29", "2025-03-08", "07-03-2025"),
        ("2025-04-01", "2027-04-01", "08-04-2026"),
    ],
)
def test_last_chance_longer_than_twelve_months_and_a_week_is_refused(
    start: str, end: str, latest: str
) -> None:
    errors = _errors("laatste_kans", _laatste_kans(laatste_kans_start=start, laatste_kans_eind=end))
    assert errors == {
        "laatste_kans_eind": [
            "Een laatstekansovereenkomst loopt hoogstens 12 maanden en een week: de einddatum "
            f"mag niet later zijn dan {latest}."
        ]
    }


@pytest.mark.parametrize("end", ["2025-04-01", "2025-03-01"])
def test_last_chance_end_after_start(end: str) -> None:
    errors = _errors(
        "laatste_kans", _laatste_kans(laatste_kans_start="2025-04-01", laatste_kans_eind=end)
    )
    assert errors == {"laatste_kans_eind": ["De einddatum moet na de startdatum liggen."]}


# --- Woonzorg Nederland's senior adviser (CV-21) ---------------------------------------------


def test_senior_adviser_example_and_the_minimum_load() -> None:
    loaded = _load("senioradvies", EXAMPLES["senioradvies"])
    assert loaded["senioradvies_gezien"] is True
    assert loaded["senioradvies_ondersteuning_nodig"] is True
    assert loaded["senioradvies_huisbezoek_gepland"] == "2025-01-16"
    assert _load("senioradvies", {"senioradvies_gezien": "on"}) == {
        "senioradvies_gezien": True,
        "senioradvies_ondersteuning_nodig": False,
    }


def test_senior_adviser_confirms_having_seen_the_signal_and_explains_support() -> None:
    errors = _errors("senioradvies", {"senioradvies_ondersteuning_nodig": "ja"})
    assert errors == {
        "senioradvies_gezien": [
            "Vink 'Signalering gezien' aan: daarmee bevestigt u dat u als senioradviseur "
            "bent geïnformeerd."
        ],
        "senioradvies_toelichting": [
            "Licht toe welke ondersteuning nodig is: u heeft aangegeven dat ondersteuning nodig is."
        ],
    }
    unseen = {**EXAMPLES["senioradvies"], "senioradvies_gezien": "nee"}
    assert list(_errors("senioradvies", unseen)) == ["senioradvies_gezien"]


# --- the other forms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "field", "value"),
    [
        ("contactpoging", "contact_kanaal", "postduif"),
        ("afsluiting", "uitkomst", "uitgesloten:anders"),
        ("gesprek_afspraken", "gesprek_besluit", "misschien"),
        ("woonoverlast_stap", "woonoverlast_stap", "boete"),
        ("indicatie", "indicatie_besluit", "onbekend"),
        ("triage", "opiumwet", "misschien"),
        ("opschorting", "datum_opschorting", "morgen"),
        ("monitoring", "status_code", "klaar"),
        ("escalatie", "escalatie_actie", "negeren"),
        ("signalering", "postcode", "2931SS"),
        ("laatste_kans", "laatste_kans_start", "1 april"),
        ("senioradvies", "senioradvies_huisbezoek_gepland", "2025-02-30"),
    ],
)
def test_other_forms_refuse_bad_values(key: str, field: str, value: str) -> None:
    errors = _errors(key, {**EXAMPLES[key], field: value})
    assert list(errors) == [field]


def test_boolean_refusal_is_dutch() -> None:
    errors = _errors("triage", {**EXAMPLES["triage"], "opiumwet": "misschien"})
    assert errors == {"opiumwet": ["Kies ja of nee."]}


def test_text_longer_than_allowed() -> None:
    errors = _errors("status", {"status_code": "x" * 300})
    assert "Gebruik hoogstens 200 tekens." in errors["status_code"]
