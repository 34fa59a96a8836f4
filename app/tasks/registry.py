"""The registry of service operations (``camunda:delegateExpression="${name}"``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Notify = Callable[[str, dict[str, Any]], None]


@dataclass
class OperationContext:
    """What an operation may know and do besides its parameters."""

    case_id: int | None
    case_reference: str | None
    activity_id: str
    now: datetime
    data: Mapping[str, Any]
    #: queue a side effect (mail, status message) through the outbox, sent after commit
    notify: Notify = field(default=lambda kind, payload: None)


Operation = Callable[[OperationContext, dict[str, Any]], dict[str, Any] | None]


@dataclass(frozen=True)
class RegisteredOperation:
    name: str
    func: Operation
    description: str
    parameters: tuple[str, ...]


OPERATIONS: dict[str, RegisteredOperation] = {}


def operation(
    name: str, *, description: str, parameters: tuple[str, ...] = ()
) -> Callable[[Operation], Operation]:
    """Register a function as the service operation ``name``."""

    def register(func: Operation) -> Operation:
        if name in OPERATIONS:
            raise ValueError(f"operation {name!r} is registered twice")
        OPERATIONS[name] = RegisteredOperation(name, func, description, parameters)
        return func

    return register


def get_operation(name: str) -> RegisteredOperation:
    """The registered operation, or KeyError naming what exists."""
    try:
        return OPERATIONS[name]
    except KeyError:
        known = ", ".join(sorted(OPERATIONS)) or "none"
        raise KeyError(f"unknown service operation {name!r} (registered: {known})") from None
