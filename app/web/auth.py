"""Who is signed in: Flask-Login bound to our users, and the actor the services act as."""

from __future__ import annotations

from flask_login import UserMixin, current_user

from app.extensions import db, login_manager
from app.models import User
from app.services.actors import Actor


class SessionUser(UserMixin):
    """The signed-in user as the web layer sees it."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.actor = Actor.of(user)

    def get_id(self) -> str:
        return str(self.user.id)

    @property
    def is_active(self) -> bool:
        return bool(self.user.active)


@login_manager.user_loader
def load_user(user_id: str) -> SessionUser | None:
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active:
        return None
    return SessionUser(user)


def current_actor() -> Actor | None:
    """The actor of the signed-in user, or None."""
    if current_user.is_authenticated:
        actor: Actor = current_user.actor
        return actor
    return None
