"""The diagram a case or task runs on, as BPMN XML for the viewer (from the deployed version)."""

from __future__ import annotations

import re

from app.models import Case
from app.services.errors import NotFound


def _declares(xml: str, element_id: str) -> bool:
    pattern = rf"<(?:\w+:)?(?:process|subProcess)\b[^>]*\bid=\"{re.escape(element_id)}\""
    return re.search(pattern, xml) is not None


def diagram_source(case: Case, process_id: str | None = None) -> str:
    """The BPMN file of the case's version that holds process_id (a called or embedded
    subprocess included); the case's own process when process_id is None."""
    version = case.process_version
    wanted = process_id or version.process_id
    for name in sorted(version.sources):
        if name.lower().endswith(".bpmn") and _declares(version.sources[name], wanted):
            return version.sources[name]
    raise NotFound("Het procesdiagram van deze taak is niet gevonden.")
