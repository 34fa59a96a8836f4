"""Organisations (covenant parties) and their users."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Base
from app.models.types import UTCDateTime


class Organisation(Base):
    """A covenant party: a corporation, the Meldpunt, a municipal department, a care party."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: corporatie | meldpunt | gemeente | zorg | beheer
    kind: Mapped[str] = mapped_column(String(20))
    #: housing stock, for reports per 1,000 homes (corporations only)
    homes: Mapped[int | None]
    #: the process id of this corporation's variant (CV-25)
    process_id: Mapped[str | None] = mapped_column(String(100))
    #: the team mailbox that hears of new tasks and gets the daily overdue digest
    team_email: Mapped[str | None] = mapped_column(String(200))

    users: Mapped[list[User]] = relationship(back_populates="organisation")

    def __repr__(self) -> str:
        return f"<Organisation {self.key}>"


class User(Base):
    """A person (or system account) acting for one organisation in one role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(40), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    api_token_hash: Mapped[str | None] = mapped_column(String(128), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation] = relationship(back_populates="users")

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"
