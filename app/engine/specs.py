"""Parse a set of diagram files into deployable process specs, and cache parsed specs."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.event_definitions.simple import NoneEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import SubWorkflowTask

from app.engine.parser import UnsafeXml, VoorkomParser
from app.engine.serializer import dump_specs, load_specs
from app.roles import role_for_lane


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a diagram, pinned to a file and element where known."""

    file: str | None
    element: str | None
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file or "?"
        if self.line:
            where += f":{self.line}"
        if self.element:
            where += f" [{self.element}]"
        return f"{where}: {self.message}"


class DiagramError(Exception):
    """Diagrams that cannot be deployed; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class ParsedProcess:
    """A process ready to be stored as a version."""

    process_id: str
    name: str
    spec: Any
    subprocess_specs: dict[str, Any]
    files: dict[str, str]
    decisions: list[str]
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        """sha256 over the process id and every file it needs, name and content."""
        digest = hashlib.sha256(self.process_id.encode())
        for name in sorted(self.files):
            digest.update(b"\0" + name.encode() + b"\0" + self.files[name].encode())
        return digest.hexdigest()

    def spec_blob(self) -> bytes:
        return dump_specs(self.spec, self.subprocess_specs)


def to_text(data: bytes | str) -> str:
    return data.decode("utf-8") if isinstance(data, bytes) else data


def parse_sources(sources: Mapping[str, bytes | str]) -> tuple[dict[str, ParsedProcess], Any]:
    """Parse every file; return each process's spec bundle and the parser (for lint)."""
    parser = VoorkomParser()
    texts = {name: to_text(data) for name, data in sources.items()}
    problems: list[Problem] = []
    for name in sorted(texts):
        try:
            parser.add_source(name, texts[name])
        except UnsafeXml as exc:
            problems.append(Problem(name, None, str(exc)))
        except ValidationException as exc:
            problems.append(_from_validation(exc, name))
        except Exception as exc:  # lxml/SpiffWorkflow raise many kinds on broken files
            problems.append(Problem(name, None, f"het bestand kan niet worden gelezen: {exc}"))
    if problems:
        raise DiagramError(problems)
    processes: dict[str, ParsedProcess] = {}
    for process_id in sorted(parser.get_process_ids()):
        try:
            processes[process_id] = _parse_process(parser, process_id, texts)
        except ValidationException as exc:
            problems.append(_from_validation(exc, None))
        except Exception as exc:
            problems.append(
                Problem(None, process_id, f"het proces kan niet worden opgebouwd: {exc!r}")
            )
    if problems:
        raise DiagramError(problems)
    return processes, parser


def _from_validation(exc: ValidationException, default_file: str | None) -> Problem:
    message = str(getattr(exc, "message", None) or exc).split("\n")[0]
    return Problem(
        getattr(exc, "file_name", None) or default_file,
        getattr(exc, "id", None) or None,
        message,
        getattr(exc, "line_number", None) or None,
    )


def _parse_process(parser: VoorkomParser, process_id: str, texts: dict[str, str]) -> ParsedProcess:
    spec = parser.get_spec(process_id)
    subs = parser.get_subprocess_specs(process_id)
    all_specs = [spec, *subs.values()]
    files = {s.file for s in all_specs if s is not None and s.file}
    decisions: list[str] = []
    for s in all_specs:
        for task_spec in s.task_specs.values():
            ext = getattr(task_spec, "extensions", {}) or {}
            ref = ext.get("calledDecisionId") or ext.get("camunda", {}).get("decisionRef")
            if ref and ref not in decisions:
                decisions.append(ref)
                dmn = parser.dmn_parsers.get(ref)
                if dmn is not None and dmn.filename:
                    files.add(dmn.filename)
    return ParsedProcess(
        process_id=process_id,
        name=spec.description or process_id,
        spec=spec,
        subprocess_specs=subs,
        files={name: texts[name] for name in sorted(files) if name in texts},
        decisions=decisions,
        summary=summarise(spec, subs),
    )


def summarise(spec: Any, subs: Mapping[str, Any]) -> dict[str, Any]:
    """What the catalogue and the task index need to know about a process version."""
    user_tasks = []
    called = []
    start_form = None
    startable = False
    for task_spec in spec.task_specs.values():
        if isinstance(task_spec, StartEvent) and isinstance(
            getattr(task_spec, "event_definition", None), NoneEventDefinition
        ):
            startable = True
            start_form = (getattr(task_spec, "extensions", {}) or {}).get("formKey") or start_form
    for s in [spec, *subs.values()]:
        for task_spec in s.task_specs.values():
            if isinstance(task_spec, SubWorkflowTask) and task_spec.spec not in called:
                called.append(task_spec.spec)
            if getattr(task_spec, "manual", False) and task_spec.bpmn_id:
                ext = getattr(task_spec, "extensions", {}) or {}
                user_tasks.append(
                    {
                        "process": s.name,
                        "id": task_spec.bpmn_id,
                        "name": task_spec.bpmn_name,
                        "lane": task_spec.lane,
                        "role": role_for_lane(task_spec.lane),
                        "form_key": ext.get("formKey"),
                        "due": ext.get("dueDate"),
                    }
                )
    return {
        "startable": startable,
        "start_form": start_form,
        "timer_start": is_timer_started(spec),
        "called": called,
        "user_tasks": user_tasks,
    }


def is_timer_started(spec: Any) -> bool:
    """The process starts by a timer (a yearly evaluation), not by a party."""
    return any(
        isinstance(ts, StartEvent)
        and isinstance(getattr(ts, "event_definition", None), TimerEventDefinition)
        for ts in spec.task_specs.values()
    )


class SpecCache:
    """Parsed specs per process version, kept in memory (least recently used out)."""

    def __init__(self, capacity: int = 64) -> None:
        self.capacity = capacity
        self._items: OrderedDict[int, tuple[Any, dict[str, Any]]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version_id: int, load_blob: Callable[[], bytes]) -> tuple[Any, dict[str, Any]]:
        with self._lock:
            if version_id in self._items:
                self._items.move_to_end(version_id)
                return self._items[version_id]
        specs = load_specs(load_blob())
        with self._lock:
            self._items[version_id] = specs
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return specs

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


SPEC_CACHE = SpecCache()
