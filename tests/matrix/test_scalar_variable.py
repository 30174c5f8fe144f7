"""Derivatives of scalar functions of matrices in a scalar variable (a kernel hyperparameter, a ridge λ)."""
import numpy as np
import sympy as sp

import symml

n = symml.dims("n")
A = symml.matrix("A", n, n)
y = symml.vector("y", n)
theta = sp.Symbol("theta", positive=True)
s = sp.Symbol("s", positive=True)
K = theta * A + s * sp.Identity(n)
#: a Gaussian-process log marginal likelihood (without its constant) in the kernel's scale θ
log_marginal = -(y.T * K.inverse() * y) / 2 - sp.log(sp.Determinant(K)) / 2


def _log_marginal_numeric(A_value, y_value, theta_value, s_value):
    K_value = theta_value * A_value + s_value * np.eye(len(y_value))
    return -y_value @ np.linalg.solve(K_value, y_value) / 2 - np.linalg.slogdet(K_value)[1] / 2


def test_derivative_of_a_scalar_function_of_matrices_is_derived_at_matrix_level():
    rng = np.random.default_rng(3)
    B = rng.normal(size=(5, 5))
    A_value, y_value, h = B @ B.T, rng.normal(size=5), 1e-6
    derived = symml.derive.derivative(log_marginal, theta).numpy()(A=A_value, y=y_value, theta=0.7, s=0.3)
    numeric = (_log_marginal_numeric(A_value, y_value, 0.7 + h, 0.3)
               - _log_marginal_numeric(A_value, y_value, 0.7 - h, 0.3)) / (2 * h)
    assert np.isclose(derived, numeric, rtol=1e-6)


def test_the_differential_of_a_scalar_variable_prints_as_d_and_its_symbol():
    derivation = symml.derive.hessian(log_marginal, theta)
    assert "dtheta" not in str(derivation) and "dθ" in str(derivation)
    assert r"\mathrm{d}\theta" in derivation.latex() and "dtheta" not in derivation.latex()
