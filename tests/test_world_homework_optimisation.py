"""Optimisation and linear-algebra problems from homework and exam sheets, posed the way users type them.

Each test names its source (course problem set or book exercise) and checks the derived optimum against an
independent numeric method (scipy.optimize, numpy.linalg, a grid); the oracles live here only. Found by the
homework sweep of session 25 (optimisation, KKT, proximal operators, portfolios, linear algebra).
"""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import symml

n, d = symml.dims("n d")
lam = sp.Symbol("lambda", positive=True)
RNG = np.random.default_rng(2525)
x, y = sp.symbols("x y", real=True)


def _best_of_starts(f, starts):
    return min((optimize.minimize(f, np.asarray(s, dtype=float), method="BFGS", options={"gtol": 1e-10})
                for s in starts), key=lambda r: r.fun)


# --- Lambert W closed forms --------------------------------------------------------------------------------------
def test_a_lambert_w_stationary_point_is_evaluated_on_its_real_branch():
    """(x − 2)² + 3e^(−4xy) + y²: x̂ = 2 + W(24y²e^(−8y))/(4y) profiled, y solved numerically; numpy() raised
    NameError (LambertW was not in the NumPy namespace). Oracle: BFGS from several starts."""
    derivation = symml.derive.minimize((x - 2)**2 + 3 * sp.exp(-4 * x * y) + y**2, [x, y])
    assert derivation.result[x].has(sp.LambertW)
    found = derivation.numpy()()
    best = _best_of_starts(lambda z: (z[0] - 2)**2 + 3 * np.exp(-4 * z[0] * z[1]) + z[1]**2,
                           [(0, 0), (2, 0.5), (1, 1), (-1, -1), (3, -1)])
    assert [found["x"], found["y"]] == pytest.approx(best.x, abs=1e-6)
