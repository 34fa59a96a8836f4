"""Form field types with Dutch messages whose loaded values are JSON-serialisable.

Dates load as ISO strings, amounts as floats rounded to cents, never as ``date`` or ``Decimal``
objects: workflow data is stored as JSON (ANCHORS.md, complaint 6).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from marshmallow import ValidationError, fields, validate

#: Dutch texts for the messages every field can raise.
BASE_MESSAGES: dict[str, str] = {
    "required": "Dit veld is verplicht.",
    "null": "Dit veld mag niet leeg zijn.",
    "validator_failed": "Ongeldige waarde.",
}


class Text(fields.String):
    """Free text, trimmed; ``max_length`` characters at most."""

    default_error_messages = {  # noqa: RUF012 - marshmallow merges these per class
        **BASE_MESSAGES,
        "invalid": "Vul tekst in.",
        "invalid_utf8": "De tekst bevat ongeldige tekens.",
        "too_long": "Gebruik hoogstens {max} tekens.",
    }

    def __init__(self, *, max_length: int = 200, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(
            validate.Length(max=max_length, error=self.error_messages["too_long"])
        )

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        return text.strip()


class Choice(Text):
    """One value out of a fixed list; sets ``metadata["choices"]`` to the (value, label) pairs."""

    default_error_messages = {  # noqa: RUF012
        "one_of": "Kies een van de mogelijkheden: {labels}.",
    }

    def __init__(self, choices: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        metadata = {**kwargs.pop("metadata", {}), "choices": list(choices)}
        super().__init__(metadata=metadata, **kwargs)
        self.validators.append(
            validate.OneOf(
                [value for value, _label in choices],
                labels=[label for _value, label in choices],
                error=self.error_messages["one_of"],
            )
        )


class Bool(fields.Boolean):
    """Yes/no; also accepts ``ja``/``nee``. An unticked checkbox is absent: default ``False``."""

    truthy = fields.Boolean.truthy | {"ja", "Ja", "JA", "j", "J"}
    falsy = fields.Boolean.falsy | {"nee", "Nee", "NEE"}
    default_error_messages = {  # noqa: RUF012
        **BASE_MESSAGES,
        "invalid": "Kies ja of nee.",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("load_default", False)
        super().__init__(**kwargs)


class Count(fields.Field):
    """A whole number between ``minimum`` and ``maximum`` (loaded as ``int``)."""

    default_error_messages = {  # noqa: RUF012
        **BASE_MESSAGES,
        "invalid": "Vul een geheel getal in.",
        "range": "Vul een getal van {minimum} tot en met {maximum} in.",
    }

    def __init__(self, *, minimum: int = 0, maximum: int = 1000, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.minimum = minimum
        self.maximum = maximum

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> int:
        whole_float = isinstance(value, float) and value.is_integer()
        digits = isinstance(value, str) and re.fullmatch(r"\s*\d+\s*", value) is not None
        plain_int = isinstance(value, int) and not isinstance(value, bool)
        if not (plain_int or whole_float or digits):
            raise self.make_error("invalid")
        number = int(value)
        if not self.minimum <= number <= self.maximum:
            raise self.make_error("range", minimum=self.minimum, maximum=self.maximum)
        return number


def _parse_decimal(value: Any) -> Decimal | None:
    """A Decimal from a number or a string in Dutch or international notation.

    ``1.234,56``, ``1234,56``, ``1.234`` (thousands) and ``1234.56`` all work.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value)) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    text = re.sub(r"[\s€\u00a0]", "", value)
    if "," in text:
        # Dutch notation: the dot groups thousands, the comma separates the cents.
        text = text.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        # "1.491" is how a Dutch user writes 1491; an amount never has three decimals.
        text = text.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern above already excludes this
        return None


class Amount(fields.Field):
    """A non-negative amount in euros, loaded as a ``float`` rounded to cents."""

    default_error_messages = {  # noqa: RUF012
        **BASE_MESSAGES,
        "invalid": "Vul een bedrag in euro's in, bijvoorbeeld 1234,56.",
        "negative": "Het bedrag mag niet negatief zijn.",
        "too_large": "Het bedrag mag niet hoger zijn dan {maximum}.",
    }

    def __init__(self, *, maximum: int = 10_000_000, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.maximum = maximum

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> float:
        number = _parse_decimal(value)
        if number is None:
            raise self.make_error("invalid")
        if number < 0:
            raise self.make_error("negative")
        if number > self.maximum:
            raise self.make_error("too_large", maximum=self.maximum)
        return float(number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class Quantity(Amount):
    """A non-negative number that is not money (e.g. months of arrears), rounded to 2 decimals."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "Vul een getal in, bijvoorbeeld 2 of 1,5.",
        "negative": "Het getal mag niet negatief zijn.",
        "too_large": "Het getal mag niet groter zijn dan {maximum}.",
    }


class IsoDate(fields.Field):
    """A calendar date, given and loaded as an ISO string ``YYYY-MM-DD``."""

    default_error_messages = {  # noqa: RUF012
        **BASE_MESSAGES,
        "invalid": "Vul een geldige datum in als JJJJ-MM-DD, bijvoorbeeld 2025-03-31.",
        "range": "Vul een datum tussen 1900 en 2100 in.",
    }

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str:
        if isinstance(value, dt.datetime):
            raise self.make_error("invalid")
        if isinstance(value, dt.date):
            day = value
        elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            try:
                day = dt.date.fromisoformat(value.strip())
            except ValueError as error:
                raise self.make_error("invalid") from error
        else:
            raise self.make_error("invalid")
        if not 1900 <= day.year <= 2100:
            raise self.make_error("range")
        return day.isoformat()


class IsoDateTime(fields.Field):
    """A moment, given and loaded as an ISO 8601 string (the offset is kept when given)."""

    default_error_messages = {  # noqa: RUF012
        **BASE_MESSAGES,
        "invalid": "Vul een geldig tijdstip in als JJJJ-MM-DDTuu:mm, bijvoorbeeld "
        "2025-03-31T14:30.",
    }

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str:
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*", value):
            try:
                return dt.datetime.fromisoformat(value.strip()).isoformat()
            except ValueError as error:
                raise self.make_error("invalid") from error
        raise self.make_error("invalid")


class Postcode(Text):
    """A Dutch postcode, given as ``1234 AB`` or ``1234ab``, loaded as ``1234AB``."""

    default_error_messages = {  # noqa: RUF012
        "postcode": "Vul een geldige Nederlandse postcode in, bijvoorbeeld 2931 AB.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=10, **kwargs)

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        postcode = re.sub(r"\s", "", text).upper()
        # Letter pairs SA, SD and SS are not issued by PostNL.
        if not re.fullmatch(r"[1-9]\d{3}[A-Z]{2}", postcode) or postcode[4:] in {"SA", "SD", "SS"}:
            raise self.make_error("postcode")
        return postcode


class Phone(Text):
    """A Dutch phone number (``06 1234 5678``, ``0182-123456``, ``+31 6 ...``) as 10 digits."""

    default_error_messages = {  # noqa: RUF012
        "phone": "Vul een geldig Nederlands telefoonnummer van 10 cijfers in, bijvoorbeeld "
        "06 12345678 of 0182 123456.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=20, **kwargs)

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        digits = re.sub(r"[\s\-().]", "", text)
        if digits.startswith("+31"):
            digits = "0" + digits[3:]
        elif digits.startswith("0031"):
            digits = "0" + digits[4:]
        if not re.fullmatch(r"0[1-9]\d{8}", digits):
            raise self.make_error("phone")
        return digits


class EmailAddress(fields.Email):
    """An e-mail address, trimmed."""

    default_error_messages = {  # noqa: RUF012
        **BASE_MESSAGES,
        "invalid": "Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.",
        "invalid_utf8": "Het e-mailadres bevat ongeldige tekens.",
        "too_long": "Gebruik hoogstens {max} tekens.",
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.validators.append(validate.Length(max=254, error=self.error_messages["too_long"]))

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> str:
        address: str = super()._deserialize(value, attr, data, **kwargs)
        return address.strip()


class Repeat(fields.List):
    """A repeating group: a list of nested items (``metadata["repeat"] = True``)."""

    default_error_messages = {  # noqa: RUF012
        **BASE_MESSAGES,
        "invalid": "Vul een lijst in.",
    }

    def __init__(self, item: fields.Field, **kwargs: Any) -> None:
        metadata = {**kwargs.pop("metadata", {}), "repeat": True}
        kwargs.setdefault("load_default", list)
        super().__init__(item, metadata=metadata, **kwargs)


class Group(fields.Nested):
    """One item of a repeating group (a nested schema)."""

    default_error_messages = {  # noqa: RUF012
        **BASE_MESSAGES,
        "type": "Ongeldige invoer: verwacht een groep velden.",
    }


class ChoiceList(fields.List):
    """Several values out of a fixed list, each at most once; may be empty."""

    default_error_messages = {  # noqa: RUF012
        **BASE_MESSAGES,
        "invalid": "Vul een lijst in.",
        "duplicate": "Kies elke mogelijkheid hoogstens één keer.",
    }

    def __init__(self, choices: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        metadata = {**kwargs.pop("metadata", {}), "choices": list(choices)}
        kwargs.setdefault("load_default", list)
        super().__init__(Choice(choices, metadata={}), metadata=metadata, **kwargs)

    def _deserialize(
        self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any
    ) -> list[Any]:
        items = super()._deserialize(value, attr, data, **kwargs)
        if len(set(items)) != len(items):
            raise self.make_error("duplicate")
        return items


def field_error(field_name: str, message: str) -> ValidationError:
    """A cross-field error attached to one field (shown next to that input)."""
    return ValidationError(message, field_name=field_name)
