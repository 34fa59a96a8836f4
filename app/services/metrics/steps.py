"""Which task marks which step of the chain: diagram property, data file, or form key.

The declarative mapping lives in ``steps.toml`` (next to this module) and in the diagrams
themselves (``camunda:property name="metric_step"``), so a new or redrawn diagram needs no
code: see the comments in ``steps.toml``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from lxml import etree
from sqlalchemy import select

from app.extensions import db
from app.models import ProcessVersion

STEPS_FILE = Path(__file__).with_name("steps.toml")
#: the diagram property a process owner sets on an element to name its step
STEP_PROPERTY = "metric_step"
_CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
_SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"


@dataclass(frozen=True)
class Step:
    """A step of the chain whose lead time from the report is measured."""

    key: str
    label: str
    forms: tuple[str, ...] = ()
    activities: tuple[str, ...] = ()


@dataclass(frozen=True)
class StepConfig:
    """The steps in order, and the anchor (the report) lead times are measured from."""

    anchor: str
    steps: tuple[Step, ...]

    def label(self, key: str) -> str:
        for step in self.steps:
            if step.key == key:
                return step.label
        return key

    @property
    def measured(self) -> tuple[Step, ...]:
        """Every step except the anchor: the lead times report -> step."""
        return tuple(s for s in self.steps if s.key != self.anchor)


@cache
def step_config(path: Path = STEPS_FILE) -> StepConfig:
    """The steps from the data file (read once)."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    steps = tuple(
        Step(
            key=key,
            label=str(spec.get("label", key)),
            forms=tuple(spec.get("forms", ())),
            activities=tuple(spec.get("activities", ())),
        )
        for key, spec in raw.get("steps", {}).items()
    )
    anchor = str(raw.get("anchor", steps[0].key if steps else "melding"))
    return StepConfig(anchor=anchor, steps=steps)


@dataclass
class StepMap:
    """Activity id -> step, and process id -> step reached at the case's start."""

    by_activity: dict[str, str] = field(default_factory=dict)
    by_start: dict[str, str] = field(default_factory=dict)

    def step_of(self, activity_id: str | None) -> str | None:
        return self.by_activity.get(activity_id) if activity_id else None


def diagram_steps(sources: Iterable[str]) -> dict[str, str]:
    """Element id -> step for every element carrying the metric_step property."""
    found: dict[str, str] = {}
    for text in sources:
        found.update(_diagram_steps(text))
    return found


@lru_cache(maxsize=256)
def _diagram_steps(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return found
    for ns in (_CAMUNDA, _SPIFF):
        for prop in root.iter(f"{{{ns}}}property"):
            if prop.get("name") != STEP_PROPERTY or not prop.get("value"):
                continue
            element = prop.getparent()
            while element is not None and element.get("id") is None:
                element = element.getparent()
            if element is not None:
                found[str(element.get("id"))] = str(prop.get("value")).strip()
    return found


def build_step_map(
    versions: Iterable[tuple[str, dict[str, Any], dict[str, str]]], config: StepConfig
) -> StepMap:
    """Resolve the mapping over deployed versions: (process id, summary, sources) each.

    A diagram property beats the data file's activity list, which beats the form key.
    """
    by_form = {form: step.key for step in config.steps for form in step.forms}
    listed = {activity: step.key for step in config.steps for activity in step.activities}
    from_forms: dict[str, str] = {}
    from_diagrams: dict[str, str] = {}
    by_start: dict[str, str] = {}
    for process_id, summary, sources in versions:
        for task in summary.get("user_tasks", []):
            activity, form = task.get("id"), task.get("form_key")
            if activity and form in by_form:
                from_forms.setdefault(activity, by_form[form])
        start_form = summary.get("start_form")
        if start_form in by_form:
            by_start[process_id] = by_form[start_form]
        from_diagrams.update(diagram_steps(sources.values()))
    return StepMap(by_activity={**from_forms, **listed, **from_diagrams}, by_start=by_start)


def current_step_map(config: StepConfig | None = None) -> StepMap:
    """The mapping over every deployed process version."""
    config = config or step_config()
    rows = db.session.execute(
        select(ProcessVersion.process_id, ProcessVersion.summary, ProcessVersion.sources)
    ).all()
    return build_step_map([(r[0], r[1] or {}, r[2] or {}) for r in rows], config)
