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
