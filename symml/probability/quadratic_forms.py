"""Moments of linear and quadratic forms of a random vector, at matrix level (cost independent of d).

For x with mean μ and covariance Σ (any law) and matrices B (k × d), A (d × d, symmetric):

.. math:: E[Bx] = B\\mu, \\quad \\operatorname{Cov}(Bx) = B\\Sigma B^\\top, \\quad
          E[x^\\top A x] = \\operatorname{tr}(A\\Sigma) + \\mu^\\top A \\mu

(linearity; xᵀAx = tr(A x xᵀ) and E[x xᵀ] = Σ + μμᵀ). For a Gaussian x the moment generating function of xᵀAx
follows by completing the square, exponent −½ xᵀ(Σ⁻¹ − 2tA)x + xᵀΣ⁻¹μ − ½ μᵀΣ⁻¹μ, and the Gaussian normaliser:

.. math:: K(t) = \\log E[e^{t x^\\top A x}] = -\\tfrac12 \\log\\det(I - 2t\\Sigma A)
          + \\tfrac12 \\mu^\\top \\Sigma^{-1}\\left((\\Sigma^{-1} - 2tA)^{-1} - \\Sigma\\right)\\Sigma^{-1}\\mu

and the matrix-calculus engine differentiates it in t: K'(0) is the mean again, K''(0) = 2 tr(AΣAΣ) + 4 μᵀAΣAμ
the variance (Matrix Cookbook 8.2.2; Mathai & Provost 1992, 3.2).

>>> d = derive_quadratic_form()
>>> d.result["variance"]
4*Scalar(mu.T*A*Sigma*A*mu) + 2*Trace(Sigma*A*Sigma*A)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Derivation, Step, Verification
from symml.operations import numpy_function, verify
from symml.probability.gaussian_kl import Expect, expected_quadratic_form
from symml.probability.notation import Shown

__all__ = ["derive_quadratic_form", "QuadraticFormProblem"]


@dataclass(frozen=True)
class QuadraticFormProblem:
    """Moments of Bx and xᵀAx (matrix expressions) in the matrix symbols ``inputs``."""

    title: str
    results: dict[str, Any]
    inputs: tuple[Any, ...]


def derive_quadratic_form() -> Derivation:
    """E[Bx], Cov(Bx), E[xᵀAx] for any x with mean mu and covariance Sigma, and Var(xᵀAx) for a Gaussian x.

    Returns:
        A Derivation whose ``result`` is a dict (``linear mean``, ``linear covariance``, ``mean``, ``variance``) of
        matrix expressions in A (d × d, symmetric), B (k × d), mu (d × 1), Sigma (d × d); ``numpy()`` returns the same
        dict of functions taking those arrays by name.
    """
    import symml
    from symml.matrix_calculus.derivatives import gradient, hessian
    from symml.matrix_calculus.expressions import inv, logdet

    d, k = symml.dims("d k")
    A, B, S = symml.matrix("A", d, d), symml.matrix("B", k, d), symml.matrix("Sigma", d, d)
    m, x = symml.vector("mu", d), symml.vector("x", d)
    t = sp.Symbol("t", real=True)
    half = sp.Rational(1, 2)
    mean = expected_quadratic_form(A, sp.ZeroMatrix(d, 1), m, S)
    precision = inv(S) - 2 * t * A
    cumulants = -half * logdet(sp.Identity(d) - 2 * t * S @ A) \
        + half * m.T @ inv(S) @ (inv(precision) - S) @ inv(S) @ m
    first = gradient(cumulants, t).result.subs(t, 0).doit()
    variance = hessian(cumulants, t).result.subs(t, 0).doit()
    K = sp.Function("K")(t)
    steps = (
        Step("Linear form", (sp.Eq(Expect(B @ x), B @ m, evaluate=False),
                             sp.Eq(sp.Symbol("Cov(Bx)"), B @ S @ B.T, evaluate=False)),
             "linearity: $\\mathbb{E}[B(x - \\mu)(x - \\mu)^\\top B^\\top] = B\\,\\mathbb{E}[(x - \\mu)(x - \\mu)^\\top] B^\\top$"),
        Step("Mean of a quadratic form", sp.Eq(Expect(x.T @ A @ x), mean, evaluate=False),
             "$x^\\top A x = \\operatorname{tr}(A x x^\\top)$ and $\\mathbb{E}[x x^\\top] = \\Sigma + \\mu\\mu^\\top$: "
             "any law with these two moments"),
        Step("Gaussian x: complete the square", (
            sp.Eq(sp.Symbol("P(t)"), precision, evaluate=False),
            sp.Eq(K, cumulants, evaluate=False)),
             "$\\log \\mathcal{N}(x \\mid \\mu, \\Sigma) + t x^\\top A x = -\\frac12 x^\\top P(t) x + x^\\top \\Sigma^{-1}\\mu"
             " - \\frac12 \\mu^\\top\\Sigma^{-1}\\mu + c$; the Gaussian normaliser (the integral of "
             "$e^{-\\frac12 x^\\top P x + h^\\top x}$ is $(2\\pi)^{d/2} (\\det P)^{-1/2} e^{\\frac12 h^\\top P^{-1} h}$) "
             "gives the cumulant generating function, for $P(t)$ positive definite"),
        Step("Cumulants by the matrix-calculus engine", (
            sp.Eq(sp.Subs(sp.Derivative(K, t), t, 0), first, evaluate=False),
            sp.Eq(sp.Subs(sp.Derivative(K, (t, 2)), t, 0), variance, evaluate=False)),
             "$K'(0)$ is the mean found above (tr is cyclic), $K''(0)$ the variance"),
    )
    results = {"linear mean": B @ m, "linear covariance": B @ S @ B.T, "mean": mean, "variance": variance}
    problem = QuadraticFormProblem("Moments of linear and quadratic forms of a random vector", results, (A, B, m, S))
    shown = Shown("Var(xᵀAx)", r"\operatorname{Var}\left(x^\top A x\right)")
    return Derivation(problem, steps, results, (sp.Eq(shown, variance, evaluate=False),),
                      assumptions=("A and Σ are symmetric, Σ positive definite; the variance is for a Gaussian x",))


@numpy_function.register(QuadraticFormProblem)
def _numpy(problem: QuadraticFormProblem, derivation: Any, **options: Any) -> dict[str, Callable[..., Any]]:
    from symml.matrix_calculus.numpy_export import numpy_function as matrix_numpy

    return {name: matrix_numpy(expr, [s for s in problem.inputs if expr.has(s)]) for name, expr in problem.results.items()}


@verify.register(QuadraticFormProblem)
def _verify(problem: QuadraticFormProblem, derivation: Any, dimension: int = 3, seed: int = 0,
            draws: int = 200_000, **options: Any) -> Verification:
    """Monte Carlo with Gaussian draws at a random SPD covariance: each error in units of 5 standard errors
    (passes below 1)."""
    from symml.testing import random_spd

    rng = np.random.default_rng(seed)
    A = rng.normal(size=(dimension, dimension))
    A, S, m, B = A + A.T, random_spd(rng, dimension), rng.normal(size=dimension), rng.normal(size=(2, dimension))
    f = _numpy(problem, derivation)
    x = rng.multivariate_normal(m, S, size=draws)
    q = np.einsum("ni,ij,nj->n", x, A, x)
    y = x @ B.T
    checks = [("mean", float(f["mean"](A=A, mu=m, Sigma=S)), q.mean(), q.std() / np.sqrt(draws)),
              ("variance", float(f["variance"](A=A, mu=m, Sigma=S)), q.var(), q.var() * np.sqrt(2 / draws) * 3),
              ("linear mean", float(np.ravel(f["linear mean"](B=B, mu=m))[0]), y[:, 0].mean(), y[:, 0].std() / np.sqrt(draws)),
              ("linear covariance", float(np.asarray(f["linear covariance"](B=B, Sigma=S))[0, 1]), np.cov(y.T)[0, 1],
               np.sqrt(np.cov(y.T)[0, 0] * np.cov(y.T)[1, 1] / draws) * 2)]
    comparisons = [Comparison(name, derived, float(numeric), abs(derived - numeric) / (5 * error))
                   for name, derived, numeric, error in checks]
    return Verification.from_comparisons(
        comparisons, method=f"Monte Carlo with {draws} Gaussian draws, d = {dimension}; errors in units of 5 standard "
        "errors", tolerance=1.0, sample_size=draws, seed=seed)
