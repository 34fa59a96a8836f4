"""Live view of a version: per diagram element, how many cases wait there and how many are late.

Counts only, never personal data (COVENANT.md §7): process owners see where cases are stuck.
A case counts at every element it waits at (a user task, a timer or message catch event) and at
each call activity or subprocess it is inside; boundary timers count at their activity, not
apart. Overdue: an open task past its due date, or a timer past its moment (the worker is late).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.engine import CaseRuntime
from app.engine.migrate import Position, case_positions
from app.extensions import db
from app.models import CASE_OPEN, Case, ProcessVersion
from app.services.actors import Actor
from app.services.clock import now
from app.services.engine import new_engine, specs_for
from app.services.workbench import require_workbench
from app.services.workbench.versions import find_version

#: cases whose state is read per round trip
BATCH = 200


@dataclass(frozen=True)
class ElementCount:
    """Cases waiting at one element of the diagram, and how many of them are overdue."""

    process_id: str
    activity_id: str
    name: str
    kind: str  # task | timer | message | event | subprocess
    waiting: int
    overdue: int


@dataclass(frozen=True)
class LiveView:
    """The counts of one version at one moment."""

    process_id: str
    version: int
    at: datetime
    open_cases: int
    elements: list[ElementCount]

    def count(self, activity_id: str, process_id: str | None = None) -> ElementCount | None:
        """The counts of one element (None: no case waits there)."""
        for item in self.elements:
            if item.activity_id == activity_id and process_id in (None, item.process_id):
                return item
        return None


@dataclass(frozen=True)
class CaseAt:
    """A case waiting at an element: its reference and deadline, nothing personal."""

    reference: str
    due: datetime | None
    overdue: bool


def live_view(actor: Actor, process_id: str, version: int) -> LiveView:
    """Per element of a version, the cases waiting there and how many are overdue."""
    require_workbench(actor)
    target = find_version(process_id, version)
    moment = now()
    waiting: dict[tuple[str, str], set[int]] = defaultdict(set)
    late: dict[tuple[str, str], set[int]] = defaultdict(set)
    details: dict[tuple[str, str], tuple[str, str]] = {}
    cases = 0
    for case_id, _reference, positions in _positions(target):
        cases += 1
        for position in positions:
            overdue = _overdue(position, moment)
            places = [(position.process_id, position.activity_id), *position.inside]
            for place in places:
                waiting[place].add(case_id)
                if overdue:
                    late[place].add(case_id)
            details.setdefault(places[0], (position.name, position.kind))
    elements = [
        ElementCount(
            process_id=place[0],
            activity_id=place[1],
            name=details.get(place, (place[1], "subprocess"))[0],
            kind=details.get(place, (place[1], "subprocess"))[1],
            waiting=len(ids),
            overdue=len(late.get(place, ())),
        )
        for place, ids in sorted(waiting.items())
    ]
    return LiveView(process_id, version, moment, cases, elements)


def cases_at(actor: Actor, process_id: str, version: int, activity_id: str) -> list[CaseAt]:
    """The cases of a version waiting at one element (click-through from the live view)."""
    require_workbench(actor)
    target = find_version(process_id, version)
    moment = now()
    found = []
    for _case_id, reference, positions in _positions(target):
        here = [
            p for p in positions
            if p.activity_id == activity_id or any(a == activity_id for _p, a in p.inside)
        ]  # fmt: skip
        if not here:
            continue
        dues = [p.due for p in here if p.due is not None and p.activity_id == activity_id]
        overdue = any(_overdue(p, moment) for p in here)
        found.append(CaseAt(reference, min(dues) if dues else None, overdue))
    return sorted(found, key=lambda c: (not c.overdue, c.due is None, c.due, c.reference))


def _overdue(position: Position, moment: datetime) -> bool:
    return position.due is not None and position.due < moment


def _positions(target: ProcessVersion) -> Iterator[tuple[int, str, list[Position]]]:
    """(case id, reference, positions) of every open case of the version, read in batches."""
    spec, subs = specs_for(target)
    engine = new_engine()
    last = 0
    while True:
        rows = db.session.execute(
            select(Case.id, Case.reference, Case.state, Case.serializer_version)
            .where(
                Case.process_version_id == target.id,
                Case.status == CASE_OPEN,
                Case.id > last,
            )
            .order_by(Case.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for case_id, reference, state, serializer_version in rows:
            runtime = CaseRuntime.restore(state, spec, subs, serializer_version, engine)
            yield case_id, reference, case_positions(runtime)
        last = rows[-1][0]
