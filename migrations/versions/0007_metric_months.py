"""Metric projections keep the Amsterdam month (YYYYMM) of completion, report and step.

The dashboard groups a year by these integers instead of comparing every row with twelve
month boundaries. The projections are rebuilt from the event log on the next refresh.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("metric_case_steps", "metric_presence", "metric_tasks", "metric_cases", "metric_state")


def upgrade():
    for table in TABLES:
        op.execute(sa.text(f"DELETE FROM {table}"))  # rebuilt from case_events on refresh
    with op.batch_alter_table("metric_tasks") as batch:
        batch.add_column(sa.Column("completed_month", sa.Integer(), nullable=True))
    with op.batch_alter_table("metric_cases") as batch:
        batch.add_column(sa.Column("reported_month", sa.Integer(), nullable=True))
    with op.batch_alter_table("metric_case_steps") as batch:
        batch.add_column(sa.Column("first_month", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("metric_case_steps") as batch:
        batch.drop_column("first_month")
    with op.batch_alter_table("metric_cases") as batch:
        batch.drop_column("reported_month")
    with op.batch_alter_table("metric_tasks") as batch:
        batch.drop_column("completed_month")
