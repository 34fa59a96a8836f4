"""Process owners' unfinished diagram changes, kept per user, process and file until deployed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Base
from app.models.types import UTCDateTime


class DiagramDraft(Base):
    """One user's saved, not yet deployed edit of one diagram file opened from one process."""

    __tablename__ = "diagram_drafts"
    __table_args__ = (
        UniqueConstraint(
            "user_id", "process_id", "file_name", name="uq_diagram_drafts_user_process_file"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: the process whose version the file was opened from (its own file or one it calls)
    process_id: Mapped[str] = mapped_column(String(100))
    #: the file's name in that version (``shared/meldpunt.bpmn``)
    file_name: Mapped[str] = mapped_column(String(300))
    #: the version the edit started from (to notice a newer deployment in between)
    base_version: Mapped[int | None]
    xml: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<DiagramDraft {self.process_id} {self.file_name} user={self.user_id}>"
