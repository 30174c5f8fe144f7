"""Exact arithmetic a time budget cannot stop (one long C call) is refused by the readers before it starts: the
LaTeX forms of the inputs that used to hang (the plain-text ones are in tests/checker/test_reliability.py)."""
from __future__ import annotations

import time

import pytest

import symml
from symml.errors import ParseError

#: Each used to run past 20 s: SymPy computing factorial(10^8) in one C call.
LATEX_HANGS = [r"(10^{8})! = 1", r"{10^{8}}! = 1", r"\frac{(10^{8})!}{2} = 1", r"\prod_{k=1}^{10^{8}} k = 1"]


@pytest.mark.parametrize("claim", LATEX_HANGS)
def test_a_latex_factorial_or_product_too_large_to_evaluate_is_refused_at_once(claim):
    started = time.monotonic()
    with pytest.raises(ParseError, match="is refused"):
        symml.check(claim, simplify_seconds=1)
    assert time.monotonic() - started < 1 + 1  # the simplify budget, plus a second


@pytest.mark.parametrize("claim", [r"\frac{5!}{2} = 60", r"\prod_{k=1}^{10} k = 3628800", r"\prod_{k=1}^{n} k = n!"])
def test_small_and_symbolic_factorials_and_products_are_still_checked(claim):
    assert symml.check(claim)
