"""Scalar results printed to NumPy combine ratios of powers, (x − μ)²/σ³ = ((x − μ)/σ)²/σ: finite wherever the
ratio is, where σ³ alone underflows (checked against mpmath derivatives at high precision)."""
from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

import symml

x, mu = sp.symbols("x mu", real=True)
s = sp.Symbol("s", positive=True)
log_density = -sp.log(s) - (x - mu) ** 2 / (2 * s**2)


def _mp_score(point: dict[str, float]) -> list[float]:
    mpmath.mp.dps = 50
    values = {name: mpmath.mpf(v) for name, v in point.items()}

    def f(m, sigma):
        return -mpmath.log(sigma) - (values["x"] - m) ** 2 / (2 * sigma**2)

    step = values["s"] * mpmath.mpf("1e-20")  # central differences on σ's scale (mpmath's default step is absolute)
    return [float(mpmath.diff(lambda m: f(m, values["s"]), values["mu"], h=step)),
            float(mpmath.diff(lambda sigma: f(values["mu"], sigma), values["s"], h=step))]


@pytest.fixture(scope="module")
def score():
    return symml.derive.gradient(log_density, [mu, s]).numpy()


@pytest.mark.parametrize("point", [
    {"x": 3e-160, "mu": 1e-160, "s": 1e-160},  # σ³ = 1e-480 underflows, the score is of order 1e160
    {"x": 1.0, "mu": 1.0, "s": 1e-160},  # the colleague's μ = 1 + 1e-160 rounds to 1: (x − μ)²/σ³ was 0/0
    {"x": 3e150, "mu": 1e150, "s": 1e150},  # (x − μ)² = 4e300 and σ³ overflows
    {"x": 0.3, "mu": -0.2, "s": 1.7},
])
def test_normal_score_is_finite_and_matches_mpmath_where_powers_of_sigma_under_or_overflow(score, point):
    got = np.asarray(score(**point), dtype=float).ravel()
    assert np.all(np.isfinite(got))
    assert np.allclose(got, _mp_score(point), rtol=1e-12, atol=0)


def test_quotient_is_kept_as_one_factor_in_the_printed_code():
    from symml.calculus.stable_numpy import numpy_callable

    f = numpy_callable((x - mu) ** 2 / s**3, [x, mu, s])
    assert np.isclose(f(2.0, 1.0, 0.5), 8.0)
    assert "Quotient" in f.__doc__ or "Quotient" in __import__("inspect").getsource(f)
