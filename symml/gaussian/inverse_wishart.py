"""An Inverse-Wishart prior on the covariance of i.i.d. Gaussian rows with known mean, and its posterior.

The Inverse-Wishart log-density in the covariance Σ is −(ν + d + 1)/2 log det Σ − ½ tr(ΨΣ⁻¹) + const. Written
through Λ = Σ⁻¹ (a substitution in the kernel, no Jacobian: the kernel is matched, not integrated), the log
posterior and the Inverse-Wishart kernel with unknown hyperparameters (ν_N, Ψ_N) become expressions in Λ whose
gradients the engine equates term by term, as for the Wishart (:func:`symml.gaussian.wishart.match_wishart`): the
Λ⁻¹ terms give ν_N, the terms free of Λ a linear matrix equation for Ψ_N (Murphy PML1 3.4.4.3; Gelman BDA 3.6):

.. math:: \\nu_N = \\nu + N, \\qquad \\Psi_N = \\Psi + (X - 1\\mu^\\top)^\\top (X - 1\\mu^\\top).

>>> import sympy as sp, symml
>>> N, d = symml.dims("N d")
>>> X, mu = symml.matrix("X", N, d), symml.vector("mu", d)
>>> Sigma, Psi = symml.matrix("Sigma", d, d, symmetric=True), symml.matrix("Psi", d, d, symmetric=True)
>>> nu = sp.Symbol("nu", positive=True)
>>> derive_inverse_wishart_posterior(Gaussian(X, mu, Sigma.I), InverseWishart(Sigma, Psi, nu), Sigma).result[0]
N + nu
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from symml.budget import within
from symml.derivation import Derivation, Step
from symml.errors import ModelError
from symml.gaussian.completing_square import HALF, simplified
from symml.gaussian.density import Gaussian
from symml.gaussian.notation import named
from symml.gaussian.problem import GaussianProblem
from symml.gaussian.wishart import DERIVE_SECONDS, NU_N, Wishart, WishartMatch, match_wishart
from symml.matrix_calculus.expressions import logdet, matrix, trace
from symml.render.printer import latex

__all__ = ["InverseWishart", "derive_inverse_wishart_posterior", "match_inverse_wishart"]


@dataclass(frozen=True)
class InverseWishart(Wishart):
    """Inverse-Wishart(variable | scale Ψ, degrees of freedom ν) over a d x d covariance matrix (ν > d − 1); the
    fields and their checks are the :class:`~symml.gaussian.wishart.Wishart`'s, with Ψ for the scale.

    Attributes:
        variable: the covariance, a square matrix symbol (d, d).
        scale: Ψ, shape (d, d), symmetric positive definite.
        dof: ν, a positive scalar.
    """

    family = "Inverse-Wishart"

    def log_kernel(self, dof: Any = None, scale: Any = None) -> MatrixExpr:
        """−(ν + d + 1)/2 log det Σ − ½ tr(ΨΣ⁻¹): the log-density up to its normaliser (free of Σ)."""
        d = self.variable.shape[0]
        dof = self.dof if dof is None else dof
        scale = self.scale if scale is None else scale
        return -(dof + d + 1) / 2 * logdet(self.variable) - HALF * trace(scale @ self.variable.I)


def _precision_of(covariance: sp.MatrixSymbol) -> sp.MatrixSymbol:
    return matrix(f"Lambda_{covariance.name}", *covariance.shape, symmetric=True)


def match_inverse_wishart(log_density: Any, wrt: sp.MatrixSymbol) -> WishartMatch:
    """The Inverse-Wishart kernel of ``log_density`` in the covariance ``wrt``: both written through Λ = ``wrt``⁻¹
    and their gradients in Λ matched (:func:`symml.gaussian.wishart.match_wishart` with the Inverse-Wishart's
    kernel as the template); ``inverse_scale`` of the match is then the scale Ψ_N."""
    precision = _precision_of(wrt)

    def moved(expr: Any) -> Any:
        return simplified(expr.xreplace({wrt: precision.I}))

    return match_wishart(moved(log_density), precision,
                         lambda dof, scale: moved(InverseWishart(wrt, scale, dof).log_kernel()))


def derive_inverse_wishart_posterior(likelihood: Gaussian, prior: InverseWishart, wrt: Any) -> Derivation:
    """The Inverse-Wishart posterior of the covariance of i.i.d. Gaussian rows with known mean.

    Args:
        likelihood: a :class:`Gaussian` of the rows of an (N, d) data matrix, with precision ``wrt``⁻¹.
        prior: an :class:`InverseWishart` over ``wrt``.
        wrt: the covariance, a square matrix symbol (d, d).

    Returns:
        A Derivation whose ``result`` is (ν_N, Ψ_N); ``numpy()`` returns the normalised posterior log-density in
        the covariance (vectorised over its leading axes), ``numpy(hyperparameters=True)`` ``{"dof", "scale"}``.
    """
    if not (isinstance(likelihood, Gaussian) and likelihood.rows and isinstance(prior, InverseWishart)):
        raise ModelError("an Inverse-Wishart posterior needs a Gaussian likelihood of i.i.d. rows and an "
                         "Inverse-Wishart prior")
    if prior.variable != wrt or simplified(likelihood.precision) != simplified(sp.Inverse(wrt)):
        raise ModelError(f"the prior's variable and the likelihood's covariance must both be the parameter {wrt!r}")
    return within(DERIVE_SECONDS, "the Inverse-Wishart posterior", _posterior, likelihood, prior, wrt)


def _posterior(likelihood: Gaussian, prior: InverseWishart, wrt: sp.MatrixSymbol) -> Derivation:
    d = wrt.shape[0]
    log_posterior = likelihood.log_density() + prior.log_kernel()
    matched = match_inverse_wishart(log_posterior, wrt)
    residual = likelihood.variable - sp.OneMatrix(likelihood.variable.shape[0], 1) @ likelihood.mean.T
    scatter, scale = residual.T @ residual, matched.inverse_scale
    if simplified(scale - prior.scale) == simplified(scatter):  # show the scatter matrix whole
        scale = prior.scale + scatter
    precision, psi = _precision_of(wrt), matrix("Psi_N", d, d, symmetric=True)
    steps = (
        *likelihood.reading, *prior.reading,
        Step("Log posterior", sp.Eq(named(f"log p({wrt.name}|{likelihood.variable.name})",
                                          f"\\log p({latex(wrt)} \\mid {latex(likelihood.variable)})"), log_posterior
                                    + sp.MatrixSymbol("const", 1, 1), evaluate=False),
             "the Gaussian rows' log likelihood plus the Inverse-Wishart log kernel"),
        Step("In the precision", sp.Eq(precision, wrt.I, evaluate=False),
             f"both the log posterior and an Inverse-Wishart kernel with unknown $\\nu_N$, $\\Psi_N$ written through "
             f"${latex(precision)}$ (a substitution in the kernels: nothing is integrated, so no Jacobian)"),
        Step("Match the Inverse-Wishart kernel", (sp.Eq(matched.coefficient, matched.family_coefficient,
                                                        evaluate=False),
                                                  sp.Eq(NU_N, matched.dof, evaluate=False),
                                                  sp.Eq(psi, scale, evaluate=False)),
             f"their gradients in ${latex(precision)}$ (the matrix-calculus engine): equal coefficients of "
             f"${latex(precision.I)}$ give $\\nu_N$, equal terms free of ${latex(precision)}$ give $\\Psi_N$"),
    )
    problem = GaussianProblem(f"Inverse-Wishart posterior of the covariance {wrt.name}", "inverse_wishart",
                              (("dof", matched.dof * sp.Identity(1)), ("scale", scale)), (likelihood, prior))
    return Derivation(problem, steps, (matched.dof, scale),
                      (sp.Eq(NU_N, matched.dof, evaluate=False), sp.Eq(psi, scale, evaluate=False)),
                      assumptions=(f"{prior.scale} is symmetric positive definite and nu > d - 1",))
