"""Local accounts: sign-in against argon2 hashes, lock-out after repeated failures, colleagues."""

from __future__ import annotations

import functools
import logging
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.services.actors import Actor
from app.services.clock import now

log = logging.getLogger("voorkom.accounts")

#: failed attempts in a row that lock an account, and for how long
MAX_FAILED_SIGN_INS = 5
LOCK_DURATION = timedelta(minutes=15)

#: the one message for every refused sign-in: it never tells whether the username exists
SIGN_IN_REFUSED = (
    "Inloggen is niet gelukt. De gebruikersnaam of het wachtwoord klopt niet, of het account "
    "is na te veel mislukte pogingen 15 minuten geblokkeerd. Probeer het later opnieuw of "
    "neem contact op met functioneel beheer."
)

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("voorkom: no such user")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def authenticate(username: str, password: str) -> User | None:
    """The user when the password is right and the account not locked; counts failures.

    Five failures in a row lock the account for fifteen minutes; a locked, inactive or unknown
    account costs the same hashing time as a real attempt, so timing reveals nothing either.
    The caller commits either way (the failure count must stick).
    """
    name = username.strip()
    user = (
        db.session.scalar(select(User).where(User.username == name).with_for_update())
        if name
        else None
    )
    moment = now()
    password_hash = user.password_hash if user is not None and user.active else None
    locked = user is not None and user.locked_until is not None and user.locked_until > moment
    if user is None or not password_hash or locked:
        _verify(_dummy_hash(), password)
        if user is not None and locked:
            log.info("sign-in refused: %s is locked until %s", user.username, user.locked_until)
        return None
    if not _verify(password_hash, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= MAX_FAILED_SIGN_INS:
            user.locked_until = moment + LOCK_DURATION
            user.failed_logins = 0
            log.warning("account %s locked after %d failures", user.username, MAX_FAILED_SIGN_INS)
        db.session.flush()
        return None
    user.failed_logins = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(password_hash):
        user.password_hash = _hasher.hash(password)
    db.session.flush()
    return user


def hash_password(password: str) -> str:
    """An argon2 hash of a new password."""
    return _hasher.hash(password)


def colleagues(actor: Actor) -> list[User]:
    """Active users of the actor's role and organisation, the actor included, by name."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.role == actor.role,
                User.organisation_id == actor.organisation_id,
                User.active.is_(True),
            )
            .order_by(User.display_name, User.id)
        )
    )
