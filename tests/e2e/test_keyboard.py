"""Keyboard only: sign in, find a task and take it, with the focus visible at every step."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.e2e

FOCUS_RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName, id: el.id, text: (el.innerText || el.value || '').trim(),
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""


def focused(page: Any) -> dict[str, Any]:
    info: dict[str, Any] = page.evaluate(FOCUS_RING)
    assert info["outline"] != "none" and info["width"] >= 2, info  # visible focus
    return info


def test_keyboard_only(people: Any) -> None:
    visitor = people("meldpunt", sign_in=False)
    page = visitor.page
    visitor.go("/")
    visitor.check("start-anoniem")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Naar de inhoud"  # the skip link comes first
    visitor.go("/inloggen")
    page.focus("#gebruikersnaam")
    page.keyboard.type("meldpunt")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "wachtwoord"
    page.keyboard.type("demo")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/taken")
    visitor.go("/taken/mijn")
    visitor.check("mijn-taken")
    for _ in range(12):  # Tab through the menu to "Team"
        page.keyboard.press("Tab")
        if focused(page)["text"] == "Team":
            break
    else:
        raise AssertionError("the menu item Team was not reachable by Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/taken")
    visitor.go("/zaken/VK-0000-000000")
    visitor.check("niet-gevonden-zaak")
