"""The dashboard's filtered view (read from the cells) gives exactly the figures' answers."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from app.services.errors import InvalidInput
from app.services.metrics import figures as f
from app.services.metrics import selection as sel
from app.services.metrics.selection import Selection, meeting_figures
from tests.metrics.conftest import EventLog
from tests.metrics.test_dashboard import _random_year


def _reference(s: Selection, m: int) -> dict[str, Any]:
    """The selection's figures, one ``figures`` query each (how the view was first built)."""
    year, grain, key = s.year, s.grain, s.chosen.key
    corp = next((c for c in f.corporations() if c.key == s.corporation), None)
    corp_id = corp.id if corp else None
    group = corp.key if corp else f.TOTAL

    def chosen(rows: list[Any]) -> list[Any]:
        return [r for r in rows if r.period == key and (corp is None or r.group == corp.key)]

    def of_party(role: str) -> bool:
        return not s.party or role == s.party

    return {
        "reports": chosen(f.reports(year, grain, min_count=m)),
        "reports_by_month": [r for r in f.reports(year, "month", min_count=m) if r.group == group],
        "arrears": chosen(f.arrears_at_report(year, grain, min_count=m)),
        "arrears_by_quarter": [
            r for r in f.arrears_at_report(year, "quarter", min_count=m) if r.group == group
        ],
        "children": chosen(f.children(year, grain, min_count=m)),
        "lead_times": [
            r
            for r in f.lead_times(year, grain, by_corporation=corp is not None, min_count=m)
            if r.period == key and r.group == group
        ],
        "compliance_by_party": [
            r
            for r in f.compliance(year, grain, by="role", min_count=m, corporation_id=corp_id)
            if r.period == key and of_party(r.role)
        ],
        "compliance_by_step": [
            r
            for r in f.compliance(year, grain, by="activity", min_count=m, corporation_id=corp_id)
            if r.period == key and of_party(r.role)
        ],
        "compliance_by_corporation": (
            chosen(f.compliance(year, grain, by="corporation", min_count=m))
            if of_party("corporatie")
            else []
        ),
        "waiting_working": [
            r
            for r in f.waiting_and_working(year, grain, min_count=m, corporation_id=corp_id)
            if r.period == key and of_party(r.group)
        ],
    }


SELECTIONS = [
    Selection(2025),
    Selection(2025, period="K2"),
    Selection(2025, period="05"),
    Selection(2025, corporation="quawonen"),
    Selection(2025, period="K3", corporation="vestia"),
    Selection(2025, period="11", corporation="quawonen", party="meldpunt"),
    Selection(2025, party="corporatie"),
    Selection(2025, period="K1", party="schuldhulp"),
]


@pytest.mark.parametrize("min_count", [1, 5])
def test_filtered_view_equals_the_figures(
    log: EventLog, monkeypatch: pytest.MonkeyPatch, min_count: int
) -> None:
    _random_year(log, seed=21, commit_every=11)
    monkeypatch.setattr(sel, "MIN_COUNT", min_count)
    shown = 0
    for selection in SELECTIONS:
        view = meeting_figures(selection, refresh_first=False)
        for name, expected in _reference(selection, min_count).items():
            assert getattr(view, name) == expected, (selection, name)
        shown += sum(1 for r in view.compliance_by_step if r.n)
        assert dataclasses.asdict(view)  # plain data all the way down
    assert shown  # the comparison is not between empty lists


def test_unknown_filters_are_refused(log: EventLog) -> None:
    with pytest.raises(InvalidInput) as refused:
        meeting_figures(Selection(2025, period="K5", corporation="nope", party="x"))
    assert set(refused.value.errors) == {"periode", "corporatie", "partij"}
