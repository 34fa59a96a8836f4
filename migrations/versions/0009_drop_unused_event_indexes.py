"""Drop the event-log indexes nothing reads any more.

The figures once aggregated ``case_events`` by time, lifecycle and activity; since 0003 they
read the metric projections, which are folded from the log in id order. The three indexes
only cost space (about 2.8 KB per case) and time on every write.

Revision ID: 0009
Revises: 0008
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_case_events_activity", table_name="case_events")
    op.drop_index("ix_case_events_lifecycle_at", table_name="case_events")
    op.drop_index("ix_case_events_at", table_name="case_events")


def downgrade():
    op.create_index("ix_case_events_at", "case_events", ["at"])
    op.create_index("ix_case_events_lifecycle_at", "case_events", ["lifecycle", "at"])
    op.create_index("ix_case_events_activity", "case_events", ["activity_id", "lifecycle"])
