"""Users' log-densities over matrices read as the records of a Wishart posterior, by matching, not by name:

- a prior ``symml.Model(logpdf=(nu - d - 1)/2*log(det(L)) - trace(W**-1*L)/2, data=L)`` over a square matrix
  symbol: its gradient in L (the matrix-calculus engine) is matched to a Wishart kernel's,
  :func:`symml.gaussian.wishart.match_wishart`, which solves for its degrees of freedom and scale;
- the same prior over a covariance Σ, ``-(nu + d + 1)/2*log(det(S)) - trace(Psi*S**-1)/2``, whose gradient has
  the Σ⁻¹ M Σ⁻¹ term no Wishart kernel in Σ has: read as an Inverse-Wishart by matching in Σ⁻¹
  (:func:`symml.gaussian.inverse_wishart.match_inverse_wishart`);
- a likelihood ``symml.Model(logpdf=N/2*log(det(L)) - trace((X - 1 mu^T) L (X - 1 mu^T)^T)/2, data=X)`` of the
  i.i.d. rows of an (N, d) data matrix X: the rows' mean is the stationary point in X (solved at matrix level:
  1μᵀ), and the precision is the parameter L once the log-density's gradient in L equals that of the Gaussian
  rows N(X | 1μᵀ, L⁻¹) (constants free of L, such as −Nd/2 log 2π, may be left out); or, failing that, the
  parameter is the rows' covariance.

>>> import sympy as sp, symml
>>> d = symml.dims("d")
>>> L, W = symml.matrix("L", d, d), symml.matrix("W", d, d, symmetric=True)
>>> nu = sp.Symbol("nu", positive=True)
>>> prior = wishart_of(symml.Model(logpdf=(nu - d - 1)/2*sp.log(sp.det(L)) - sp.trace(W**-1*L)/2, data=L), L)
>>> prior.dof, prior.scale
(nu, W)
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.derivation import Step
from symml.errors import ModelError
from symml.gaussian.completing_square import simplified
from symml.gaussian.density import Gaussian
from symml.gaussian.inverse_wishart import InverseWishart, match_inverse_wishart
from symml.gaussian.wishart import Wishart, match_wishart
from symml.matrix_calculus.problem import DerivativeSymbol
from symml.probability.notation import Shown
from symml.render.printer import latex

__all__ = ["wishart_of", "inverse_wishart_of", "gaussian_rows_of"]


def wishart_of(model: Any, parameter: sp.MatrixSymbol) -> Wishart:
    """The Wishart a log-density over the square matrix ``parameter`` is, by kernel matching."""
    matched = match_wishart(model.logpdf, parameter)
    scale = simplified(sp.Inverse(matched.inverse_scale))
    gradient_symbol = DerivativeSymbol("gradient", Shown("log p_0", r"\log p_0"), parameter, *parameter.shape)
    reading = Step("Read the prior as a Wishart",
                   (sp.Eq(gradient_symbol, matched.coefficient * sp.Inverse(parameter).T + matched.rest, evaluate=False),
                    sp.Eq(sp.Symbol("nu_0", positive=True), matched.dof, evaluate=False),
                    sp.Eq(sp.MatrixSymbol("W_0", *parameter.shape), scale, evaluate=False)),
                   f"the prior's gradient in ${latex(parameter)}$ (the matrix-calculus engine), equated with a Wishart "
                   "log kernel's as the posterior's is below, gives its degrees of freedom and scale")
    return Wishart(parameter, scale, matched.dof, reading=(reading,))


def inverse_wishart_of(model: Any, parameter: sp.MatrixSymbol) -> InverseWishart:
    """The Inverse-Wishart a log-density over the covariance ``parameter`` is, by kernel matching in Σ⁻¹."""
    matched = match_inverse_wishart(model.logpdf, parameter)
    reading = Step("Read the prior as an Inverse-Wishart",
                   (sp.Eq(sp.Symbol("nu_0", positive=True), matched.dof, evaluate=False),
                    sp.Eq(sp.MatrixSymbol("Psi_0", *parameter.shape), matched.inverse_scale, evaluate=False)),
                   f"the prior's gradient in ${latex(parameter)}^{{-1}}$ has a term no Wishart kernel in "
                   f"${latex(parameter)}$ has; equated with an Inverse-Wishart log kernel's (the matrix-calculus "
                   "engine), as the posterior's is below, it gives its degrees of freedom and scale")
    return InverseWishart(parameter, matched.inverse_scale, matched.dof, reading=(reading,))


def gaussian_rows_of(model: Any, parameter: sp.MatrixSymbol, covariance: bool = False) -> Gaussian:
    """The Gaussian rows N(X | 1μᵀ, Λ⁻¹) a log-density over a data matrix X is, with Λ the ``parameter`` (or, with
    ``covariance``, its inverse), or a ModelError."""
    from symml.matrix_calculus.derivatives import gradient
    from symml.matrix_calculus.stationary import stationary_point

    X = model.data
    centre = stationary_point(-model.logpdf, X).result
    if not (isinstance(centre, sp.MatMul) and isinstance(centre.args[0], sp.OneMatrix)):
        raise ModelError(f"the log-density of {X.name} is not read as i.i.d. Gaussian rows: its stationary point in "
                         f"{X.name} is {centre}, not the same mean for every row (1 mu^T)")
    mean = simplified(sp.MatMul(*centre.args[1:]).T)
    precision = sp.Inverse(parameter) if covariance else parameter
    role = "covariance" if covariance else "precision"
    rows = Gaussian(X, mean, precision)
    difference = simplified(gradient(model.logpdf, parameter).result
                            - gradient(rows.log_density(), parameter).result)
    if difference != sp.ZeroMatrix(*parameter.shape):
        raise ModelError(f"the log-density of {X.name} is not that of Gaussian rows with {role} {parameter.name}: "
                         f"its gradient in {parameter.name} differs from theirs by {difference}")
    reading = Step("Read the likelihood as Gaussian rows", (sp.Eq(sp.MatrixSymbol(f"{X.name}_*", *X.shape), centre,
                                                                  evaluate=False),),
                   f"the log-density is stationary in ${latex(X)}$ where every row is ${latex(mean.T)}$, and its "
                   f"gradient in ${latex(parameter)}$ equals that of $\\mathcal{{N}}({latex(X)} \\mid "
                   f"{latex(centre)}, {latex(simplified(sp.Inverse(precision)))})$ row by row: the rows are i.i.d. "
                   f"Gaussian with {role} ${latex(parameter)}$")
    return Gaussian(X, mean, precision, reading=(reading,))
