"""Filling the schema-drawn forms the way a person would: by the inputs the page shows."""

from __future__ import annotations

from typing import Any


def fill(page: Any, data: dict[str, Any]) -> None:
    """Type, pick or tick each value into the input the form drew for that field."""
    for key, value in data.items():
        if isinstance(value, list):
            for item in value:
                page.check(f"input[type=checkbox][name='{key}'][value='{item}']")
            continue
        radio = page.locator(f"input[type=radio][name='{key}'][value='{value}']")
        if radio.count():
            radio.check()
            continue
        element = page.locator(f"#f-{key}")
        kind = element.evaluate("e => e.tagName.toLowerCase() + ':' + (e.type || '')")
        if kind.startswith("select"):
            element.select_option(str(value))
        elif kind == "input:checkbox":
            element.set_checked(value is True or value == "ja")
        else:
            element.fill(str(value))


def submit(page: Any, label: str) -> None:
    """Press a button by its visible text and wait for the next page."""
    with page.expect_navigation():
        page.get_by_role("button", name=label, exact=True).click()


def open_task(page: Any, name: str) -> None:
    """Follow the link of an open task on the case page or task list."""
    with page.expect_navigation():
        page.get_by_role("link", name=name).first.click()
