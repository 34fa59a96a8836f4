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
    """Rewrite JUEL operators to Python; string literals and spacing stay as written."""
    try:
        tokens = [
            tok
            for tok in tokenize.generate_tokens(io.StringIO(body).readline)
            if tok.type not in (tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER)
            and not (tok.type == tokenize.ERRORTOKEN and tok.string.isspace())
        ]
    except (tokenize.TokenError, SyntaxError) as exc:
        raise JuelError(f"de expressie {body!r} kan niet worden gelezen: {exc}") from exc
    starts = [0]
    for line in body.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(position: tuple[int, int]) -> int:
        return starts[position[0] - 1] + position[1]

    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), in order
    index = 0
    while index < len(tokens):
        tok = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        begin, finish = offset(tok.start), offset(tok.end)
        if (
            tok.type == tokenize.OP
            and tok.string in ("&", "|")
            and following is not None
            and following.string == tok.string
            and following.start == tok.end
        ):
            edits.append((begin, offset(following.end), "and" if tok.string == "&" else "or"))
            index += 2
            continue
        if tok.string == "!" and tok.type in (tokenize.ERRORTOKEN, tokenize.OP):
            # JUEL's ! binds tighter than comparisons, Python's not does not: !a == b
            # means (not a) == b
            last = _operand_end(tokens, index + 1)
            if last is None:
                edits.append((begin, finish, "not"))
            else:
                edits.append((begin, finish, "(not"))
                edits.append((offset(tokens[last].end), offset(tokens[last].end), ")"))
        elif tok.type == tokenize.ERRORTOKEN:
            raise JuelError(
                f"{tok.string!r} in {body!r} is JUEL die deze engine niet vertaalt; "
                "gebruik && || ! eq ne lt gt le ge empty null true false, of gewoon Python"
            )
        elif tok.type == tokenize.NAME and tok.string == "empty":
            last = _operand_end(tokens, index + 1)
            if last is None:
                raise JuelError(f"na 'empty' hoort een variabelenaam, in {body!r}")
            edits.append((begin, finish, "(not"))
            edits.append((offset(tokens[last].end), offset(tokens[last].end), ")"))
        elif tok.type == tokenize.NAME and tok.string in _WORDS:
            edits.append((begin, finish, _WORDS[tok.string]))
        index += 1
    return _apply(body, edits).strip()


def _operand_end(tokens: list[tokenize.TokenInfo], index: int) -> int | None:
    """The index of the last token of the operand starting at index (JUEL unary precedence).

    An operand is ``!``/``empty`` followed by an operand, a literal, or a name or
    parenthesised group followed by any number of ``.name``, ``[...]`` and ``(...)``.
    """
    if index >= len(tokens):
        return None
    first = tokens[index]
    if first.string == "!" or (first.type == tokenize.NAME and first.string == "empty"):
        return _operand_end(tokens, index + 1)
    if first.type in (tokenize.NUMBER, tokenize.STRING):
        return index
    if first.type == tokenize.NAME:
        last = index
    elif first.string == "(":
        closed = _closing(tokens, index)
        if closed is None:
            return None
        last = closed
    else:
        return None
    index = last + 1
    while index < len(tokens):
        tok = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if tok.string == "." and following is not None and following.type == tokenize.NAME:
            last = index + 1
        elif tok.string in ("[", "("):
            closed = _closing(tokens, index)
            if closed is None:
                return None
            last = closed
        else:
            break
        index = last + 1
    return last


def _closing(tokens: list[tokenize.TokenInfo], index: int) -> int | None:
    """The index of the bracket closing the one at index."""
    depth = 0
    for position in range(index, len(tokens)):
        text = tokens[position].string
        if text in ("(", "[", "{"):
            depth += 1
        elif text in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                return position
    return None


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply non-overlapping edits; words get a space where they would touch a neighbour."""
    out: list[str] = []
    position = 0
    for begin, finish, replacement in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        out.append(text[position:begin])
        before = "".join(out)[-1:]
        after = text[finish : finish + 1]
        if replacement[:1].isalpha() and before and not before.isspace() and before != "(":
            replacement = " " + replacement
        if replacement[-1:].isalpha() and after and not after.isspace() and after != ")":
            replacement += " "
        out.append(replacement)
        position = finish
    out.append(text[position:])
    return "".join(out)


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
