"""Matrix-level models given the two other ways symml accepts models: sympy.stats random variables and users'
log-densities, read as :class:`~symml.gaussian.density.Gaussian` and :class:`~symml.gaussian.wishart.Wishart`
records so that a posterior or MAP over a vector or a precision matrix goes through completing the square.

- ``sympy.stats.MultivariateNormal("X", mu, Sigma)``: as a likelihood, n i.i.d. draws, the rows of a data matrix
  X (n x d), when its mean is the parameter or free of it; one draw of the vector X when its mean maps the parameter
  (``MultivariateNormal("t", Phi*w, Sigma)``: Bayesian linear regression with a noise covariance Σ); as the prior,
  the density of the parameter ``wrt``. Its precision is Sigma⁻¹.
- a scalar ``sympy.stats.Normal`` per element (:mod:`symml.gaussian.indexed_normal`): ``Normal("t", (Phi*w)[i, 0],
  1/sqrt(beta))`` is N(t | Φw, β⁻¹I), and ``Normal("W", 0, 1/sqrt(alpha))`` as the prior of a vector w is
  N(w | 0, α⁻¹I): the form in which SymPy states Bayesian linear regression with scalar precisions.
- ``sympy.stats.Wishart("L", nu, W)`` as the prior of a precision matrix ``wrt``.
- ``symml.Model(logpdf=..., data=L)`` over a square matrix, the prior of the precision L: read as a Wishart by
  matching its gradient to a Wishart kernel's; ``symml.Model(logpdf=..., data=X)`` over an (n, d) data matrix, the
  likelihood: read as i.i.d. Gaussian rows with the precision ``wrt`` (:mod:`symml.gaussian.wishart_forms`).
- ``symml.Model(logpdf=..., data=v)`` with a vector symbol v: the log-density is quadratic in v, and completing the
  square in v (the matrix-calculus engine: the Hessian is -Λ, the stationary point the mean) reads off the Gaussian
  it is, normalised or not. As a likelihood, v is one observation of the whole vector (the targets t of Bayesian
  linear regression); n i.i.d. vector draws are the sympy.stats form or a Gaussian record over a data matrix.
- SymPy's MultivariateNormal refuses a covariance that is a product or an inverse (``Identity(N)/beta``,
  ``Lambda**-1``: its argument check asks the expression for ``is_positive_semidefinite``, which only matrix symbols
  and explicit matrices answer). Bayesian linear regression is therefore stated per element (above), and normal
  rows under a Wishart prior on their precision by building the distribution without that check,
  ``JointPSpace("X", MultivariateNormalDistribution(mu, Lambda.inv())).value`` (what ``MultivariateNormal`` does
  after the check); both also come as log-densities or records.

>>> import sympy as sp, sympy.stats as st, symml
>>> d = symml.dims("d")
>>> mu, m0 = symml.vector("mu", d), symml.vector("m0", d)
>>> Sigma, S0 = symml.matrix("Sigma", d, d, symmetric=True), symml.matrix("S0", d, d, symmetric=True)
>>> likelihood, prior = gaussian_models(st.MultivariateNormal("X", mu, Sigma), st.MultivariateNormal("M", m0, S0), mu)
>>> likelihood.variable.shape, prior.precision
((n, d), S0**(-1))
"""
from __future__ import annotations

from typing import Any, Callable

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from symml.errors import ModelError
from symml.gaussian.density import Gaussian
from symml.gaussian.indexed_normal import componentwise_prior, indexed_gaussian, is_indexed_normal
from symml.gaussian.wishart import Wishart

__all__ = ["gaussian_models", "observation_record"]


def gaussian_models(likelihood: Any, prior: Any, wrt: Any) -> tuple[Any, Any] | None:
    """(likelihood, prior) as matrix-level records, or None when the problem is not a matrix-level one (``wrt``
    not a matrix symbol, or neither model a multivariate normal, a Wishart or a log-density over a vector)."""
    if not isinstance(wrt, sp.MatrixSymbol):
        return None
    if not any(_is_matrix_level(model) for model in (likelihood, prior)):
        return None
    return _record(likelihood, None, wrt), _record(prior, wrt, wrt)


def observation_record(model: Any, wrt: sp.MatrixSymbol) -> Any:
    """A new observation's model given the parameter ``wrt`` as a record (a sympy.stats Normal of one element,
    ``Normal("t_new", (phi.T*w)[0, 0], 1/sqrt(beta))``, or a log-density over a vector), for the predictive."""
    return _record(model, None, wrt)


def _distribution(model: Any) -> Any:
    return getattr(getattr(model, "pspace", None), "distribution", None)


def _is_matrix_level(model: Any) -> bool:
    from symml.model import Model

    if isinstance(model, (Gaussian, Wishart)):
        return True
    if isinstance(model, Model):
        return isinstance(model.data, sp.MatrixSymbol)
    return type(_distribution(model)).__name__ in ("MultivariateNormalDistribution", "WishartDistribution") or \
        is_indexed_normal(model)


def _precision(covariance: Any) -> Any:
    return covariance.arg if isinstance(covariance, sp.Inverse) else sp.Inverse(covariance)


def _record(model: Any, parameter: sp.MatrixSymbol | None, wrt: sp.MatrixSymbol) -> Any:
    """The record of one model; ``parameter`` is the prior's variable (None for the likelihood)."""
    from symml.model import Model

    if isinstance(model, Model) and isinstance(model.data, sp.MatrixSymbol):
        return _read_matrix_log_density(model, parameter, wrt) if model.data.shape[1] != 1 else \
            _read_log_density(model)
    if parameter is None and is_indexed_normal(model):
        return indexed_gaussian(model)
    distribution = _distribution(model)
    kind = type(distribution).__name__
    if kind == "NormalDistribution" and parameter is not None:
        return componentwise_prior(model, parameter)
    if kind == "MultivariateNormalDistribution":
        mean, covariance = distribution.args
        if parameter is None and wrt in mean.atoms(sp.MatrixSymbol) and mean != wrt:
            # the mean maps the parameter (Phi*w): one draw of the whole vector, the targets of a regression
            return Gaussian(sp.MatrixSymbol(str(model), mean.shape[0], 1), mean, _precision(covariance))
        if parameter is None:  # n i.i.d. draws: the rows of a data matrix named after the random variable
            from symml.matrix_calculus.expressions import dims, matrix

            variable = matrix(str(model), dims("n"), mean.shape[0])
        else:
            variable = parameter
        return Gaussian(variable, mean, _precision(covariance))
    if kind == "WishartDistribution" and parameter is not None:
        dof, scale = distribution.args
        return Wishart(parameter, scale, dof)
    return model  # a symml.gaussian record (Gaussian, Wishart, Laplace): the engine checks what it accepts


def _read_matrix_log_density(model: Any, parameter: sp.MatrixSymbol | None, wrt: sp.MatrixSymbol) -> Any:
    """A log-density over a matrix: the prior over the precision, read as a Wishart (over a covariance, as an
    Inverse-Wishart); the likelihood of a data matrix, read as its i.i.d. Gaussian rows with the precision ``wrt``
    (or the covariance ``wrt``) (:mod:`symml.gaussian.wishart_forms`)."""
    from symml.gaussian.wishart_forms import gaussian_rows_of, inverse_wishart_of, wishart_of

    readings: tuple[Callable[[], Any], Callable[[], Any]]
    if parameter is None:  # the likelihood: the rows' precision is wrt, or else their covariance
        readings = (lambda: gaussian_rows_of(model, wrt), lambda: gaussian_rows_of(model, wrt, covariance=True))
    elif model.data != parameter:
        raise ModelError(f"the prior is a density of {model.data}, not of the parameter {parameter} in wrt")
    else:  # the prior: on a precision, or else on a covariance
        readings = (lambda: wishart_of(model, parameter), lambda: inverse_wishart_of(model, parameter))
    try:
        return readings[0]()
    except ModelError as refused:
        try:
            return readings[1]()
        except ModelError:
            raise refused from None


def _read_log_density(model: Any) -> Gaussian:
    """The Gaussian a log-density quadratic in its vector variable is, by completing the square in it."""
    from symml.gaussian.completing_square import complete_the_square, scalar

    logpdf = model.logpdf if isinstance(model.logpdf, MatrixExpr) else scalar(model.logpdf)
    square = complete_the_square(logpdf, model.data)
    return Gaussian(model.data, square.mean, square.precision)
