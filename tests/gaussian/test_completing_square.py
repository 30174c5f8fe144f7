"""Completing the square at matrix level: precision = −Hessian, mean from Λμ = ∇f(0), log normaliser; against numpy."""
import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize

import symml
from symml.gaussian import complete_the_square
from symml.matrix_calculus.numpy_export import numpy_function
from symml.testing import random_spd

d, n = symml.dims("d n")
x, m = symml.vector("x", d), symml.vector("m", d)
P = symml.matrix("P", d, d, symmetric=True)
A, b, y = symml.matrix("A", n, d), symml.vector("b", n), symml.vector("y", n)
L = symml.matrix("L", n, n, symmetric=True)
HALF = sp.Rational(1, 2)
LOG_DENSITY = -HALF * (x - m).T @ P @ (x - m) - HALF * (y - A @ x - b).T @ L @ (y - A @ x - b)


def _function(expr):
    return numpy_function(expr, sorted(expr.atoms(sp.MatrixSymbol), key=lambda s: s.name))


def _values(rng, dim, rows):
    return dict(m=rng.normal(size=dim), P=random_spd(rng, dim), A=rng.normal(size=(rows, dim)), b=rng.normal(size=rows),
                y=rng.normal(size=rows), L=random_spd(rng, rows))


@pytest.mark.parametrize("dim", [2, 5, 20])
def test_mean_is_the_maximiser_found_by_scipy_optimize(dim):
    rng = np.random.default_rng(dim)
    values = _values(rng, dim, dim + 3)
    square = complete_the_square(LOG_DENSITY, x)
    f = _function(LOG_DENSITY)
    best = minimize(lambda v: -float(f(x=v, **values)), np.zeros(dim), method="BFGS", options={"gtol": 1e-10})
    args = {k: values[k] for k in ("m", "P", "A", "b", "y", "L")}
    mean = _function(square.mean)(**{s.name: args[s.name] for s in square.mean.atoms(sp.MatrixSymbol)})
    np.testing.assert_allclose(np.ravel(mean), best.x, rtol=1e-5, atol=1e-6)


def test_precision_is_the_finite_difference_hessian():
    rng = np.random.default_rng(0)
    values = _values(rng, 4, 6)
    square = complete_the_square(LOG_DENSITY, x)
    f = _function(LOG_DENSITY)
    x0, h, dim = rng.normal(size=4), 1e-3, 4
    E = np.eye(dim)
    at = lambda point: float(f(x=point, **values))  # noqa: E731
    second = np.array([[(at(x0 + h * (E[i] + E[j])) - at(x0 + h * (E[i] - E[j])) - at(x0 - h * (E[i] - E[j]))
                         + at(x0 - h * (E[i] + E[j]))) / (4 * h * h) for j in range(dim)] for i in range(dim)])
    precision = _function(square.precision)(**{k: values[k] for k in ("A", "L", "P")})
    np.testing.assert_allclose(precision, -second, rtol=1e-5, atol=1e-6)


def test_log_normaliser_matches_quadrature_in_one_dimension():
    from scipy.integrate import quad

    rng = np.random.default_rng(2)
    values = _values(rng, 1, 3)
    square = complete_the_square(LOG_DENSITY, x)
    f = _function(LOG_DENSITY)
    integral, _ = quad(lambda t: np.exp(float(f(x=[t], **values))), -np.inf, np.inf, epsabs=0, epsrel=1e-12)
    assert float(_function(square.log_normaliser)(**values)) == pytest.approx(np.log(integral), rel=1e-9)


def test_a_cubic_term_is_not_quadratic():
    with pytest.raises(symml.ModelError, match="not quadratic"):
        complete_the_square(LOG_DENSITY + (x.T @ x) * (m.T @ x), x)


def test_a_density_free_of_x_has_no_square():
    with pytest.raises(symml.ModelError, match="does not depend"):
        complete_the_square(-HALF * m.T @ P @ m, x)


def test_a_scalar_expression_is_a_shape_error():
    with pytest.raises(symml.ShapeError, match="1 x 1"):
        complete_the_square(sp.Symbol("t") ** 2, x)
