"""A hand-written event log: cases and events inserted directly, answers worked out by hand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

import pytest

from app.extensions import db
from app.models import Case, CaseEvent, ProcessVersion
from app.services.metrics.projection import CaseFacts, refresh

#: the diagram the synthetic cases run on: which form each task uses decides its step
SUMMARY = {
    "startable": True,
    "start_form": "signalering",
    "user_tasks": [
        {"id": "T_Melding", "form_key": "melding", "role": "corporatie"},
        {"id": "T_Contact", "form_key": "contactpoging", "role": "meldpunt"},
        {"id": "T_Beoordeling", "form_key": "kwetsbaarheid", "role": "meldpunt"},
        {"id": "T_Plan", "form_key": "plan", "role": "meldpunt"},
        {"id": "T_Overdracht", "form_key": "overdracht", "role": "meldpunt"},
        {"id": "T_Intake", "form_key": "intake_schuldhulp", "role": "schuldhulp"},
    ],
}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


@dataclass
class EventLog:
    """Builds cases and their events; ``commit()`` writes them in time order and refreshes."""

    version_id: int
    orgs: dict[str, Any]
    facts: dict[int, CaseFacts] = field(default_factory=dict)
    _events: list[dict[str, Any]] = field(default_factory=list)
    _tasks: count = field(default_factory=count)  # type: ignore[type-arg]

    def case(self, corporation: str, started: datetime, **facts: Any) -> int:
        case = Case(
            reference=f"VK-T-{next(self._tasks)}",
            process_version_id=self.version_id,
            corporation_id=self.orgs[corporation].id,
            status="open",
            state=b"",
            serializer_version="",
            created_at=started,
            updated_at=started,
        )
        db.session.add(case)
        db.session.flush()
        self.facts[case.id] = CaseFacts(**facts)
        self._add(case.id, started, "case_started", role="corporatie")
        return case.id

    def task(
        self,
        case_id: int,
        activity: str,
        role: str,
        created: datetime,
        *,
        due: datetime | None = None,
        claimed: datetime | None = None,
        completed: datetime | None = None,
        cancelled: datetime | None = None,
    ) -> str:
        task_id = f"task-{next(self._tasks)}"
        details = {"due_at": due.isoformat()} if due else None
        self._add(case_id, created, "created", activity, role, task_id, details)
        if claimed:
            self._add(case_id, claimed, "claimed", activity, role, task_id)
        if completed:
            self._add(case_id, completed, "completed", activity, role, task_id)
        if cancelled:
            self._add(case_id, cancelled, "cancelled", activity, role, task_id)
        return task_id

    def report(self, case_id: int, at: datetime) -> None:
        """The corporation's melding task, done at ``at`` (created a day earlier)."""
        self.task(case_id, "T_Melding", "corporatie", at - timedelta(days=1), completed=at)

    def close(self, case_id: int, at: datetime, outcome: str) -> None:
        self._add(case_id, at, "case_closed", details={"outcome": outcome})

    def _add(
        self,
        case_id: int,
        at: datetime,
        lifecycle: str,
        activity: str | None = None,
        role: str | None = None,
        task_id: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self._events.append(
            {
                "case_id": case_id,
                "at": at,
                "lifecycle": lifecycle,
                "activity_id": activity,
                "activity_name": activity and f"Taak {activity}",
                "role": role,
                "task_id": task_id,
                "details": details,
            }
        )

    def commit(self) -> None:
        """Write the pending events in time order (ids follow time, as in production)."""
        events = sorted(self._events, key=lambda e: e["at"])
        self._events = []
        if events:
            db.session.execute(CaseEvent.metadata.tables["case_events"].insert(), events)
        refresh(read_facts=self.read_facts)
        db.session.commit()

    def read_facts(self, case_ids: Sequence[int]) -> dict[int, CaseFacts]:
        return {c: self.facts[c] for c in case_ids if c in self.facts}


@pytest.fixture
def log(session: Any, parties: Any) -> EventLog:
    version = ProcessVersion(
        process_id="quawonen",
        name="Test",
        version=1,
        content_hash="x" * 64,
        sources={},
        spec_blob=b"",
        summary=SUMMARY,
        deployed_at=utc(2024, 1, 1),
    )
    db.session.add(version)
    db.session.commit()
    return EventLog(version.id, parties.orgs)
