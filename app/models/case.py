"""Cases (process instances) and the index of their open user tasks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DDL, ForeignKey, Index, LargeBinary, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Base
from app.models.organisation import Organisation, User
from app.models.process import ProcessVersion
from app.models.types import JSONType, UTCDateTime

CASE_OPEN = "open"
CASE_CLOSED = "closed"
CASE_ERROR = "error"


class Case(Base):
    """One household's trajectory on one process version."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_corporation_status", "corporation_id", "status"),
        Index("ix_cases_status_next_timer", "status", "next_timer_due"),
        Index("ix_cases_created_at", "created_at"),
        #: task-list search on part of a reference ("00123"): trigrams on PostgreSQL (a plain
        #: index elsewhere); see migration 0004
        Index(
            "ix_cases_reference_trgm",
            "reference",
            postgresql_using="gin",
            postgresql_ops={"reference": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    process_version_id: Mapped[int] = mapped_column(ForeignKey("process_versions.id"), index=True)
    corporation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    status: Mapped[str] = mapped_column(String(20), default=CASE_OPEN)
    outcome: Mapped[str | None] = mapped_column(String(60))
    priority: Mapped[str | None] = mapped_column(String(4))
    #: personal: shown only to roles that may see identity (COVENANT.md §7)
    household: Mapped[str | None] = mapped_column(String(200))
    #: workflow state without the spec, zlib-compressed JSON
    state: Mapped[bytes] = mapped_column(LargeBinary)
    serializer_version: Mapped[str] = mapped_column(String(20))
    #: bumped on every change; also how SQLite takes the case's write lock
    lock_version: Mapped[int] = mapped_column(default=0)
    next_timer_due: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(String(500))

    process_version: Mapped[ProcessVersion] = relationship()
    corporation: Mapped[Organisation] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status == CASE_OPEN

    def __repr__(self) -> str:
        return f"<Case {self.reference} {self.status}>"


#: the trigram operator class the reference index needs (PostgreSQL)
event.listen(
    Case.__table__,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"),
)


class HumanTask(Base):
    """An open user task, indexed for task lists; removed when completed or cancelled."""

    __tablename__ = "human_tasks"
    __table_args__ = (
        UniqueConstraint("case_id", "task_id", name="uq_human_tasks_case_task"),
        Index("ix_human_tasks_role_due", "role", "due_at"),
        Index("ix_human_tasks_scope", "role", "organisation_id", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    #: SpiffWorkflow task id (UUID text)
    task_id: Mapped[str] = mapped_column(String(36))
    activity_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    process_id: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(40))
    #: set for roles scoped to one organisation (a corporation's own cases)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    form_key: Mapped[str | None] = mapped_column(String(60))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    priority: Mapped[str | None] = mapped_column(String(4))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: a saved, not yet submitted form (the owner's draft)
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSONType)

    case: Mapped[Case] = relationship()
    claimed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<HumanTask {self.activity_id} case={self.case_id}>"
