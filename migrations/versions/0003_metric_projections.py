"""Metric projections of the event log: tasks, cases, steps, party presence, read position.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

import app.models.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Moment = app.models.types.UTCDateTime


def upgrade():
    op.create_table(
        "metric_tasks",
        sa.Column("id", BigId, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("activity_id", sa.String(length=100), nullable=False),
        sa.Column("activity_name", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=40), nullable=True),
        sa.Column("corporation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", Moment(timezone=True), nullable=False),
        sa.Column("due_at", Moment(timezone=True), nullable=True),
        sa.Column("claimed_at", Moment(timezone=True), nullable=True),
        sa.Column("completed_at", Moment(timezone=True), nullable=True),
        sa.Column("cancelled_at", Moment(timezone=True), nullable=True),
        sa.Column("late_workdays", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_metric_tasks_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_tasks")),
        sa.UniqueConstraint("case_id", "task_id", name="uq_metric_tasks_case_task"),
    )
    op.create_index("ix_metric_tasks_completed", "metric_tasks", ["completed_at", "role"])
    op.create_index("ix_metric_tasks_created", "metric_tasks", ["created_at"])

    op.create_table(
        "metric_cases",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("corporation_id", sa.Integer(), nullable=False),
        sa.Column("process_id", sa.String(length=100), nullable=True),
        sa.Column("started_at", Moment(timezone=True), nullable=False),
        sa.Column("reported_at", Moment(timezone=True), nullable=True),
        sa.Column("closed_at", Moment(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=60), nullable=True),
        sa.Column("priority", sa.String(length=4), nullable=True),
        sa.Column("arrears_amount", sa.Float(), nullable=True),
        sa.Column("arrears_months", sa.Float(), nullable=True),
        sa.Column("children", sa.Boolean(), nullable=True),
        sa.Column("conditions_kept", sa.Boolean(), nullable=True),
        sa.Column("facts_at", Moment(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_metric_cases_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_metric_cases")),
    )
    op.create_index("ix_metric_cases_reported", "metric_cases", ["reported_at"])
    op.create_index("ix_metric_cases_closed", "metric_cases", ["closed_at"])
    op.create_index("ix_metric_cases_started", "metric_cases", ["started_at"])

    op.create_table(
        "metric_case_steps",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=False),
        sa.Column("first_at", Moment(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_metric_case_steps_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("case_id", "step", name=op.f("pk_metric_case_steps")),
    )
    op.create_index("ix_metric_case_steps_step_at", "metric_case_steps", ["step", "first_at"])

    op.create_table(
        "metric_presence",
        sa.Column("id", BigId, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("corporation_id", sa.Integer(), nullable=True),
        sa.Column("started_at", Moment(timezone=True), nullable=False),
        sa.Column("ended_at", Moment(timezone=True), nullable=True),
        sa.Column("open_tasks", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_metric_presence_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_presence")),
        sa.UniqueConstraint("case_id", "role", name="uq_metric_presence_case_role"),
    )
    op.create_index("ix_metric_presence_role_started", "metric_presence", ["role", "started_at"])
    op.create_index("ix_metric_presence_role_ended", "metric_presence", ["role", "ended_at"])

    op.create_table(
        "metric_state",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("last_event_id", BigId, nullable=False),
        sa.Column("updated_at", Moment(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_metric_state")),
    )


def downgrade():
    op.drop_table("metric_state")
    op.drop_index("ix_metric_presence_role_ended", table_name="metric_presence")
    op.drop_index("ix_metric_presence_role_started", table_name="metric_presence")
    op.drop_table("metric_presence")
    op.drop_index("ix_metric_case_steps_step_at", table_name="metric_case_steps")
    op.drop_table("metric_case_steps")
    op.drop_index("ix_metric_cases_started", table_name="metric_cases")
    op.drop_index("ix_metric_cases_closed", table_name="metric_cases")
    op.drop_index("ix_metric_cases_reported", table_name="metric_cases")
    op.drop_table("metric_cases")
    op.drop_index("ix_metric_tasks_created", table_name="metric_tasks")
    op.drop_index("ix_metric_tasks_completed", table_name="metric_tasks")
    op.drop_table("metric_tasks")
