"""The independent side of the Bayesian tests: likelihood x prior from scipy.stats, normalised by quadrature."""
from __future__ import annotations

from typing import Callable

import numpy as np
from scipy import integrate, optimize


def log_posterior_mode(log_joint: Callable[[float], float], low: float, high: float) -> float:
    """The maximiser of log(likelihood x prior) on [low, high] by scipy.optimize (bounded Brent)."""
    return float(optimize.minimize_scalar(lambda t: -log_joint(t), bounds=(low, high), method="bounded",
                                          options={"xatol": 1e-12}).x)


def polished_log_posterior_mode(log_terms: Callable[[float], np.ndarray], low: float, high: float) -> float:
    """The maximiser of the sum of ``log_terms`` (one log-likelihood term per observation, and the log prior) to
    about 1e-10, where :func:`log_posterior_mode` stops near 1e-8: bounded Brent's tolerance has a relative term
    sqrt(eps)|t|, and the log posterior, a sum of n terms of size ~1, is flat to rounding within ~1e-8 of its mode.
    So a second bounded Brent searches the offset u from the first estimate t1 (|u| small: its tolerance is
    absolute) on the sum of the termwise differences log_terms(t1 + u) - log_terms(t1), whose rounding is tiny."""
    first = log_posterior_mode(lambda t: float(np.sum(log_terms(t))), low, high)
    base, width = log_terms(first), 1e-6 * max(1.0, abs(first))
    offset = optimize.minimize_scalar(lambda u: -float(np.sum(log_terms(first + u) - base)),
                                      bounds=(max(-width, low - first), min(width, high - first)), method="bounded",
                                      options={"xatol": 1e-14}).x
    return first + float(offset)


def normalised_log_posterior(log_joint: Callable[[float], float], support: tuple[float, float],
                             bracket: tuple[float, float]) -> Callable[[float], float]:
    """log(likelihood x prior) minus the log of its integral over ``support`` (scipy.integrate.quad); ``bracket``
    is a finite interval holding the mode, where the integrand is shifted to 1 so that exp cannot overflow."""
    mode = log_posterior_mode(log_joint, *bracket)
    shift = log_joint(mode)
    low, high = support
    pieces = [(low, mode), (mode, high)]
    def integrand(t: float) -> float:
        value = log_joint(t)
        return float(np.exp(value - shift)) if np.isfinite(value) else 0.0  # far in a tail: 0, not nan

    area = sum(integrate.quad(integrand, a, b, limit=200, epsabs=1e-13, epsrel=1e-10)[0]
               for a, b in pieces)
    log_z = shift + np.log(area)
    return lambda t: log_joint(t) - log_z



def log_normaliser_2d(log_joint: Callable[[np.ndarray, np.ndarray], np.ndarray], u: tuple[float, float],
                      w: tuple[float, float], nodes: int = 400) -> float:
    """log of the integral of exp(log_joint(u, w)) over the box u x w by tensor Gauss-Legendre quadrature
    (numpy.polynomial.legendre), the integrand shifted by its maximum on the nodes so that exp cannot overflow.
    ``log_joint`` is vectorised and includes any change of variables' log-Jacobian."""
    points, weights = np.polynomial.legendre.leggauss(nodes)
    uu = (u[1] - u[0]) / 2 * points + (u[1] + u[0]) / 2
    ww = (w[1] - w[0]) / 2 * points + (w[1] + w[0]) / 2
    U, W = np.meshgrid(uu, ww, indexing="ij")
    values = log_joint(U, W)
    shift = np.max(values)
    area = np.einsum("i,j,ij->", weights, weights, np.exp(values - shift)) * (u[1] - u[0]) * (w[1] - w[0]) / 4
    return float(shift + np.log(area))



def joint_log_posterior_mode(log_joint: Callable[[np.ndarray], float], positive: tuple[bool, ...]) -> np.ndarray:
    """The maximiser of log(likelihood x prior) over several parameters by scipy.optimize: BFGS (a positive
    parameter searched through its log), then polished to about 1e-10 by scipy.optimize.root on the central-difference
    gradient (a search on the values alone stops near 1e-8, where the log posterior is flat to rounding)."""
    mask = np.array(positive)

    def to_parameters(u: np.ndarray) -> np.ndarray:
        return np.where(mask, np.exp(np.where(mask, u, 0.0)), u)

    def negative(theta: np.ndarray) -> float:
        value = float(log_joint(theta))
        return -value if np.isfinite(value) else 1e300

    first = to_parameters(optimize.minimize(lambda u: negative(to_parameters(u)), np.zeros(mask.size),
                                            method="BFGS", options={"gtol": 1e-10}).x)

    def gradient(theta: np.ndarray) -> np.ndarray:
        steps = 1e-5 * np.maximum(np.abs(theta), 1e-2) * np.eye(theta.size)
        return np.array([(log_joint(theta + e) - log_joint(theta - e)) / (2 * e[k]) for k, e in enumerate(steps)])

    return optimize.root(gradient, first, method="hybr", options={"xtol": 1e-14}).x
