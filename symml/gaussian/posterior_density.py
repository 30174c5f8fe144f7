"""``numpy()`` of a matrix-level Gaussian posterior: its normalised log-density, the parameter and the data by name.

    logpdf = post.numpy();  logpdf(w=W, Phi=Phi0, t=t0, alpha=1.0, beta=10.0)

with ``W`` one parameter vector or an array of them along the leading axes (shape (..., M)); the parameter may also
be passed first, positionally. The density is that of the derived N(m_N, S_N): the mean and covariance outputs are
evaluated (the derivation's own matrix-level NumPy), S_N is factorised once by Cholesky, and

    log N(w | m_N, S_N) = -1/2 |L^-1 (w - m_N)|^2 - sum log diag L - M/2 log 2 pi,   S_N = L L^T.

``post.numpy(moments=True)`` returns the mean and covariance themselves, ``{"mean": m_N, "covariance": S_N}``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
from scipy.linalg import solve_triangular

from symml.errors import ParameterError
from symml.gaussian.bayes import PosteriorModel
from symml.gaussian.numeric import SPECIAL, outputs_function
from symml.gaussian.problem import GaussianProblem

__all__ = ["posterior_log_density"]


def posterior_log_density(problem: GaussianProblem, moments: bool = False) -> Callable[..., Any]:
    """The normalised posterior log-density (or, with ``moments``, the mean and covariance) as a NumPy function."""
    outputs = outputs_function(problem)
    if moments:
        return outputs
    model: PosteriorModel = problem.model
    name = model.wrt.name

    def logpdf(*positional: Any, **given: Any) -> Any:
        if positional:
            given = {name: positional[0], **given}
        if name not in given:
            raise ParameterError(f"pass the parameter as {name}=array (last axis its {model.wrt.shape[0]} entries)")
        at = np.asarray(given.pop(name), dtype=float)
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


SPECIAL["posterior"] = posterior_log_density
