"""The JUEL subset Camunda Modeler users write, translated to the Python the engine runs."""

from __future__ import annotations

import pytest

from app.engine.expressions import check_code
from app.engine.juel import JuelError, juel_to_python, looks_like_cron, normalise_timer, unwrap


@pytest.mark.parametrize(
    ("juel", "python"),
    [
        ("${a > 100 && !b}", "a > 100 and (not b)"),
        ("${a eq 1 || b ne 2}", "a == 1 or b != 2"),
        ("${x lt 1 && y gt 2 && z le 3 && w ge 4}", "x < 1 and y > 2 and z <= 3 and w >= 4"),
        ("${empty naam}", "(not naam)"),
        ("${not empty naam}", "not (not naam)"),
        ("${!empty naam}", "(not (not naam))"),
        ("${empty huurder.naam}", "(not huurder.naam)"),
        ('${empty x["k"] && y}', '(not x["k"]) and y'),
        ("${v == null}", "v == None"),
        ("${ok == true || ok == false}", "ok == True or ok == False"),
        ("${((a > 1) && (b < 2)) || !(c)}", "((a > 1) and (b < 2)) or (not (c))"),
        ("${a&&b||c}", "a and b or c"),
        ("${a != b}", "a != b"),
        ("${a div 2 mod 3}", "a / 2 % 3"),
        ("#{a > 1}", "a > 1"),
        ("  ${ bedrag ge 1000 }  ", "bedrag >= 1000"),
    ],
)
def test_juel_subset_is_translated(juel: str, python: str) -> None:
    assert juel_to_python(juel) == python
    assert check_code(python, "eval") == []


@pytest.mark.parametrize(
    ("juel", "python"),
    [
        ('${s == "a && b"}', 's == "a && b"'),
        ('${s == "x || y" && t != "!"}', 's == "x || y" and t != "!"'),
        ("${s == 'eq ne lt gt null true'}", "s == 'eq ne lt gt null true'"),
        ('${s == "empty x"}', 's == "empty x"'),
        ('${s == "two  spaces"}', 's == "two  spaces"'),
        ('${s == "&&" || s == "!"}', 's == "&&" or s == "!"'),
    ],
)
def test_string_literals_stay_intact(juel: str, python: str) -> None:
    assert juel_to_python(juel) == python


@pytest.mark.parametrize(
    ("juel", "data", "expected"),
    [
        ("${a > 100 && !b}", {"a": 150, "b": False}, True),
        ("${a > 100 && !b}", {"a": 150, "b": True}, False),
        ("${a > 100 && !b}", {"a": 50, "b": False}, False),
        # JUEL's ! binds tighter than ==; a plain "not" would negate the comparison
        ("${!a == b}", {"a": False, "b": True}, True),
        ("${empty naam || naam eq 'x'}", {"naam": ""}, True),
        ("${empty naam || naam eq 'x'}", {"naam": "x"}, True),
        ("${empty naam || naam eq 'x'}", {"naam": "y"}, False),
        ("${v == null}", {"v": None}, True),
        ('${s == "a && b"}', {"s": "a && b"}, True),
    ],
)
def test_translation_means_what_juel_means(
    juel: str, data: dict[str, object], expected: bool
) -> None:
    python = juel_to_python(juel)
    assert eval(python, {}, dict(data)) is expected  # noqa: S307 - test of a translation


@pytest.mark.parametrize(
    "python",
    [
        "a > 100 and not b",
        'doelgroep_uitkomst == "geen_doelgroep" or str(doelgroep_uitkomst).startswith("x")',
        "contact_bereikt == True",
        "werkdagen(1) if prioriteit == 'P1' else werkdagen(5)",
        "x != y",
    ],
)
def test_plain_python_is_unchanged(python: str) -> None:
    assert juel_to_python(python) == python
    assert juel_to_python(f"  {python}\n") == python


@pytest.mark.parametrize(
    "juel",
    [
        "${a ? b : c}",  # ternary
        "${a} && ${b}",  # composite expression
        '${"unterminated}',
    ],
)
def test_unsupported_juel_is_refused(juel: str) -> None:
    with pytest.raises(JuelError):
        juel_to_python(juel)


def test_unwrap_tells_whether_it_was_juel() -> None:
    assert unwrap("${a}") == ("a", True)
    assert unwrap("a") == ("a", False)


@pytest.mark.parametrize(
    ("timer", "expression"),
    [
        ("P5D", "'P5D'"),
        ("  PT4H ", "'PT4H'"),
        ("P1Y2M3DT4H5M6S", "'P1Y2M3DT4H5M6S'"),
        ("2026-03-10T12:00:00Z", "'2026-03-10T12:00:00Z'"),
        ("2026-03-10T12:00:00+01:00", "'2026-03-10T12:00:00+01:00'"),
        ("2026-03-10", "'2026-03-10'"),
        ("R3/PT1H", "'R3/PT1H'"),
        ("R/P1D", "'R/P1D'"),
        ("R2/2026-03-10T09:00:00Z/P1D", "'R2/2026-03-10T09:00:00Z/P1D'"),
        ("werkdagen(2)", "werkdagen(2)"),
        ("${werkdagen(3)}", "werkdagen(3)"),
        ("'P5D'", "'P5D'"),
        ("termijn", "termijn"),
    ],
)
def test_timer_values_are_normalised(timer: str, expression: str) -> None:
    assert normalise_timer(timer) == expression


@pytest.mark.parametrize(
    ("text", "cron"),
    [
        ("0 0 9 * * ?", True),
        ("0 15 10 ? * MON-FRI", True),
        ("*/5 * * * *", True),
        ("R3/PT1H", False),
        ("P5D", False),
        ("werkdagen(2)", False),
    ],
)
def test_cron_is_recognised(text: str, cron: bool) -> None:
    assert looks_like_cron(text) is cron
