"""What keeps the checker fast on real notes (symml.checker.decide, probe, log_products): a false claim is
refuted at the first random points before any symbolic work, finite sums and products are written out before
anything is evaluated, and the log of a product of positive factors is the sum of their logs."""
from __future__ import annotations

import sympy as sp

import symml.checker.decide as decide_module
from symml.checker.decide import decide
from symml.checker.verdict import VerdictKind

i = sp.Symbol("i", integer=True)
n = sp.Symbol("n", integer=True, positive=True)
lam = sp.Symbol("lambda", positive=True)
mu = sp.Symbol("mu", real=True)
y = sp.IndexedBase("y", real=True)
p = sp.IndexedBase("p", real=True)


def test_a_false_claim_is_refuted_before_the_symbolic_stages(monkeypatch):
    stages = []
    monkeypatch.setattr(decide_module, "_attempt", lambda *args: stages.append(args[1]))
    verdict = decide(sp.log(sp.Product(sp.exp(-(y[i] - mu) ** 2), (i, 1, n))), -sp.Sum((y[i] - mu) ** 2, (i, 1, n)) + 1)
    assert verdict.kind is VerdictKind.NOT_EQUIVALENT and verdict.counterexample is not None and stages == []


def test_the_derivative_of_a_log_likelihood_written_as_a_product_is_proved_symbolically():
    left = sp.Derivative(sp.log(sp.Product(sp.exp(-(y[i] - mu) ** 2 / 2), (i, 1, n))), mu)
    assert decide(left, sp.Sum(y[i], (i, 1, n)) - n * mu, simplify_seconds=0.5).kind is VerdictKind.EQUIVALENT


def test_a_derivative_of_a_log_product_at_a_point_is_evaluated():
    # Subs(Derivative(log prod_i f_i)) differentiated the unevaluated product: minutes, past the probe's budget
    left = sp.Subs(sp.Derivative(sp.log(sp.Product(lam ** y[i] * sp.exp(-lam), (i, 1, n))), lam), lam,
                   sp.Sum(y[i], (i, 1, n)) / n)
    assert decide(left, 0, points=2, simplify_seconds=0.5)
    assert not decide(left, 1, points=2, simplify_seconds=0.5)


def test_the_elements_of_a_probability_are_drawn_between_0_and_1():
    total = sp.Sum(sp.log(p[i]) + sp.log(1 - p[i]), (i, 1, n))
    verdict = decide(total, sp.Sum(sp.log(p[i] * (1 - p[i])), (i, 1, n)), ranges={"p": (0, 1)}, points=4,
                     simplify_seconds=0.5)
    assert verdict and "p[i] in (0, 1)" in verdict.assumptions
