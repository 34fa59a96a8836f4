"""Camunda Modeler's Deploy button against /engine-rest, with the exact requests it sends.

The requests copy camunda/camunda-modeler: ``client/src/plugins/camunda-plugin/shared/
CamundaAPI.js`` and ``RestAPI.js`` (Modeler 5: browser ``fetch`` with ``FormData`` — fields
``deployment-name``, ``deployment-source``, ``enable-duplicate-filtering``, optional
``tenant-id``, then the diagram as a Blob part named after its file, type ``text/xml``;
headers ``accept: application/json`` and ``authorization``; 5 s timeout) and the older
``app/lib/deployer.js`` (Modeler 3/4: node ``form-data`` with ``deploy-changed-only`` and
the file streamed as ``application/octet-stream``). The desktop app's page is a file:// page,
so the browser adds ``Origin: null`` and sends a CORS preflight first.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Sequence
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from app.extensions import db
from app.models import ProcessVersion, User
from app.services.tokens import issue_token
from tests.workbench.conftest import PASSWORD, contact_in, meldpunt_file, with_password

BOUNDARY = "----WebKitFormBoundaryq8Vv4mXbY0eKd3Nz"
BROWSER = {"Origin": "null", "accept": "application/json"}


def basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"authorization": f"Basic {token}"}


def bearer(username: str) -> dict[str, str]:
    """A fresh API token of the account (Camunda Modeler's 'Bearer token' authentication)."""
    token = issue_token(username)
    db.session.commit()
    return {"authorization": f"Bearer {token}"}


def browser_form(fields: Sequence[tuple[str, str]], files: Sequence[tuple[str, str, str]]) -> bytes:
    """A multipart body byte for byte as Chromium's fetch writes a FormData."""
    parts = []
    for name, value in fields:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    for name, content, mimetype in files:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{name}"\r\nContent-Type: {mimetype}\r\n\r\n{content}\r\n'
        )
    return ("".join(parts) + f"--{BOUNDARY}--\r\n").encode("utf-8")


def modeler_deploy(
    client: FlaskClient,
    auth: dict[str, str],
    file_name: str,
    content: str,
    *,
    tenant: str | None = None,
) -> TestResponse:
    """CamundaAPI.deployDiagram: the exact field order, part names and headers."""
    fields = [
        ("deployment-name", file_name.rsplit(".", 1)[0]),
        ("deployment-source", "Camunda Modeler"),
        ("enable-duplicate-filtering", "true"),
    ]
    if tenant:
        fields.append(("tenant-id", tenant))
    body = browser_form(fields, [(file_name, content, "text/xml")])
    return client.post(
        "/engine-rest/deployment/create",
        data=body,
        headers={
            **BROWSER,
            **auth,
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        },
    )


def versions() -> int:
    return db.session.scalar(select(func.count()).select_from(ProcessVersion)) or 0


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def pb(owner: Any, password_hash: str) -> User:
    """The process owner 'pb' with a password."""
    return with_password(owner, password_hash)


def changed_meldpunt() -> tuple[str, str]:
    name, text = meldpunt_file()
    return name.rsplit("/", 1)[-1], contact_in(3, text)


def test_the_deploy_button_conversation(client: FlaskClient, pb: User, deployed: Any) -> None:
    """Preflight, connection check, version, deployment: what the Modeler does, in order."""
    preflight = client.options(
        "/engine-rest/deployment?maxResults=0",
        headers={
            "Origin": "null",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "accept,authorization",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "null"
    assert "authorization" in preflight.headers["Access-Control-Allow-Headers"].lower()
    check = client.get("/engine-rest/deployment?maxResults=0", headers={**BROWSER, **basic("pb")})
    assert check.status_code == 200 and check.get_json() == []
    assert check.headers["Access-Control-Allow-Origin"] == "null"
    version = client.get("/engine-rest/version", headers={**BROWSER, **basic("pb")})
    assert version.get_json() == {"version": "7.22.0"}
    post_preflight = client.options(
        "/engine-rest/deployment/create",
        headers={"Origin": "null", "Access-Control-Request-Method": "POST"},
    )
    assert post_preflight.status_code == 200
    assert "POST" in post_preflight.headers["Access-Control-Allow-Methods"]
    name, text = changed_meldpunt()
    started = time.perf_counter()
    response = modeler_deploy(client, basic("pb"), name, text)
    assert time.perf_counter() - started < 5  # the Modeler gives up after 5 s per request
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert response.headers["Access-Control-Allow-Origin"] == "null"
    assert body["name"] == "meldpunt" and body["id"]
    definitions = body["deployedProcessDefinitions"]
    keys = {d["key"]: d for d in definitions.values()}
    assert keys["meldpunt"]["version"] == 2 and keys["quawonen"]["version"] == 2
    for definition_id, definition in definitions.items():
        assert definition["id"] == definition_id
        assert definition_id.startswith(f"{definition['key']}:{definition['version']}:")
    # what the Modeler then lists as deployments
    listed = client.get("/engine-rest/deployment", headers={**BROWSER, **basic("pb")}).get_json()
    assert body["id"] in {d["id"] for d in listed}
    count = client.get("/engine-rest/deployment/count", headers=basic("pb")).get_json()["count"]
    assert count == versions()
    one = client.get(f"/engine-rest/deployment/{body['id']}", headers=basic("pb")).get_json()
    assert one["id"] == body["id"] and one["deploymentTime"].endswith("+0000")


def test_the_older_modeler_layout_with_bearer_token(
    client: FlaskClient, pb: User, deployed: Any
) -> None:
    """Modeler 3/4 (app/lib/deployer.js): files streamed by form-data, deploy-changed-only."""
    token = issue_token("pb")
    db.session.commit()
    name, text = changed_meldpunt()
    boundary = "--------------------------515890814546601021194782"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="deployment-name"\r\n\r\n'
        f"meldpunt\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="deployment-source"\r\n\r\n'
        "Camunda Modeler\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="deploy-changed-only"\r\n\r\n'
        "true\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n{text}\r\n--{boundary}--\r\n"
    ).encode()
    response = client.post(
        "/engine-rest/deployment/create",
        data=body,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    assert response.status_code == 200, response.get_json()
    assert {d["key"] for d in response.get_json()["deployedProcessDefinitions"].values()} >= {
        "meldpunt",
        "quawonen",
    }


def test_an_unchanged_diagram_deploys_nothing(client: FlaskClient, pb: User, deployed: Any) -> None:
    name, text = meldpunt_file()
    before = versions()
    response = modeler_deploy(client, bearer("pb"), name.rsplit("/", 1)[-1], text)
    assert response.status_code == 200
    assert response.get_json()["deployedProcessDefinitions"] is None  # Camunda's duplicate filter
    assert versions() == before


def test_a_broken_diagram_is_a_parse_error_and_nothing_changes(
    client: FlaskClient, pb: User, deployed: Any
) -> None:
    name, text = changed_meldpunt()
    broken = text.replace('camunda:formKey="triage"', 'camunda:formKey="bestaat_niet"')
    before = versions()
    response = modeler_deploy(client, bearer("pb"), name, broken)
    assert response.status_code == 400
    body = response.get_json()
    assert body["type"] == "ParseException"
    assert body["message"].startswith("ENGINE-09005 Could not parse BPMN process.")
    assert "Task_Triage" in body["message"] and "bestaat_niet" in body["message"]
    error = next(iter(body["details"].values()))["errors"][0]
    assert error["mainElementId"] == "Task_Triage"
    assert versions() == before


XXE = '<!DOCTYPE bpmn:definitions [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
)


@pytest.mark.parametrize(("dtd", "entity"), [(XXE, "&e;"), (LAUGHS, "&lol9;")])
def test_entities_are_refused_through_the_rest_endpoint(
    client: FlaskClient, pb: User, deployed: Any, dtd: str, entity: str
) -> None:
    name, text = changed_meldpunt()
    head, body = text.split("?>", 1)
    evil = (
        head
        + "?>\n"
        + dtd
        + body.replace("<bpmn:documentation>", f"<bpmn:documentation>{entity}", 1)
    )
    before = versions()
    started = time.perf_counter()
    response = modeler_deploy(client, bearer("pb"), name, evil)
    assert time.perf_counter() - started < 5  # no expansion: refused at once
    assert response.status_code == 400
    message = response.get_json()["message"]
    assert message.startswith("ENGINE-09005") and "DOCTYPE" in message
    assert "root:" not in response.get_data(as_text=True)
    assert versions() == before


def test_wrong_credentials_are_401_and_five_lock_the_account(client: FlaskClient, pb: User) -> None:
    wrong = client.get(
        "/engine-rest/deployment?maxResults=0", headers={**BROWSER, **basic("pb", "fout")}
    )
    assert wrong.status_code == 401
    assert wrong.headers["WWW-Authenticate"].startswith("Basic")
    assert wrong.headers["Access-Control-Allow-Origin"] == "null"  # the Modeler can read it
    assert wrong.get_json()["type"] == "AuthenticationException"
    for _attempt in range(4):
        client.get("/engine-rest/version", headers=basic("pb", "fout"))
    locked = client.get("/engine-rest/version", headers=basic("pb"))
    assert locked.status_code == 401  # right password, locked for 15 minutes
    db.session.expire_all()
    user = db.session.get(User, pb.id)
    assert user is not None and user.locked_until is not None
    assert client.get("/engine-rest/version").status_code == 401
    assert (
        client.get("/engine-rest/version", headers={"authorization": "Bearer nope"}).status_code
        == 401
    )


def test_other_roles_are_403(
    client: FlaskClient, pb: User, parties: Any, password_hash: str
) -> None:
    with_password(parties.meldpunt, password_hash)
    response = client.get(
        "/engine-rest/deployment?maxResults=0", headers={**BROWSER, **basic("mp")}
    )
    assert response.status_code == 403
    assert response.get_json()["type"] == "AuthorizationException"
    name, text = changed_meldpunt()
    before = versions()
    assert modeler_deploy(client, basic("mp"), name, text).status_code == 403
    assert versions() == before


def test_tenants_and_empty_requests_are_refused(client: FlaskClient, pb: User) -> None:
    auth = bearer("pb")
    name, text = changed_meldpunt()
    tenant = modeler_deploy(client, auth, name, text, tenant="gemeente")
    assert tenant.status_code == 400 and "tenant" in tenant.get_json()["message"].lower()
    empty = client.post(
        "/engine-rest/deployment/create",
        data=browser_form([("deployment-name", "x")], []),
        headers={**auth, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert empty.status_code == 400 and ".bpmn" in empty.get_json()["message"]
    json_body = client.post("/engine-rest/deployment/create", json={}, headers=auth)
    assert json_body.status_code == 400
    other = modeler_deploy(client, auth, "formulier.form", "{}")
    assert other.status_code == 400 and "formulier.form" in other.get_json()["message"]


def test_too_large_is_413_in_json(app: Flask, client: FlaskClient, pb: User, deployed: Any) -> None:
    name, text = changed_meldpunt()
    previous = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 4096
    try:
        response = modeler_deploy(client, bearer("pb"), name, text)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = previous
    assert response.status_code == 413
    assert response.get_json()["message"].startswith("Het verzoek is groter dan 4 kB")


def test_unknown_addresses_answer_in_json(client: FlaskClient, pb: User) -> None:
    response = client.get("/engine-rest/process-definition", headers=basic("pb"))
    assert response.status_code == 404
    assert response.get_json()["type"] == "InvalidRequestException"
    assert (
        "Access-Control-Allow-Origin"
        not in client.get(
            "/engine-rest/version", headers={**basic("pb"), "Origin": "https://elders.example"}
        ).headers
    )
