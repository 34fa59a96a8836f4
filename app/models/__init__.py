"""SQLAlchemy models. Import from here."""

from app.models.case import CASE_CLOSED, CASE_ERROR, CASE_OPEN, Case, HumanTask
from app.models.draft import DiagramDraft
from app.models.log import AuditEntry, CaseEvent, OutboxMessage
from app.models.metrics import (
    MetricCase,
    MetricCaseStep,
    MetricCell,
    MetricPresence,
    MetricState,
    MetricTask,
)
from app.models.organisation import Organisation, User
from app.models.process import ProcessVersion

__all__ = [
    "CASE_CLOSED",
    "CASE_ERROR",
    "CASE_OPEN",
    "AuditEntry",
    "Case",
    "CaseEvent",
    "DiagramDraft",
    "HumanTask",
    "MetricCase",
    "MetricCaseStep",
    "MetricCell",
    "MetricPresence",
    "MetricState",
    "MetricTask",
    "Organisation",
    "OutboxMessage",
    "ProcessVersion",
    "User",
]
