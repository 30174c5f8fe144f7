"""The independent side of the Bayesian tests: likelihood x prior from scipy.stats, normalised by quadrature."""
from __future__ import annotations

from typing import Callable

import numpy as np
from scipy import integrate, optimize


def log_posterior_mode(log_joint: Callable[[float], float], low: float, high: float) -> float:
    """The maximiser of log(likelihood x prior) on [low, high] by scipy.optimize (bounded Brent)."""
    return float(optimize.minimize_scalar(lambda t: -log_joint(t), bounds=(low, high), method="bounded",
                                          options={"xatol": 1e-12}).x)


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
