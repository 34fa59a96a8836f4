"""docs/traceability.md maps every covenant rule (CV-01 … CV-27) to what implements it; this
keeps the page true: every rule has a section, every section says how the rule is kept and names
something or explains why it is organisational, and every diagram element, function and test it
names exists.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "traceability.md"
RULES = [f"CV-{n:02d}" for n in range(1, 28)]

SECTION = re.compile(r"^## (CV-\d+) — (.+)$", re.MULTILINE)
#: `processes/bpmn/shared/meldpunt.bpmn#Task_Triage` (a glob is allowed in the file name)
ELEMENT_REF = re.compile(r"`([\w./*\[\]-]+\.(?:bpmn|dmn))#([\w.-]+)`")
#: `app/tasks/status.py::register_suspension`, `tests/unit/test_x.py::test_y`
CODE_REF = re.compile(r"`([\w./-]+\.py)::(\w+)`")
HOW = ("**Enforced", "**Supported", "**Organisational")


def sections() -> dict[str, str]:
    """Rule id -> the text of its section (up to the next ``## `` heading)."""
    text = DOC.read_text(encoding="utf-8")
    found: dict[str, str] = {}
    headings = list(re.finditer(r"^## .*$", text, re.MULTILINE))
    for index, heading in enumerate(headings):
        match = SECTION.match(heading.group(0))
        if match is None:
            continue
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        assert match.group(1) not in found, f"{match.group(1)} has two sections"
        found[match.group(1)] = text[heading.end() : end]
    return found


@cache
def element_ids(path: Path) -> frozenset[str]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    root = etree.parse(str(path), parser).getroot()
    return frozenset(el.get("id") for el in root.iter() if el.get("id"))


@cache
def defined_names(path: Path) -> frozenset[str]:
    """Functions and classes defined anywhere in a module (methods and nested ones too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    return frozenset(node.name for node in ast.walk(tree) if isinstance(node, kinds))


def all_refs(pattern: re.Pattern[str]) -> list[tuple[str, str, str]]:
    """(rule, file, name) for every reference of this kind on the page."""
    return [
        (rule, match.group(1), match.group(2))
        for rule, body in sections().items()
        for match in pattern.finditer(body)
    ]


def test_every_rule_has_one_section_in_order() -> None:
    assert list(sections()) == RULES


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_says_how_it_is_kept(rule: str) -> None:
    """Enforced or Supported rules name what implements them; Organisational ones explain."""
    body = sections()[rule].strip()
    assert body.startswith(HOW), f"{rule}: start with one of {', '.join(HOW)}"
    refs = ELEMENT_REF.findall(body) + CODE_REF.findall(body)
    if body.startswith("**Organisational"):
        first_paragraph = body.split("\n\n")[0]
        assert len(first_paragraph.split()) >= 15, f"{rule}: say why it is organisational"
    else:
        assert refs, f"{rule}: name the diagram elements, code or tests that implement it"
    if body.startswith("**Enforced"):
        tests = [name for _file, name in CODE_REF.findall(body) if name.startswith("test_")]
        diagrams = ELEMENT_REF.findall(body)
        assert tests or diagrams, f"{rule}: an enforced rule needs a diagram element or a test"


def test_every_named_element_exists() -> None:
    refs = all_refs(ELEMENT_REF)
    assert len(refs) > 100
    missing = []
    for rule, pattern, element in refs:
        files = sorted(ROOT.glob(pattern))
        if not files:
            missing.append(f"{rule}: no file matches {pattern}")
        for path in files:
            if element not in element_ids(path):
                missing.append(f"{rule}: {path.relative_to(ROOT)} has no element {element!r}")
    assert missing == []


def test_every_named_function_and_test_exists() -> None:
    refs = all_refs(CODE_REF)
    assert any(name.startswith("test_") for _r, _f, name in refs)
    missing = []
    for rule, file, name in refs:
        path = ROOT / file
        if not path.is_file():
            missing.append(f"{rule}: no file {file}")
        elif name not in defined_names(path):
            missing.append(f"{rule}: {file} defines no {name!r}")
        elif name.startswith("test_") and not (
            file.startswith("tests/") and path.name.startswith("test_")
        ):
            missing.append(f"{rule}: {file}::{name} is not collected as a test")
    assert missing == []


def test_the_variants_are_all_traced() -> None:
    """CV-25: each of the seven corporation processes is named under its rule."""
    files = sorted((ROOT / "processes" / "bpmn" / "corporaties").glob("*.bpmn"))
    assert len(files) == 7
    named = {
        (Path(file).name, element)
        for rule, file, element in all_refs(ELEMENT_REF)
        if rule == "CV-25"
    }
    assert {(f.name, f.stem) for f in files} <= named


def test_diagrams_cite_only_rules_that_exist() -> None:
    """A typo such as CV-28 or CV-1 in a diagram's documentation points nowhere."""
    cited: dict[str, set[str]] = {}
    for path in sorted((ROOT / "processes").rglob("*.bpmn")):
        for rule in re.findall(r"\bCV-\d+\b", path.read_text(encoding="utf-8")):
            cited.setdefault(rule, set()).add(path.name)
    unknown = {rule: sorted(files) for rule, files in cited.items() if rule not in RULES}
    assert unknown == {}
