"""Forms drawn in the diagram: ``camunda:formData``, as Camunda Modeler's generated task forms.

A user task may carry its own simple form instead of a registered form key: fields of type
string, long, boolean, date or enum, with the constraints required, minlength, maxlength,
pattern (string), min and max (long, date), a default value and, per field, the properties
``readers`` (which parties may read the value; the task's own party when absent), ``personal``
(``false`` for values that are not personal data) and ``help`` (the explanation shown under the
input). ``read_form_fields`` turns the parsed extension (``task_spec.extensions["formData"]``)
into plain, JSON-able field definitions and lists every problem; lint refuses the diagram when
there is one, so the services only ever build forms from definitions that passed.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from app.roles import LANE_LABELS, role_for_lane

FIELD_TYPES = ("string", "long", "boolean", "date", "enum")
#: the constraints each type understands (camunda:validation/camunda:constraint names)
CONSTRAINTS: dict[str, frozenset[str]] = {
    "string": frozenset({"required", "minlength", "maxlength", "pattern"}),
    "long": frozenset({"required", "min", "max"}),
    "boolean": frozenset({"required"}),
    "date": frozenset({"required", "min", "max"}),
    "enum": frozenset({"required"}),
}
#: camunda:property ids a form field may carry
PROPERTIES = ("readers", "personal", "help")
#: the longest text a string field takes when the diagram sets no maxlength
DEFAULT_MAX_LENGTH = 2000
#: whole numbers a long field takes when the diagram sets no min/max (a Java long's range)
LONG_RANGE = (-(2**63), 2**63 - 1)
_TRUE = {"true", "ja", "yes", "1"}
_FALSE = {"false", "nee", "no", "0"}
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_PATTERN = 300


@dataclass(frozen=True)
class FormFieldDef:
    """One field of a diagram form, checked and typed (JSON-able through ``to_json``)."""

    id: str
    label: str
    type: str
    required: bool = False
    default: Any = None
    minimum: int | str | None = None
    maximum: int | str | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    choices: tuple[tuple[str, str], ...] = ()
    readers: tuple[str, ...] = ()
    personal: bool = True
    help: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["choices"] = [list(choice) for choice in self.choices]
        data["readers"] = list(self.readers)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FormFieldDef:
        values = dict(data)
        values["choices"] = tuple(tuple(choice) for choice in values.get("choices", ()))
        values["readers"] = tuple(values.get("readers", ()))
        return cls(**values)


@dataclass
class _Reading:
    problems: list[str] = field(default_factory=list)

    def add(self, field_id: str | None, message: str) -> None:
        where = f"formulierveld {field_id!r}" if field_id else "formulierveld"
        self.problems.append(f"{where}: {message}")


def read_form_fields(
    raw_fields: Iterable[Mapping[str, Any]], own_role: str | None
) -> tuple[list[FormFieldDef], list[str]]:
    """The fields of a diagram form and every problem with them (empty: the form is usable).

    ``own_role`` is the role of the task's lane: the default reader of every field.
    """
    reading = _Reading()
    fields: list[FormFieldDef] = []
    seen: set[str] = set()
    for raw in raw_fields:
        definition = _read_field(raw, own_role, reading)
        if definition is None:
            continue
        if definition.id in seen:
            reading.add(definition.id, "het ID komt twee keer voor in dit formulier")
            continue
        seen.add(definition.id)
        fields.append(definition)
    if not fields and not reading.problems:
        reading.problems.append("camunda:formData heeft geen velden")
    return fields, reading.problems


def _read_field(
    raw: Mapping[str, Any], own_role: str | None, reading: _Reading
) -> FormFieldDef | None:
    field_id = (raw.get("id") or "").strip()
    if not _usable_name(field_id):
        reading.add(
            field_id or None,
            "het ID moet een variabelenaam zijn: letters, cijfers en _, niet beginnend met een "
            "cijfer of _, en geen Python-sleutelwoord (het wordt een variabele van de zaak)",
        )
        return None
    kind = (raw.get("type") or "string").strip()
    if kind not in FIELD_TYPES:
        reading.add(
            field_id,
            f"type {kind!r} wordt niet ondersteund; gebruik een van {', '.join(FIELD_TYPES)}",
        )
        return None
    count = len(reading.problems)
    constraints = {str(k): v for k, v in (raw.get("constraints") or {}).items() if k}
    for name in sorted(set(constraints) - CONSTRAINTS[kind]):
        known = ", ".join(sorted(CONSTRAINTS[kind]))
        reading.add(
            field_id,
            f"controle (constraint) {name!r} wordt niet ondersteund bij een {kind}-veld ({known})",
        )
    choices = _choices(field_id, kind, raw.get("values") or [], reading)
    minimum = _bound(field_id, kind, "min", constraints.get("min"), reading)
    maximum = _bound(field_id, kind, "max", constraints.get("max"), reading)
    if minimum is not None and maximum is not None and minimum > maximum:  # type: ignore[operator]
        reading.add(field_id, f"min {minimum} is groter dan max {maximum}")
    min_length = _length(field_id, "minlength", constraints.get("minlength"), reading)
    max_length = _length(field_id, "maxlength", constraints.get("maxlength"), reading)
    if min_length is not None and max_length is not None and min_length > max_length:
        reading.add(field_id, f"minlength {min_length} is groter dan maxlength {max_length}")
    pattern = _pattern(field_id, constraints.get("pattern"), "pattern" in constraints, reading)
    properties = {str(k): v for k, v in (raw.get("properties") or {}).items() if k}
    for name in sorted(set(properties) - set(PROPERTIES)):
        reading.add(
            field_id, f"eigenschap (property) {name!r} is onbekend; gebruik {', '.join(PROPERTIES)}"
        )
    readers = _readers(field_id, properties.get("readers"), own_role, reading)
    personal = _flag(field_id, "personal", properties.get("personal"), True, reading)
    required = "required" in constraints
    definition = FormFieldDef(
        id=field_id,
        label=(raw.get("label") or "").strip() or field_id,
        type=kind,
        required=required,
        minimum=minimum,
        maximum=maximum,
        min_length=min_length,
        max_length=max_length,
        pattern=pattern,
        choices=choices,
        readers=readers,
        personal=personal,
        help=(properties.get("help") or "").strip(),
    )
    default = _default(definition, raw.get("defaultValue"), reading)
    if len(reading.problems) > count:
        return None
    return replace(definition, default=default)


def _usable_name(name: str) -> bool:
    return (
        name.isidentifier()
        and name.isascii()
        and not keyword.iskeyword(name)
        and not name.startswith("_")
        and len(name) <= 60
    )


def _choices(
    field_id: str, kind: str, values: Iterable[Any], reading: _Reading
) -> tuple[tuple[str, str], ...]:
    pairs = [(str(v[0] or "").strip(), str(v[1] or "").strip()) for v in values]
    if kind != "enum":
        if pairs:
            reading.add(field_id, "alleen een enum-veld heeft waarden (camunda:value)")
        return ()
    if not pairs:
        reading.add(field_id, "een enum-veld heeft ten minste één waarde (camunda:value) nodig")
        return ()
    ids = [value for value, _name in pairs]
    if any(not value for value in ids):
        reading.add(field_id, "elke waarde (camunda:value) heeft een ID nodig")
    if len(set(ids)) != len(ids):
        reading.add(field_id, "het ID van een waarde komt twee keer voor")
    return tuple((value, name or value) for value, name in pairs)


def _bound(field_id: str, kind: str, name: str, config: Any, reading: _Reading) -> int | str | None:
    if config is None or name not in CONSTRAINTS[kind]:
        return None
    text = str(config).strip()
    if kind == "long":
        if not re.fullmatch(r"-?\d+", text):
            reading.add(field_id, f"{name} {text!r} is geen geheel getal")
            return None
        number = int(text)
        if not LONG_RANGE[0] <= number <= LONG_RANGE[1]:
            reading.add(field_id, f"{name} {text!r} is te groot of te klein")
            return None
        return number
    if not _is_iso_date(text):
        reading.add(field_id, f"{name} {text!r} is geen datum in de vorm JJJJ-MM-DD")
        return None
    return text


def _is_iso_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _length(field_id: str, name: str, config: Any, reading: _Reading) -> int | None:
    if config is None:
        return None
    text = str(config).strip()
    if not text.isdigit() or int(text) > 100_000:
        reading.add(field_id, f"{name} {text!r} is geen geheel getal van 0 tot en met 100000")
        return None
    return int(text)


def _pattern(field_id: str, config: Any, present: bool, reading: _Reading) -> str | None:
    if not present:
        return None
    text = str(config or "")
    if not text:
        reading.add(field_id, "pattern heeft geen reguliere expressie (config)")
        return None
    if len(text) > _MAX_PATTERN:
        reading.add(field_id, f"pattern is langer dan {_MAX_PATTERN} tekens")
        return None
    try:
        re.compile(text)
    except re.error as exc:
        reading.add(field_id, f"pattern {text!r} is geen geldige reguliere expressie: {exc}")
        return None
    return text


def _readers(
    field_id: str, config: Any, own_role: str | None, reading: _Reading
) -> tuple[str, ...]:
    if config is None or not str(config).strip():
        return (own_role,) if own_role else ()
    roles: list[str] = []
    for part in re.split(r"[,;]", str(config)):
        name = part.strip()
        if not name:
            continue
        role = role_for_lane(name)
        if role is None:
            reading.add(
                field_id,
                f"lezer (readers) {name!r} is geen partij in de zaak; gebruik "
                f"{', '.join(LANE_LABELS)}",
            )
            continue
        if role not in roles:
            roles.append(role)
    return tuple(roles)


def _flag(field_id: str, name: str, config: Any, default: bool, reading: _Reading) -> bool:
    if config is None or not str(config).strip():
        return default
    text = str(config).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    reading.add(field_id, f"eigenschap {name} moet true of false zijn, niet {config!r}")
    return default


def _default(definition: FormFieldDef, raw: Any, reading: _Reading) -> Any:
    """The default value, typed like the field's loaded values (None: no default)."""
    if raw is None or not str(raw).strip():
        return None
    text = str(raw).strip()
    field_id = definition.id
    if text.startswith(("${", "#{")):
        reading.add(
            field_id,
            "een standaardwaarde (defaultValue) kan geen expressie zijn; geef een vaste waarde",
        )
        return None
    if definition.type == "long":
        if not re.fullmatch(r"-?\d+", text):
            reading.add(field_id, f"standaardwaarde {text!r} is geen geheel getal")
            return None
        number = int(text)
        low = definition.minimum if isinstance(definition.minimum, int) else LONG_RANGE[0]
        high = definition.maximum if isinstance(definition.maximum, int) else LONG_RANGE[1]
        if not low <= number <= high:
            reading.add(field_id, f"standaardwaarde {number} ligt buiten min/max")
            return None
        return number
    if definition.type == "boolean":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        reading.add(field_id, f"standaardwaarde {text!r} is niet true of false")
        return None
    if definition.type == "date":
        if not _is_iso_date(text):
            reading.add(field_id, f"standaardwaarde {text!r} is geen datum in de vorm JJJJ-MM-DD")
            return None
        return text
    if definition.type == "enum":
        if text not in {value for value, _name in definition.choices}:
            reading.add(field_id, f"standaardwaarde {text!r} is niet een van de waarden")
            return None
        return text
    return _default_text(definition, text, reading)


def _default_text(definition: FormFieldDef, text: str, reading: _Reading) -> str | None:
    limit = definition.max_length or DEFAULT_MAX_LENGTH
    if len(text) > limit or len(text) < (definition.min_length or 0):
        reading.add(definition.id, f"standaardwaarde {text!r} past niet binnen minlength/maxlength")
        return None
    if definition.pattern and not re.fullmatch(definition.pattern, text):
        reading.add(definition.id, f"standaardwaarde {text!r} past niet bij het pattern")
        return None
    return text
