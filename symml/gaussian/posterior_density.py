"""``numpy()`` of a matrix-level Gaussian posterior: its normalised log-density, the parameter and the data by name.

    logpdf = post.numpy();  logpdf(w=W, Phi=Phi0, t=t0, alpha=1.0, beta=10.0)

with ``W`` one parameter vector or an array of them along the leading axes (shape (..., M)); the parameter may also
be passed first, positionally. The density is that of the derived N(m_N, S_N): the mean and covariance outputs are
evaluated (the derivation's own matrix-level NumPy), S_N is factorised once by Cholesky, and

    log N(w | m_N, S_N) = -1/2 |L^-1 (w - m_N)|^2 - sum log diag L - M/2 log 2 pi,   S_N = L L^T.

``post.numpy(moments=True)`` returns the mean and covariance themselves, ``{"mean": m_N, "covariance": S_N}``.
A Wishart posterior on a precision likewise: ``numpy()`` its log-density in the precision, and
``numpy(hyperparameters=True)`` its ``{"dof": nu_N, "scale": W_N}``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from scipy.linalg import solve_triangular
from scipy.special import multigammaln

from symml.errors import ParameterError
from symml.gaussian.bayes import PosteriorModel
from symml.gaussian.numeric import SPECIAL, outputs_function
from symml.gaussian.problem import GaussianProblem

__all__ = ["posterior_log_density", "wishart_log_density", "inverse_wishart_log_density"]


def _point(name: str, positional: tuple, given: dict, how: str) -> tuple[np.ndarray, dict]:
    """The point at which a log-density is evaluated (passed first, or by name) and the other arguments."""
    if positional:
        given = {name: positional[0], **given}
    if name not in given:
        raise ParameterError(f"pass the point of the density as {how}")
    return np.asarray(given.pop(name), dtype=float), given


def posterior_log_density(problem: GaussianProblem, moments: bool = False) -> Callable[..., Any]:
    """The normalised posterior log-density (or, with ``moments``, the mean and covariance) as a NumPy function."""
    outputs = outputs_function(problem)
    if moments:
        return outputs
    model: PosteriorModel = problem.model
    name = model.wrt.name

    def logpdf(*positional: Any, **given: Any) -> Any:
        at, given = _point(name, positional, given, f"{name}=array (last axis its {model.wrt.shape[0]} entries)")
        law = outputs(**given)
        mean, covariance = np.ravel(law["mean"]), np.atleast_2d(law["covariance"])
        if at.shape[-1:] != mean.shape:
            raise ParameterError(f"{name} must have {mean.size} entries on its last axis, not shape {at.shape}")
        factor = np.linalg.cholesky(covariance)
        whitened = solve_triangular(factor, (at - mean).reshape(-1, mean.size).T, lower=True)
        value = (-0.5 * np.sum(whitened**2, axis=0) - np.sum(np.log(np.diag(factor)))
                 - 0.5 * mean.size * np.log(2 * np.pi)).reshape(at.shape[:-1])
        return float(value) if value.ndim == 0 else value

    logpdf.arguments = sorted({name, *outputs.arguments})  # type: ignore[attr-defined]
    return logpdf


def _matrix_law_log_density(problem: GaussianProblem, hyperparameters: bool, variable: Any,
                            formula: Callable[[Any, float, Any, int], Any]) -> Callable[..., Any]:
    """A posterior over a d x d matrix as a NumPy log-density, ``formula(at, dof, scale, d)``, from the derived
    ``{"dof", "scale"}`` (or those, with ``hyperparameters``); vectorised over the leading axes of ``at``."""
    outputs = outputs_function(problem)
    if hyperparameters:
        return outputs
    name = variable.name

    def logpdf(*positional: Any, **given: Any) -> Any:
        at, given = _point(name, positional, given, f"{name}=array (its last two axes d x d)")
        law = outputs(**given)
        dof, scale = float(law["dof"]), np.atleast_2d(law["scale"])
        d = scale.shape[0]
        if at.shape[-2:] != scale.shape:
            raise ParameterError(f"{name} must be {d} x {d} on its last two axes, not shape {at.shape}")
        value = formula(at, dof, scale, d)
        return float(value) if np.ndim(value) == 0 else value

    logpdf.arguments = sorted({name, *outputs.arguments})  # type: ignore[attr-defined]
    return logpdf


def wishart_log_density(problem: GaussianProblem, hyperparameters: bool = False) -> Callable[..., Any]:
    """The Wishart posterior's normalised log-density in the precision (or, with ``hyperparameters``, its degrees
    of freedom and scale ``{"dof", "scale"}``), from the derived nu_N and W_N:

        log W(L | W_N, nu_N) = (nu_N - d - 1)/2 log|L| - tr(W_N^-1 L)/2 - nu_N d/2 log 2 - nu_N/2 log|W_N|
                               - log Gamma_d(nu_N/2),

    vectorised over the leading axes of L (shape (..., d, d))."""
    def formula(at: Any, dof: float, scale: Any, d: int) -> Any:
        trace = np.einsum("ij,...ji->...", np.linalg.inv(scale), at)
        return ((dof - d - 1) / 2 * np.linalg.slogdet(at)[1] - trace / 2 - dof * d / 2 * np.log(2)
                - dof / 2 * np.linalg.slogdet(scale)[1] - multigammaln(dof / 2, d))

    return _matrix_law_log_density(problem, hyperparameters, problem.model[0].precision, formula)


def inverse_wishart_log_density(problem: GaussianProblem, hyperparameters: bool = False) -> Callable[..., Any]:
    """The Inverse-Wishart posterior's normalised log-density in the covariance (or, with ``hyperparameters``,
    ``{"dof", "scale"}``), from the derived nu_N and Psi_N:

        log IW(S | Psi_N, nu_N) = -(nu_N + d + 1)/2 log|S| - tr(Psi_N S^-1)/2 + nu_N/2 log|Psi_N| - nu_N d/2 log 2
                                  - log Gamma_d(nu_N/2),

    vectorised over the leading axes of S (shape (..., d, d))."""
    def formula(at: Any, dof: float, scale: Any, d: int) -> Any:
        trace = np.einsum("ij,...ji->...", scale, np.linalg.inv(at))
        return (-(dof + d + 1) / 2 * np.linalg.slogdet(at)[1] - trace / 2 + dof / 2 * np.linalg.slogdet(scale)[1]
                - dof * d / 2 * np.log(2) - multigammaln(dof / 2, d))

    return _matrix_law_log_density(problem, hyperparameters, problem.model[1].variable, formula)


SPECIAL["posterior"] = posterior_log_density
SPECIAL["inverse_wishart"] = inverse_wishart_log_density
SPECIAL["wishart"] = wishart_log_density
