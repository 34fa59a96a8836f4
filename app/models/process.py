"""Deployed process versions: immutable, numbered, identified by content hash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Base
from app.models.types import JSONType, UTCDateTime


class ProcessVersion(Base):
    """One deployed version of one process, with the sources it was parsed from."""

    __tablename__ = "process_versions"
    __table_args__ = (
        UniqueConstraint("process_id", "version", name="uq_process_versions_process_version"),
        UniqueConstraint("process_id", "content_hash", name="uq_process_versions_process_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    process_id: Mapped[str] = mapped_column(String(100), index=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    #: {file name: XML text} of every file the process needs (its own, called ones, DMN)
    sources: Mapped[dict[str, str]] = mapped_column(JSONType)
    #: zlib-compressed JSON of the serialized spec and the specs it calls
    spec_blob: Mapped[bytes] = mapped_column(LargeBinary)
    #: metadata derived at deploy time: lanes, user tasks, called processes, decisions
    summary: Mapped[dict[str, Any]] = mapped_column(JSONType)
    deployed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    deployed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deployment_name: Mapped[str | None] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<ProcessVersion {self.process_id} v{self.version}>"
