"""The bottleneck heatmap on the diagram (COVENANT.md §8, CV-10, CV-26).

Per user task of one deployed diagram: how many tasks were completed in a period, their median
and P90 time open (created -> completed, calendar days) and the share completed after their
deadline. Aggregated in SQL from ``metric_tasks``; small counts suppressed; nothing personal.

A diagram file is shared: the Meldpunt's diagram is part of every corporation's version. A
task counts when its case ran on any deployed version that holds exactly this diagram text,
so a version's heatmap shows what happened on that drawing, whoever started the case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lxml import etree
from sqlalchemy import case, func, select

from app.extensions import db
from app.models import Case, MetricTask, ProcessVersion
from app.services.errors import NotFound
from app.services.metrics import figures as f
from app.services.metrics import suppression as sup
from app.services.metrics.periods import Period
from app.services.metrics.sql import between, grouped_percentiles

_BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
_Row = tuple[int | None, float | None, float | None, int | None, float | None]


@dataclass(frozen=True)
class DiagramChoice:
    """A deployed version whose diagram can carry the heatmap."""

    process_id: str
    version: int
    name: str


@dataclass(frozen=True)
class ElementHeat:
    """One user task of the diagram, over the tasks completed in the period."""

    activity_id: str
    name: str
    role: str | None
    n: int | None
    median_days: float | None
    p90_days: float | None
    #: tasks that had a deadline (the base of share_overdue)
    with_deadline: int | None
    share_overdue: float | None

    @property
    def party(self) -> str:
        """The Dutch name of the party whose task it is."""
        return f.role_label(self.role)


@dataclass(frozen=True)
class Heatmap:
    """The figures of one diagram for one period (and, optionally, one corporation)."""

    process_id: str
    version: int
    name: str
    file_name: str
    xml: str
    period: Period
    corporation_id: int | None
    #: every user task of the diagram, in the order the summary lists them
    elements: list[ElementHeat]
    #: deployed versions that share this diagram text (their cases are counted)
    shared_by: int
    #: all tasks of the diagram completed in the period (suppressed like every count)
    tasks: int | None


def diagram_choices() -> list[DiagramChoice]:
    """Every deployed version that draws a process, newest version first per process."""
    rows = db.session.execute(
        select(ProcessVersion.process_id, ProcessVersion.version, ProcessVersion.name).order_by(
            ProcessVersion.process_id, ProcessVersion.version.desc()
        )
    )
    return [DiagramChoice(p, v, n or p) for p, v, n in rows]


def heatmap(
    process_id: str,
    version: int,
    *,
    period: Period,
    corporation_id: int | None = None,
    min_count: int = sup.MIN_COUNT,
) -> Heatmap:
    """The heatmap figures of one version's own diagram (CV-10, CV-26: where does it stall?)."""
    target = db.session.scalar(
        select(ProcessVersion).where(
            ProcessVersion.process_id == process_id, ProcessVersion.version == version
        )
    )
    if target is None:
        raise NotFound("Deze procesversie bestaat niet.")
    file_name, xml = _diagram_file(target)
    task_ids = _user_task_ids(xml)
    described = {
        t["id"]: t for t in (target.summary or {}).get("user_tasks", []) if t.get("id") in task_ids
    }
    versions = _versions_sharing(process_id, file_name, xml)
    figures, total = _figures(sorted(task_ids), versions, period, corporation_id, min_count)
    elements = []
    for activity_id, xml_name in task_ids.items():
        meta = described.get(activity_id, {})
        n, median, p90, with_due, share = figures.get(activity_id, (0, None, None, 0, None))
        elements.append(
            ElementHeat(
                activity_id=activity_id,
                name=str(meta.get("name") or xml_name or activity_id),
                role=meta.get("role"),
                n=n,
                median_days=median,
                p90_days=p90,
                with_deadline=with_due,
                share_overdue=share,
            )
        )
    return Heatmap(
        process_id=target.process_id,
        version=target.version,
        name=target.name or target.process_id,
        file_name=file_name,
        xml=xml,
        period=period,
        corporation_id=corporation_id,
        elements=elements,
        shared_by=len(versions),
        tasks=sup.count(total, min_count),
    )


def _diagram_file(version: ProcessVersion) -> tuple[str, str]:
    """The BPMN file of the version that declares its own process."""
    for name in sorted(version.sources or {}):
        text = version.sources[name]
        if name.lower().endswith(".bpmn") and version.process_id in _process_ids(text):
            return name, text
    raise NotFound("Het diagram van deze procesversie is niet gevonden.")


@lru_cache(maxsize=64)
def _parsed(text: str) -> tuple[frozenset[str], tuple[tuple[str, str], ...]]:
    """Process ids and (user task id, name) pairs of one diagram file (cached by text)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return frozenset(), ()
    processes = frozenset(str(p.get("id")) for p in root.iter(f"{{{_BPMN}}}process") if p.get("id"))
    tasks = tuple(
        (str(t.get("id")), " ".join((t.get("name") or "").split()))
        for t in root.iter(f"{{{_BPMN}}}userTask")
        if t.get("id")
    )
    return processes, tasks


def _process_ids(text: str) -> frozenset[str]:
    return _parsed(text)[0]


def _user_task_ids(text: str) -> dict[str, str]:
    """User task id -> name as drawn, in document order."""
    return dict(_parsed(text)[1])


def _versions_sharing(process_id: str, file_name: str, xml: str) -> list[int]:
    """Ids of the deployed versions holding this very diagram text (own or called)."""
    candidates = [
        version_id
        for version_id, own, summary in db.session.execute(
            select(ProcessVersion.id, ProcessVersion.process_id, ProcessVersion.summary)
        )
        if own == process_id or process_id in (summary or {}).get("called", [])
    ]
    if not candidates:
        return []
    sharing = []
    for version_id, sources in db.session.execute(
        select(ProcessVersion.id, ProcessVersion.sources).where(ProcessVersion.id.in_(candidates))
    ):
        texts = sources or {}
        if texts.get(file_name) == xml or xml in texts.values():
            sharing.append(int(version_id))
    return sharing


def _figures(
    task_ids: Sequence[str],
    versions: Sequence[int],
    period: Period,
    corporation_id: int | None,
    min_count: int,
) -> tuple[dict[str, _Row], int]:
    """activity id -> (count, median days, P90 days, with deadline, share overdue); the total."""
    if not task_ids or not versions:
        return {}, 0
    t = MetricTask
    where: list[Any] = [
        between(t.completed_at, period.start, period.end),
        t.activity_id.in_(task_ids),
        Case.process_version_id.in_(versions),
    ]
    if corporation_id is not None:
        where.append(t.corporation_id == corporation_id)
    source = (
        select(t.activity_id.label("a"), t.open_s.label("v"))
        .join(Case, Case.id == t.case_id)
        .where(*where)
        .subquery()
    )
    # times open on the figures' grid of 0.01 day (shown with one decimal): a GROUP BY, no sort
    dists = grouped_percentiles(source, ["a"], resolution=f.OPEN_GRID)
    late = case((t.completed_at > t.due_at, 1), else_=0)
    deadlines = {
        str(a): (int(n), int(k or 0))
        for a, n, k in db.session.execute(
            select(t.activity_id, func.count(), func.sum(late))
            .join(Case, Case.id == t.case_id)
            .where(*where, t.due_at.is_not(None))
            .group_by(t.activity_id)
        )
    }
    result: dict[str, _Row] = {}
    for (activity,), d in dists.items():
        n, median, p90 = f._dist(d, f.DAY, min_count)
        with_due, overdue = deadlines.get(str(activity), (0, 0))
        result[str(activity)] = (
            n,
            median,
            p90,
            sup.count(with_due, min_count),
            sup.share(overdue, with_due, min_count),
        )
    return result, sum(d.n for d in dists.values())
