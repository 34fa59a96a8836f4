"""The evaluation pages (issue 6): who may enter, suppression as shown, filters, the CV-06
panel, the heatmap, the metrics CSV; no personal data in any of it (COVENANT.md §7, §8)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from app.extensions import db
from app.models import User
from tests.metrics.conftest import EventLog, utc
from tests.web.conftest import password_hash, report

#: the household of the cases reported through the services: none of it may show
PERSONAL = {
    "huurder_naam": "Henriëtte Zwartjes",
    "corporatie_dossiernummer": "HC-GEHEIM-4711",
    "postcode": "2931 ZZ",
}
PAGES = (
    "/evaluatie/",
    "/evaluatie/knelpunten",
    "/evaluatie/jaarverslag",
    "/evaluatie/exports",
    "/evaluatie/exports/kengetallen.csv?jaar=2026",
)


@pytest.fixture
def meeting(accounts: Any, parties: Any, app: Flask, tmp_path: Any) -> Any:
    """The evaluation meeting's user ("eval") next to the other parties; jobs in tmp."""
    actor = parties.user("eval", "convenant", "evaluatie")
    user = db.session.get(User, actor.user_id)
    assert user is not None
    user.password_hash = password_hash()
    db.session.commit()
    previous = app.config.get("VOORKOM_JOBS_DIR")
    app.config["VOORKOM_JOBS_DIR"] = str(tmp_path / "taken")
    yield parties
    app.config["VOORKOM_JOBS_DIR"] = previous


@pytest.fixture
def log(deployed: Any, parties: Any) -> EventLog:
    """Hand-made cases and events on the deployed QuaWonen version (its diagrams' task ids)."""
    return EventLog(deployed["quawonen"].id, parties.orgs)


def melding(log: EventLog, case: int, at: Any) -> None:
    """The corporation's melding task of the deployed diagram, done at ``at`` (the report)."""
    log.task(case, "Task_Melding", "corporatie", at - timedelta(days=1), completed=at)


def text_of(answer: Any) -> str:
    return str(answer.get_data(as_text=True))


def cells(page: str, caption: str) -> dict[str, list[str]]:
    """A table of the page by its caption: row header -> the other cells, as text."""
    start = page.index(f"<caption>{caption}")
    table = page[start : page.index("</table>", start)]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        header = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if header:
            name = re.sub(r"<[^>]+>.*", "", header.group(1), flags=re.S).strip()
            found = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            rows[name] = [re.sub(r"<[^>]+>", "", c).strip() for c in found]
    return rows


def test_only_the_meeting_and_process_owners_enter(meeting: Any, client_for: Any) -> None:
    anonymous = client_for()
    answer = anonymous.get("/evaluatie/")
    assert answer.status_code == 302 and "/inloggen" in answer.headers["Location"]
    for username in ("qua", "mp", "sdv"):
        client = client_for(username)
        for path in PAGES:
            assert client.get(path).status_code == 403, (username, path)
        assert client.send("/evaluatie/jaarverslag", {"jaar": "2026"}).status_code == 403
        assert (
            client.send("/evaluatie/exports/gebeurtenissen", {"formaat": "xes"}).status_code == 403
        )
        assert ">Evaluatie</a>" not in text_of(client.get("/taken/team"))
    for username in ("eval", "pb"):
        client = client_for(username)
        for path in PAGES:
            assert client.get(path).status_code == 200, (username, path)
        assert ">Evaluatie</a>" in text_of(client.get("/taken/team" if username == "eval" else "/"))


def test_only_process_owners_compare_a_draft(meeting: Any, client_for: Any) -> None:
    evaluation = client_for("eval")
    assert evaluation.get("/evaluatie/what-if").status_code == 403
    assert evaluation.send("/evaluatie/what-if", {}).status_code == 403
    assert "Wat als?" not in text_of(evaluation.get("/evaluatie/"))
    owner = client_for("pb")
    assert owner.get("/evaluatie/what-if").status_code == 200
    assert "Wat als?" in text_of(owner.get("/evaluatie/"))


def test_small_counts_show_as_less_than_five_and_no_household_data(
    meeting: Any, deployed: Any, client_for: Any, clock: Any
) -> None:
    """Three reports (through the real services) are "<5"; nothing of the household shows."""
    cases = [report(meeting, **PERSONAL) for _ in range(3)]
    client = client_for("eval")
    page = text_of(client.get("/evaluatie/?jaar=2026"))
    reports = cells(page, "Meldingen bij het Meldpunt, 2026")
    assert reports["QuaWonen"][:2] == ["&lt;5", "&lt;5"]
    assert reports["Vestia"][:1] == ["0"]
    assert reports["Alle corporaties"][:1] == ["&lt;5"]
    pages = [page, *(text_of(client.get(p + ("&" if "?" in p else "?") + "jaar=2026"))
                     for p in PAGES[1:])]  # fmt: skip
    for shown in pages:
        for value in (*PERSONAL.values(), *(c.reference for c in cases), "Jan de Vries"):
            assert value not in shown


def test_counts_of_five_and_more_are_shown_per_1000_homes(
    meeting: Any, log: EventLog, client_for: Any
) -> None:
    for day in range(3, 9):  # six reports at QuaWonen (8,400 homes) in March 2025
        melding(log, log.case("quawonen", utc(2025, 3, day, 9)), utc(2025, 3, day, 14))
    log.commit()
    client = client_for("eval")
    page = text_of(client.get("/evaluatie/?jaar=2025"))
    assert cells(page, "Meldingen bij het Meldpunt, 2025")["QuaWonen"] == ["6", "0,71"]
    assert 'role="img"' in page and '<title id="meldingen-titel">' in page  # accessible SVG
    march = cells(page, "Meldingen per maand, 2025")
    assert march["mrt"] == ["6"] and march["apr"] == ["0"]
    # the same filtered to the second quarter: nothing; to March: the six
    q2 = text_of(client.get("/evaluatie/?jaar=2025&periode=K2"))
    assert cells(q2, "Meldingen bij het Meldpunt, K2 2025")["QuaWonen"][0] == "0"
    only = text_of(client.get("/evaluatie/?jaar=2025&periode=03&corporatie=quawonen"))
    assert list(cells(only, "Meldingen bij het Meldpunt, mrt 2025")) == ["QuaWonen"]


def test_party_filter_narrows_the_party_figures_and_says_what_it_leaves(
    meeting: Any, log: EventLog, client_for: Any
) -> None:
    case = log.case("quawonen", utc(2025, 3, 3, 8))
    due = utc(2025, 3, 10, 17)
    for i in range(6):
        log.task(case, "Task_Triage", "meldpunt", utc(2025, 3, 3, 9), due=due,
                 claimed=utc(2025, 3, 4, 9), completed=utc(2025, 3, 5 + 2 * i, 9))  # fmt: skip
        log.task(case, "Task_Intake", "schuldhulp", utc(2025, 3, 3, 9), due=due,
                 claimed=utc(2025, 3, 4, 9), completed=utc(2025, 3, 6, 9))  # fmt: skip
    log.commit()
    client = client_for("eval")
    both = cells(text_of(client.get("/evaluatie/?jaar=2025")), "Binnen de termijn per partij, 2025")
    assert set(both) == {"Meldpunt Zorg en Overlast", "Schulddienstverlening"}
    # triage: done 5, 7, 9 March in time, 11, 13, 15 late -> 3 of 6: share shown, 3 as "<5"
    assert both["Meldpunt Zorg en Overlast"][:3] == ["6", "&lt;5", "50%"]
    page = text_of(client.get("/evaluatie/?jaar=2025&partij=meldpunt"))
    only = cells(page, "Binnen de termijn per partij, 2025")
    assert list(only) == ["Meldpunt Zorg en Overlast"]
    assert "het filter op partij verandert die cijfers niet" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("jaar=twintig", "Kies een jaar tussen 2000 en 2100."),
        ("jaar=2025&periode=K9", "Kies het hele jaar, een kwartaal of een maand."),
        ("jaar=2025&corporatie=nergens", "Deze corporatie bestaat niet; kies er een uit de lijst."),
        ("jaar=2025&partij=politie", "Deze partij bestaat niet; kies er een uit de lijst."),
    ],
)
def test_a_bad_filter_says_why_and_shows_no_figures(
    meeting: Any, client_for: Any, query: str, message: str
) -> None:
    answer = client_for("eval").get(f"/evaluatie/?{query}")
    assert answer.status_code == 422
    page = text_of(answer)
    assert message in page and "Het filter klopt niet" in page
    assert "cv06" not in page and "<caption>Meldingen" not in page


def test_an_eviction_of_a_tenant_who_kept_the_conditions_is_shown_prominently(
    meeting: Any, log: EventLog, client_for: Any
) -> None:
    client = client_for("eval")
    calm = text_of(client.get("/evaluatie/?jaar=2025"))
    assert 'class="cv06 kept"' in calm and "Zoals afgesproken: 0." in calm
    kept = log.case("vestia", utc(2025, 2, 3, 9), conditions_kept=True)
    melding(log, kept, utc(2025, 2, 4, 9))
    log.close(kept, utc(2025, 9, 1, 9), "ontruimd")
    log.commit()
    page = text_of(client.get("/evaluatie/?jaar=2025"))
    panel = page[page.index('class="cv06') : page.index("</section>", page.index('class="cv06'))]
    assert "breach" in panel and "Moet 0 zijn" in panel
    assert "<strong>&lt;5</strong>" in panel  # one eviction: never shown as 1
    other = text_of(client.get("/evaluatie/?jaar=2025&corporatie=quawonen"))
    assert 'class="cv06 kept"' in other


def _heat_tasks(log: EventLog) -> None:
    """Six triage tasks at the Meldpunt (two late) and one contact task: per element figures."""
    case = log.case("quawonen", utc(2025, 3, 3, 8))
    for i in range(6):
        log.task(case, "Task_Triage", "meldpunt", utc(2025, 3, 3, 9), due=utc(2025, 3, 10, 17),
                 completed=utc(2025, 3, 4 + 2 * i, 9))  # fmt: skip
    log.task(case, "Task_ContactLeggen", "meldpunt", utc(2025, 3, 3, 9),
             completed=utc(2025, 3, 4, 9))  # fmt: skip
    log.commit()


def _viewer(page: str) -> dict[str, Any]:
    match = re.search(
        r'<script type="application/json" id="heatmap-data">(.*?)</script>', page, re.S
    )
    assert match, page[:300]
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def test_heatmap_colours_the_meldpunt_diagram_by_share_overdue(
    meeting: Any, log: EventLog, client_for: Any
) -> None:
    _heat_tasks(log)
    client = client_for("pb")
    page = text_of(client.get("/evaluatie/knelpunten?jaar=2025"))
    assert "Meldpunt Zorg en Overlast" in page and 'value="meldpunt:1" selected' in page
    table = '<table class="data numbers heat-table" aria-labelledby="tabel-titel">'
    rows = cells(page.replace(table, table + "<caption>heat</caption>"), "heat")
    # triage: open 1, 3, 5, 7, 9, 11 days; median 6, P90 10; 2 of 6 after the deadline
    assert rows["Melding beoordelen (triage)"][1:5] == ["6", "6,0", "10,0", "33%"]
    assert "knelpunt" in rows["Melding beoordelen (triage)"][5]
    assert rows["Contact leggen met huurder"][1:3] == ["&lt;5", "&lt;5"]
    data = _viewer(page)
    assert data["xml"].startswith("<?xml") and 'id="Task_Triage"' in data["xml"]
    levels = {e["id"]: e["level"] for e in data["elements"]}
    assert levels == {"Task_Triage": "hoog", "Task_ContactLeggen": "onbekend"}
    # the owner's own limits: amber from 40%, red from 80% -> triage is low
    mild = text_of(client.get("/evaluatie/knelpunten?jaar=2025&maat=te_laat&oranje=40&rood=80"))
    assert {e["id"]: e["level"] for e in _viewer(mild)["elements"]}["Task_Triage"] == "laag"
    by_median = client.get("/evaluatie/knelpunten?jaar=2025&maat=mediaan&oranje=2,5&rood=5,5")
    assert {e["id"]: e["level"] for e in _viewer(text_of(by_median))["elements"]}[
        "Task_Triage"
    ] == "hoog"
    # another corporation's cases: no tasks
    vestia = text_of(client.get("/evaluatie/knelpunten?jaar=2025&corporatie=vestia"))
    assert _viewer(vestia)["elements"] == []


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("oranje=veel", "oranje", "Vul een getal van 0 of meer in"),
        ("oranje=30&rood=20", "rood", "De grens voor rood moet hoger zijn"),
        ("maat=kleur", "maat", "Kies waarop het diagram wordt gekleurd."),
        ("diagram=bestaatniet:3", "diagram", "Dit diagram is niet uitgerold"),
    ],
)
def test_heatmap_bad_limits_are_explained(
    meeting: Any, deployed: Any, client_for: Any, query: str, field: str, message: str
) -> None:
    answer = client_for("eval").get(f"/evaluatie/knelpunten?jaar=2025&{query}")
    assert answer.status_code == 422
    page = text_of(answer)
    assert message in page and f'href="#{field}"' in page
    assert "heatmap-data" not in page


@pytest.mark.parametrize("page", ["/evaluatie/", "/evaluatie/knelpunten"])
def test_a_bad_year_is_marked_on_its_field(
    meeting: Any, deployed: Any, client_for: Any, page: str
) -> None:
    answer = client_for("eval").get(f"{page}?jaar=1999")
    assert answer.status_code == 422
    html = text_of(answer)
    assert "Kies een jaar tussen 2000 en 2100." in html and 'href="#jaar"' in html
    assert '<select id="jaar" name="jaar" aria-invalid="true">' in html


def test_metrics_csv_download(meeting: Any, log: EventLog, client_for: Any) -> None:
    for day in range(3, 6):
        melding(log, log.case("vestia", utc(2025, 3, day, 9)), utc(2025, 3, day, 14))
    log.commit()
    answer = client_for("eval").get("/evaluatie/exports/kengetallen.csv?jaar=2025")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/csv")
    assert 'filename="kengetallen-2025.csv"' in answer.headers["Content-Disposition"]
    lines = text_of(answer).splitlines()
    assert lines[0].startswith("jaar;kengetal;periode;groep")
    vestia = [ln for ln in lines if ";reports;2025;vestia;" in ln and ln.endswith(";count;<5")]
    assert vestia, [ln for ln in lines if ";reports;2025;vestia;" in ln]
    bad = client_for("eval").get("/evaluatie/exports/kengetallen.csv?jaar=1")
    assert bad.status_code == 422 and "Kies een jaar tussen 2000 en 2100." in text_of(bad)


def test_tasks_reported_late_show_in_the_lead_times(
    meeting: Any, log: EventLog, client_for: Any
) -> None:
    """Lead time report -> first contact: five cases, 1..5 days: median 3, P90 4.6."""
    for i in range(5):
        reported = utc(2025, 5, 5 + i, 9)
        case = log.case("quawonen", reported - timedelta(days=20))
        melding(log, case, reported)
        log.task(case, "Task_ContactLeggen", "meldpunt", reported,
                 completed=reported + timedelta(days=i + 1))  # fmt: skip
    log.commit()
    page = text_of(client_for("eval").get("/evaluatie/?jaar=2025&periode=K2"))
    lead = cells(page, "Kalenderdagen van de melding tot de stap, K2 2025")
    assert lead["Eerste contactpoging"] == ["5", "3,0", "4,6"]


def test_the_default_year_is_the_one_with_more_reports(
    meeting: Any, log: EventLog, client_for: Any, clock: Any
) -> None:
    """In March 2026 the meeting reviews 2025: it holds the reports; 2026 hardly any yet."""
    for day in range(3, 9):
        melding(log, log.case("quawonen", utc(2025, 6, day, 9)), utc(2025, 6, day, 14))
    melding(log, log.case("vestia", utc(2026, 1, 5, 9)), utc(2026, 1, 6, 9))
    log.commit()
    client = client_for("eval")
    page = text_of(client.get("/evaluatie/"))
    assert '<option value="2025" selected>' in page and "Meldingen bij het Meldpunt, 2025" in page
    assert '<option value="2026">' in page  # this year can be chosen
    assert '<option value="2025" selected>' in text_of(client.get("/evaluatie/jaarverslag"))
