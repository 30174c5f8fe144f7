r"""Facts about data that notes state and later steps use: ``\sum_k y_k = 1`` (one-hot labels, probabilities
that sum to one), ``\sum_i x_i = 0`` (centred data).

A step that holds only once a sum over the data takes such a value is reported unchecked with that fact as the
reason (:mod:`symml.checker.steps`); when the notes state the fact themselves, in display or inline math, the
step holds given it, and the report says where the notes state it.

>>> facts = stated_sums(r"The labels are one-hot: $\sum_k y_k = 1$.")
>>> facts
{('y', '1'): 1}
>>> fact_stated(r"\sum_{k=1}^{n} y_{k} = 1", facts)
1
"""
from __future__ import annotations

import re

from symml.checker.steps import StepCheck, StepStatus

__all__ = ["stated_sums", "fact_stated", "use_stated_facts"]

#: ``\sum_k y_k = 1``, ``\sum_{k=1}^{K} y_{k} = 1``, ``\sum_i x_i = 0``: the summed letter and the value.
_SUM_FACT = re.compile(r"\\sum(?:\\limits)?_\{?\s*([a-z])\s*(?:=\s*1\s*)?\}?(?:\s*\^\s*\{?\s*\w+\s*\}?)?\s*"
                       r"(?:\\mathbf\{|\\boldsymbol\{)?([A-Za-z])\}?_\{?\s*\1\s*\}?\s*=\s*([01])(?![\d.])")


def stated_sums(text: str) -> dict[tuple[str, str], int]:
    """The sums over data the text states a value of: ``(letter, value) -> line`` (the first line stating it)."""
    facts: dict[tuple[str, str], int] = {}
    for match in _SUM_FACT.finditer(text):
        facts.setdefault((match.group(2), match.group(3)), text.count("\n", 0, match.start()) + 1)
    return facts


def fact_stated(fact: str, facts: dict[tuple[str, str], int]) -> int | None:
    """The line where the notes state ``fact`` (the LaTeX of a sum over data and its value, as the step checker
    writes it), or None."""
    match = _SUM_FACT.search(fact)
    return None if match is None else facts.get((match.group(2), match.group(3)))


def use_stated_facts(checks: tuple[StepCheck, ...], facts: dict[tuple[str, str], int]) -> tuple[StepCheck, ...]:
    """The checks with each step that holds given a fact the notes state (see the module) marked as holding."""
    updated = []
    for check in checks:
        fact = check.note.removeprefix("holds if ").split(", which the notes", 1)[0]
        line = fact_stated(fact, facts) if check.status is StepStatus.UNCHECKED and check.note.startswith(
            "holds if ") else None
        updated.append(check if line is None else StepCheck(
            check.label, StepStatus.HOLDS, check.math, f"holds given {fact}, which the notes state on line {line}",
            check.verdict))
    return tuple(updated)
