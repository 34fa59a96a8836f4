"""Flask test-client fixtures: signed-in caseworkers with CSRF tokens, on both databases."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import Case, HumanTask, User
from app.services import accounts as accounts_service
from app.services.cases import start_case
from tests.conftest import Parties
from tests.scenarios.helpers import do, example, open_tasks

PASSWORD = "geheim-wachtwoord"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


#: argon2 with the smallest cost, so that a test signs in in microseconds, not 100 ms
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The services hash and verify with the cheap parameters (the algorithm is the same)."""
    monkeypatch.setattr(accounts_service, "_hasher", CHEAP_HASHER)
    accounts_service._dummy_hash.cache_clear()


@functools.cache
def password_hash() -> str:
    return CHEAP_HASHER.hash(PASSWORD)


class WebClient(FlaskClient):
    """A test client whose requests each start with an empty ``g``.

    The tests hold one app context open (the database session); Flask reuses it for every
    request, so what Flask-Login and Flask-WTF cache on ``g`` (the user, the CSRF token) would
    leak from one request into the next.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if has_app_context():
            for name in list(vars(g)):
                delattr(g, name)
        return super().open(*args, **kwargs)

    def token(self) -> str:
        """A CSRF token of this client's session, from a page with a form."""
        page = self.get("/inloggen")
        if page.status_code == 302:
            page = self.get("/taken/mijn")
        match = TOKEN.search(page.get_data(as_text=True))
        assert match, page.get_data(as_text=True)[:500]
        return match.group(1)

    def send(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """POST a form with a valid CSRF token."""
        return self.post(path, data={**(data or {}), "csrf_token": self.token()}, **kwargs)

    def sign_in(self, username: str, password: str = PASSWORD) -> Any:
        return self.send("/inloggen", {"gebruikersnaam": username, "wachtwoord": password})


@pytest.fixture
def accounts(parties: Parties) -> Parties:
    """The parties' users, each with a password."""
    for actor in (
        parties.quawonen, parties.vestia, parties.meldpunt, parties.meldpunt2,
        parties.schuldhulp, parties.procesbeheer,
    ):  # fmt: skip
        user = db.session.get(User, actor.user_id)
        assert user is not None
        user.password_hash = password_hash()
    db.session.commit()
    return parties


@pytest.fixture
def client_for(app: Flask, accounts: Parties) -> Iterator[Any]:
    """``client_for("qua")``: a client signed in as that user."""

    def make(username: str | None = None) -> WebClient:
        client = WebClient(app, app.response_class, use_cookies=True)
        if username is not None:
            answer = client.sign_in(username)
            assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
        return client

    yield make


#: how the corporation answers its own steps before the report: not solved, no arrangement
CORPORATION_ANSWERS: dict[str, dict[str, Any]] = {
    "contact_corporatie": {"achterstand_opgelost": False, "betalingsregeling_getroffen": False},
}


def until_melding(parties: Parties, case: Case) -> HumanTask:
    """Work the corporation's steps before the report (however many its variant has) until the
    melding task is open; return it."""
    for _ in range(10):
        own = [t for t in open_tasks(case) if t.role == "corporatie"]
        melding = [t for t in own if t.form_key == "melding"]
        if melding:
            return melding[0]
        assert own, f"no corporation task open: {[t.activity_id for t in open_tasks(case)]}"
        answers = CORPORATION_ANSWERS.get(own[0].form_key or "", {})
        case = do(parties.quawonen, case, own[0].activity_id, **answers)
    raise AssertionError("the melding never came")


def started(parties: Parties, **overrides: Any) -> Case:
    """A QuaWonen case just signalled."""
    case = start_case(parties.quawonen, example("signalering", **overrides))
    db.session.commit()
    return case


def report(parties: Parties, **overrides: Any) -> Case:
    """A QuaWonen case reported to the Meldpunt (signal, the corporation's steps, melding)."""
    case = started(parties, **overrides)
    melding = until_melding(parties, case)
    return do(parties.quawonen, case, melding.activity_id)


def case_by_reference(reference: str) -> Case:
    case = db.session.scalar(select(Case).where(Case.reference == reference))
    assert case is not None
    return case
