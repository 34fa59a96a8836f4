"""Serialization: specs once per version, case state without the spec (compressed)."""

from __future__ import annotations

import json
import zlib
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.event_definition import (
    TimerConditionalEventDefinitionConverter,
)
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    WorkflowConverter,
)
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.spiff.serializer.task_spec import ServiceTaskConverter

from app.engine.service_task import VoorkomServiceTask
from app.engine.timers import (
    ClockCycleTimerEventDefinition,
    ClockDurationTimerEventDefinition,
    ClockTimeDateEventDefinition,
)

VOORKOM_CONFIG = dict(SPIFF_CONFIG)
VOORKOM_CONFIG[ClockTimeDateEventDefinition] = TimerConditionalEventDefinitionConverter
VOORKOM_CONFIG[ClockDurationTimerEventDefinition] = TimerConditionalEventDefinitionConverter
VOORKOM_CONFIG[ClockCycleTimerEventDefinition] = TimerConditionalEventDefinitionConverter
VOORKOM_CONFIG[VoorkomServiceTask] = ServiceTaskConverter

SERIALIZER = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(VOORKOM_CONFIG))
#: stored with every case: restoring needs to know which format it was written in
SERIALIZER_VERSION = f"voorkom-1/{SERIALIZER.VERSION}"


class _StateConverter(BpmnWorkflowConverter):
    """BpmnWorkflowConverter.to_dict without the specs, which are stored once per version:
    converting them on every save would be most of the work, only to be thrown away."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        dct: dict[str, Any] = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct


_STATE_SERIALIZER = BpmnWorkflowSerializer(
    BpmnWorkflowSerializer.configure({**VOORKOM_CONFIG, BpmnWorkflow: _StateConverter})
)

_COMPACT = {"separators": (",", ":"), "ensure_ascii": False}


def dump_specs(spec: Any, subprocess_specs: dict[str, Any]) -> bytes:
    """The parsed spec and what it calls, as compressed JSON (stored once per version)."""
    payload = {
        "spec": SERIALIZER.registry.convert(spec),
        "subprocess_specs": {
            k: SERIALIZER.registry.convert(v) for k, v in subprocess_specs.items()
        },
    }
    return zlib.compress(json.dumps(payload, **_COMPACT).encode("utf-8"), 6)  # type: ignore[arg-type]


def load_specs(blob: bytes) -> tuple[Any, dict[str, Any]]:
    """Inverse of dump_specs."""
    payload = json.loads(zlib.decompress(blob))
    spec = SERIALIZER.registry.restore(payload["spec"])
    subs = {k: SERIALIZER.registry.restore(v) for k, v in payload["subprocess_specs"].items()}
    return spec, subs


def dump_state(workflow: BpmnWorkflow) -> bytes:
    """The case's state without its spec, as compressed JSON."""
    dct = _STATE_SERIALIZER.to_dict(workflow)
    return zlib.compress(json.dumps(dct, **_COMPACT).encode("utf-8"), 1)  # type: ignore[arg-type]


def load_state(
    blob: bytes, spec: Any, subprocess_specs: dict[str, Any], serializer_version: str
) -> BpmnWorkflow:
    """Rebuild a workflow from stored state and the (cached) spec objects."""
    if serializer_version != SERIALIZER_VERSION:
        raise ValueError(
            f"case state was written as {serializer_version}, "
            f"this engine reads {SERIALIZER_VERSION}"
        )
    dct = json.loads(zlib.decompress(blob))
    dct["spec"] = spec
    dct["subprocess_specs"] = dict(subprocess_specs)
    workflow: BpmnWorkflow = SERIALIZER.from_dict(dct)
    return workflow


def json_round_trip(workflow: BpmnWorkflow) -> BpmnWorkflow:
    """Serialize and restore fully (spec included): the benchmark's durable floor."""
    restored: BpmnWorkflow = SERIALIZER.deserialize_json(SERIALIZER.serialize_json(workflow))
    return restored
