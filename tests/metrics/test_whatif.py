"""What-if: a draft against the deployed diagrams on the same simulated load, scratch databases."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import Case
from app.services.errors import DeploymentRefused
from app.services.metrics.whatif import compare, comparison_lines, draft_sources
from tests.conftest import PROCESSES

MELDPUNT = (PROCESSES / "shared" / "meldpunt.bpmn").read_text(encoding="utf-8")
ASSESSMENT = 'camunda:formKey="kwetsbaarheid" camunda:dueDate="${werkdagen(20)}"'


def test_a_tighter_deadline_lowers_compliance_on_the_same_load(deployed: Any, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("the what-if runs in scratch SQLite databases whatever the main database is")
    assert ASSESSMENT in MELDPUNT
    draft = {"meldpunt-concept.bpmn": MELDPUNT.replace(ASSESSMENT, ASSESSMENT.replace("20", "1"))}
    result = compare(
        draft, app_factory=create_app, cases=12, seed=3, days=10, settle_days=20,
        start=datetime(2025, 3, 3, tzinfo=UTC),
    )  # fmt: skip
    assert result.replaced == ["shared/meldpunt.bpmn"]
    before, after = result.deployed, result.draft
    # same households, same delays: only the deadline differs, so the work is the same ...
    assert before.cases == after.cases == 12
    assert before.tasks_completed == after.tasks_completed > 0
    assert before.outcomes == after.outcomes
    assert before.lead_times == after.lead_times
    # ... and the Meldpunt meets fewer deadlines
    assert after.compliance["meldpunt"][1] < before.compliance["meldpunt"][1]
    lines = comparison_lines(result)
    assert any(line.startswith("  Meldpunt Zorg en Overlast") for line in lines)
    # nothing was simulated in the real database
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0


def test_a_broken_draft_is_refused_before_simulating(deployed: Any) -> None:
    broken = MELDPUNT.replace('camunda:formKey="kwetsbaarheid"', 'camunda:formKey="bestaat_niet"')
    with pytest.raises(DeploymentRefused):
        compare({"meldpunt.bpmn": broken}, app_factory=create_app, cases=1, days=1)


def test_a_draft_replaces_the_file_that_defines_its_process() -> None:
    deployed = {"shared/meldpunt.bpmn": MELDPUNT, "other.bpmn": "<x/>"}
    merged, replaced = draft_sources({"concept.bpmn": MELDPUNT}, deployed)
    assert replaced == ["shared/meldpunt.bpmn"]
    assert set(merged) == {"shared/meldpunt.bpmn", "other.bpmn"}
