"""The only package that imports SpiffWorkflow: parsing, specs, state, restriction, clock."""

from app.engine.clock import Clock, ManualClock, SystemClock
from app.engine.runner import (
    CaseRuntime,
    EngineError,
    FiredTimer,
    NotWaitingForMessage,
    RunawayCase,
    TaskNotReady,
    UserTaskView,
)
from app.engine.script_engine import ServiceCall, VoorkomScriptEngine
from app.engine.serializer import SERIALIZER_VERSION
from app.engine.specs import (
    SPEC_CACHE,
    DiagramError,
    ParsedProcess,
    Problem,
    is_timer_started,
    parse_sources,
)

__all__ = [
    "SERIALIZER_VERSION",
    "SPEC_CACHE",
    "CaseRuntime",
    "Clock",
    "DiagramError",
    "EngineError",
    "FiredTimer",
    "ManualClock",
    "NotWaitingForMessage",
    "ParsedProcess",
    "Problem",
    "RunawayCase",
    "ServiceCall",
    "SystemClock",
    "TaskNotReady",
    "UserTaskView",
    "VoorkomScriptEngine",
    "is_timer_started",
    "parse_sources",
]
