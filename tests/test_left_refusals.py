"""Questions refused or mishandled before (left11), each now derived and checked by an independent numeric oracle."""
import numpy as np
import pytest
import scipy.integrate as si
import sympy as sp
import sympy.stats as st

import symml
from symml import derive
from symml.errors import ModelError


# --- 1. a parameter outside its range -------------------------------------------------------------------------------

def _gumbel_with_negative_scale():
    b, mu = sp.Symbol("b", positive=True), sp.Symbol("mu", real=True)
    return st.Gumbel("X", b, mu).subs(b, -2)  # subs skips the check sympy.stats runs when it builds the variable


def test_gumbel_density_at_negative_scale_is_not_a_density():
    # the oracle: SymPy's formula at b = -2 integrates to -1 by quadrature, so no expectation under it is meaningful
    X = _gumbel_with_negative_scale()
    x = sp.Symbol("x", real=True)
    density = sp.lambdify(x, st.density(X)(x).subs(sp.Symbol("mu", real=True), 0))
    with np.errstate(over="ignore"):  # e^{e^{x/2}} overflows to inf far right, where the density is -0
        assert si.quad(density, -np.inf, np.inf)[0] == pytest.approx(-1.0, abs=1e-8)


@pytest.mark.parametrize("operation", [lambda X: derive.expectation(X), lambda X: derive.entropy(X),
                                       lambda X: derive.mle(X)])
def test_negative_gumbel_scale_is_refused_naming_the_parameter(operation):
    with pytest.raises(ModelError, match="outside its range: Scale parameter beta must be positive"):
        operation(_gumbel_with_negative_scale())


def test_parameter_range_check_is_every_family_s_own():
    s = sp.Symbol("s", positive=True)
    with pytest.raises(ModelError, match="Standard deviation must be positive"):
        derive.expectation(st.Normal("Y", 0, s).subs(s, -1) ** 2)
    with pytest.raises(ModelError, match="Lambda must be positive"):
        derive.expectation(st.Poisson("N", s).subs(s, -3))


def test_scale_of_unknown_sign_is_not_refused():
    b = sp.Symbol("b", real=True)
    assert derive.expectation(st.Gumbel("X", 2, b)).result == b + 2 * sp.EulerGamma


# --- 2. E[xᵀAx] of a sympy.stats MultivariateNormal ----------------------------------------------------------------

_A = sp.Matrix([[1, 0], [2, 3]])


def _monte_carlo(mean, covariance, g, draws=400_000):
    samples = np.random.default_rng(7).multivariate_normal(mean, covariance, size=draws)
    values = g(samples)
    return values.mean(), values.std() / np.sqrt(draws)


def test_quadratic_form_of_numeric_gaussian_vector_matches_monte_carlo():
    # E[xᵀAx] = tr(AΣ) + μᵀAμ = 13 + 17
    mean, covariance = [1, 2], [[2, 1], [1, 3]]
    X = st.MultivariateNormal("X", mean, covariance)
    x = sp.Matrix([X[0], X[1]])
    result = derive.expectation(x.T * _A * x).result
    estimate, error = _monte_carlo(mean, covariance, lambda s: np.einsum("ni,ij,nj->n", s, np.array(_A, float), s))
    assert result == 30 and abs(estimate - 30) < 5 * error


def test_quadratic_and_linear_form_of_symbolic_gaussian_vector_matches_monte_carlo():
    m1, m2, s1, s2, r = sp.symbols("m1 m2 s1 s2 r", real=True)
    Y = st.MultivariateNormal("Y", [m1, m2], [[s1, r], [r, s2]])
    derivation = derive.expectation(Y[0] * Y[1] + 3 * Y[1] - 2)
    at = dict(m1=0.3, m2=-1.0, s1=2.0, s2=1.0, r=0.5)
    estimate, error = _monte_carlo([0.3, -1.0], [[2.0, 0.5], [0.5, 1.0]], lambda s: s[:, 0] * s[:, 1] + 3 * s[:, 1] - 2)
    assert abs(derivation.numpy()(**at) - estimate) < 5 * error
    assert derivation.verify().passed


def test_cubic_of_gaussian_vector_is_refused_naming_the_degree():
    Y = st.MultivariateNormal("Y", [0, 0], [[1, 0], [0, 1]])
    with pytest.raises(symml.errors.UnsupportedOperationError, match="of degree 3"):
        derive.expectation(Y[0] ** 2 * Y[1])


def test_gaussian_vector_with_indefinite_covariance_is_refused():
    s = sp.Symbol("s", positive=True)
    Y = st.MultivariateNormal("Y", [0, 0], [[s, 0], [0, 1]]).subs(s, -1)
    with pytest.raises(ModelError, match="outside its range"):
        derive.expectation(Y[0] * Y[1])
