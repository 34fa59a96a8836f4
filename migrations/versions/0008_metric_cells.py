"""Per-month counts and histograms of the metric projections (the dashboard's input).

A year's dashboard reads these cells instead of scanning every task. They are derived data:
the projections are emptied here and rebuilt, cells included, from the event log on the next
refresh.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TABLES = ("metric_case_steps", "metric_presence", "metric_tasks", "metric_cases", "metric_state")


def upgrade():
    for table in TABLES:
        op.execute(sa.text(f"DELETE FROM {table}"))  # rebuilt from case_events on refresh
    op.create_table(
        "metric_cells",
        sa.Column("id", BigId, nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=True),
        sa.Column("key", sa.String(length=100), nullable=True),
        sa.Column("corporation_id", sa.Integer(), nullable=True),
        sa.Column("bin", sa.Integer(), nullable=True),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("flagged", sa.Integer(), nullable=True),
        sa.Column("ok", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_cells")),
    )
    op.create_index("ix_metric_cells_kind_month", "metric_cells", ["kind", "month"])
    op.create_index("ix_metric_tasks_completed_month", "metric_tasks", ["completed_month"])
    op.create_index("ix_metric_cases_reported_month", "metric_cases", ["reported_month"])
    op.create_index("ix_metric_case_steps_first_month", "metric_case_steps", ["first_month"])


def downgrade():
    op.drop_index("ix_metric_case_steps_first_month", table_name="metric_case_steps")
    op.drop_index("ix_metric_cases_reported_month", table_name="metric_cases")
    op.drop_index("ix_metric_tasks_completed_month", table_name="metric_tasks")
    op.drop_index("ix_metric_cells_kind_month", table_name="metric_cells")
    op.drop_table("metric_cells")
