"""The base schema every form inherits, and the metadata helper every field uses.

Conventions (other layers depend on them):

- ``metadata["label"]`` and ``metadata["help"]``: Dutch UI texts.
- ``metadata["readers"]``: the role keys (``app.roles``) that may read the field (COVENANT.md §7,
  CV-23). Process owners and the evaluation meeting never appear on a personal field.
- ``metadata["personal"]``: whether the value is personal data (reads and writes are logged).
- ``metadata["choices"]``: ``[(value, Dutch label), ...]`` on choice fields.
- ``metadata["repeat"]``: ``True`` on repeating groups (a list of nested items).

``schema.load(data)`` returns a flat dict of JSON-serialisable values only (str, int, float,
bool, None, lists and dicts of those): workflow data is stored as JSON.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, pre_load

from app.forms.fields import field_error

#: Roles of the case parties (the lanes), in the order of COVENANT.md §1.
CORPORATIE = "corporatie"
MELDPUNT = "meldpunt"
SCHULDHULP = "schuldhulp"
SOCIALE_ZAKEN = "sociale_zaken"
SOCIAAL_DOMEIN = "sociaal_domein"
OOV = "oov"
REGIEHOUDER = "regiehouder"
PROCESBEHEER = "procesbeheer"
EVALUATIE = "evaluatie"

#: Everyone working on the case may know whom it is about (identity: name, birth date, address).
CASE_PARTIES: tuple[str, ...] = (
    CORPORATIE,
    MELDPUNT,
    SCHULDHULP,
    SOCIALE_ZAKEN,
    SOCIAAL_DOMEIN,
    OOV,
    REGIEHOUDER,
)

#: Dutch messages for the schema-level errors marshmallow raises.
SCHEMA_MESSAGES: dict[str, str] = {
    "type": "Ongeldige invoer: verwacht een verzameling velden met hun waarden.",
    "unknown": "Onbekend veld: dit veld hoort niet bij dit formulier.",
}


def meta(
    label: str,
    help_text: str,
    readers: Iterable[str],
    *,
    personal: bool = True,
    **extra: Any,
) -> dict[str, Any]:
    """Build the metadata dict every form field carries (see the module docstring)."""
    return {
        "label": label,
        "help": help_text,
        "readers": tuple(readers),
        "personal": personal,
        **extra,
    }


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar month arithmetic, clamped to the month's end (30 Nov + 3 months = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last_day))


def as_date(value: object) -> dt.date | None:
    """The date of an ISO string as loaded by ``IsoDate`` (None when absent)."""
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    return None


def check_period_end(
    data: Mapping[str, Any],
    start_name: str,
    end_name: str,
    latest_end: Callable[[dt.date], dt.date],
    limit: str,
) -> None:
    """The end date lies after the start date and not after ``latest_end(start)``.

    ``limit`` states the maximum period; it opens the message on an end date that is too late.
    """
    start, end = as_date(data.get(start_name)), as_date(data.get(end_name))
    if start is None or end is None:
        return
    if end <= start:
        raise field_error(end_name, "De einddatum moet na de startdatum liggen.")
    latest = latest_end(start)
    if end > latest:
        raise field_error(
            end_name, f"{limit}: de einddatum mag niet later zijn dan {latest:%d-%m-%Y}."
        )


class VoorkomSchema(Schema):
    """Base of every form: unknown fields are refused, messages are Dutch, blanks are absent.

    An empty or whitespace-only string (an empty HTML input) counts as "not filled in": the key
    is dropped before loading, so required fields report "verplicht" and optional ones stay out
    of the result.
    """

    #: The form key (``camunda:formKey``); empty on nested item schemas.
    form_key: ClassVar[str] = ""
    #: The Dutch title of the form.
    title: ClassVar[str] = ""

    error_messages = SCHEMA_MESSAGES

    class Meta:
        unknown = RAISE

    @pre_load
    def drop_blank_values(self, data: Any, **_kwargs: Any) -> Any:
        """Treat blank strings as missing values."""
        if not isinstance(data, Mapping):
            return data
        return {
            key: value
            for key, value in data.items()
            if not (isinstance(value, str) and not value.strip())
        }
