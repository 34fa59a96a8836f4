"""Team mailboxes on organisations; indexes for the metrics queries.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("team_email", sa.String(length=200), nullable=True))
    op.create_index("ix_case_events_lifecycle_at", "case_events", ["lifecycle", "at"])
    op.create_index("ix_case_events_activity", "case_events", ["activity_id", "lifecycle"])
    op.create_index("ix_cases_created_at", "cases", ["created_at"])


def downgrade():
    op.drop_index("ix_cases_created_at", table_name="cases")
    op.drop_index("ix_case_events_activity", table_name="case_events")
    op.drop_index("ix_case_events_lifecycle_at", table_name="case_events")
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("team_email")
