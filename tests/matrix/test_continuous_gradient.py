"""A loss through abs or relu whose gradient is continuous (Huber: its jump sign(r) is multiplied by
relu(|r| − δ), which vanishes where r = 0) is minimised by L-BFGS on the derived value and gradient. Oracle:
scipy.optimize (Nelder-Mead, no derivative) on a hand-written NumPy Huber objective."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize

import symml
from symml.matrix_calculus.continuity import continuous

n, d = symml.dims("n d")
X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)


def _huber_objective(design: np.ndarray, targets: np.ndarray, delta: float):
    def objective(v: np.ndarray) -> float:
        r = np.abs(design @ v - targets)
        return float(np.sum(np.where(r <= delta, r**2 / 2, delta * (r - delta / 2))))
    return objective


def _heavy_tailed_regression(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    design = rng.normal(size=(60, 3))
    return design, design @ np.array([1.0, -2.0, 0.5]) + rng.standard_t(1.5, size=60)


@pytest.mark.parametrize("delta", [1.35, sp.Symbol("delta", positive=True)])
def test_huber_regression_is_minimised_numerically_sklearn_huber_regressor(delta):
    # sklearn.linear_model.HuberRegressor(epsilon=1.35) without its scale: numpy() refused ("no numeric solver
    # for non-smooth losses"); now L-BFGS on the derived gradient
    fit = symml.derive.minimize(symml.losses.huber(X, w, y, delta), w)
    design, targets = _heavy_tailed_regression(1)
    given = {} if delta == 1.35 else {"delta": 1.35}
    derived = fit.numpy()(X=design, y=targets, **given)
    oracle = minimize(_huber_objective(design, targets, 1.35), np.ones(3), method="Nelder-Mead",
                      options={"xatol": 1e-11, "fatol": 1e-14, "maxiter": 20000}).x
    assert derived == pytest.approx(oracle, abs=1e-7)


def test_the_huber_gradient_is_continuous_and_the_hinge_gradient_is_not():
    delta = sp.Symbol("delta", positive=True)
    assert continuous(symml.derive.gradient(symml.losses.huber(X, w, y, delta), w).result)
    assert not continuous(symml.derive.gradient(symml.losses.hinge(X, w, y), w).result)


def test_a_threshold_of_unknown_sign_does_not_make_the_huber_gradient_continuous():
    # relu(|0| − δ) = max(−δ, 0) is 0 only for δ ≥ 0
    assert not continuous(symml.derive.gradient(symml.losses.huber(X, w, y, sp.Symbol("delta", real=True)), w).result)
