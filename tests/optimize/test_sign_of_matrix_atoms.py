"""sign_given on scalar expressions holding 1 x 1 matrix atoms (Scalar(aᵀa), traces): they are opaque real numbers
to the sign rules, a Gram form aᵀa non-negative. Before, together/factor rebuilt the MatMul inside with commutative
algebra and raised SymPy's NotImplementedError (the profile of one vector's isotropic Gaussian, Prince UDL 5.7)."""
from __future__ import annotations

import numpy as np
import sympy as sp

import symml
from symml.matrix_calculus.algebra import Scalar
from symml.optimize.signs import sign_given

RNG = np.random.default_rng(57)
D = symml.dims("D")
a = symml.vector("a", D)
sigma2 = sp.Symbol("sigma2", positive=True)


def _values(expr_of, draws: int = 200) -> np.ndarray:
    """expr_of(‖a‖², σ²) at random vectors a (3 entries) and variances: the numeric oracle of a sign."""
    vectors = RNG.normal(size=(draws, 3)) * RNG.uniform(0.01, 10, size=(draws, 1))
    variances = RNG.uniform(0.01, 10, size=draws)
    return np.array([expr_of((v @ v), s) for v, s in zip(vectors, variances)])


def test_a_gram_form_over_a_positive_variance_plus_one_is_positive():
    expr = Scalar(a.T @ a) / sigma2 + 1
    assert sign_given(expr) == 1
    assert np.all(_values(lambda g, s: g / s + 1) > 0)


def test_the_profile_hessian_of_one_vectors_gaussian_has_no_decided_sign_and_does_not_crash():
    """∂²/∂(σ²)² of −(D/2) log σ² − ‖a‖²/(2σ²): D/(2σ⁴) − ‖a‖²/σ⁶, of either sign."""
    expr = D / (2 * sigma2**2) - Scalar(a.T @ a) / sigma2**3
    assert sign_given(expr) is None
    values = _values(lambda g, s: 3 / (2 * s**2) - g / s**3)
    assert np.any(values > 0) and np.any(values < 0)
