"""Expectations whose integral does not converge absolutely are undefined or infinite, never a number quadrature
happens to return; poles that SymPy's analytic continuation leaves at integer parameters are reflected away.

Oracles: scipy.integrate.quad of the truncated integrals, scipy.stats' entropies.
"""
import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy.integrate import quad

import symml
from symml.errors import ModelError
from symml.probability.integration import divergent_value, reflected
from symml.probability.law import as_law

x = sp.Symbol("x", real=True)


def test_a_tail_falling_like_one_over_x_on_one_side_only_makes_the_mean_infinite():
    law = as_law(st.Pareto("X", 1, 1))  # f = 1/x² on x > 1: x f = 1/x
    assert divergent_value(law, law.variable) == sp.oo
    assert quad(lambda t: t / t**2, 1, 1e8, limit=200)[0] > 18  # oracle: log(1e8)


def test_a_cauchy_with_symbolic_location_and_scale_has_an_undefined_mean():
    mu, gamma = sp.Symbol("mu", real=True), sp.Symbol("gamma", positive=True)
    law = as_law(st.Cauchy("X", mu, gamma))
    assert divergent_value(law, law.variable) is sp.nan
    assert divergent_value(law, sp.exp(-law.variable**2)) is None  # an integrable term is left to the integrator


def test_the_mean_of_a_student_t_with_one_degree_of_freedom_is_undefined_not_imaginary():
    # the generating-function route gave −iπ/B(1/2, 1/2) = −i
    derivation = symml.derive.expectation(st.StudentT("T", 1), st.StudentT("T", 1))
    assert derivation.result is sp.nan
    assert quad(lambda t: t * ss.t(1).pdf(t), 0, 1e6, limit=200)[0] > 4  # oracle: log(1 + L²)/(2π) unbounded


def test_the_student_t_entropy_term_has_no_pole_at_integer_degrees_of_freedom():
    # SymPy's E[log(1 + T²/ν)]: ψ((1 − ν)/2) + π/(sin(πν/2)cos(πν/2)) − ψ(1 − ν/2), nan or ±inf at every integer ν
    v = sp.Symbol("nu", positive=True)
    continued = sp.polygamma(0, (1 - v) / 2) + sp.pi / (sp.sin(sp.pi * v / 2) * sp.cos(sp.pi * v / 2)) \
        - sp.polygamma(0, 1 - v / 2)
    value = sp.lambdify(v, reflected(continued), "scipy")
    for nu in (1.0, 2.0, 3.0, 30.0, 5.5):
        oracle = quad(lambda t: np.log1p(t**2 / nu) * ss.t(nu).pdf(t), -np.inf, np.inf, limit=200)[0]
        assert value(nu) == pytest.approx(oracle, rel=1e-8)


def test_kl_of_dirichlets_with_numeric_concentrations_matches_quadrature():
    # refused first with the MLE engine's "maximum likelihood here is univariate only", then as multivariate; now
    # derived with the numbers held as symbols while the score is differentiated. Oracle: nquad over the simplex
    a1, a2 = sp.symbols("a1 a2", positive=True)
    derivation = symml.derive.kl(st.Dirichlet("P", [a1, 1, 2]), st.Dirichlet("Q", [a2, 1, 2]))
    assert derivation.problem.parameters == (a1, a2)
    assert derivation.verify().passed