"""Metric projections of the event log: small, non-personal, rebuilt from ``case_events``.

The event log stays the single source of truth. These tables are derived from it,
incrementally (``app.services.metrics.projection``), so that the evaluation meeting's
figures are aggregated in SQL over one row per task or case instead of millions of events.
Nothing here names a person: ids, roles, timestamps, outcome codes and a few case facts
(arrears at the report, whether there are children, whether the conditions were kept).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Base
from app.models.types import UTCDateTime

BigId = BigInteger().with_variant(Integer(), "sqlite")


class MetricTask(Base):
    """One user task instance: created, first claimed, completed or cancelled, due."""

    __tablename__ = "metric_tasks"
    __table_args__ = (
        UniqueConstraint("case_id", "task_id", name="uq_metric_tasks_case_task"),
        Index("ix_metric_tasks_completed", "completed_at", "role"),
        Index("ix_metric_tasks_created", "created_at"),
        Index("ix_metric_tasks_completed_month", "completed_month"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    task_id: Mapped[str] = mapped_column(String(36))
    activity_id: Mapped[str] = mapped_column(String(100))
    activity_name: Mapped[str | None] = mapped_column(String(200))
    #: the party (role key) whose task it is
    role: Mapped[str | None] = mapped_column(String(40))
    #: the case's corporation (a corporation's tasks are its own)
    corporation_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: working days past the due date at completion (0 when on time or without a due date)
    late_workdays: Mapped[int | None] = mapped_column(Integer)
    #: seconds waiting (created -> first claim), working (claim -> done) and open in all
    wait_s: Mapped[int | None] = mapped_column(Integer)
    work_s: Mapped[int | None] = mapped_column(Integer)
    open_s: Mapped[int | None] = mapped_column(Integer)
    #: the Amsterdam month of completion as YYYYMM (groups a year without date arithmetic)
    completed_month: Mapped[int | None] = mapped_column(Integer)


class MetricCase(Base):
    """One case: when it started, was reported (melding) and closed, and a few facts."""

    __tablename__ = "metric_cases"
    __table_args__ = (
        Index("ix_metric_cases_reported", "reported_at"),
        Index("ix_metric_cases_closed", "closed_at"),
        Index("ix_metric_cases_started", "started_at"),
        Index("ix_metric_cases_reported_month", "reported_month"),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    corporation_id: Mapped[int] = mapped_column(Integer)
    process_id: Mapped[str | None] = mapped_column(String(100))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: the Amsterdam month of the report as YYYYMM
    reported_month: Mapped[int | None] = mapped_column(Integer)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(60))
    priority: Mapped[str | None] = mapped_column(String(4))
    #: arrears in whole euros and in months, as known at the report (CV-04)
    arrears_amount: Mapped[float | None] = mapped_column(Float)
    arrears_months: Mapped[float | None] = mapped_column(Float)
    #: children under 18 in the household (CV-02): yes/no only, never the number
    children: Mapped[bool | None]
    #: the tenant kept the conditions (CV-06, CV-07, CV-08), as recorded at closing
    conditions_kept: Mapped[bool | None]
    facts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MetricCaseStep(Base):
    """The first moment a case reached a step of the chain (contact, assessment, ...)."""

    __tablename__ = "metric_case_steps"
    __table_args__ = (
        Index("ix_metric_case_steps_step_at", "step", "first_at"),
        Index("ix_metric_case_steps_first_month", "first_month"),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    step: Mapped[str] = mapped_column(String(40), primary_key=True)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: seconds from the report (the anchor step) to this step; None when reached before it
    lead_s: Mapped[int | None] = mapped_column(Integer)
    #: the Amsterdam month the step was reached as YYYYMM
    first_month: Mapped[int | None] = mapped_column(Integer)


class MetricPresence(Base):
    """A party's involvement in a case: from its first task until its last one ended."""

    __tablename__ = "metric_presence"
    __table_args__ = (
        UniqueConstraint("case_id", "role", name="uq_metric_presence_case_role"),
        Index("ix_metric_presence_role_started", "role", "started_at"),
        Index("ix_metric_presence_role_ended", "role", "ended_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    role: Mapped[str] = mapped_column(String(40))
    corporation_id: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: set while no task of the party is open; cleared when a new one opens
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    open_tasks: Mapped[int] = mapped_column(Integer, default=0)


class MetricState(Base):
    """How far the projections have read the event log."""

    __tablename__ = "metric_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigId, default=0)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MetricCell(Base):
    """A count of projection rows per Amsterdam month and key, or one bin of a histogram.

    Derived from the four tables above by ``app.services.metrics.cells`` (the months a refresh
    touched are recomputed in its transaction), so that a year's dashboard reads a few thousand
    cells instead of every task. ``kind`` says what is counted and which keys are filled:

    - ``task``: completed tasks per (role, activity in ``key``, corporation); ``flagged`` =
      with a due date, ``ok`` = done by it, ``label`` = the activity's name;
    - ``late``, ``wait``, ``work``: histograms of working days late (per role, activity and
      corporation) and seconds waiting and working (per role and corporation); ``open``: of
      seconds open per activity (``bin`` = the grid point, ``n`` = how many);
    - ``report``: reported cases per corporation, ``flagged`` = with children; ``euro`` and
      ``arrears_months``: histograms of the arrears at the report;
    - ``lead``: histogram of the time from the report to a step (``key``) per corporation.
    """

    __tablename__ = "metric_cells"
    __table_args__ = (Index("ix_metric_cells_kind_month", "kind", "month"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    #: the Amsterdam month as YYYYMM
    month: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    role: Mapped[str | None] = mapped_column(String(40))
    key: Mapped[str | None] = mapped_column(String(100))
    corporation_id: Mapped[int | None] = mapped_column(Integer)
    bin: Mapped[int | None] = mapped_column(Integer)
    n: Mapped[int] = mapped_column(Integer)
    flagged: Mapped[int | None] = mapped_column(Integer)
    ok: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(String(200))
