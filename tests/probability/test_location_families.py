"""Expectations under a location family are taken at the location's origin (X − θ has the law at θ = 0): the
Fisher information of a location family, checked against quadrature of SciPy's densities."""
import time

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy import integrate

import symml

theta = sp.Symbol("theta", real=True)
scale = sp.Symbol("gamma", positive=True)


def quadrature_information(logpdf, at, step=1e-5):
    """I(θ) = E[(∂ log f/∂θ_i)(∂ log f/∂θ_j)] by central differences and quadrature, for the parameter vector ``at``."""
    k = len(at)

    def score(x, i):
        up, down = list(at), list(at)
        up[i] += step
        down[i] -= step
        return (logpdf(x, *up) - logpdf(x, *down)) / (2 * step)

    def entry(i, j):  # split at the location (a Laplace's kink); the Cauchy's tail beyond ±1e4 adds < 1e-12
        integrand = lambda x: score(x, i) * score(x, j) * np.exp(logpdf(x, *at))  # noqa: E731
        return sum(integrate.quad(integrand, a, b, limit=400)[0] for a, b in ((-1e4, at[0]), (at[0], 1e4)))

    return np.array([[entry(i, j) for j in range(k)] for i in range(k)])


def test_cauchy_location_information_is_closed_and_quick():
    started = time.process_time()
    found = symml.derive.fisher_information(st.Cauchy("X", theta, 1))
    assert time.process_time() - started < 4.0  # 8.4 s and a numeric integral before the shift
    expected = quadrature_information(lambda x, t: ss.cauchy.logpdf(x, t), [0.7])
    assert not found.result[0, 0].has(sp.Integral)
    assert float(found.result[0, 0]) == pytest.approx(expected[0, 0], rel=1e-6)


def test_logistic_location_and_scale_information_is_closed():
    found = symml.derive.fisher_information(st.Logistic("X", theta, scale))
    expected = quadrature_information(lambda x, t, s: ss.logistic.logpdf(x, t, s), [0.4, 1.7])
    assert not any(entry.has(sp.Integral) for entry in found.result)
    assert np.array(found.result.subs({theta: 0.4, scale: 1.7}), dtype=float) == pytest.approx(expected, abs=1e-6)


def test_laplace_location_typed_without_assumptions_is_taken_real():
    untyped = sp.Symbol("theta")  # complex by default: d|x − θ|/dθ brought re(θ) and im(θ) into every integral
    found = symml.derive.fisher_information(st.Laplace("X", untyped, scale))
    # written out: SciPy's logpdf is -inf far in the tails, where the differenced score is then nan
    expected = quadrature_information(lambda x, t, s: -abs(x - t) / s - np.log(2 * s), [0.3, 2.0])
    assert found.result.free_symbols <= {scale}
    assert np.array(found.result.subs({scale: 2.0}), dtype=float) == pytest.approx(expected, abs=1e-5)
