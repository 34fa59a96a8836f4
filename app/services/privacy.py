"""Which case data a role may see (COVENANT.md §7), field by field."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from app.forms.registry import FORMS
from app.roles import NON_PERSONAL_ROLES
from app.services.diagram_forms import field_readers, summary_readers

#: variables the engine and service tasks write, with the roles that may read them
ENGINE_VARIABLES: dict[str, tuple[str, ...]] = {
    "status_code": ("corporatie", "meldpunt"),
    "statusberichten": ("corporatie", "meldpunt"),
    "incasso_opgeschort": ("corporatie", "meldpunt"),
    "opschorting_datum": ("corporatie", "meldpunt"),
    "uitkomst": ("meldpunt",),
    "prioriteit": ("meldpunt", "schuldhulp", "sociale_zaken", "sociaal_domein", "oov"),
    "doelgroep_uitkomst": ("meldpunt",),
    "dagen_tot_ontruiming": ("meldpunt",),
    "afloscapaciteit": ("meldpunt", "schuldhulp"),
    "afloscapaciteit_indicatief": ("meldpunt", "schuldhulp"),
    "afloscapaciteit_norm_datum": ("meldpunt", "schuldhulp"),
    "inkomensbeheer_startdatum": ("meldpunt", "schuldhulp", "sociale_zaken"),
    "huur_uit_uitkering_einde": ("corporatie", "meldpunt", "sociale_zaken"),
    "huur_uit_uitkering_start": ("corporatie", "meldpunt", "sociale_zaken"),
    "huur_uit_uitkering_eind": ("corporatie", "meldpunt", "sociale_zaken"),
}


@cache
def readable_variables(role: str) -> frozenset[str]:
    """Every variable name the role may read."""
    if role in NON_PERSONAL_ROLES:
        return frozenset()
    names = {name for name, readers in ENGINE_VARIABLES.items() if role in readers}
    for schema in FORMS.values():
        for name, field in schema._declared_fields.items():
            readers = field.metadata.get("readers", ())
            if role in readers:
                names.add(field.data_key or name)
    return frozenset(names)


def visible_data(
    role: str, data: dict[str, Any], *, summary: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The part of the case data the role may see.

    Variables of forms drawn in a diagram follow that diagram's readers: those of the case's
    version when its ``summary`` is given, else what every deployed version allows.
    """
    allowed = readable_variables(role)
    if role not in NON_PERSONAL_ROLES:
        drawn = summary_readers(summary) if summary is not None else field_readers()
        allowed = allowed | {name for name, readers in drawn.items() if role in readers}
    return {key: value for key, value in data.items() if key in allowed}
