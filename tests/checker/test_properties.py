"""Laws that hold for every input: expansions are proved, a constant offset is always caught (and the
counterexample's difference is that offset), sampled values honour the symbols' assumptions, budgets bound
every stage."""
from __future__ import annotations

import time

import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

import symml
from symml.checker import VerdictKind

x = sp.Symbol("x", real=True)
p = sp.Symbol("p", positive=True)
k = sp.Symbol("k", integer=True, positive=True)

coefficients = st.lists(st.integers(-5, 5), min_size=1, max_size=4)
offsets = st.fractions(min_value=-10, max_value=10).filter(lambda c: c != 0)


def _polynomial(coefficients_: list[int]) -> sp.Expr:
    return sum(c * x**power for power, c in enumerate(coefficients_))


@given(coefficients, coefficients)
def test_a_product_equals_its_expansion_and_that_is_proved(first, second):
    product = _polynomial(first) * _polynomial(second)
    verdict = symml.check(product, sp.expand(product))
    assert verdict.kind is VerdictKind.EQUIVALENT


@given(offsets, st.integers(1, 3))
def test_a_constant_offset_is_caught_and_the_difference_is_the_offset(offset, scale):
    # sigma(s x) and sigma(s x) + c differ by c everywhere
    claim = 1 / (1 + sp.exp(-scale * x))
    verdict = symml.check(claim, claim + sp.Rational(offset.numerator, offset.denominator))
    assert verdict.kind is VerdictKind.NOT_EQUIVALENT
    assert abs(float(verdict.counterexample.difference) + offset) < 1e-12


@given(st.integers(0, 10_000))
def test_counterexamples_honour_positive_integer_and_real_assumptions(seed):
    verdict = symml.check(p * k * x, p * k * x + 1 / (p * k), seed=seed)
    point = verdict.counterexample.point
    assert point[p] > 0 and point[k].is_integer and point[k] >= 1 and point[x].is_real


def test_simplify_past_its_budget_falls_back_to_random_points_and_says_so():
    # the log-sum-exp shift needs simplify; with no time for it the verdict is numeric, and the note says why
    started = time.perf_counter()
    verdict = symml.check(sp.log(sp.exp(x) + sp.exp(p)), x + sp.log(1 + sp.exp(p - x)), simplify_seconds=0.001)
    assert time.perf_counter() - started < 5
    assert verdict.kind is VerdictKind.NUMERICALLY_EQUIVALENT
    assert any("budget" in note for note in verdict.notes)
