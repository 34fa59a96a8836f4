"""API routes on tasks: my task list, one task, claim, release, complete."""

from __future__ import annotations

from typing import Any

from app.services.cases import view_case
from app.services.clock import now
from app.services.diagram_forms import form_key_for, task_schema
from app.services.engine import open_task_rows
from app.services.tasks import (
    TaskFilter,
    claim_task,
    complete_task,
    get_task,
    release_task,
)
from app.services.worklist import task_rows
from app.web.api.blueprint import api_route
from app.web.api.forms import describe_form
from app.web.api.present import case_out, listed_task_out, task_out, view_out
from app.web.api.schemas import (
    CaseSchema,
    FormDataSchema,
    TaskDetailSchema,
    TaskPageSchema,
    TaskQuerySchema,
    TaskSchema,
    dump,
)
from app.web.api.support import actor, json_body, perform, query_args


@api_route(
    "/tasks",
    "GET",
    tag="taken",
    summary="List the open tasks of my role and organisation",
    description="The team's tasks, or with `mine=true` the ones I claimed; filters, sorting and "
    "paging as on the task list.",
    query=TaskQuerySchema,
    response=TaskPageSchema,
    errors=(422,),
)
def list_tasks_view() -> Any:
    who = actor()
    filters = TaskFilter(**query_args(TaskQuerySchema))

    def listed() -> dict[str, Any]:
        lines, page = task_rows(who, filters)  # logs the households it shows (CV-23)
        return {
            "tasks": [
                listed_task_out(line, row) for line, row in zip(lines, page.tasks, strict=True)
            ],
            "total": page.total,
            "page": page.page,
            "per_page": page.per_page,
            "pages": page.pages,
        }

    return dump(TaskPageSchema, perform(listed))


@api_route(
    "/tasks/<int:task_id>",
    "GET",
    tag="taken",
    summary="One open task with its case, as the task page shows it",
    description="The task, its form (fields, labels, choices), my saved draft and the case as "
    "my role may see it. Tasks of "
    "another role or corporation, and finished tasks, are 'not found'.",
    response=TaskDetailSchema,
    errors=(404,),
)
def get_task_view(task_id: int) -> Any:
    who = actor()

    def read() -> dict[str, Any]:
        row = get_task(who, task_id)
        at = now()
        schema = task_schema(row)
        key = row.form_key or form_key_for(row.process_id, row.activity_id)
        return {
            "task": task_out(row, who, at),
            "draft": row.draft if row.claimed_by_id in (None, who.user_id) else None,
            "form": describe_form(key, schema) if schema is not None else None,
            "case": view_out(view_case(who, row.case_id), who, at),
        }

    return dump(TaskDetailSchema, perform(read, keep_denials=True))


@api_route(
    "/tasks/<int:task_id>/claim",
    "POST",
    tag="taken",
    summary="Claim a team task",
    description="Takes the task into my own list; 409 when a colleague has it.",
    response=TaskSchema,
    errors=(404, 409),
)
def claim_task_view(task_id: int) -> Any:
    who = actor()
    row = perform(lambda: task_out(claim_task(who, task_id), who, now()))
    return dump(TaskSchema, row)


@api_route(
    "/tasks/<int:task_id>/release",
    "POST",
    tag="taken",
    summary="Give a claimed task back to the team",
    response=TaskSchema,
    errors=(404, 409),
)
def release_task_view(task_id: int) -> Any:
    """Gives a task I claimed back to the team; 409 when someone else has it."""
    who = actor()
    row = perform(lambda: task_out(release_task(who, task_id), who, now()))
    return dump(TaskSchema, row)


@api_route(
    "/tasks/<int:task_id>/complete",
    "POST",
    tag="taken",
    summary="Complete a task with its form data",
    description="The body holds the fields of the task's form (GET /api/v1/forms/{form_key}). "
    "Bad data: 422 with Dutch messages per field, and nothing changes. A task that was "
    "completed meanwhile: 409 (or 404 once it is gone).",
    body=FormDataSchema,
    response=CaseSchema,
    errors=(404, 409, 422),
)
def complete_task_view(task_id: int) -> Any:
    who = actor()
    data = json_body()

    def complete() -> dict[str, Any]:
        case = complete_task(who, task_id, data)
        return case_out(case, list(open_task_rows(case).values()), who, now())

    return dump(CaseSchema, perform(complete))
