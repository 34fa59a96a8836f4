"""API test fixtures: a Flask test client that sends a party's bearer token."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import User
from app.services.actors import Actor
from app.services.tokens import issue_token


class Api:
    """Calls /api/v1 as one account (or anonymously with token=None)."""

    def __init__(self, client: FlaskClient, token: str | None) -> None:
        self.client = client
        self.token = token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **query: Any) -> TestResponse:
        return self.client.get(f"/api/v1{path}", query_string=query, headers=self._headers())

    def post(self, path: str, body: Any = None, **query: Any) -> TestResponse:
        return self.client.post(
            f"/api/v1{path}", json=body, query_string=query, headers=self._headers()
        )


class ApiFor:
    """``api_for(actor)``: an API client holding that actor's freshly issued token."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.tokens: dict[str, str] = {}

    def __call__(self, actor: Actor | None) -> Api:
        if actor is None:
            return Api(self.client, None)
        if actor.username not in self.tokens:
            self.tokens[actor.username] = issue_token(actor.username)
            db.session.commit()
        return Api(self.client, self.tokens[actor.username])


@pytest.fixture
def api_for(app: Flask, session: Any, clock: Any) -> ApiFor:
    return ApiFor(app.test_client())


def user_named(username: str) -> User:
    user = db.session.query(User).filter_by(username=username).one()
    return user
