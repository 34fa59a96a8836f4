"""Signing in and out: argon2 hashes, CSRF on every form, lock-out after five failures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.extensions import db
from app.models import User
from app.services.accounts import SIGN_IN_REFUSED
from tests.web.conftest import PASSWORD, TOKEN, WebClient


def _page(answer: Any) -> str:
    """The page without its CSRF token (which differs per request)."""
    return TOKEN.sub("", answer.get_data(as_text=True))


def _user(username: str) -> User:
    user = db.session.query(User).filter_by(username=username).one()
    db.session.refresh(user)
    return user


def test_sign_in_lands_on_the_task_list(client_for: Any, clock: Any) -> None:
    client = client_for()
    answer = client.sign_in("mp")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/taken"
    page = client.get("/taken").get_data(as_text=True)
    assert "Taken van het team" in page and "Uitloggen" in page
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_wrong_password_and_unknown_user_get_the_same_answer(client_for: Any, clock: Any) -> None:
    client = client_for()
    wrong = client.sign_in("mp", "fout")
    unknown = client.sign_in("bestaat-niet", "fout")
    assert wrong.status_code == unknown.status_code == 401
    assert SIGN_IN_REFUSED in wrong.get_data(as_text=True)
    assert _page(wrong).replace('value="mp"', 'value="bestaat-niet"') == _page(unknown)
    assert _user("mp").failed_logins == 1


def test_five_failures_lock_the_account_for_fifteen_minutes(client_for: Any, clock: Any) -> None:
    client = client_for()
    for _ in range(5):
        assert client.sign_in("qua", "fout").status_code == 401
    user = _user("qua")
    assert user.locked_until == clock.now() + timedelta(minutes=15)
    locked = client.sign_in("qua", PASSWORD)
    assert locked.status_code == 401  # even the right password, and the same message
    assert SIGN_IN_REFUSED in locked.get_data(as_text=True)
    clock.advance(minutes=14)
    assert client.sign_in("qua", PASSWORD).status_code == 401
    clock.advance(minutes=1, seconds=1)
    assert client.sign_in("qua", PASSWORD).status_code == 302
    user = _user("qua")
    assert (user.failed_logins, user.locked_until) == (0, None)


def test_inactive_user_cannot_sign_in(client_for: Any, clock: Any) -> None:
    user = _user("mp2")
    user.active = False
    db.session.commit()
    assert client_for().sign_in("mp2").status_code == 401


def test_forms_without_csrf_token_are_refused_and_change_nothing(
    client_for: Any, clock: Any
) -> None:
    anonymous = client_for()
    refused = anonymous.post("/inloggen", data={"gebruikersnaam": "mp", "wachtwoord": "fout"})
    assert refused.status_code == 400
    assert "Het formulier is verlopen" in refused.get_data(as_text=True)
    assert _user("mp").failed_logins == 0
    signed_in = client_for("mp")
    assert signed_in.post("/uitloggen").status_code == 400
    assert signed_in.get("/taken").status_code == 200  # still signed in


def test_logout_is_a_post_and_ends_the_session(client_for: Any, clock: Any) -> None:
    client = client_for("mp")
    assert client.get("/uitloggen").status_code == 405
    answer = client.send("/uitloggen")
    assert answer.status_code == 302 and answer.headers["Location"] == "/inloggen"
    page = client.get("/taken")
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/inloggen?next=")


def test_pages_behind_login_send_visitors_to_the_sign_in_form(
    app: Any, session: Any, clock: Any
) -> None:
    client = WebClient(app, app.response_class)
    for path in ("/taken", "/taken/mijn", "/melden", "/zaken/VK-2026-000001", "/taken/1"):
        answer = client.get(path)
        assert answer.status_code == 302, path
        assert answer.headers["Location"].startswith("/inloggen"), path
    assert client.get("/").status_code == 200  # the process overview is not personal
    assert client.get("/healthz").status_code == 200


def test_next_only_leads_to_this_site(client_for: Any, clock: Any) -> None:
    client = client_for()
    for target, expected in (
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/taken/mijn", "/taken/mijn"),
    ):
        answer = client.send(
            "/inloggen", {"gebruikersnaam": "mp", "wachtwoord": PASSWORD, "next": target}
        )
        assert answer.headers["Location"] == expected, target
        client.send("/uitloggen")


def test_process_owners_land_on_the_process_overview(client_for: Any, clock: Any) -> None:
    client = client_for("pb")
    page = client.get("/")
    assert page.status_code == 200
    assert "Uitgerolde processen" in page.get_data(as_text=True)
    assert 'href="/processen"' in page.get_data(as_text=True)


def test_new_passwords_get_argon2id_with_the_library_defaults(monkeypatch: Any) -> None:
    from argon2 import PasswordHasher

    from app.services import accounts

    monkeypatch.undo()  # the real hasher, not the tests' cheap one
    accounts._dummy_hash.cache_clear()
    hashed = accounts.hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$")
    assert not PasswordHasher().check_needs_rehash(hashed)


def test_pages_carry_security_headers(client_for: Any, clock: Any) -> None:
    client = client_for("mp")
    page = client.get("/taken")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Cache-Control"] == "no-store"  # personal data stays off disk caches
    assert "<script>" not in page.get_data(as_text=True)  # no inline script to allow
