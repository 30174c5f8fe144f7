"""Terms of an expectation that SymPy's integrator has no rule for get a short budget and go to quadrature, said so:
a sum of exponentials of x in a denominator under a Gaussian kernel (the logistic-normal integral; a Gaussian
mixture's score). A mixture weight's Fisher information took 9.2 s CPU (each term spent 4 s of the 8 s shared
budget; with numeric means SymPy's Risch integrator raised PolynomialError out of derive); now ~5 s."""
import time

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy import integrate

import symml
from symml.probability.expectation import exponential_sum_under_a_gaussian
from symml.probability.law import as_law

m = sp.Symbol("m", real=True)
s = sp.Symbol("s", positive=True)


def test_a_sum_of_exponentials_in_a_denominator_under_a_gaussian_has_no_rule():
    normal = as_law(st.Normal("X", m, s))
    x = normal.variable
    assert exponential_sum_under_a_gaussian(normal, 1 / (1 + sp.exp(x))) == 1 + sp.exp(x)


def test_a_rational_function_under_a_gaussian_or_an_exponential_sum_under_a_logistic_keeps_its_budget():
    normal, logistic = as_law(st.Normal("X", m, s)), as_law(st.Logistic("X", m, s))
    assert exponential_sum_under_a_gaussian(normal, 1 / (1 + normal.variable**2)) is None  # an erfc closed form
    assert exponential_sum_under_a_gaussian(logistic, 1 / (1 + sp.exp(-logistic.variable))) is None  # Beta integrals


def test_a_mixture_weights_fisher_information_is_left_to_quadrature_in_seconds():
    # I(w) = ∫ (φ₀ − φ₃)²/(w φ₀ + (1 − w) φ₃) dx; oracle: scipy quadrature of scipy.stats' normal densities
    x, w = sp.Symbol("x", real=True), sp.Symbol("w", real=True)
    normal = lambda mean: sp.exp(-(x - mean)**2 / 2) / sp.sqrt(2 * sp.pi)  # noqa: E731
    started = time.process_time()
    derivation = symml.derive.fisher_information(symml.Model(logpdf=sp.log(w * normal(0) + (1 - w) * normal(3)),
                                                             data=x), wrt=[w])
    assert time.process_time() - started < 15.0  # ~5 s CPU; 9.2 s (and a PolynomialError) before
    assert any("logistic-normal" in remark for remark in derivation.remarks)
    found = float(np.ravel(derivation.numpy()(w=0.3))[0])
    phi0, phi3 = ss.norm(0, 1).pdf, ss.norm(3, 1).pdf
    oracle = integrate.quad(lambda t: (phi0(t) - phi3(t))**2 / (0.3 * phi0(t) + 0.7 * phi3(t)), -30, 30,
                            epsabs=1e-13, limit=200)[0]
    assert found == pytest.approx(oracle, rel=1e-8)
