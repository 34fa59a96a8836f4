"""The form registry, the conventions every form follows, and field-level privacy (CV-23)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import Any

import pytest
from marshmallow import Schema, fields

from app import roles
from app.forms import FORMS, form_keys, get_form, readable_fields
from app.forms.base import CASE_PARTIES, EVALUATIE, PROCESBEHEER
from app.forms.examples import EXAMPLES
from app.forms.registry import personal_fields, readable_variables

EXPECTED_KEYS = [
    "melding",
    "triage",
    "contactpoging",
    "kwetsbaarheid",
    "plan",
    "inventarisatie",
    "huur_uit_uitkering",
    "status",
    "overdracht",
    "afsluiting",
    "gesprek_afspraken",
    "opschorting",
    "monitoring",
    "intake_schuldhulp",
    "indicatie",
    "woonoverlast_stap",
    "beoordeling_overlast",
    "evaluatie_review",
    "contact_corporatie",
    "signalering",
    "escalatie",
    "laatste_kans",
    "senioradvies",
]

#: Names that appear on more than one form on purpose, with the same meaning.
SHARED_FIELDS = {
    "status_code": {"status", "monitoring"},
    "financiele_problemen": {"kwetsbaarheid", "intake_schuldhulp"},
    **{
        name: {"signalering", "melding"}
        for name in (
            "corporatie_dossiernummer",
            "huurder_naam",
            "postcode",
            "huisnummer",
            "huisnummer_toevoeging",
            "huishoudgrootte",
            "kinderen_onder_18",
            "huurprijs",
            "achterstand_bedrag",
            "achterstand_maanden",
            "ontstaansdatum",
            "signaaldatum",
            "gemeentelijke_uitkering",
        )
    },
}

#: Fragments of marshmallow's built-in English messages that must never reach a user.
ENGLISH = re.compile(r"Missing data|Not a valid|may not be|Unknown field|Invalid|Must be|Length")


def _all_fields(schema: Schema) -> list[tuple[str, fields.Field]]:
    """Every field of a schema, including those of nested item schemas."""
    found: list[tuple[str, fields.Field]] = []
    for name, field in schema.fields.items():
        found.append((name, field))
        inner = getattr(field, "inner", None)
        if isinstance(inner, fields.Nested) and isinstance(inner.schema, Schema):
            found.extend(_all_fields(inner.schema))
    return found


def test_registry_has_every_form_key() -> None:
    assert form_keys() == EXPECTED_KEYS
    assert set(FORMS) == set(EXPECTED_KEYS)
    for key in EXPECTED_KEYS:
        assert get_form(key) is FORMS[key]


def test_unknown_form_key_raises_a_clear_key_error() -> None:
    with pytest.raises(KeyError, match=r"Unknown form key 'bestaat_niet'.*melding"):
        get_form("bestaat_niet")


@pytest.mark.parametrize("key", EXPECTED_KEYS)
def test_schema_class_is_named_after_its_form_key(key: str) -> None:
    camel = "".join(part.capitalize() for part in key.split("_"))
    assert get_form(key).__name__ == f"{camel}Schema"


@pytest.mark.parametrize("key", EXPECTED_KEYS)
def test_example_loads_and_is_json_serialisable(key: str) -> None:
    loaded = get_form(key)().load(EXAMPLES[key])
    assert json.loads(json.dumps(loaded)) == loaded
    assert set(loaded) <= set(get_form(key)().load_fields)


def test_example_values_are_normalised() -> None:
    loaded = get_form("melding")().load(EXAMPLES["melding"])
    assert loaded["postcode"] == "2931AB"
    assert loaded["telefoon"] == "0612345678"
    assert loaded["huisnummer"] == 12
    assert loaded["achterstand_bedrag"] == 1491.0
    assert loaded["huurprijs"] == 745.5
    assert loaded["vonnis"] is False
    assert "vonnisdatum" not in loaded
    assert loaded["contactpogingen"][1] == {
        "soort": "huisbezoek",
        "datum": "2025-02-20",
        "bereikt": True,
    }


@pytest.mark.parametrize("key", EXPECTED_KEYS)
def test_every_field_carries_the_required_metadata(key: str) -> None:
    for name, field in _all_fields(get_form(key)()):
        meta = field.metadata
        assert meta.get("label") and meta.get("help"), name
        assert isinstance(meta.get("personal"), bool), name
        readers = meta.get("readers")
        assert isinstance(readers, tuple) and readers, name
        assert set(readers) <= set(roles.ALL_ROLES), name
        if "choices" in meta:
            assert all(isinstance(v, str) and label for v, label in meta["choices"]), name
        if isinstance(field, fields.List):
            nested = isinstance(field.inner, fields.Nested)
            assert meta.get("repeat", False) is nested, name


@pytest.mark.parametrize("key", EXPECTED_KEYS)
def test_no_english_error_message_is_left(key: str) -> None:
    schema = get_form(key)()
    assert not ENGLISH.search(" ".join(schema.error_messages.values()))
    for name, field in _all_fields(schema):
        texts = list(field.error_messages.values())
        texts += [str(getattr(v, "error", "")) for v in field.validators]
        assert not ENGLISH.search(" ".join(texts)), (name, texts)


def test_field_names_are_unique_across_forms_except_shared_ones() -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for key in EXPECTED_KEYS:
        for name in get_form(key)().fields:
            owners[name].add(key)
    duplicated = {name: keys for name, keys in owners.items() if len(keys) > 1}
    assert duplicated == SHARED_FIELDS


def _definition(field: fields.Field) -> dict[str, Any]:
    """What makes a field mean something: type, required-ness, bounds, validators, metadata."""
    return {
        "type": type(field),
        "required": field.required,
        "load_default": field.load_default,
        "bounds": {a: getattr(field, a, None) for a in ("minimum", "maximum")},
        "validators": [
            (type(v), {k: val for k, val in vars(v).items() if k != "error"})
            for v in field.validators
        ],
        "metadata": dict(field.metadata),
    }


def test_shared_fields_mean_the_same_everywhere() -> None:
    for name, keys in SHARED_FIELDS.items():
        definitions = [_definition(get_form(key)().fields[name]) for key in sorted(keys)]
        assert all(d == definitions[0] for d in definitions), name


def test_signalering_fields_are_all_shared_with_the_melding() -> None:
    """The start form (COVENANT.md §3 A1) collects nothing the melding (F1) does not."""
    signalering = set(get_form("signalering")().fields)
    assert signalering == {n for n, keys in SHARED_FIELDS.items() if "signalering" in keys}
    assert signalering <= set(get_form("melding")().fields)


def test_escalatie_is_for_the_meldpunt_only() -> None:
    fields_ = get_form("escalatie")().fields
    assert set(fields_) == {"escalatie_actie", "escalatie_toelichting"}
    assert all(f.metadata["readers"] == ("meldpunt",) for f in fields_.values())
    assert [v for v, _ in fields_["escalatie_actie"].metadata["choices"]] == [
        "zelf_oppakken",
        "herverdelen",
        "extra_capaciteit",
    ]


@pytest.mark.parametrize(
    ("key", "readers"),
    [
        ("laatste_kans", {"corporatie", "meldpunt"}),  # Beter Wonen's agreement (COVENANT.md §6)
        ("senioradvies", {"sociaal_domein", "meldpunt"}),  # Woonzorg's senior adviser (CV-21)
    ],
)
def test_variant_forms_are_read_by_their_parties_only(key: str, readers: set[str]) -> None:
    """The corporation never reads the senior adviser's assessment (COVENANT.md §7); the
    municipality does not read the corporation's agreement; every field is personal data."""
    names = set(get_form(key)().fields)
    assert all(name.startswith(f"{key}_") for name in names)
    assert personal_fields(key) == names
    for role in roles.ALL_ROLES:
        assert readable_fields(key, role) == (names if role in readers else set()), role


def test_field_names_are_snake_case() -> None:
    for key in EXPECTED_KEYS:
        for name, _field in _all_fields(get_form(key)()):
            assert re.fullmatch(r"[a-z][a-z0-9_]*", name), name


def test_triage_fields_are_the_dmn_1_inputs() -> None:
    assert set(get_form("triage")().fields) == {
        "opiumwet",
        "onrechtmatige_bewoning",
        "geen_verblijfsstatus",
        "extreme_overlast",
        "geen_legaal_inkomen",
        "kan_zelf_oplossen",
        "toegewezen_medewerker",
        "triage_toelichting",
    }


def test_outcome_choices_match_the_covenant() -> None:
    choices = [
        value for value, _ in get_form("afsluiting")().fields["uitkomst"].metadata["choices"]
    ]
    assert choices == [
        "voorkomen",
        "opgelost",
        "uitgesloten:opiumwet",
        "uitgesloten:bewoning",
        "uitgesloten:verblijfsstatus",
        "uitgesloten:overlast",
        "uitgesloten:inkomen",
        "geen_doelgroep",
        "geen_medewerking",
        "geen_contact",
        "vertrokken",
        "ontruimd",
    ]


# --- privacy (COVENANT.md §7, CV-23) ---------------------------------------------------------


@pytest.mark.parametrize("key", ["kwetsbaarheid", "inventarisatie", "triage", "contactpoging"])
def test_corporatie_reads_no_assessment_or_inventory(key: str) -> None:
    assert readable_fields(key, "corporatie") == set()


def test_corporatie_reads_status_and_rent_from_benefit_dates() -> None:
    assert readable_fields("status", "corporatie") == {"status_code"}
    assert readable_fields("huur_uit_uitkering", "corporatie") == {
        "huur_uit_uitkering_start",
        "huur_uit_uitkering_eind",
    }


def test_meldpunt_reads_the_report_and_the_afloscapaciteit_not_the_debts() -> None:
    assert readable_fields("melding", "meldpunt") == set(get_form("melding")().fields)
    readable = readable_fields("inventarisatie", "meldpunt")
    assert "afloscapaciteit" in readable
    assert not readable & {"schulden", "inkomsten", "vaste_lasten", "leefsituatie"}


def test_schuldhulp_reads_identity_contact_arrears_and_reason_from_the_report() -> None:
    readable = readable_fields("melding", "schuldhulp")
    assert {
        "huurder_naam",
        "postcode",
        "telefoon",
        "achterstand_bedrag",
        "reden_melding",
    } <= readable
    assert not readable & {"contactpogingen", "bekende_hulpverleners", "overlast_omschrijving"}
    assert readable_fields("inventarisatie", "schuldhulp") == set(
        get_form("inventarisatie")().fields
    )


def test_sociale_zaken_reads_identity_and_rent_but_not_arrears() -> None:
    readable = readable_fields("melding", "sociale_zaken")
    assert {"huurder_naam", "huurprijs", "corporatie_dossiernummer"} <= readable
    assert not readable & {"achterstand_bedrag", "telefoon", "reden_melding"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (PROCESBEHEER, {"vergaderdatum", "knelpunten", "besluiten"}),
        (EVALUATIE, {"vergaderdatum", "knelpunten", "besluiten"}),
        ("beheer", set()),
    ],
)
def test_process_owners_and_evaluation_read_nothing_personal(role: str, expected: set[str]) -> None:
    for key in EXPECTED_KEYS:
        assert not readable_fields(key, role) & personal_fields(key), key
    assert readable_variables(role) == expected


def test_personal_fields_are_never_readable_by_non_personal_roles() -> None:
    for key in EXPECTED_KEYS:
        for name, field in _all_fields(get_form(key)()):
            if field.metadata["personal"]:
                assert not set(field.metadata["readers"]) & roles.NON_PERSONAL_ROLES, name


def test_every_case_party_role_is_known() -> None:
    assert set(CASE_PARTIES) == set(roles.LANE_LABELS)


def test_readable_fields_rejects_an_unknown_role() -> None:
    with pytest.raises(ValueError, match="Unknown role 'hacker'"):
        readable_fields("melding", "hacker")
