"""Functions the prose defines in inline math (``$f(x; p) = p^x (1-p)^{1-x}$``) are definitions the displays after
them use; never claims (symml.checker.inline_definitions)."""
from __future__ import annotations

from symml.checker import StepStatus
from symml.checker.notes import check_notes_text

_PROSE = "The pmf is $f(x; p) = p^x (1-p)^{1-x}$ for $x \\in \\{0, 1\\}$, with data $x_i$.\n\n"


def _statuses(text: str) -> dict[int, set[StepStatus]]:
    statuses: dict[int, set[StepStatus]] = {}
    for check in check_notes_text(text).checks:
        statuses.setdefault(check.line, set()).add(check.status)
    return statuses


def test_a_function_defined_in_the_prose_is_used_by_the_display_after_it():
    statuses = _statuses(_PROSE + "$$L(p) = \\prod_{i=1}^n f(x_i; p) = \\prod_{i=1}^n p^{x_i} (1-p)^{1-x_i}$$\n")
    assert statuses[1] == {StepStatus.DEFINITION} and StepStatus.HOLDS in statuses[3]


def test_a_display_that_contradicts_the_function_defined_in_the_prose_is_wrong():
    statuses = _statuses(_PROSE + "$$L(p) = \\prod_{i=1}^n f(x_i; p) = \\prod_{i=1}^n p^{x_i} (1-p)^{x_i}$$\n")
    assert StepStatus.WRONG in statuses[3]


def test_a_function_the_displays_define_themselves_is_not_taken_from_the_prose():
    statuses = _statuses("Here $g(x) = x^2$ roughly.\n\n$$g(x) = x^2 + 1$$\n$$g(x) = x^2 + 1 + 0$$\n")
    assert 1 not in statuses and StepStatus.WRONG not in {s for line in statuses.values() for s in line}
