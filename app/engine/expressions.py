"""The restriction for the Python code that diagrams contain (CV-23).

SpiffWorkflow runs gateway conditions, script tasks, pre/post scripts, due dates and timer
expressions with plain ``eval``/``exec``, so whoever can deploy a diagram could run anything on
the server (``().__class__.__base__.__subclasses__()`` reaches ``os.system``). Three layers stop
that:

1. ``check_code`` inspects the syntax tree and refuses imports, ``_``-prefixed names and
   attributes, attributes that leak frames or code (and ``str.format``), dangerous builtins,
   ``global``/``nonlocal``, classes, decorators, async code, ``yield``, ``match`` and the
   exceptions that would stop the process (``SystemExit``...). Deployment should use it to reject
   a diagram with clear messages; ``RestrictedEnvironment`` applies it again before running.
2. The code is compiled with RestrictedPython, which turns every attribute read, item read,
   write and iteration into a call of a guard; on top of that every call goes through
   ``_call_``, which refuses dangerous callables however they were reached (for example a
   builtin such as ``getattr`` smuggled in through task data).
3. It runs with a small builtins namespace: RestrictedPython's ``safe_builtins`` minus the
   introspective ones, plus a few harmless functions. ``print`` is accepted and prints nothing.

Names such as ``type``, ``id`` and ``input`` are common form fields, so they may be used as
plain variables; calling them is refused, and the builtins they name are never available.
Not covered: code that exhausts CPU or memory (``10 ** 10 ** 9``) is not stopped here.
"""

from __future__ import annotations

import ast
import builtins
import functools
import operator
from collections.abc import Callable, Iterable
from types import CodeType, ModuleType
from typing import Any, Literal

from RestrictedPython.compile import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safe_builtins,
    safer_getattr_raise,
)
from RestrictedPython.transformer import INSPECT_ATTRIBUTES, RestrictingNodeTransformer
from SpiffWorkflow.bpmn.script_engine.python_environment import TaskDataEnvironment

Mode = Literal["eval", "exec"]

#: Attributes that reach frames, code, globals or the class hierarchy, or that format strings
#: (``"{0.__class__}".format(x)`` reads attributes without going through ``_getattr_``).
# fmt: off
FORBIDDEN_ATTRIBUTES = INSPECT_ATTRIBUTES | frozenset({
    "gi_frame", "gi_code", "f_globals", "f_locals", "f_builtins", "f_back", "f_code",
    "tb_frame", "tb_next", "co_code", "cr_frame", "cr_code", "ag_frame", "ag_code",
    "func_globals", "func_code", "mro", "format", "format_map", "vformat",
})
# fmt: on

#: Builtins that may never be called, whatever the name is bound to.
# fmt: off
FORBIDDEN_CALLS = frozenset({
    "open", "eval", "exec", "compile", "getattr", "setattr", "delattr", "hasattr", "globals",
    "locals", "vars", "dir", "__import__", "input", "breakpoint", "help", "memoryview", "type",
    "object", "super", "classmethod", "staticmethod", "property", "exit", "quit", "id",
    "callable", "issubclass", "reload",
})
# fmt: on

#: Forbidden builtins whose names are also ordinary form fields: only calling them is refused.
_FIELD_NAMES = frozenset({"type", "id", "input", "object", "property", "help"})
#: Exceptions that are not ``Exception``s: raising them could stop the worker process.
_PROCESS_EXITS = frozenset({"BaseException", "SystemExit", "KeyboardInterrupt", "GeneratorExit"})
FORBIDDEN_NAMES = (FORBIDDEN_CALLS - _FIELD_NAMES) | _PROCESS_EXITS


class UnsafeExpression(Exception):
    """Diagram code was refused by the restriction."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"onveilige code geweigerd: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type[UnsafeExpression], tuple[str, str]]:
        return (UnsafeExpression, (self.source, self.reason))


# --- 1. the syntax-tree check ---------------------------------------------------------------


def _problem(node: ast.AST, ast_node_called: set[int]) -> str | None:
    """Return what is wrong with one node, or None."""
    match node:
        case ast.Import() | ast.ImportFrom():
            return "import is niet toegestaan"
        case ast.Global():
            return "'global' is niet toegestaan"
        case ast.Nonlocal():
            return "'nonlocal' is niet toegestaan"
        case ast.ClassDef():
            return "een klasse definiëren (class) is niet toegestaan"
        case ast.FunctionDef(decorator_list=[_, *_]):
            return "decorators zijn niet toegestaan"
        case ast.AsyncFunctionDef() | ast.AsyncFor() | ast.AsyncWith() | ast.Await():
            return "asynchrone code (async, await) is niet toegestaan"
        case ast.comprehension(is_async=1):
            return "asynchrone code (async, await) is niet toegestaan"
        case ast.Yield() | ast.YieldFrom():
            return "'yield' is niet toegestaan"
        case ast.Match():
            return "'match' is niet toegestaan"
        case ast.Attribute(attr=attr) if attr.startswith("_") or attr in FORBIDDEN_ATTRIBUTES:
            return f"{attr!r} opvragen is niet toegestaan"
        case ast.Name(id=name) if id(node) in ast_node_called and name in FORBIDDEN_CALLS:
            return f"{name!r} aanroepen is niet toegestaan"
        case ast.Name(id=name) if name in FORBIDDEN_NAMES:
            return f"{name!r} gebruiken is niet toegestaan"
    bound = _bound_name(node)
    if bound is not None and bound.startswith("_"):
        return f"de naam {bound!r} is niet toegestaan (een naam mag niet met _ beginnen)"
    return None


def _bound_name(node: ast.AST) -> str | None:
    """Return the identifier a node uses or binds, if any."""
    match node:
        case ast.Name(id=name) | ast.arg(arg=name) | ast.FunctionDef(name=name):
            return str(name)
        case ast.keyword(arg=name) | ast.ExceptHandler(name=name):
            return name if isinstance(name, str) else None
    return None


def _tree_problems(tree: ast.AST) -> list[str]:
    """List the problems of a parsed tree, in source order."""
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    found: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        problem = _problem(node, called)
        if problem is not None:
            found.append((getattr(node, "lineno", 0), getattr(node, "end_col_offset", 0), problem))
    return list(dict.fromkeys(f"regel {line}: {text}" for line, _, text in sorted(found)))


class _CallGuardingTransformer(RestrictingNodeTransformer):
    """RestrictedPython's policy, plus: every call ``f(x)`` becomes ``_call_(f, x)``."""

    def visit_Call(self, node: ast.Call) -> ast.AST | Iterable[ast.AST] | None:
        """Route the call through the call guard (``_apply_`` calls already are)."""
        new = super().visit_Call(node)
        if isinstance(new, ast.Call) and not (
            isinstance(new.func, ast.Name) and new.func.id == "_apply_"
        ):
            new.args.insert(0, new.func)
            new.func = ast.copy_location(ast.Name("_call_", ast.Load()), new)
        return new


@functools.lru_cache(maxsize=4096)
def _compile(source: str, mode: Mode) -> CodeType | tuple[str, ...]:
    """Check and compile once per (source, mode): the code object, or the problems found."""
    if mode not in ("eval", "exec"):
        raise ValueError(f"mode must be 'eval' or 'exec', not {mode!r}")
    try:
        problems = _tree_problems(ast.parse(source, "<string>", mode))
    except (SyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None) or 0
        return (f"regel {line}: fout in de schrijfwijze: {getattr(exc, 'msg', None) or exc}",)
    compile_restricted = compile_restricted_eval if mode == "eval" else compile_restricted_exec
    try:
        result = compile_restricted(source, "<string>", policy=_CallGuardingTransformer)
    except SyntaxError as exc:  # raised by compile() itself, e.g. 'return' outside function
        return (*problems, f"regel {exc.lineno or 0}: fout in de schrijfwijze: {exc.msg}")
    problems.extend(f"RestrictedPython: {error}" for error in result.errors)
    if problems:
        return tuple(problems)
    if result.code is None:  # pragma: no cover - RestrictedPython reports why it failed
        return ("RestrictedPython kon de code niet vertalen",)
    return result.code


def check_code(source: str, mode: Mode) -> list[str]:
    """List why diagram code is unsafe or invalid; an empty list means it may run."""
    compiled = _compile(source, mode)
    return list(compiled) if isinstance(compiled, tuple) else []


def is_safe(source: str, mode: Mode) -> bool:
    """Tell whether diagram code passes the restriction."""
    return not check_code(source, mode)


def compile_checked(source: str, mode: Mode) -> CodeType:
    """Return the restricted code object, or raise UnsafeExpression."""
    compiled = _compile(source, mode)
    if isinstance(compiled, tuple):
        raise UnsafeExpression(source, "; ".join(compiled))
    return compiled


# --- 2. the runtime guards ------------------------------------------------------------------

# fmt: off
_HARMLESS_BUILTINS = (
    "len", "min", "max", "sum", "abs", "round", "sorted", "any", "all", "range", "enumerate",
    "zip", "list", "dict", "set", "tuple", "str", "int", "float", "bool", "isinstance",
)
# fmt: on
_SAFE_BUILTINS: dict[str, Any] = {
    name: value
    for name, value in safe_builtins.items()
    if name not in FORBIDDEN_CALLS | _PROCESS_EXITS and not name.startswith("_")
}
_SAFE_BUILTINS.update({name: getattr(builtins, name) for name in _HARMLESS_BUILTINS})

_ALLOWED_BUILTIN_IDS = frozenset(id(value) for value in _SAFE_BUILTINS.values())
_DENIED_IDS = frozenset(
    id(value)
    for value in (
        *(getattr(builtins, name) for name in FORBIDDEN_CALLS if hasattr(builtins, name)),
        *safe_builtins.values(),  # RestrictedPython's guarded setattr/delattr and friends
    )
    if id(value) not in _ALLOWED_BUILTIN_IDS
)
# fmt: off
_DENIED_MODULES = frozenset({
    "os", "posix", "nt", "sys", "subprocess", "shutil", "importlib", "io", "_io", "pathlib",
    "socket", "ctypes", "_ctypes", "pickle", "_pickle", "marshal", "code", "codeop", "runpy",
    "inspect", "gc", "types", "operator", "_operator", "functools", "_functools", "signal",
    "pty", "multiprocessing", "threading", "_thread", "string",
})
# fmt: on


def _refuse(reason: str) -> UnsafeExpression:
    """Build the error a guard raises; the environment fills in the source."""
    return UnsafeExpression("", reason)


def _is_dangerous(value: object) -> bool:
    """Tell whether a value is a callable that diagram code may not call or hand on."""
    if id(value) in _DENIED_IDS:
        return True
    if not callable(value):
        return False
    module = getattr(value, "__module__", None)
    if module == "builtins":
        return id(value) not in _ALLOWED_BUILTIN_IDS
    if isinstance(module, str) and module.partition(".")[0] in _DENIED_MODULES:
        return True
    return getattr(value, "__name__", None) in ("format", "format_map", "vformat")


def _guarded_call(func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """Call ``func`` unless it, or a callable passed to it, is dangerous."""
    for value in (func, *args, *kwargs.values()):
        if _is_dangerous(value):
            name = getattr(value, "__name__", type(value).__name__)
            raise _refuse(f"{name!r} aanroepen is niet toegestaan")
    return func(*args, **kwargs)


#: RestrictedPython's getattr also refuses ``string.Formatter`` and its methods.
_safer_getattr: Callable[[object, str], Any] = safer_getattr_raise


def _guarded_getattr(obj: object, name: str) -> Any:
    """Read an attribute unless it is private, introspective or a module."""
    if not isinstance(name, str) or name.startswith("_") or name in FORBIDDEN_ATTRIBUTES:
        raise _refuse(f"{name!r} opvragen is niet toegestaan")
    value = _safer_getattr(obj, name)
    if isinstance(value, ModuleType):
        raise _refuse(f"module {name!r} opvragen is niet toegestaan")
    return value


def _getitem(obj: Any, key: Any) -> Any:
    """Read an item: plain item access."""
    return obj[key]


_INPLACE_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd,
    "-=": operator.isub,
    "*=": operator.imul,
    "/=": operator.itruediv,
    "//=": operator.ifloordiv,
    "%=": operator.imod,
    "**=": operator.ipow,
    "<<=": operator.ilshift,
    ">>=": operator.irshift,
    "&=": operator.iand,
    "^=": operator.ixor,
    "|=": operator.ior,
    "@=": operator.imatmul,
}


def _inplacevar(op: str, target: Any, value: Any) -> Any:
    """Apply an augmented assignment such as ``x += 1``."""
    return _INPLACE_OPERATORS[op](target, value)


class _SilentPrint:
    """Takes RestrictedPython's print collector's place: diagram output goes nowhere."""

    def __init__(self, _getattr: object = None) -> None:
        pass

    def _call_print(self, *objects: object, **options: object) -> None:
        return None

    def __call__(self) -> str:
        return ""


_GUARDS: dict[str, Any] = {
    "__builtins__": _SAFE_BUILTINS,
    "_call_": _guarded_call,
    "_apply_": _guarded_call,
    "_getattr_": _guarded_getattr,
    "_getitem_": _getitem,
    "_getiter_": iter,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": full_write_guard,
    "_inplacevar_": _inplacevar,
    "_print_": _SilentPrint,
    "_print": _SilentPrint(),  # expressions print without the collector a script sets up
}
_RESERVED_NAMES = frozenset(_GUARDS)


# --- 3. the environment SpiffWorkflow's PythonScriptEngine calls ----------------------------


class RestrictedEnvironment(TaskDataEnvironment):
    """A TaskDataEnvironment that only runs code passing the restriction."""

    def __init__(self, environment_globals: dict[str, Any] | None = None) -> None:
        super().__init__(environment_globals)

    def evaluate(
        self,
        expression: str,
        context: dict[str, Any],
        external_context: dict[str, Any] | None = None,
    ) -> Any:
        """Return the value of an expression in which the task data are variables."""
        code = compile_checked(expression, "eval")
        _refuse_reserved(expression, context)
        self._prepare_context(context)
        namespace = {**self.globals, **(external_context or {}), **context, **_GUARDS}
        try:
            return eval(code, namespace)  # noqa: S307 - restricted code object, guarded globals
        except UnsafeExpression as error:
            error.source = error.source or expression
            raise

    def execute(
        self,
        script: str,
        context: dict[str, Any],
        external_context: dict[str, Any] | None = None,
    ) -> bool:
        """Run a script on the task data; new and changed variables stay in them."""
        code = compile_checked(script, "exec")
        self.check_for_overwrite(context, external_context or {})
        _refuse_reserved(script, context)
        self._prepare_context(context)
        context.update({**self.globals, **(external_context or {}), **_GUARDS})
        try:
            exec(code, context)  # noqa: S102 - restricted code object, guarded globals
        except UnsafeExpression as error:
            error.source = error.source or script
            raise
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
        return True

    def _remove_globals_and_functions_from_context(
        self, context: dict[str, Any], external_context: dict[str, Any] | None = None
    ) -> None:
        """Also drop the guards, whatever they were replaced by."""
        super()._remove_globals_and_functions_from_context(context, external_context)
        for name in _RESERVED_NAMES.intersection(context):
            del context[name]


def _refuse_reserved(source: str, context: dict[str, Any]) -> None:
    """Refuse task data that would shadow a guard."""
    if not _RESERVED_NAMES.isdisjoint(context):
        clash = sorted(_RESERVED_NAMES.intersection(context))
        raise UnsafeExpression(
            source, f"de gegevens van de taak mogen de gereserveerde namen {clash} niet gebruiken"
        )
