"""Metric projections keep durations in seconds (percentiles without per-row arithmetic).

The projections are rebuilt from the event log on the next refresh: they are derived data.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("metric_case_steps", "metric_presence", "metric_tasks", "metric_cases", "metric_state")


def upgrade():
    for table in TABLES:
        op.execute(sa.text(f"DELETE FROM {table}"))  # rebuilt from case_events on refresh
    with op.batch_alter_table("metric_tasks") as batch:
        batch.add_column(sa.Column("wait_s", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("work_s", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("open_s", sa.Integer(), nullable=True))
    with op.batch_alter_table("metric_case_steps") as batch:
        batch.add_column(sa.Column("lead_s", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("metric_case_steps") as batch:
        batch.drop_column("lead_s")
    with op.batch_alter_table("metric_tasks") as batch:
        batch.drop_column("open_s")
        batch.drop_column("work_s")
        batch.drop_column("wait_s")
