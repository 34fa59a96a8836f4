"""Move a running case to another version of its process, and say where a case stands.

SpiffWorkflow's ``diff_workflow`` aligns the case's tasks with the new version's task specs by
id; ``migrate_workflow`` swaps the specs and re-predicts what lies ahead of every open task. The
rules on top of that (ANCHORS.md: "refuse if completed parts changed"):

- a case cannot move when a part it already ran (or is running, such as a call activity) was
  changed or removed, when the part it waits at was removed, became another kind of element or
  moved to another party's lane, or when a subprocess it is inside no longer exists
  (``MigrationRefused`` lists each obstacle). A new name, documentation or deadline (due date,
  timer moment) of a part already run is no obstacle: it does not change what the case did;
- a moved case keeps what it was promised: open tasks keep their due date and running timers
  their moment (the new deadlines apply from the next time the case reaches them);
- a move is verified by storing and restoring the migrated state with the new specs before it
  counts; a dry run is the same code on a throwaway copy.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask
from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from app.engine.runner import CaseRuntime, EngineError, timer_moment
from app.engine.serializer import SERIALIZER, SERIALIZER_VERSION, dump_state, load_state

#: spec attributes whose change does not alter what a completed part did
COSMETIC = frozenset({"bpmn_name", "documentation", "description"})
#: Dutch words for the spec attributes SpiffWorkflow compares
ATTRIBUTE_LABELS: dict[str, str] = {
    "typename": "soort element",
    "inputs": "inkomende stromen",
    "outputs": "uitgaande stromen",
    "extensions": "eigenschappen (formulier, termijn, bewerking)",
    "event_definition": "gebeurtenis of timer",
    "cond_task_specs": "voorwaarden",
    "default_task_spec": "standaardpad",
    "script": "script",
    "prescript": "script vooraf",
    "postscript": "script achteraf",
    "lane": "baan (partij)",
    "spec": "aangeroepen proces",
    "decision_table": "beslistabel",
    "manual": "handmatig of automatisch",
    "io_specification": "invoer en uitvoer",
    "data_input_associations": "invoer",
    "data_output_associations": "uitvoer",
}
_OPEN = TaskState.READY | TaskState.WAITING
_RAN = TaskState.COMPLETED | TaskState.ERROR
_KEEP_ON_RESET = ("voorkom_due", "event_value", "event_fired")


@dataclass(frozen=True)
class Obstacle:
    """Why a case cannot move: the part of the diagram and the reason (Dutch)."""

    process_id: str
    activity_id: str
    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name} ({self.activity_id}): {self.reason}"


@dataclass(frozen=True)
class MigrationCheck:
    """What moving a case did: the open parts whose definition changed."""

    changed_open: tuple[str, ...] = ()


class MigrationRefused(EngineError):
    """The case cannot move to that version; ``obstacles`` says why."""

    def __init__(self, obstacles: tuple[Obstacle, ...]) -> None:
        super().__init__("; ".join(str(o) for o in obstacles))
        self.obstacles = obstacles


@dataclass
class _Plan:
    top: Any
    subprocesses: dict[UUID, Any]
    obstacles: list[Obstacle] = field(default_factory=list)
    changed_open: list[str] = field(default_factory=list)


def migrate_case(
    runtime: CaseRuntime, spec: Any, subprocess_specs: dict[str, Any], *, run_on: bool = True
) -> MigrationCheck:
    """Move the case to this spec in place and (``run_on``) let it run on.

    Raises MigrationRefused when it cannot move; the runtime may then be half changed and must
    be thrown away (the services never save it). A dry run passes ``run_on=False``: the move
    is made and verified, but no engine step runs (no service operation, no message).
    """
    workflow = runtime.workflow
    plan = _plan(workflow, spec, subprocess_specs)
    if plan.obstacles:
        raise MigrationRefused(tuple(plan.obstacles))
    kept = {
        task.id: {k: copy.deepcopy(v) for k, v in task.internal_data.items() if k in _KEEP_ON_RESET}
        for task in _all_tasks(workflow)
        if task.state & _OPEN
    }
    try:
        old_names = {sp_id: sp.spec.name for sp_id, sp in workflow.subprocesses.items()}
        migrate_workflow(plan.top, workflow, spec)
        for sp_id, sub in list(workflow.subprocesses.items()):
            migrate_workflow(plan.subprocesses[sp_id], sub, subprocess_specs[old_names[sp_id]])
        workflow.subprocess_specs = dict(subprocess_specs)
        _drop_stale(workflow)
        for task in _all_tasks(workflow):
            if task.id in kept and task.state & _OPEN:
                task.internal_data.update(kept[task.id])
        load_state(dump_state(workflow), spec, subprocess_specs, SERIALIZER_VERSION)
        if run_on:
            runtime._run_engine()
    except Exception as exc:
        obstacle = Obstacle(
            spec.name, spec.name, spec.description or spec.name,
            f"de zaak kon niet worden omgezet: {exc}",
        )  # fmt: skip
        raise MigrationRefused((obstacle,)) from exc
    return MigrationCheck(tuple(plan.changed_open))


def _plan(workflow: Any, spec: Any, subprocess_specs: dict[str, Any]) -> _Plan:
    top, subs = diff_workflow(SERIALIZER.registry, workflow, spec, subprocess_specs)
    plan = _Plan(top, subs)
    if workflow.spec.name != spec.name:
        plan.obstacles.append(Obstacle(spec.name, spec.name, spec.name, "dit is een ander proces"))
        return plan
    _judge(plan, workflow, top)
    for sp_id, sub in workflow.subprocesses.items():
        diff = subs.get(sp_id)
        if diff is None:
            container = workflow.get_task_from_id(sp_id)
            name = container.task_spec.bpmn_name if container else sub.spec.name
            plan.obstacles.append(
                Obstacle(
                    sub.spec.name, sub.spec.name, name or sub.spec.name,
                    f"de zaak is in deelproces {sub.spec.name!r}, dat in de nieuwe versie niet "
                    "meer bestaat",
                )
            )  # fmt: skip
            continue
        _judge(plan, sub, diff)
    return plan


def _judge(plan: _Plan, workflow: Any, diff: Any) -> None:
    process_id = workflow.spec.name
    removed = {task.id for task in diff.removed}
    for task in diff.removed:
        if _will_be_repredicted(task) or task.state & (
            TaskState.CANCELLED | TaskState.PREDICTED_MASK
        ):
            continue
        if task.state & _RAN:
            reason = "is al uitgevoerd en bestaat niet meer in de nieuwe versie"
        else:
            reason = "de zaak staat hier, maar dit onderdeel bestaat niet meer in de nieuwe versie"
        plan.obstacles.append(_obstacle(process_id, task, reason))
    for task in diff.changed:
        if task.id in removed or _will_be_repredicted(task):
            continue
        changes = [key for key in _changes(diff, task) if key not in COSMETIC]
        if not changes:
            continue
        what = ", ".join(ATTRIBUTE_LABELS.get(key, key) for key in changes)
        if task.state & _RAN:
            reason = f"is al uitgevoerd en is in de nieuwe versie veranderd: {what}"
            plan.obstacles.append(_obstacle(process_id, task, reason))
        elif task.state & TaskState.STARTED:
            reason = f"loopt nog en is in de nieuwe versie veranderd: {what}"
            plan.obstacles.append(_obstacle(process_id, task, reason))
        elif task.state & _OPEN and "typename" in changes:
            reason = "de zaak wacht hier, maar het is in de nieuwe versie een ander soort element"
            plan.obstacles.append(_obstacle(process_id, task, reason))
        elif task.state & _OPEN and "lane" in changes:
            reason = (
                "de zaak wacht hier, maar dit onderdeel hoort in de nieuwe versie bij een andere "
                "partij (baan); het staat al in de takenlijst van de huidige partij"
            )
            plan.obstacles.append(_obstacle(process_id, task, reason))
        elif task.state & _OPEN:
            plan.changed_open.append(_activity(task))


def _changes(diff: Any, task: Any) -> list[str]:
    """The spec attributes that differ between the task's spec and the one it is aligned to.

    A part the case already ran keeps what it did when only its deadline changed (a due date,
    a timer's moment): the case meets the new deadline the next time it reaches the part, on
    the new version. Such changes do not count for a task that ran.
    """
    new_spec = diff.alignment.get(task)
    if new_spec is None:
        return []
    first = SERIALIZER.registry.convert(task.task_spec)
    second = SERIALIZER.registry.convert(new_spec)
    if first.get("typename") != second.get("typename"):
        return ["typename"]
    changed = [key for key, value in first.items() if second.get(key) != value]
    if task.state & _RAN:
        changed = [key for key in changed if not _deadline_only(key, first, second)]
    return changed


def _deadline_only(key: str, first: dict[str, Any], second: dict[str, Any]) -> bool:
    """Whether an attribute differs in nothing but a due date or a timer's expression."""
    if key == "extensions":
        return _without_due(first.get(key)) == _without_due(second.get(key))
    if key == "event_definition":
        old, new = dict(first.get(key) or {}), dict(second.get(key) or {})
        timer = "Timer" in str(old.get("typename")) and old.get("typename") == new.get("typename")
        old.pop("expression", None)
        new.pop("expression", None)
        return timer and old == new
    return False


def _without_due(extensions: Any) -> Any:
    if not isinstance(extensions, dict):
        return extensions
    stripped = {k: v for k, v in extensions.items() if k != "dueDate"}
    if isinstance(stripped.get("camunda"), dict):
        stripped["camunda"] = {k: v for k, v in stripped["camunda"].items() if k != "dueDate"}
    return stripped


def _will_be_repredicted(task: Any) -> bool:
    """A task below an open task: migration drops and re-predicts it from the new spec."""
    if not task.state & (TaskState.PREDICTED_MASK | TaskState.FUTURE):
        return False
    parent = task.parent
    while parent is not None:
        if parent.state & _OPEN:
            return True
        parent = parent.parent
    return False


def _drop_stale(workflow: Any) -> None:
    """Remove cancelled or predicted tasks whose spec the new version no longer has."""
    for sub in [workflow, *workflow.subprocesses.values()]:
        specs = sub.spec.task_specs
        for task in list(sub.tasks.values()):
            if task.id not in sub.tasks or task.parent is None:
                continue
            if specs.get(task.task_spec.name) is not task.task_spec:
                sub._remove_task(task.id)


def _all_tasks(workflow: Any) -> list[Any]:
    return [t for sub in [workflow, *workflow.subprocesses.values()] for t in sub.tasks.values()]


def _activity(task: Any) -> str:
    spec = task.task_spec
    return str(spec.bpmn_id or spec.name.split(".")[0])


def _obstacle(process_id: str, task: Any, reason: str) -> Obstacle:
    spec = task.task_spec
    return Obstacle(process_id, _activity(task), spec.bpmn_name or _activity(task), reason)


# --- where a case stands ------------------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """A place in the diagram where a case waits: a user task, a catch event, a subprocess."""

    process_id: str
    activity_id: str
    name: str
    kind: str  # "task" | "timer" | "message" | "event" | "subprocess"
    due: datetime | None
    #: (process id, activity id) of the call activities/subprocesses it is in, outermost first
    inside: tuple[tuple[str, str], ...] = ()


def case_positions(runtime: CaseRuntime) -> list[Position]:
    """Every place the case waits at now (boundary events count at their activity, not apart)."""
    workflow = runtime.workflow
    positions: list[Position] = []
    for sub in [workflow, *workflow.subprocesses.values()]:
        inside = _containers(workflow, sub)
        for task in sub.tasks.values():
            position = _position(sub, task, inside)
            if position is not None:
                positions.append(position)
    return positions


def _containers(workflow: Any, sub: Any) -> tuple[tuple[str, str], ...]:
    """The call activities and subprocesses a (sub)workflow runs in, outermost first."""
    path: list[tuple[str, str]] = []
    current = sub
    while current is not workflow:
        container = workflow.get_task_from_id(current.parent_task_id)
        if container is None:
            break
        path.append((container.workflow.spec.name, _activity(container)))
        current = container.workflow
    return tuple(reversed(path))


def _position(sub: Any, task: Any, inside: tuple[tuple[str, str], ...]) -> Position | None:
    spec = task.task_spec
    if not spec.bpmn_id:
        return None
    name = spec.bpmn_name or spec.bpmn_id
    if task.state == TaskState.READY and spec.manual:
        due = task.internal_data.get("voorkom_due")
        moment = datetime.fromisoformat(due) if due else None
        return Position(sub.spec.name, spec.bpmn_id, name, "task", moment, inside)
    if task.state == TaskState.STARTED and isinstance(spec, SubWorkflowTask):
        return Position(sub.spec.name, spec.bpmn_id, name, "subprocess", None, inside)
    if task.state != TaskState.WAITING or not isinstance(spec, CatchingEvent):
        return None
    kind_name = type(spec).__name__
    if kind_name == "BoundaryEvent" or kind_name == "StartEvent":
        return None  # deadlines of an activity, or an event subprocess listening
    definition = type(getattr(spec, "event_definition", None)).__name__
    if "Timer" in definition:
        return Position(sub.spec.name, spec.bpmn_id, name, "timer", timer_moment(task), inside)
    kind = "message" if "Message" in definition else "event"
    return Position(sub.spec.name, spec.bpmn_id, name, kind, None, inside)
