"""A Wishart prior on the precision of i.i.d. Gaussian rows with known mean, and its posterior by kernel matching.

The Wishart log-density in the precision Λ is (ν − d − 1)/2 log det Λ − ½ tr(W⁻¹Λ) + const. The engine
differentiates the log posterior (log likelihood of the rows plus log prior) with respect to Λ and the Wishart
log-density with unknown hyperparameters (ν', Q = W'⁻¹); equating the two gradients term by term — the Λ⁻ᵀ terms
and the terms free of Λ — gives a scalar equation for ν' and a linear matrix equation for Q, solved by the solving
core (Bishop PRML 2.155 and exercise 2.45):

.. math:: \\nu_N = \\nu + N, \\qquad W_N^{-1} = W^{-1} + (X - 1\\mu^\\top)^\\top (X - 1\\mu^\\top).

>>> import sympy as sp, symml
>>> N, d = symml.dims("N d")
>>> X, mu, Lam = symml.matrix("X", N, d), symml.vector("mu", d), symml.matrix("Lambda", d, d)
>>> W, nu = symml.matrix("W", d, d, symmetric=True), sp.Symbol("nu", positive=True)
>>> derive_wishart_posterior(Gaussian(X, mu, Lam), Wishart(Lam, W, nu), Lam).result[0]
N + nu
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from symml.budget import SOLVE_SECONDS, within
from symml.derivation import Derivation, Step
from symml.errors import ModelError, ShapeError
from symml.gaussian.completing_square import HALF, simplified
from symml.gaussian.density import Gaussian
from symml.gaussian.notation import named
from symml.gaussian.problem import GaussianProblem
from symml.matrix_calculus.expressions import inv, logdet, matrix, trace
from symml.matrix_calculus.problem import DerivativeSymbol
from symml.probability.notation import Shown
from symml.optimize.matrix_solve import solve_linear_matrix_equation
from symml.render.printer import latex

__all__ = ["Wishart", "WishartMatch", "derive_wishart_posterior", "match_wishart"]

#: Budget for one derivation; the work is structural and takes a fraction of a second.
DERIVE_SECONDS = 20.0
#: The matched Wishart's degrees of freedom, the unknown of the kernel matching.
NU_N = sp.Symbol("nu_N", positive=True)


@dataclass(frozen=True)
class Wishart:
    """Wishart(variable | scale W, degrees of freedom ν) over a d x d precision matrix (ν > d − 1).

    Attributes:
        variable: the precision, a square matrix symbol (d, d).
        scale: W, shape (d, d), symmetric positive definite.
        dof: ν, a positive scalar.
    """

    variable: sp.MatrixSymbol
    scale: MatrixExpr
    dof: Any
    #: how the record was read from a user's log-density (steps shown first in a derivation), when it was
    reading: tuple[Step, ...] = field(default=(), compare=False)

    #: the family's name in messages (a subclass over a covariance names its own)
    family = "Wishart"

    def __post_init__(self) -> None:
        if not isinstance(self.variable, sp.MatrixSymbol) or self.variable.shape[0] != self.variable.shape[1]:
            raise ShapeError(f"a {self.family} is over a square matrix symbol, not {self.variable!r}")
        shape = self.variable.shape
        if not isinstance(self.dof, (int, float, sp.Expr)):
            raise ModelError(f"the {self.family} degrees of freedom must be a number or a SymPy expression, not "
                             f"{type(self.dof).__name__}")
        if getattr(self.scale, "shape", None) != shape:
            raise ShapeError(f"the {self.family} scale must have the shape {shape} of {self.variable.name}")

    def log_kernel(self, dof: Any = None, inverse_scale: Any = None) -> MatrixExpr:
        """(ν − d − 1)/2 log det Λ − ½ tr(W⁻¹Λ): the log-density up to its normaliser (free of Λ)."""
        d = self.variable.shape[0]
        dof = self.dof if dof is None else dof
        inverse_scale = inv(self.scale) if inverse_scale is None else inverse_scale
        return (dof - d - 1) / 2 * logdet(self.variable) - HALF * trace(inverse_scale @ self.variable)


def _split(gradient: MatrixExpr, variable: sp.MatrixSymbol) -> tuple[sp.Expr, MatrixExpr]:
    """The coefficient of Λ⁻ᵀ and the sum of the terms free of Λ, in a gradient of the Wishart kind."""
    inverse_t = simplified(inv(variable).T)
    coefficient, rest = sp.S.Zero, []
    for term in (gradient.args if isinstance(gradient, sp.MatAdd) else (gradient,)):
        c, matrices = term.as_coeff_matrices() if isinstance(term, sp.MatMul) else (sp.S.One, [term])
        if len(matrices) == 1 and simplified(matrices[0]) == inverse_t:
            coefficient += c
        elif variable in term.atoms(sp.MatrixSymbol):
            # Λ⁻¹ M Λ⁻¹ is the gradient of tr(M Λ⁻¹): an Inverse-Wishart kernel, whose variable is a covariance
            hint = ("; it is an Inverse-Wishart's term (a prior on a covariance Σ: symml.gaussian.InverseWishart)"
                    if term.has(sp.Inverse(variable)) or term.has(sp.Pow(variable, -1)) else "")
            raise ModelError(f"the log posterior has a term {term} in {variable.name} that no Wishart kernel has{hint}")
        else:
            rest.append(term)
    return coefficient, simplified(sp.MatAdd(*rest)) if rest else sp.ZeroMatrix(*variable.shape)


def derive_wishart_posterior(likelihood: Gaussian, prior: Wishart, wrt: Any) -> Derivation:
    """The Wishart posterior of the precision of i.i.d. Gaussian rows with known mean.

    Returns:
        A Derivation whose ``result`` is (ν_N, W_N); ``numpy()`` returns the normalised posterior
        log-density in the precision (vectorised over its leading axes), ``numpy(hyperparameters=True)``
        ``{"dof", "scale"}``.
    """
    if not (isinstance(likelihood, Gaussian) and likelihood.rows and type(prior) is Wishart):
        raise ModelError("a Wishart posterior needs a Gaussian likelihood of i.i.d. rows and a Wishart prior")
    if prior.variable != wrt or likelihood.precision != wrt:
        raise ModelError(f"the prior and the likelihood's precision must both be the parameter {wrt!r}")
    return within(DERIVE_SECONDS, "the Wishart posterior", _posterior, likelihood, prior, wrt)


@dataclass(frozen=True)
class WishartMatch:
    """A log-density in a precision Λ matched to a Wishart kernel through its gradient.

    Attributes:
        coefficient, rest: the gradient is coefficient·Λ⁻ᵀ + rest (rest free of Λ).
        family_coefficient, family_rest: the same for the Wishart log kernel with unknown ν_N and Q_N = W_N⁻¹.
        dof: ν_N solved from equal coefficients of Λ⁻ᵀ.
        inverse_scale: Q_N = W_N⁻¹ solved from equal terms free of Λ (a linear matrix equation).
    """

    coefficient: sp.Expr
    rest: MatrixExpr
    family_coefficient: sp.Expr
    family_rest: MatrixExpr
    dof: sp.Expr
    inverse_scale: MatrixExpr


def match_wishart(log_density: Any, wrt: sp.MatrixSymbol,
                  template: Callable[[sp.Expr, MatrixExpr], Any] | None = None) -> WishartMatch:
    """The Wishart kernel of ``log_density`` (a scalar or 1 x 1 expression in the square matrix ``wrt``): its
    gradient (the matrix-calculus engine) equated term by term with that of (ν_N − d − 1)/2 log det Λ − ½ tr(Q_N Λ),
    the Λ⁻ᵀ terms giving ν_N and the terms free of Λ the linear matrix equation for Q_N (the solving core).
    ``template(ν_N, Q_N)``, when given, is the family's log kernel in ``wrt`` instead (an Inverse-Wishart's, with
    its covariance written as ``wrt``⁻¹)."""
    from symml.matrix_calculus.derivatives import gradient

    d = wrt.shape[0]
    coefficient, rest = _split(simplified(gradient(log_density, wrt).result), wrt)
    Q = matrix("Q_N", d, d, symmetric=True)
    kernel = Wishart(wrt, sp.Identity(d), NU_N).log_kernel(NU_N, Q) if template is None else template(NU_N, Q)
    family_coefficient, family_rest = _split(simplified(gradient(kernel, wrt).result), wrt)
    dof = within(SOLVE_SECONDS, "solving for the degrees of freedom", sp.solve, family_coefficient - coefficient,
                 NU_N)
    solved = within(SOLVE_SECONDS, "solving for the inverse scale", solve_linear_matrix_equation,
                    simplified(family_rest.T - rest.T), Q)
    if len(dof) != 1 or solved.solution is None:
        raise ModelError(f"the log-density in {wrt.name} did not match a Wishart kernel: {dof}, {solved.reason}")
    return WishartMatch(coefficient, rest, family_coefficient, family_rest, dof[0], simplified(solved.solution))


def _posterior(likelihood: Gaussian, prior: Wishart, wrt: sp.MatrixSymbol) -> Derivation:
    d = wrt.shape[0]
    log_posterior = likelihood.log_density() + prior.log_kernel()
    matched = match_wishart(log_posterior, wrt)
    coefficient, rest = matched.coefficient, matched.rest
    family_coefficient, family_rest = matched.family_coefficient, matched.family_rest
    dof, Q, dof_n = NU_N, matrix("Q_N", d, d, symmetric=True), [matched.dof]
    residual = likelihood.variable - sp.OneMatrix(likelihood.variable.shape[0], 1) @ likelihood.mean.T
    scatter, inverse_scale = residual.T @ residual, matched.inverse_scale
    if simplified(inverse_scale - inv(prior.scale)) == simplified(scatter):  # show the scatter matrix whole
        inverse_scale = inv(prior.scale) + scatter
    scale = sp.Inverse(inverse_scale)
    W_N = sp.MatrixSymbol("W_N", d, d)
    gradient_symbol = DerivativeSymbol("gradient", Shown("log p", r"\log p"), wrt, d, d)
    steps = (
        *likelihood.reading, *prior.reading,
        Step("Log posterior", sp.Eq(named(f"log p({wrt.name}|{likelihood.variable.name})",
                                          f"\\log p({latex(wrt)} \\mid {latex(likelihood.variable)})"), log_posterior
                                    + sp.MatrixSymbol("const", 1, 1), evaluate=False),
             "the Gaussian rows' log likelihood plus the Wishart log kernel"),
        Step("Its gradient", sp.Eq(gradient_symbol, coefficient * inv(wrt).T + rest, evaluate=False),
             f"derived by the differential method ($d \\log\\det {latex(wrt)} = "
             f"\\operatorname{{tr}}({latex(wrt)}^{{-1}} d{latex(wrt)})$)"),
        Step("Match the Wishart kernel", (sp.Eq(gradient_symbol, family_coefficient * inv(wrt).T + family_rest,
                                                evaluate=False),
                                          sp.Eq(dof, dof_n[0], evaluate=False),
                                          sp.Eq(Q, inverse_scale, evaluate=False)),
             f"the gradient of a Wishart log kernel with $\\nu_N$ and $Q_N = W_N^{{-1}}$; equal coefficients of "
             f"${latex(inv(wrt).T)}$ and equal terms free of ${latex(wrt)}$"),
    )
    problem = GaussianProblem(f"Wishart posterior of the precision {wrt.name}", "wishart",
                              (("dof", dof_n[0] * sp.Identity(1)), ("scale", scale)), (likelihood, prior))
    return Derivation(problem, steps, (dof_n[0], scale),
                      (sp.Eq(dof, dof_n[0], evaluate=False), sp.Eq(W_N, scale, evaluate=False)),
                      assumptions=(f"{prior.scale} is symmetric positive definite and nu > d - 1",))
