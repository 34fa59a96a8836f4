"""Append-only logs: the process event log, the personal-data audit log, the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Base
from app.models.types import JSONType, UTCDateTime

BigId = BigInteger().with_variant(Integer(), "sqlite")

#: lifecycle values of CaseEvent
LIFECYCLES = (
    "case_started",
    "created",
    "claimed",
    "released",
    "assigned",
    "completed",
    "cancelled",
    "timer_fired",
    "message",
    "case_closed",
    "case_migrated",
)


class CaseEvent(Base):
    """One thing that happened in a case; never updated, never deleted (metrics source)."""

    __tablename__ = "case_events"
    __table_args__ = (
        # a case's history; everything else reads the log in id order (the metrics'
        # projection) or joined to its case (exports)
        Index("ix_case_events_case_at", "case_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    lifecycle: Mapped[str] = mapped_column(String(20))
    activity_id: Mapped[str | None] = mapped_column(String(100))
    activity_name: Mapped[str | None] = mapped_column(String(200))
    #: the party (role key) the activity belongs to
    role: Mapped[str | None] = mapped_column(String(40))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    task_id: Mapped[str | None] = mapped_column(String(36))
    #: small non-personal details: due date, outcome, message name
    details: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class AuditEntry(Base):
    """Who read or wrote personal data of which case, and why (CV-23)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_case", "case_id", "at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    #: read | write | denied
    action: Mapped[str] = mapped_column(String(10))
    #: what was touched: form key, page, or field names
    subject: Mapped[str] = mapped_column(String(200))
    #: why: the task (activity id) or use case
    reason: Mapped[str | None] = mapped_column(String(200))


class OutboxMessage(Base):
    """A side effect (mail) written in the transaction, sent after commit, once."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "sent_at", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    kind: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
