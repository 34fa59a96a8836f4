"""Process owners' diagram drafts: one saved edit per user, process and file (the workbench).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import app.models.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "diagram_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("process_id", sa.String(length=100), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("xml", sa.Text(), nullable=False),
        sa.Column("updated_at", app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_diagram_drafts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagram_drafts")),
        sa.UniqueConstraint(
            "user_id", "process_id", "file_name", name="uq_diagram_drafts_user_process_file"
        ),
    )


def downgrade():
    op.drop_table("diagram_drafts")
