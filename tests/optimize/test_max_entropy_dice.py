"""Jaynes' Brandeis dice (Cover & Thomas, Elements of Information Theory 12.2): the six-sided die of largest entropy
with mean 4.5. The Lagrangian's stationarity gives the exponential family pᵢ = e^(ν₁ − 1 + ν₂ i), one multiplier per
constraint; the normalisation gives ν₁ in closed form and the mean equation, a sextic in e^ν₂, is left to a numeric
root (it has no root by radicals: SymPy's solve spent 2.5 s of CPU to find none; factoring tells it in
milliseconds). Oracle: SLSQP on the primal, the entropy maximised over the simplex with the mean.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import symml

P = sp.symbols("p1:7", positive=True)
FACES = np.arange(1, 7)


def _primal(mean: float) -> np.ndarray:
    found = optimize.minimize(lambda q: float(np.sum(q * np.log(q))), np.full(6, 1 / 6), method="SLSQP",
                              bounds=[(1e-12, 1)] * 6, options={"ftol": 1e-15, "maxiter": 500},
                              constraints=[{"type": "eq", "fun": lambda q: q.sum() - 1},
                                           {"type": "eq", "fun": lambda q: q @ FACES - mean}])
    return found.x


def test_the_brandeis_die_is_the_exponential_family_with_its_mean_solved_numerically():
    entropy = -sum(p * sp.log(p) for p in P)
    derivation = symml.derive.maximize(entropy, list(P), subject_to=[
        symml.Eq(sum(P), 1), symml.Eq(sum((i + 1) * p for i, p in enumerate(P)), sp.Rational(9, 2))])
    found = derivation.numpy()()
    assert np.array([found[p.name] for p in P]) == pytest.approx(_primal(4.5), abs=1e-6)
    ratios = [derivation.result[P[i + 1]] / derivation.result[P[i]] for i in range(5)]
    assert len({sp.simplify(r) for r in ratios}) == 1  # pᵢ₊₁/pᵢ = e^ν₂ for every face
    assert any("No closed form" in r for r in derivation.remarks)


def test_the_die_typed_as_text_with_typed_constraints_is_the_same_problem():
    """The objective and both constraints as strings (constraints were refused as strings): read without running
    code, the unknowns matched by name. Oracle: SLSQP on the primal."""
    typed = symml.derive.maximize(" ".join(f"- p{i}*log(p{i})" for i in range(1, 7)), list(P), subject_to=[
        "p1 + p2 + p3 + p4 + p5 + p6 = 1", "p1 + 2*p2 + 3*p3 + 4*p4 + 5*p5 + 6*p6 = 9/2"])
    found = typed.numpy()()
    assert np.array([found[p.name] for p in P]) == pytest.approx(_primal(4.5), abs=1e-6)


def test_a_typed_inequality_is_read_from_latex():
    x = sp.Symbol("x", real=True)
    assert symml.derive.minimize("(x - 3)^2", x, subject_to=[r"x \le 1"]).result == {x: 1}
    with pytest.raises(symml.ParseError, match="one relation"):
        symml.derive.minimize("(x - 3)^2", x, subject_to=["x = 1 = 2"])


def test_a_mean_outside_the_faces_is_infeasible_not_a_numpy_crash():
    """Three faces with mean 9/2: the mean equation reduces to False; numpy() raised AttributeError."""
    three = P[:3]
    with pytest.raises(symml.InfeasibleError, match="never holds"):
        symml.derive.maximize(-sum(p * sp.log(p) for p in three), list(three), subject_to=[
            symml.Eq(sum(three), 1), symml.Eq(sum((i + 1) * p for i, p in enumerate(three)), sp.Rational(9, 2))])
