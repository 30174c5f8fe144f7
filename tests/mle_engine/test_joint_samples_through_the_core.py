"""Several independent samples in one log-likelihood (two instruments measuring one mean with known, different
variances: xᵢ ~ N(μ, σ₁²), yⱼ ~ N(μ, σ₂²)), written as a sum of sums over each sample and maximised by the solving
core. Oracle: scipy.optimize on the joint log-likelihood of random data."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import symml

I, J = sp.symbols("i j", integer=True, positive=True)
N, M = sp.symbols("n m", integer=True, positive=True)
X, Y = sp.IndexedBase("x", real=True), sp.IndexedBase("y", real=True)
MU = sp.Symbol("mu", real=True)
S1, S2 = sp.symbols("sigma1 sigma2", positive=True)


def _evaluated(expr: sp.Expr, data: dict) -> float:
    """``expr`` with each sum over a sample replaced by its value on ``data`` ({IndexedBase: array})."""
    def value(total: sp.Sum) -> sp.Expr:
        (index, _, _), = total.limits
        (base,) = {a.base for a in total.function.atoms(sp.Indexed)}
        summand = sp.lambdify(sp.Symbol("v"), total.function.xreplace({base[index]: sp.Symbol("v")}), "numpy")
        return sp.Float(float(np.sum(np.broadcast_to(summand(data[base]), data[base].shape))))
    sizes = {N: len(data[X]), M: len(data[Y])}
    return float(expr.replace(lambda e: isinstance(e, sp.Sum), value).subs(sizes))


def test_two_instruments_with_known_variances_give_the_precision_weighted_mean():
    # ℓ(μ) = −Σᵢ(xᵢ − μ)²/(2σ₁²) − Σⱼ(yⱼ − μ)²/(2σ₂²): one parameter, two samples of different sizes
    loglik = -sp.Sum((X[I] - MU) ** 2, (I, 1, N)) / (2 * S1 ** 2) - sp.Sum((Y[J] - MU) ** 2, (J, 1, M)) / (2 * S2 ** 2)
    derivation = symml.derive.maximize(loglik, wrt=MU)
    rng = np.random.default_rng(3)
    xs, ys, s1, s2 = rng.normal(1.0, 0.5, 40), rng.normal(1.0, 2.0, 25), 0.5, 2.0
    best = optimize.minimize_scalar(lambda m: ((xs - m) ** 2).sum() / (2 * s1 ** 2)
                                    + ((ys - m) ** 2).sum() / (2 * s2 ** 2)).x
    estimate = _evaluated(derivation.result[MU].subs({S1: s1, S2: s2}), {X: xs, Y: ys})
    assert estimate == pytest.approx(best, rel=1e-7)
    assert "Second-order" in derivation.text()
