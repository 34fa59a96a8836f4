"""Translate what Camunda Modeler writes into the Python the engine evaluates.

Conditions: plain Python, or the simple JUEL subset ``${...}`` with ``&& || !``,
``eq ne lt gt le ge``, ``and or not``, ``empty x``, ``null``/``true``/``false``.
Timers: bare ISO-8601 (``P5D``, ``2026-03-01T09:00:00Z``, ``R3/PT1H``) become string
literals; anything else stays an expression (``werkdagen(5)``).
"""

from __future__ import annotations

import io
import re
import tokenize

_WRAPPED = re.compile(r"^\s*[$#]\{(?P<body>.*)\}\s*$", re.DOTALL)

_WORDS = {
    "eq": "==",
    "ne": "!=",
    "lt": "<",
    "gt": ">",
    "le": "<=",
    "ge": ">=",
    "null": "None",
    "true": "True",
    "false": "False",
    "div": "/",
    "mod": "%",
}
_OPS = {"&&": " and ", "||": " or ", "!": " not ", "===": "=="}

ISO_DURATION = re.compile(
    r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
)
ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
)
ISO_CYCLE = re.compile(r"^R\d*/[^/\s]+(/[^/\s]+)?$")


class JuelError(ValueError):
    """An expression uses JUEL this engine does not translate."""


def unwrap(expression: str) -> tuple[str, bool]:
    """Strip ``${...}``; tell whether it was wrapped."""
    match = _WRAPPED.match(expression)
    if match:
        return match.group("body").strip(), True
    return expression.strip(), False


def juel_to_python(expression: str) -> str:
    """Translate a condition or value expression to Python (unchanged if not JUEL)."""
    body, wrapped = unwrap(expression)
    if not wrapped:
        return body
    return _translate(body)


def _translate(body: str) -> str:
    body = re.sub(r"\bempty\s+([A-Za-z_][\w.]*)", r"(not \1)", body)
    out: list[str] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(body).readline))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise JuelError(f"cannot read expression {body!r}: {exc}") from exc
    for tok in tokens:
        if tok.type == tokenize.NAME and tok.string in _WORDS:
            out.append(_WORDS[tok.string])
        elif tok.type == tokenize.OP and tok.string in _OPS:
            out.append(_OPS[tok.string])
        elif tok.type == tokenize.ERRORTOKEN and tok.string == "!":
            out.append(" not ")
        elif tok.type in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER):
            continue
        else:
            out.append(tok.string)
    text = " ".join(out)
    # tokenize splits "&&" into "&", "&" and "!=" stays one operator
    text = text.replace("& &", " and ").replace("| |", " or ")
    text = re.sub(r"!\s*(?!=)", " not ", text)
    return re.sub(r"\s+", " ", text).strip()


def normalise_timer(text: str) -> str:
    """Make a timer value an expression: bare ISO-8601 becomes a quoted literal."""
    value = text.strip()
    body, wrapped = unwrap(value)
    if wrapped:
        return _translate(body)
    if ISO_DURATION.match(value) or ISO_DATETIME.match(value) or ISO_CYCLE.match(value):
        return repr(value)
    return value


def looks_like_cron(text: str) -> bool:
    """A Quartz/cron expression (Camunda allows them; this engine does not)."""
    parts = text.strip().split()
    return len(parts) in (5, 6, 7) and all(re.match(r"^[\d*?/,LW#A-Z-]+$", p) for p in parts)
