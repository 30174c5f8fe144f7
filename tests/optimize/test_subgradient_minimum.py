"""minimize with an L1 term: the subgradient condition, regime by regime, never a derivative with sign(x) set to 0.

The oracle is scipy.optimize.minimize_scalar (bounded Brent) on the objective itself, at values of a on both sides
of the threshold and inside it.
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize_scalar

import symml

x, y, a, b = sp.symbols("x y a b", real=True)
lam = sp.Symbol("lambda", positive=True)


def _brent(f, bound: float = 20.0) -> float:
    return minimize_scalar(f, bounds=(-bound, bound), method="bounded", options={"xatol": 1e-10}).x


def test_scalar_lasso_is_the_soft_threshold_esl_table_3_4():
    # ESL 3.4.3, Table 3.4 (orthonormal inputs): argmin (x - a)²/2 + λ|x| = sign(a)(|a| - λ)₊
    derivation = symml.derive.minimize((x - a)**2 / 2 + lam * sp.Abs(x), x)
    optimum = derivation.numpy()
    for a0 in (-3.0, -0.4, 0.0, 0.7, 2.5):
        brent = _brent(lambda t: (t - a0)**2 / 2 + 1.0 * abs(t))
        assert float(optimum(a=a0, **{"lambda": 1.0})) == pytest.approx(brent, abs=1e-6)
    assert any(step.title == "Subgradient condition" for step in derivation.steps)


def test_separable_l1_penalty_thresholds_each_unknown_on_its_own():
    derivation = symml.derive.minimize((x - a)**2 / 2 + (y - b)**2 / 2 + lam * (sp.Abs(x) + sp.Abs(y)), [x, y])
    found = derivation.numpy()(a=2.0, b=-0.3, **{"lambda": 0.5})
    assert float(found["x"]) == pytest.approx(_brent(lambda t: (t - 2)**2 / 2 + 0.5 * abs(t)), abs=1e-6)
    assert float(found["y"]) == pytest.approx(_brent(lambda t: (t + 0.3)**2 / 2 + 0.5 * abs(t)), abs=1e-6)


def test_a_kink_coupling_two_unknowns_is_refused_not_solved_as_smooth():
    # setting λ sign(x - y) + x - a = 0 as if smooth gave a wrong closed form before
    with pytest.raises(symml.UnsupportedOperationError, match="couples x, y"):
        symml.derive.minimize((x - a)**2 / 2 + lam * sp.Abs(x - y) + (y - b)**2, [x, y])


def test_shifted_kink_shrinks_towards_its_centre():
    # argmin (x - a)²/2 + λ|x - c|: a shrunk towards c by λ, exactly c within λ of it
    c = sp.Symbol("c", real=True)
    optimum = symml.derive.minimize((x - a)**2 / 2 + lam * sp.Abs(x - c), x).numpy()
    for a0 in (-2.0, 1.2, 4.0):
        brent = _brent(lambda t: (t - a0)**2 / 2 + 0.8 * abs(t - 1.0))
        assert float(optimum(a=a0, c=1.0, **{"lambda": 0.8})) == pytest.approx(brent, abs=1e-6)
    assert np.isfinite(float(optimum(a=1.0, c=1.0, **{"lambda": 0.8})))
