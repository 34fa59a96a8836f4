"""API routes on cases: start one, read one, send one a message."""

from __future__ import annotations

from typing import Any

from app.services.cases import correlate_message, start_case, view_case
from app.services.clock import now
from app.services.engine import open_task_rows
from app.web.api.blueprint import api_route
from app.web.api.present import case_out, view_out
from app.web.api.schemas import (
    CaseSchema,
    CaseViewSchema,
    FormDataSchema,
    MessageRequestSchema,
    StartQuerySchema,
    dump,
)
from app.web.api.support import actor, json_body, load, perform, query_args


@api_route(
    "/cases",
    "POST",
    tag="zaken",
    summary="Start a case (a corporation reports a household)",
    description="The body holds the fields of the process's start form (e.g. `signalering`); "
    "a corporation's collection system can report automatically (CV-12). Only corporations.",
    query=StartQuerySchema,
    body=FormDataSchema,
    response=CaseSchema,
    status=201,
    errors=(403, 404, 422),
)
def start_case_view() -> tuple[Any, int]:
    who = actor()
    options = query_args(StartQuerySchema)
    data = json_body()

    def start() -> dict[str, Any]:
        case = start_case(who, data, process_id=options.get("process_id"))
        return case_out(case, list(open_task_rows(case).values()), who, now())

    return dump(CaseSchema, perform(start)), 201


@api_route(
    "/cases/<reference>",
    "GET",
    tag="zaken",
    summary="Read a case as my role may see it",
    description="Status, the case data your role may read (COVENANT.md §7), open tasks and "
    "history. Another corporation's case, or one your party has no part in, is 'not found'; "
    "the attempt is written to the audit log (CV-23).",
    response=CaseViewSchema,
    errors=(404,),
)
def get_case_view(reference: str) -> Any:
    who = actor()
    view = perform(lambda: view_out(view_case(who, reference), who, now()), keep_denials=True)
    return dump(CaseViewSchema, view)


@api_route(
    "/cases/<reference>/messages",
    "POST",
    tag="zaken",
    summary="Send a message to a waiting case",
    description="For example `afspraken_niet_nagekomen`, `ontruimingsvonnis` or "
    "`achterstand_opgelost` from the corporation (§3 D). 409 when the case is not waiting "
    "for this message.",
    body=MessageRequestSchema,
    response=CaseSchema,
    errors=(403, 404, 409, 422),
)
def send_message_view(reference: str) -> Any:
    who = actor()
    request_data = load(MessageRequestSchema, json_body())

    def send() -> dict[str, Any]:
        case = correlate_message(
            who, reference, request_data["message"], request_data["payload"] or None
        )
        return case_out(case, list(open_task_rows(case).values()), who, now())

    return dump(CaseSchema, perform(send, keep_denials=True))
