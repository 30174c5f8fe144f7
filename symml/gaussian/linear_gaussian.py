"""The linear-Gaussian model (Bishop PRML 2.3.3): p(x) = N(μ, Λ⁻¹), p(y | x) = N(Ax + b, L⁻¹).

The posterior p(x | y) ∝ p(y | x) p(x) is the log joint with the square completed in x (PRML 2.116–2.117):

.. math:: \\Sigma_{x|y} = (\\Lambda + A^\\top L A)^{-1}, \\qquad
          \\mu_{x|y} = \\Sigma_{x|y}\\left(A^\\top L (y - b) + \\Lambda\\mu\\right).

The marginal p(y) follows PRML 2.3.3: the joint of z = (x, y) is Gaussian with the precision blocks read off the
engine's Hessians (−∇²ₓ, −∂∇ₓ/∂yᵀ, −∇²_y) and its mean from the two stationarity conditions; the covariance blocks
come from solving the joint precision times the covariance equal to I block by block (PRML 2.115):

.. math:: \\mathbb E[y] = A\\mu + b, \\qquad \\operatorname{cov}[y] = L^{-1} + A\\Lambda^{-1}A^\\top .

>>> import symml
>>> d, n = symml.dims("d n")
>>> model = LinearGaussian.blocks(d, n)
>>> derive_linear_gaussian_marginal(model).result
(A*mu + b, L**(-1) + A*Lambda**(-1)*A.T)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from symml.budget import SOLVE_SECONDS, within
from symml.derivation import Derivation, Step
from symml.errors import ModelError
from symml.gaussian.completing_square import HALF, complete_the_square, scalar, simplified
from symml.gaussian.joint import block_inverse, check_blocks
from symml.gaussian.notation import named
from symml.gaussian.problem import GaussianProblem
from symml.matrix_calculus.expressions import logdet, matrix, vector
from symml.optimize.matrix_solve import solve_linear_matrix_equation
from symml.render.printer import latex

__all__ = ["LinearGaussian", "derive_linear_gaussian_posterior", "derive_linear_gaussian_marginal"]

#: Budget for one derivation; the work is structural and takes a fraction of a second.
DERIVE_SECONDS = 20.0


@dataclass(frozen=True)
class LinearGaussian:
    """p(x) = N(mean, precision⁻¹) and p(y | x) = N(A x + b, noise_precision⁻¹).

    Attributes:
        x: the latent vector symbol, shape (d, 1); y: the observed vector symbol, shape (n, 1).
        mean: μ, shape (d, 1); precision: Λ, shape (d, d), symmetric positive definite.
        A: shape (n, d); b: shape (n, 1); noise_precision: L, shape (n, n), symmetric positive definite.
    """

    x: sp.MatrixSymbol
    y: sp.MatrixSymbol
    mean: MatrixExpr
    precision: MatrixExpr
    A: MatrixExpr
    b: MatrixExpr
    noise_precision: MatrixExpr

    def __post_init__(self) -> None:
        check_blocks(self, ("x", "y"), lambda d, n: {
            "mean": (d, 1), "precision": (d, d), "A": (n, d), "b": (n, 1), "noise_precision": (n, n)})

    @classmethod
    def blocks(cls, d: Any, n: Any) -> "LinearGaussian":
        """The model with PRML's names: x, y, mu, Lambda (symmetric), A, b, L (symmetric)."""
        return cls(vector("x", d), vector("y", n), vector("mu", d), matrix("Lambda", d, d, symmetric=True),
                   matrix("A", n, d), vector("b", n), matrix("L", n, n, symmetric=True))

    def log_joint(self) -> MatrixExpr:
        """log p(x) + log p(y | x), normalisers included (1 x 1)."""
        d, n = self.x.shape[0], self.y.shape[0]
        u, r = self.x - self.mean, self.y - self.A @ self.x - self.b
        return (scalar(-HALF * (d + n) * sp.log(2 * sp.pi)) + HALF * logdet(self.precision)
                + HALF * logdet(self.noise_precision) - HALF * (u.T @ self.precision @ u)
                - HALF * (r.T @ self.noise_precision @ r))


def _joint_step(model: LinearGaussian) -> Step:
    return Step("Log joint", sp.Eq(named("log p(x) + log p(y|x)", r"\log p(x) + \log p(y \mid x)"), model.log_joint(),
                                   evaluate=False),
                "the prior and the likelihood, both Gaussian")


def _require(model: Any) -> LinearGaussian:
    if not isinstance(model, LinearGaussian):
        raise ModelError(f"expected a symml.gaussian.LinearGaussian, not {type(model).__name__}")
    return model


def derive_linear_gaussian_posterior(model: LinearGaussian) -> Derivation:
    """p(x | y) of the linear-Gaussian model, by completing the square in x of the log joint.

    Returns:
        A Derivation whose ``result`` is (mean, covariance); ``numpy()`` returns ``{"mean", "covariance"}``.
    """
    return within(DERIVE_SECONDS, "the linear-Gaussian posterior", _posterior, _require(model))


def _posterior(model: LinearGaussian) -> Derivation:
    square = complete_the_square(model.log_joint(), model.x)
    covariance = simplified(sp.Inverse(square.precision))
    mean_symbol = sp.MatrixSymbol("mu_x|y", *model.x.shape)
    cov_symbol = sp.MatrixSymbol("Sigma_x|y", *model.precision.shape)
    steps = (
        _joint_step(model),
        Step("Bayes' theorem", sp.Eq(named("log p(x|y)", r"\log p(x \mid y)"),
                                     named("log p(x) + log p(y|x)", r"\log p(x) + \log p(y \mid x)")
                                     + sp.MatrixSymbol("const", 1, 1), evaluate=False),
             "p(x | y) ∝ p(y | x) p(x); the constant is free of x"),
        *square.steps,
        Step("The posterior", (sp.Eq(cov_symbol, covariance, evaluate=False),
                               sp.Eq(mean_symbol, square.mean, evaluate=False)),
             "a Gaussian with the precision and mean just found"),
    )
    problem = GaussianProblem("Posterior p(x | y) of the linear-Gaussian model", "linear_gaussian",
                              (("mean", square.mean), ("covariance", covariance)), ("posterior", model))
    return Derivation(problem, steps, (square.mean, covariance),
                      (sp.Eq(mean_symbol, square.mean, evaluate=False), sp.Eq(cov_symbol, covariance, evaluate=False)),
                      assumptions=(f"{model.precision} and {model.noise_precision} are symmetric "
                                   f"positive definite",))


def derive_linear_gaussian_marginal(model: LinearGaussian) -> Derivation:
    """p(y) of the linear-Gaussian model, from the joint Gaussian of (x, y) (PRML 2.3.3).

    Returns:
        A Derivation whose ``result`` is (mean, covariance); ``numpy()`` returns ``{"mean", "covariance"}``.
    """
    return within(DERIVE_SECONDS, "the linear-Gaussian marginal", _marginal, _require(model))


def _solved(expression: Any, unknown: sp.MatrixSymbol) -> Any:
    solved = within(SOLVE_SECONDS, f"solving for {unknown.name}", solve_linear_matrix_equation, expression, unknown)
    if solved.solution is None:
        raise ModelError(f"no unique solution for {unknown.name}: {solved.reason}")
    return solved


def _marginal(model: LinearGaussian) -> Derivation:
    from symml.matrix_calculus.derivatives import gradient, hessian, jacobian

    x, y, f = model.x, model.y, model.log_joint()
    d, n = x.shape[0], y.shape[0]
    G_x, G_y = simplified(gradient(f, x).result), simplified(gradient(f, y).result)
    R_xx, R_yy = simplified(-hessian(f, x).result), simplified(-hessian(f, y).result)
    R_xy = simplified(-jacobian(G_x, y).result)
    R = [[sp.MatrixSymbol(f"R_{p}{q}", *shape) for p, q, shape in row]
         for row in ((("x", "x", (d, d)), ("x", "y", (d, n))), (("y", "x", (n, d)), ("y", "y", (n, n))))]
    y_at = _solved(simplified(-G_y), y)
    x_at = _solved(simplified(-G_x.xreplace({y: y_at.solution})), x)
    mean_y = simplified(y_at.solution.xreplace({x: x_at.solution}))
    S_xx, S_yx, S_yy = (sp.MatrixSymbol(f"Sigma_{p}{q}", *shape) for p, q, shape in
                        (("x", "x", (d, d)), ("y", "x", (n, d)), ("y", "y", (n, n))))
    first = block_inverse(R_xx, R_xy, R_yy, S_xx, S_yx, "R")
    second = _solved(simplified(R_xy.T @ first.lower.T + R_yy @ S_yy - sp.Identity(n)), S_yy)
    covariance = simplified(second.solution)
    mean_symbol, cov_symbol = sp.MatrixSymbol("mu_y", n, 1), sp.MatrixSymbol("Sigma_y", n, n)
    steps = (
        _joint_step(model),
        Step("Precision of the joint of (x, y)", (sp.Eq(R[0][0], R_xx, evaluate=False),
                                                  sp.Eq(R[0][1], R_xy, evaluate=False),
                                                  sp.Eq(R[1][1], R_yy, evaluate=False)),
             "minus the Hessians of the log joint: it is quadratic in (x, y), so (x, y) is jointly Gaussian"),
        Step("Mean of the joint", (sp.Eq(y, y_at.solution, evaluate=False), sp.Eq(x, x_at.solution, evaluate=False),
                                   sp.Eq(mean_symbol, mean_y, evaluate=False)),
             "both gradients vanish: solve the one in y for y, substitute into the one in x"),
        *first.steps,
        Step(f"The second block column: solve for ${latex(S_yy)}$",
             (sp.Eq(simplified(R_xy.T @ S_yx.T + R_yy @ S_yy), sp.Identity(n), evaluate=False),
              sp.Eq(cov_symbol, covariance, evaluate=False)),
             f"with ${latex(S_yx.T)} = {latex(first.lower.T)}$ from the first column (the covariance is symmetric)"
             + (f"; {second.condition}" if second.condition else "")),
    )
    problem = GaussianProblem("Marginal p(y) of the linear-Gaussian model", "linear_gaussian",
                              (("mean", mean_y), ("covariance", covariance)), ("marginal", model))
    return Derivation(problem, steps, (mean_y, covariance),
                      (sp.Eq(mean_symbol, mean_y, evaluate=False), sp.Eq(cov_symbol, covariance, evaluate=False)),
                      assumptions=(f"{model.precision} and {model.noise_precision} are symmetric "
                                   f"positive definite",))
