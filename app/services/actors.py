"""Who is acting: a person, a system account, or the engine itself."""

from __future__ import annotations

from dataclasses import dataclass

from app.models import User

CORPORATION_ROLE = "corporatie"


@dataclass(frozen=True)
class Actor:
    """The identity a service call runs under."""

    user_id: int | None
    username: str
    role: str
    organisation_id: int | None
    display_name: str = ""

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.id, user.username, user.role, user.organisation_id, user.display_name)

    @property
    def is_system(self) -> bool:
        return self.user_id is None

    @property
    def is_corporation(self) -> bool:
        return self.role == CORPORATION_ROLE


#: the engine acting on its own (timers, the worker)
SYSTEM = Actor(user_id=None, username="systeem", role="systeem", organisation_id=None)
