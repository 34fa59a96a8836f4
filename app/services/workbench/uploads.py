"""Diagram files from the desktop: ``.bpmn`` and ``.dmn`` uploads, checked and deployed.

Every file is size-limited, must be UTF-8 text and is parsed without DTDs, external entities or
entity expansion (``app.engine.parser.safe_xml``); the lint rules of ``voorkom deploy`` apply.
An unsafe or broken file is refused with a message per problem and nothing changes: no version
is stored. Called processes and decisions the files do not bring resolve from what is deployed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.services.actors import Actor
from app.services.deployments import Deployed, deploy
from app.services.errors import InvalidInput
from app.services.workbench import require_workbench

ALLOWED_SUFFIXES = (".bpmn", ".dmn")
#: the largest file accepted when the caller sets no limit (the web layer passes its own)
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
MAX_NAME_LENGTH = 150


@dataclass(frozen=True)
class Upload:
    """One file as it arrived: the name the client gave and its bytes."""

    name: str
    data: bytes


def clean_name(raw: str) -> str:
    """The file name without a directory part a client may send (``C:\\x\\a.bpmn``: ``a.bpmn``)."""
    return raw.replace("\\", "/").rsplit("/", 1)[-1].strip()


def read_uploads(
    uploads: Iterable[Upload], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> dict[str, str]:
    """The uploaded diagrams as ``{name: XML text}``; InvalidInput names each bad file."""
    errors: dict[str, object] = {}
    sources: dict[str, str] = {}
    for upload in uploads:
        name = clean_name(upload.name)
        label = name or upload.name or "(zonder naam)"
        problem = _problem(name, upload.data, max_bytes)
        if problem is None and name in sources:
            problem = "Er is al een bestand met deze naam meegestuurd."
        if problem is None:
            try:
                sources[name] = upload.data.decode("utf-8")
            except UnicodeDecodeError:
                problem = "Het bestand is geen tekst in UTF-8; sla het op als UTF-8 (XML)."
        if problem is not None:
            errors[label] = [problem]
    if errors:
        raise InvalidInput(
            "Niet alle bestanden kunnen worden uitgerold; er is niets uitgerold.", errors
        )
    if not sources:
        raise InvalidInput("Kies ten minste één .bpmn- of .dmn-bestand.", {"bestanden": ["Leeg."]})
    return sources


def _problem(name: str, data: bytes, max_bytes: int) -> str | None:
    if not name:
        return "Het bestand heeft geen naam."
    if len(name) > MAX_NAME_LENGTH:
        return f"De bestandsnaam is langer dan {MAX_NAME_LENGTH} tekens."
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        return "Alleen .bpmn- en .dmn-bestanden kunnen worden uitgerold."
    if not data.strip():
        return "Het bestand is leeg."
    if len(data) > max_bytes:
        return f"Het bestand is groter dan {max_bytes // 1024} kB."
    return None


def upload_diagrams(
    actor: Actor,
    uploads: Iterable[Upload],
    *,
    name: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Deployed]:
    """A process owner deploys diagram files from the desktop; each changed process gets a version.

    Refused (DeploymentRefused, with every problem) when a file is unsafe or breaks a lint rule,
    and (InvalidInput) when no process uses the files; the caller's transaction then holds
    nothing new. Unchanged processes are listed with ``created=False``.
    """
    require_workbench(actor)
    sources = read_uploads(uploads, max_bytes=max_bytes)
    label = name or ", ".join(sorted(sources))
    results = deploy(sources, actor=actor, name=label[:200])
    if not results:
        raise InvalidInput(
            "Deze bestanden horen bij geen enkel proces: een beslistabel wordt uitgerold samen "
            "met een proces dat hem gebruikt. Er is niets uitgerold.",
            {file: ["Geen proces gebruikt dit bestand."] for file in sorted(sources)},
        )
    return results
