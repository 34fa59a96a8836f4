"""Browser tests: the real app on a free local port, driven by Playwright in Debian's Chromium.

Each test session starts one server (werkzeug, threaded) on a temporary SQLite database with
the demo users and the diagrams of processes/bpmn, and one headless Chromium. Every page a test
visits is checked with axe-core (no serious or critical violations) and photographed to
/tmp/voorkom-e2e-<pid>/ for a person to look at.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app import create_app
from app.engine import SPEC_CACHE
from app.extensions import db
from app.services import transaction
from app.services.actors import SYSTEM
from app.services.deployments import deploy, read_directory
from app.services.seed import seed_demo_users

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("VOORKOM_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: screenshots of this run (other runs, e.g. a colleague's in the same tree, keep theirs)
SHOTS = Path(os.environ.get("VOORKOM_E2E_SHOTS", f"/tmp/voorkom-e2e-{os.getpid()}"))
BLOCKING = ("serious", "critical")

pytestmark = pytest.mark.e2e


@dataclass
class LiveApp:
    """The running app: its address and its Flask object (for looking into the database)."""

    url: str
    app: Flask


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    tmp = tmp_path_factory.mktemp("e2e")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'e2e.sqlite3'}",
            "SECRET_KEY": "e2e-only",
            "SESSION_COOKIE_SECURE": False,
            "VOORKOM_DEMO": True,
        }
    )
    SPEC_CACHE.clear()  # version ids of this database must not meet another's cached specs
    with app.app_context():
        db.create_all()
        with transaction():
            seed_demo_users()
        with transaction():
            deploy(read_directory(ROOT / "processes" / "bpmn"), actor=SYSTEM, name="e2e")
        db.session.remove()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    yield LiveApp(f"http://127.0.0.1:{server.server_port}", app)
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    SPEC_CACHE.clear()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (make test does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@dataclass
class Visits:
    """Every page checked so far, with what axe found on it."""

    shots: list[Path] = field(default_factory=list)
    counter: int = 0


@pytest.fixture(scope="session")
def visits() -> Visits:
    for earlier in SHOTS.parent.glob("voorkom-e2e-*"):
        pid = earlier.name.rsplit("-", 1)[-1]
        if earlier != SHOTS and pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(earlier, ignore_errors=True)  # a finished run's pictures
    SHOTS.mkdir(parents=True, exist_ok=True)
    return Visits()


class User:
    """One person in their own browser context (own cookies), signed in."""

    def __init__(self, live: LiveApp, browser: Any, visits: Visits, username: str) -> None:
        self.live = live
        self.visits = visits
        self.username = username
        self.context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
        self.context.set_default_timeout(15_000)
        self.context.add_init_script(path=str(AXE))  # injected the way no CSP can stop
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page.on(
            "console",
            lambda message: (
                self.console_errors.append(message.text) if message.type == "error" else None
            ),
        )

    def go(self, path: str) -> Any:
        return self.page.goto(self.live.url + path)

    def sign_in(self, password: str = "demo") -> None:  # noqa: S107 - the demo password
        self.go("/inloggen")
        self.check("inloggen")
        self.page.fill("#gebruikersnaam", self.username)
        self.page.fill("#wachtwoord", password)
        self.page.click("button:has-text('Inloggen')")
        self.page.wait_for_load_state()

    def check(self, name: str) -> None:
        """Run axe on the page as it is now and take its picture; fail on serious findings."""
        self.page.wait_for_load_state("load")
        self.visits.counter += 1
        shot = SHOTS / f"{self.visits.counter:02d}-{self.username}-{name}.png"
        self.page.screenshot(path=str(shot), full_page=True)
        self.visits.shots.append(shot)
        result = self.page.evaluate(
            "axe.run(document, {resultTypes: ['violations']})"
            ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))"
        )
        blocking = [v for v in result if v["impact"] in BLOCKING]
        assert not blocking, f"axe on {name} ({self.page.url}): {blocking}"
        refused = [e for e in self.console_errors if "Content Security Policy" in e]
        assert not refused, f"{name}: the page broke its own CSP: {refused}"

    def text(self) -> str:
        return str(self.page.inner_text("main"))

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def people(live_app: LiveApp, browser: Any, visits: Visits) -> Iterator[Any]:
    opened: list[User] = []

    def open_as(username: str, *, sign_in: bool = True) -> User:
        user = User(live_app, browser, visits, username)
        opened.append(user)
        if sign_in:
            user.sign_in()
        return user

    yield open_as
    for user in opened:
        user.close()


def reference_in(text: str) -> str:
    match = re.search(r"VK-\d{4}-\d{6}", text)
    assert match, text[:500]
    return match.group(0)
