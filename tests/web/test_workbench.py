"""The process owners' workbench pages: who gets in, the catalogue, the side panel's choices,
downloads, uploads from the desktop (safety, size, lint) and a diagram form on the task page."""

from __future__ import annotations

import io
import re
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models import HumanTask, ProcessVersion
from app.services.cases import start_case
from tests.scenarios.helpers import example
from tests.workbench.conftest import contact_in, field, meldpunt_file, user_task, variant

PAGES = (
    "/werkbank/",
    "/werkbank/uploaden",
    "/werkbank/quawonen",
    "/werkbank/quawonen/bewerken",
    "/werkbank/quawonen/bewerken?bestand=decisions/prioriteit.dmn",
    "/werkbank/quawonen/verschil?van=1&naar=1",
    "/werkbank/quawonen/v1/live",
    "/werkbank/quawonen/migratie",
)


def versions() -> int:
    return db.session.scalar(select(func.count()).select_from(ProcessVersion)) or 0


def upload(client: Any, files: dict[str, bytes], name: str = "") -> Any:
    """POST the upload form; the multipart body is built in memory (a large one would otherwise
    sit in a temporary file that an early 413 leaves open)."""
    values = MultiDict(
        [("naam", name), ("csrf_token", client.token())]
        + [
            ("bestanden", FileStorage(io.BytesIO(data), filename))
            for filename, data in files.items()
        ]
    )
    boundary, body = encode_multipart(values)
    return client.post(
        "/werkbank/uploaden", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )


def test_every_page_opens_for_a_process_owner(deployed: Any, client_for: Any, clock: Any) -> None:
    client = client_for("pb")
    for path in PAGES:
        page = client.get(path)
        assert page.status_code == 200, (path, page.get_data(as_text=True)[:500])
        text = page.get_data(as_text=True)
        assert '<html lang="nl">' in text, path
        assert 'aria-current="page">Werkbank</a>' in text, path
        assert "default-src 'self'" in page.headers["Content-Security-Policy"], path
        assert page.headers["Cache-Control"] == "no-store", path


def test_other_roles_get_403_and_strangers_sign_in(deployed: Any, client_for: Any) -> None:
    corporation = client_for("qua")
    for path in ("/werkbank/", "/werkbank/keuzes.json", "/werkbank/quawonen/v1/live"):
        assert corporation.get(path).status_code == 403
    assert "Werkbank" not in corporation.get("/taken").get_data(as_text=True)
    before = versions()
    name, text = meldpunt_file()
    answer = corporation.post(
        "/werkbank/quawonen/uitrollen",
        json={"bestand": name, "xml": contact_in(3, text), "versie": 1},
        headers={"X-CSRFToken": corporation.token()},
    )
    assert answer.status_code == 403
    assert versions() == before
    assert client_for("mp").get("/werkbank/quawonen").status_code == 403
    stranger = client_for()
    answer = stranger.get("/werkbank/quawonen/bewerken")
    assert answer.status_code == 302 and "/inloggen" in answer.headers["Location"]


def test_catalogue_lists_every_process_its_versions_and_open_cases(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    start_case(accounts.quawonen, example("signalering"))
    db.session.commit()
    page = client_for("pb").get("/werkbank/").get_data(as_text=True)
    assert "Varianten van de corporaties" in page and "Gedeelde deelprocessen" in page
    for process_id in deployed:
        assert f"<code>{process_id}</code>" in page
    row = re.search(r"<code>quawonen</code>.*?</tr>", page, flags=re.S)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(0), flags=re.S)
    assert cells[2:4] == ["systeem", "1"]  # deployed by the system; one open case
    assert 'href="/werkbank/quawonen/bewerken"' in page
    assert 'href="/werkbank/quawonen/v1/live"' in page
    assert 'href="/werkbank/quawonen/v1/bestand?naam=corporaties/quawonen.bpmn"' in page
    assert "Jan de Vries" not in page  # never personal data


def test_choices_for_the_side_panel(deployed: Any, client_for: Any) -> None:
    choices = client_for("pb").get("/werkbank/keuzes.json").get_json()
    forms = {f["key"]: f["title"] for f in choices["forms"]}
    assert forms["contactpoging"] == "Contactpoging Meldpunt"
    roles = {r["key"]: r["label"] for r in choices["roles"]}
    assert roles["meldpunt"] == "Meldpunt Zorg en Overlast" and "evaluatie" in roles
    operations = {o["name"]: o for o in choices["operations"]}
    assert operations["stuur_status"]["description"]
    assert "status_code" in operations["stuur_status"]["parameters"]
    decisions = {d["id"]: d for d in choices["decisions"]}
    assert decisions["prioriteit"]["source"] == "uitgerold"
    variables = {v["name"]: v for v in choices["variables"]}
    assert variables["achterstand_bedrag"]["label"]
    assert variables["prioriteit"]["source"] in (
        "gezet door het proces",
        "uitkomst van een beslistabel",
    )
    assert {"quawonen", "meldpunt"} <= {p["id"] for p in choices["processes"]}


def test_download_gives_the_stored_file(deployed: Any, client_for: Any) -> None:
    client = client_for("pb")
    name, text = meldpunt_file()
    answer = client.get(f"/werkbank/quawonen/v1/bestand?naam={name}")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"] == 'attachment; filename="meldpunt.bpmn"'
    assert answer.get_data(as_text=True) == text
    assert client.get("/werkbank/quawonen/v1/bestand?naam=../../etc/passwd").status_code == 404
    assert client.get("/werkbank/quawonen/v9/bestand").status_code == 404


def test_upload_deploys_a_new_version_and_says_so(
    deployed: Any, client_for: Any, clock: Any
) -> None:
    name, text = meldpunt_file()
    client = client_for("pb")
    answer = upload(client, {"meldpunt.bpmn": contact_in(3, text).encode()}, "contact 3 dagen")
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Uitgerold als nieuwe versie" in page and "(meldpunt) versie 2" in page
    newest = db.session.scalar(
        select(ProcessVersion).where(
            ProcessVersion.process_id == "meldpunt", ProcessVersion.version == 2
        )
    )
    assert newest is not None and newest.deployment_name == "contact 3 dagen"
    assert "werkdagen(3)" in newest.sources[name]


BAD_UPLOADS: tuple[tuple[str, bytes, str], ...] = (
    ("notities.txt", b"hallo", "Alleen .bpmn- en .dmn-bestanden"),
    ("leeg.bpmn", b"   ", "Het bestand is leeg."),
    ("latin.bpmn", "<a>é</a>".encode("latin-1"), "geen tekst in UTF-8"),
    (
        "xxe.bpmn",
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
        "DOCTYPE- en ENTITY-declaraties zijn niet toegestaan",
    ),
    (
        "lol.bpmn",
        b'<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><l>&b;</l>',
        "DOCTYPE- en ENTITY-declaraties zijn niet toegestaan",
    ),
)


def test_bad_uploads_are_refused_in_dutch_and_change_nothing(
    deployed: Any, client_for: Any
) -> None:
    client = client_for("pb")
    before = versions()
    for name, data, words in BAD_UPLOADS:
        answer = upload(client, {name: data})
        assert answer.status_code == 422, name
        page = answer.get_data(as_text=True).replace("&#39;", "'")
        assert "Er is niets uitgerold" in page, name
        assert words in page, (name, page[:2000])
    assert versions() == before


def test_a_broken_diagram_is_refused_with_its_element(deployed: Any, client_for: Any) -> None:
    _name, text = meldpunt_file()
    broken = text.replace('camunda:formKey="contactpoging"', 'camunda:formKey="contactpogin"')
    before = versions()
    answer = upload(client_for("pb"), {"meldpunt.bpmn": broken.encode()})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    assert "[<code>Task_ContactLeggen</code>]" in page
    assert "is geen geregistreerd formulier" in page
    assert versions() == before


def test_an_upload_over_the_limit_is_413(app: Flask, deployed: Any, client_for: Any) -> None:
    client = client_for("pb")
    limit = app.config["MAX_CONTENT_LENGTH"]
    before = versions()
    answer = upload(client, {"groot.bpmn": b"<a>" + b" " * limit + b"</a>"})
    assert answer.status_code == 413
    assert "te groot" in answer.get_data(as_text=True)
    assert versions() == before


def test_the_upload_page_explains_camunda_modelers_deploy_button(
    deployed: Any, client_for: Any
) -> None:
    page = client_for("pb").get("/werkbank/uploaden").get_data(as_text=True)
    assert "<code>http://localhost/engine-rest</code>" in page
    assert "HTTP Basic" in page and "Tenant ID" in page
    assert "hoogstens 2 MB" in page


def test_a_form_drawn_in_the_diagram_renders_on_the_task_page(
    deployed: Any, accounts: Any, client_for: Any, clock: Any
) -> None:
    """A process owner uploads a variant whose first task has its own form (camunda:formData);
    the corporation's task page draws it like a registered form (issue 5 §4)."""
    fields = field(
        "aantal_bezoeken", "long", label="Aantal huisbezoeken",
        inner='<camunda:validation><camunda:constraint name="required" />'
        '<camunda:constraint name="max" config="10" /></camunda:validation>',
    ) + field(
        "kanaal", "enum", label="Kanaal",
        inner='<camunda:value id="brief" name="Brief" />'
        '<camunda:value id="telefoon" name="Telefoon" />',
    )  # fmt: skip
    text = variant([user_task("Task_Bezoek", fields, name="Huisbezoeken vastleggen")])
    answer = upload(client_for("pb"), {"quawonen.bpmn": text.encode()})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:800]
    start_case(accounts.quawonen, {})  # the drawn variant has no start form
    db.session.commit()
    row = db.session.scalar(select(HumanTask).where(HumanTask.activity_id == "Task_Bezoek"))
    assert row is not None
    page = client_for("qua").get(f"/taken/{row.id}").get_data(as_text=True)
    assert "Huisbezoeken vastleggen" in page
    assert '<label for="f-aantal_bezoeken">Aantal huisbezoeken' in page
    assert "Telefoon" in page and "Brief" in page
