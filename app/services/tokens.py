"""API bearer tokens: one per user or system account, stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from app.extensions import db
from app.models import Organisation, User
from app.roles import ALL_ROLES
from app.services.errors import InvalidInput, NotFound

#: 32 random bytes: a SHA-256 of the token is as good as a slow hash (nothing to guess)
TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    """The stored form of a token (hex SHA-256)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"Gebruiker {username!r} bestaat niet.")
    return user


def issue_token(username: str) -> str:
    """A new token for the account, replacing any earlier one; shown once, stored as a hash."""
    user = _user(username)
    if not user.active:
        raise InvalidInput(f"Gebruiker {username!r} is niet actief.")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    user.api_token_hash = hash_token(token)
    db.session.flush()
    return token


def revoke_token(username: str) -> None:
    """The account's token stops working at once."""
    _user(username).api_token_hash = None
    db.session.flush()


def user_for_token(token: str) -> User | None:
    """The active account a presented token belongs to, else None."""
    if not token or len(token) > 200:
        return None
    user = db.session.scalar(select(User).where(User.api_token_hash == hash_token(token)))
    if user is None or not user.active:
        return None
    return user


def create_system_account(
    username: str, *, organisation_key: str, role: str, display_name: str | None = None
) -> User:
    """An account without a password (it cannot sign in), for a party's own system (CV-12)."""
    errors: dict[str, object] = {}
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        errors["username"] = [f"Gebruiker {username!r} bestaat al."]
    org = db.session.scalar(select(Organisation).where(Organisation.key == organisation_key))
    if org is None:
        errors["organisation"] = [f"Organisatie {organisation_key!r} bestaat niet."]
    if role not in ALL_ROLES:
        errors["role"] = [f"Onbekende rol {role!r}; kies uit {', '.join(ALL_ROLES)}."]
    if errors or org is None:
        raise InvalidInput("Het systeemaccount kan niet worden aangemaakt.", errors)
    user = User(
        username=username,
        display_name=display_name or f"Systeemkoppeling {org.name}",
        organisation_id=org.id,
        role=role,
        password_hash=None,
        active=True,
        failed_logins=0,
    )
    db.session.add(user)
    db.session.flush()
    return user
