"""The form registry: form key (``camunda:formKey``) -> marshmallow schema class, and who may
read which field (COVENANT.md §7, CV-23).
"""

from __future__ import annotations

from marshmallow import Schema

from app.forms.corporatie import (
    ContactCorporatieSchema,
    LaatsteKansSchema,
    OpschortingSchema,
    SignaleringSchema,
)
from app.forms.evaluatie import EvaluatieReviewSchema
from app.forms.gemeente import (
    BeoordelingOverlastSchema,
    HuurUitUitkeringSchema,
    IndicatieSchema,
    SenioradviesSchema,
    WoonoverlastStapSchema,
)
from app.forms.melding import MeldingSchema
from app.forms.meldpunt import (
    ContactpogingSchema,
    EscalatieSchema,
    KwetsbaarheidSchema,
    PlanSchema,
    TriageSchema,
)
from app.forms.schuldhulp import IntakeSchuldhulpSchema, InventarisatieSchema
from app.forms.traject import (
    AfsluitingSchema,
    GesprekAfsprakenSchema,
    MonitoringSchema,
    OverdrachtSchema,
    StatusSchema,
)
from app.roles import ALL_ROLES

#: form key -> schema class; F1–F10 first, then the trajectory-event forms, then the
#: corporation's start form and the Meldpunt's escalation, then the variants' own forms
#: (Beter Wonen's last-chance agreement, Woonzorg Nederland's senior adviser).
FORMS: dict[str, type[Schema]] = {
    schema.form_key: schema
    for schema in (
        MeldingSchema,
        TriageSchema,
        ContactpogingSchema,
        KwetsbaarheidSchema,
        PlanSchema,
        InventarisatieSchema,
        HuurUitUitkeringSchema,
        StatusSchema,
        OverdrachtSchema,
        AfsluitingSchema,
        GesprekAfsprakenSchema,
        OpschortingSchema,
        MonitoringSchema,
        IntakeSchuldhulpSchema,
        IndicatieSchema,
        WoonoverlastStapSchema,
        BeoordelingOverlastSchema,
        EvaluatieReviewSchema,
        ContactCorporatieSchema,
        SignaleringSchema,
        EscalatieSchema,
        LaatsteKansSchema,
        SenioradviesSchema,
    )
}


def get_form(key: str) -> type[Schema]:
    """The schema class for a form key; KeyError naming the known keys when there is none."""
    try:
        return FORMS[key]
    except KeyError:
        known = ", ".join(sorted(FORMS))
        raise KeyError(f"Unknown form key {key!r}; known form keys: {known}") from None


def form_keys() -> list[str]:
    """All form keys, in registry order."""
    return list(FORMS)


def readable_fields(form_key: str, role: str) -> set[str]:
    """The fields of a form that a role may read (field-level privacy, CV-23)."""
    if role not in ALL_ROLES:
        raise ValueError(f"Unknown role {role!r}; known roles: {', '.join(ALL_ROLES)}")
    schema_fields = get_form(form_key)._declared_fields
    return {
        name for name, field in schema_fields.items() if role in field.metadata.get("readers", ())
    }


def personal_fields(form_key: str) -> set[str]:
    """The fields of a form holding personal data: every read and write of them is logged."""
    schema_fields = get_form(form_key)._declared_fields
    return {name for name, field in schema_fields.items() if field.metadata.get("personal", True)}


def readable_variables(role: str) -> set[str]:
    """All workflow variables from any form that a role may read (to filter case data)."""
    return {name for key in FORMS for name in readable_fields(key, role)}
