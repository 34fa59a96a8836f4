"""Bearer tokens: who may call the API at all, and the create-token command."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.cli import main as cli
from app.extensions import db
from app.models import User
from app.services.tokens import hash_token
from tests.api.conftest import ApiFor, user_named


def test_missing_token_is_401_in_dutch(api_for: ApiFor, parties: Any) -> None:
    response = api_for(None).get("/tasks")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json() == {
        "message": "Geef een API-token mee: Authorization: Bearer <token>.",
        "errors": {},
    }


def test_wrong_token_or_scheme_is_401(api_for: ApiFor, parties: Any) -> None:
    api = api_for(parties.meldpunt)
    good = api.token
    api.token = "x" + (good or "")
    assert api.get("/tasks").status_code == 401
    response = api.client.get("/api/v1/tasks", headers={"Authorization": f"Basic {good}"})
    assert response.status_code == 401
    api.token = good
    assert api.get("/tasks").status_code == 200


def test_inactive_account_is_401(api_for: ApiFor, parties: Any) -> None:
    api = api_for(parties.meldpunt)
    user_named("mp").active = False
    db.session.commit()
    response = api.get("/me")
    assert response.status_code == 401
    assert "niet actief" in response.get_json()["message"]


def test_me_names_the_account_and_only_a_hash_is_stored(api_for: ApiFor, parties: Any) -> None:
    api = api_for(parties.quawonen)
    response = api.get("/me")
    assert response.status_code == 200
    assert re.fullmatch(r"app;dur=[\d.]+, cpu;dur=[\d.]+", response.headers["Server-Timing"])
    assert response.get_json() == {
        "username": "qua",
        "display_name": "Qua",
        "role": "corporatie",
        "organisation": "quawonen",
    }
    stored = user_named("qua").api_token_hash
    assert stored == hash_token(api.token or "") and api.token not in stored


def test_a_new_token_replaces_the_old_one(api_for: ApiFor, parties: Any) -> None:
    old = api_for(parties.meldpunt)
    api_for.tokens.clear()
    new = api_for(parties.meldpunt)
    assert new.token != old.token
    assert old.get("/me").status_code == 401
    assert new.get("/me").status_code == 200


def test_create_token_command_prints_a_working_token_once(
    app: Flask, api_for: ApiFor, parties: Any
) -> None:
    parties.meldpunt  # noqa: B018  (creates the user)
    result = app.test_cli_runner().invoke(cli, ["create-token", "mp"])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    db.session.expire_all()
    assert user_named("mp").api_token_hash == hash_token(token)
    api = api_for(None)
    api.token = token
    assert api.get("/me").get_json()["role"] == "meldpunt"
    revoked = app.test_cli_runner().invoke(cli, ["create-token", "mp", "--revoke"])
    assert revoked.exit_code == 0
    assert api.get("/me").status_code == 401


def test_create_token_makes_a_system_account_that_cannot_sign_in(
    app: Flask, api_for: ApiFor, parties: Any
) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        cli,
        ["create-token", "qua-incasso", "--organisation", "quawonen", "--role", "corporatie"],
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    account = db.session.scalar(select(User).where(User.username == "qua-incasso"))
    assert account is not None and account.password_hash is None
    api = api_for(None)
    api.token = result.stdout.strip()
    assert api.get("/me").get_json()["organisation"] == "quawonen"


def test_create_token_refuses_unknown_users_and_roles(app: Flask, parties: Any) -> None:
    runner = app.test_cli_runner()
    unknown = runner.invoke(cli, ["create-token", "niemand"])
    assert unknown.exit_code == 1 and "bestaat niet" in unknown.stderr
    bad_role = runner.invoke(
        cli, ["create-token", "x", "--organisation", "quawonen", "--role", "koning"]
    )
    assert bad_role.exit_code == 1 and "Onbekende rol" in bad_role.stderr
    assert db.session.scalar(select(User).where(User.username == "x")) is None
    half = runner.invoke(cli, ["create-token", "x", "--organisation", "quawonen"])
    assert half.exit_code == 2


def test_openapi_document_needs_no_token(api_for: ApiFor) -> None:
    assert api_for(None).get("/openapi.json").status_code == 200


def test_unknown_api_address_is_json_404(api_for: ApiFor) -> None:
    response = api_for(None).get("/bestaat-niet")
    assert response.status_code == 404
    assert response.get_json()["message"] == "Onbekend adres in de API."


def test_an_unforeseen_error_is_500_in_dutch_json(
    api_for: ApiFor, parties: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug must not leak a traceback to a client: JSON, Dutch, logged, nothing saved."""
    from app.web.api import openapi

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("kapot")

    monkeypatch.setattr(openapi, "dump", broken)
    response = api_for(parties.meldpunt).get("/me")
    assert response.status_code == 500
    assert response.get_json()["message"] == (
        "Er ging iets mis op de server; er is niets opgeslagen."
    )
