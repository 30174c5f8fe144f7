"""E[g(X)] for a sympy.stats MultivariateNormal X and g a polynomial in its components.

Of degree at most 2, g is written as a quadratic form by differentiation (A = ½ ∇²g, b = ∇g(0), c = g(0), so
g = xᵀAx + bᵀx + c), and its expectation follows from the first two moments alone (linearity; xᵀAx = tr(A x xᵀ),
E[x xᵀ] = Σ + μμᵀ):

.. math:: E[x^\\top A x + b^\\top x + c] = \\operatorname{tr}(A\\Sigma) + \\mu^\\top A \\mu + b^\\top \\mu + c

whether μ and Σ are numbers or symbols (Matrix Cookbook 8.2.2). Of higher degree, each monomial's moment is a
derivative of the moment generating function at 0, E[x₁^k₁ ⋯ x_d^k_d] = ∂^k M(0) (:mod:`symml.probability.
gaussian_vector_mgf`): no table of pairings (Isserlis) is used.

>>> import sympy as sp, sympy.stats as st
>>> X = st.MultivariateNormal("X", [1, 2], [[2, 1], [1, 3]])
>>> expect_gaussian_vector(X, X[0]**2 + 3*X[0]*X[1]).result
12
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Derivation, Step, Verification
from symml.errors import ParameterError, UnsupportedOperationError
from symml.model import check_parameters
from symml.operations import verify
from symml.probability.gaussian_kl import Expect as MatrixExpect, expected_quadratic_form
from symml.probability.gaussian_vector_mgf import moments_by_mgf
from symml.probability.notation import Expect
from symml.probability.numeric import compile_expression
from symml.probability.problem import ProbabilityProblem, default_values
from symml.render.printer import latex

__all__ = ["expect_gaussian_vector"]


def expect_gaussian_vector(X: Any, g: Any) -> Derivation:
    """E[g(X)] for X a sympy.stats MultivariateNormal (d components, mean and covariance numbers or symbols).

    Args:
        X: the random vector; g: a SymPy expression (or 1 x 1 matrix) in its components X[0], ..., X[d-1], a
            polynomial (of degree at most 2: xᵀAx + bᵀx + c from the first two moments; higher: through the MGF).

    Raises:
        ModelError: a covariance SymPy proves is not positive definite (its own check).
        UnsupportedOperationError: g not a polynomial in the components.
    """
    check_parameters(X)
    mean, covariance = (sp.ImmutableMatrix(m) for m in X.pspace.distribution.args)
    size = mean.rows
    components = [X[i] for i in range(size)]
    x = sp.Matrix([sp.Dummy(f"x_{i}", real=True) for i in range(size)])
    h = sp.expand(sp.sympify(g).xreplace(dict(zip(components, x))))
    # shown with plain indexed components: the renderers' factor_terms iterates a random vector, which fails
    g = sp.sympify(g).xreplace({component: sp.IndexedBase(str(X))[i] for i, component in enumerate(components)})
    degree = _degree(h, x, g)
    if degree > 2:
        shown = [sp.IndexedBase(str(X))[i] for i in range(size)]
        return _derivation(X, g, h, x, mean, covariance, *moments_by_mgf(h, x, mean, covariance, shown))
    A = sp.hessian(h, x) / 2
    b = sp.Matrix([h.diff(xi) for xi in x]).subs({xi: 0 for xi in x})
    c = h.subs({xi: 0 for xi in x})
    quadratic = sp.Matrix(expected_quadratic_form(A, sp.zeros(size, 1), mean, covariance).doit())[0, 0]
    value = sp.factor_terms(sp.expand(quadratic + (b.T @ mean)[0, 0] + c))
    shown = sp.MatrixSymbol("x", size, 1)
    steps = (
        Step("g as a quadratic form", (sp.Eq(sp.Symbol("A"), A, evaluate=False), sp.Eq(sp.Symbol("b"), b, evaluate=False),
                                       sp.Eq(sp.Symbol("c"), c, evaluate=False)),
             f"$g = x^\\top A x + b^\\top x + c$ of degree {degree}, with $A = \\frac12 \\nabla^2 g$, "
             "$b = \\nabla g(0)$, $c = g(0)$ (differentiation)"),
        Step("Mean of a quadratic form", sp.Eq(MatrixExpect(shown.T @ sp.MatrixSymbol("A", size, size) @ shown),
                                               sp.Symbol(r"\operatorname{tr}(A\Sigma) + \mu^\top A \mu"),
                                               evaluate=False),
             "$x^\\top A x = \\operatorname{tr}(A x x^\\top)$ and $\\mathbb{E}[x x^\\top] = \\Sigma + \\mu\\mu^\\top$; "
             "$\\mathbb{E}[b^\\top x] = b^\\top\\mu$ (linearity)"),
        Step("Evaluate", sp.Eq(Expect(g), value, evaluate=False),
             f"$\\mu = {latex(mean)}$, $\\Sigma = {latex(covariance)}$"),
    )
    return _derivation(X, g, h, x, mean, covariance, steps, value)


def _derivation(X: Any, g: Any, h: sp.Expr, x: sp.Matrix, mean: sp.Matrix, covariance: sp.Matrix,
                steps: tuple[Step, ...], value: sp.Expr) -> Derivation:
    parameters = tuple(sorted(mean.free_symbols | covariance.free_symbols | value.free_symbols, key=lambda s: s.name))
    problem = GaussianVectorProblem(
        title=f"Expectation of ${latex(g)}$ for ${latex(X)} \\sim \\mathcal{{N}}(\\mu, \\Sigma)$",
        results={"value": value}, parameters=parameters, mean=mean, covariance=covariance, integrand=(tuple(x), h))
    return Derivation(problem, steps, value, summary=(sp.Eq(Expect(g), value, evaluate=False),))


@dataclass(frozen=True)
class GaussianVectorProblem(ProbabilityProblem):
    """E[h(x)] for x ~ N(mean, covariance); ``integrand`` is (x's symbols, h), for the Monte Carlo check."""

    mean: sp.Matrix = field(default_factory=lambda: sp.zeros(1, 1))
    covariance: sp.Matrix = field(default_factory=lambda: sp.zeros(1, 1))
    integrand: tuple = ((), sp.S.Zero)


@verify.register(GaussianVectorProblem)
def _verify(problem: GaussianVectorProblem, derivation: Any, values: Mapping[str, float] | None = None,
            seed: int = 0, draws: int = 400_000, **options: Any) -> Verification:
    """numpy() against the mean of h over ``draws`` Gaussian draws (numpy), within 5 standard errors."""
    rng = np.random.default_rng(seed)
    at = _positive_definite_values(problem, values, seed)
    by_symbol = {s: at[s.name] for s in problem.parameters}
    mean = np.array(problem.mean.subs(by_symbol), dtype=float).ravel()
    covariance = np.array(problem.covariance.subs(by_symbol), dtype=float)
    x, h = problem.integrand
    samples = rng.multivariate_normal(mean, covariance, size=draws)
    g = np.broadcast_to(sp.lambdify(x, h.subs(by_symbol), "numpy")(*samples.T), (draws,))
    derived = float(compile_expression(problem.results["value"], problem.parameters)(**at))
    estimate, error = float(g.mean()), float(g.std() / np.sqrt(draws))
    comparison = Comparison("value", derived, estimate, abs(derived - estimate) / max(error, 1e-300))
    return Verification.from_comparisons(
        [comparison], method=f"Monte Carlo mean of {draws} draws (numpy); the error is in standard errors",
        tolerance=5.0, seed=seed, details=(("parameters", ", ".join(f"{k}={v:.4g}" for k, v in at.items())),))


def _positive_definite_values(problem: GaussianVectorProblem, values: Mapping[str, float] | None,
                              seed: int) -> dict[str, float]:
    """``values``, or drawn ones at which the covariance is positive definite."""
    if values is not None:
        return dict(values)
    for attempt in range(100):
        drawn = default_values(problem, seed + attempt)
        covariance = np.array(problem.covariance.subs({s: drawn[s.name] for s in problem.parameters}), dtype=float)
        if np.all(np.linalg.eigvalsh((covariance + covariance.T) / 2) > 0.05):
            return drawn
    raise ParameterError(f"no parameter values found at which the covariance of {problem.title} is positive definite")


def _degree(h: sp.Expr, x: sp.Matrix, g: Any) -> int:
    try:
        degree = sp.Poly(h, *x).total_degree()
    except sp.PolynomialError:
        degree = None
    if degree is None:
        raise UnsupportedOperationError(
            f"E[{g}] of a multivariate normal is derived here for g a polynomial in its components (through the "
            "moment generating function); this g is not a polynomial in them: estimate it by Monte Carlo "
            "(sympy.stats.sample) or write it through the components' univariate laws")
    return degree
