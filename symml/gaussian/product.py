"""The product of two Gaussian densities in the same vector x, and its normaliser.

N(x | a, A⁻¹) N(x | b, B⁻¹) is exp of a quadratic in x: completing the square gives the precision A + B and the mean
(A + B)⁻¹(A a + B b); the normaliser of the completed square is Z = ∫ N(x | a, A⁻¹) N(x | b, B⁻¹) dx, so that the
product is Z times a Gaussian density (Bishop PRML 2.115 in the form of Rasmussen & Williams A.7).

>>> import symml
>>> d = symml.dims("d")
>>> x, a, b = symml.vector("x", d), symml.vector("a", d), symml.vector("b", d)
>>> A, B = symml.matrix("A", d, d, symmetric=True), symml.matrix("B", d, d, symmetric=True)
>>> derive_gaussian_product(Gaussian(x, a, A), Gaussian(x, b, B)).result[1]
(A + B)**(-1)
"""
from __future__ import annotations

import sympy as sp

from symml.budget import within
from symml.derivation import Derivation, Step
from symml.errors import ModelError
from symml.gaussian.completing_square import complete_the_square, normaliser_step, simplified
from symml.gaussian.density import Gaussian
from symml.gaussian.notation import named
from symml.gaussian.problem import GaussianProblem

__all__ = ["derive_gaussian_product"]

#: Budget for one derivation; the work is structural and takes a fraction of a second.
DERIVE_SECONDS = 20.0


def derive_gaussian_product(first: Gaussian, second: Gaussian) -> Derivation:
    """N(x | a, A⁻¹) N(x | b, B⁻¹) = Z N(x | c, C): the Gaussian factor by completing the square, Z by its normaliser.

    Args:
        first, second: :class:`Gaussian` densities over the same vector symbol x.

    Returns:
        A Derivation whose ``result`` is (mean c, covariance C, log Z); ``numpy()`` returns
        ``{"mean", "covariance", "log_normaliser"}``.
    """
    if not (isinstance(first, Gaussian) and isinstance(second, Gaussian)):
        raise ModelError("the product needs two symml.gaussian.Gaussian densities")
    if first.variable != second.variable or first.rows:
        raise ModelError(f"the two densities must be over the same vector, not {first.variable!r} and "
                         f"{second.variable!r}")
    return within(DERIVE_SECONDS, "the product of two Gaussians", _product, first, second)


def _product(first: Gaussian, second: Gaussian) -> Derivation:
    x = first.variable
    log_product = first.log_density() + second.log_density()
    square = complete_the_square(log_product, x)
    covariance = simplified(sp.Inverse(square.precision))
    log_z = named("log Z", r"\log Z")
    mean_symbol, cov_symbol = sp.MatrixSymbol("c", *x.shape), sp.MatrixSymbol("C", *square.precision.shape)
    steps = (
        Step("Log of the product", sp.Eq(named("log p_1 p_2", r"\log p_1(x) p_2(x)"), log_product, evaluate=False),
             "the sum of the two log-densities, normalisers included"),
        *square.steps,
        normaliser_step(square, log_z),
        Step("The product", (sp.Eq(cov_symbol, covariance, evaluate=False), sp.Eq(mean_symbol, square.mean,
                                                                                 evaluate=False)),
             "Z times the Gaussian density with this mean and covariance"),
    )
    outputs = (("mean", square.mean), ("covariance", covariance), ("log_normaliser", square.log_normaliser))
    problem = GaussianProblem(f"Product of two Gaussian densities in {x.name}", "product", outputs, (first, second))
    return Derivation(problem, steps, (square.mean, covariance, square.log_normaliser),
                      (sp.Eq(mean_symbol, square.mean, evaluate=False), sp.Eq(cov_symbol, covariance, evaluate=False),
                       sp.Eq(log_z, square.log_normaliser, evaluate=False)),
                      assumptions=("both precisions are symmetric positive definite",))

