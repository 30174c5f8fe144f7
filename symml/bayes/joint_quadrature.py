"""The independent side of ``verify()`` for posteriors in several parameters: likelihood x prior from the models,
normalised by multi-dimensional quadrature (scipy.integrate.cubature: adaptive Gauss-Kronrod, the tensor-product
rule of quad's, vectorised over its nodes, so it takes a fraction of nquad's time).

The parameters are mapped onto a box where the integrand is smooth and bounded: a positive parameter through its
log (Jacobian e^v), a real one as it is, both over the mode +- 20 standard deviations (the mode by BFGS, the
spreads from a finite-difference Hessian there); probabilities that sum to one (a Dirichlet's simplex) by stick
breaking, p_k = t_k prod_{j<k} (1 - t_j) on [0, 1]^(K-1). The integrand is shifted by its value at the mode so that
exp cannot overflow. Nothing here reads the derived posterior.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy as sp
from scipy import integrate, optimize

from symml.bayes.kernel import PosteriorKernel
from symml.bayes.numeric import elementwise
from symml.errors import UnsupportedOperationError

__all__ = ["JointLaw", "joint_law", "joint_mode"]

_MODULES = ["scipy", "numpy"]
#: Half-width of the integration box, in standard deviations of the (transformed) parameter at the mode.
SPREADS = 20.0
#: Relative accuracy asked of the cubature.
EPSREL = 1e-10


@dataclass(frozen=True)
class JointLaw:
    """log(likelihood x prior) of the probe sample in box coordinates, and its normaliser.

    Attributes:
        log_joint: log L(theta) + log pi_0(theta) at a parameter vector; -inf off the support.
        to_parameters: box coordinates -> (parameter vector, log-Jacobian).
        box: the integration limits per coordinate.
        mode: the mode in box coordinates.
        log_z: the log of the integral of likelihood x prior over the parameters.
        lows: per parameter, the lower end of a half line it is mapped from by log(theta - low), or None.
    """

    log_joint: Callable[[np.ndarray], np.ndarray]
    to_parameters: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]
    box: list[tuple[float, float]]
    mode: np.ndarray
    log_z: float
    lows: tuple[float | None, ...]

    def log_posterior(self, theta: np.ndarray) -> float:
        """The normalised log posterior density at a parameter vector."""
        return float(self.log_joint(theta)) - self.log_z

    def log_marginal(self, index: int, value: float) -> float:
        """The normalised log marginal density of parameter ``index`` at ``value``: the others integrated out
        by cubature (not on a simplex, whose coordinates mix the parameters)."""
        low = self.lows[index]
        logged = low is not None
        u_kept = float(np.log(value - low)) if low is not None else float(value)
        others = [b for k, b in enumerate(self.box) if k != index]
        shift = float(self.log_joint(self.to_parameters(self.mode)[0]))

        def integrand(rest: np.ndarray) -> np.ndarray:
            u = np.insert(rest, index, u_kept, axis=-1)
            theta, jacobian = self.to_parameters(u)
            return np.exp(self.log_joint(theta) + jacobian - (u_kept if logged else 0.0) - shift)

        return shift + float(np.log(_integral(integrand, others))) - self.log_z

    def points(self, count: int = 5) -> list[np.ndarray]:
        """Parameter vectors around the mode (the mode and steps of 1/6 of the box's half-width along each axis)."""
        half = np.array([(b - a) / 2 for a, b in self.box]) / 6
        offsets = [np.zeros(len(self.box))] + [sign * half * np.roll(np.eye(len(self.box))[0], k)
                                               for k in range(len(self.box)) for sign in (1, -1)]
        inside = [np.clip(self.mode + o, [a + 1e-6 for a, _ in self.box], [b - 1e-6 for _, b in self.box])
                  for o in offsets[:count]]
        return [self.to_parameters(u)[0] for u in inside]


def _log_joint(kernel: PosteriorKernel, values: dict, sample: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """log L + log pi_0 at parameter vectors, the last axis the parameters (vectorised over the others)."""
    thetas, x = kernel.parameters, kernel.likelihood.data
    likelihood = sp.lambdify((x, *thetas), elementwise(kernel.likelihood.log_density_on_support.subs(values)),
                             _MODULES)
    prior = sp.lambdify(thetas, kernel.prior.log_density_on_support.subs(values), _MODULES)

    def log_joint(theta: np.ndarray) -> np.ndarray:
        theta = np.asarray(theta, dtype=float)
        columns = [theta[..., k, None] for k in range(theta.shape[-1])]  # against the sample on a new last axis
        with np.errstate(all="ignore"):
            terms = np.broadcast_to(likelihood(sample, *columns), theta.shape[:-1] + sample.shape)
            value = np.sum(terms, axis=-1) + prior(*(c[..., 0] for c in columns))
        return np.where(np.isfinite(value), value, -np.inf)

    return log_joint


def _simplex(kernel: PosteriorKernel) -> Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Stick breaking onto {p : sum p = 1}, with its log-Jacobian sum_k (K - 2 - k) log(1 - t_k)."""
    (constraint,) = kernel.equalities
    if sp.expand(constraint - (sp.Add(*kernel.parameters) - 1)) != 0:
        raise UnsupportedOperationError(f"verify() integrates over a simplex, not over {constraint} = 0")
    size = len(kernel.parameters)

    def to_parameters(t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        left = np.concatenate([np.ones(t.shape[:-1] + (1,)), np.cumprod(1 - t, axis=-1)], axis=-1)
        with np.errstate(divide="ignore"):
            jacobian = np.sum((size - 2 - np.arange(size - 1)) * np.log1p(-t), axis=-1)
        return np.concatenate([t * left[..., :-1], left[..., -1:]], axis=-1), jacobian

    return to_parameters


def _log_coordinates(kernel: PosteriorKernel, values: dict) -> tuple[Callable, tuple[float | None, ...]]:
    """Each parameter as it is (real line) or through log(theta - low) (a half line); else unsupported."""
    logged, lows = [], []
    for theta in kernel.parameters:
        support = kernel.support_of(theta).subs(values)
        if support == sp.S.Reals:
            logged.append(False)
            lows.append(0.0)
        elif isinstance(support, sp.Interval) and support.inf.is_finite and support.sup == sp.oo:
            logged.append(True)
            lows.append(float(support.inf))
        else:
            raise UnsupportedOperationError(f"verify() of a joint posterior integrates over real or half lines, not "
                                            f"{theta} in {support}")
    mask, low = np.array(logged), np.array(lows)

    def to_parameters(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.where(mask, low + np.exp(np.where(mask, u, 0.0)), u), np.sum(np.where(mask, u, 0.0), axis=-1)

    return to_parameters, tuple(low if log else None for low, log in zip(lows, logged))


def joint_mode(kernel: PosteriorKernel, values: dict, sample: np.ndarray) -> np.ndarray:
    """The maximiser of likelihood x prior over parameters on real or half lines, by BFGS in the coordinates of
    :func:`joint_law` without its Jacobian (a change of coordinates moves no maximiser)."""
    log_joint = _log_joint(kernel, values, sample)
    to_parameters, _ = _log_coordinates(kernel, values)

    def negative(u: np.ndarray) -> float:
        value = float(log_joint(to_parameters(u)[0]))
        return -value if np.isfinite(value) else 1e300

    found = optimize.minimize(negative, np.zeros(len(kernel.parameters)), method="BFGS", options={"gtol": 1e-11})
    return to_parameters(found.x)[0]


def joint_law(kernel: PosteriorKernel, values: dict, sample: np.ndarray) -> JointLaw:
    """likelihood x prior of ``sample`` at ``values``, with its normaliser by nested quadrature."""
    log_joint = _log_joint(kernel, values, sample)
    lows: tuple[float | None, ...]
    if kernel.equalities:
        to_parameters, lows = _simplex(kernel), (None,) * len(kernel.parameters)
        box = [(0.0, 1.0)] * (len(kernel.parameters) - 1)
        start = np.full(len(box), 0.5)
    else:
        to_parameters, lows = _log_coordinates(kernel, values)
        box, start = [], np.zeros(len(kernel.parameters))

    def negative(u: np.ndarray) -> float:
        theta, jacobian = to_parameters(u)
        value = float(log_joint(theta) + jacobian)
        return -value if np.isfinite(value) else 1e300

    if kernel.equalities:
        mode = optimize.minimize(negative, start, method="L-BFGS-B", bounds=[(1e-9, 1 - 1e-9)] * len(box)).x
    else:
        mode = optimize.minimize(negative, start, method="BFGS", options={"gtol": 1e-9}).x
        box = [(m - SPREADS * s, m + SPREADS * s) for m, s in zip(mode, _spreads(negative, mode))]
    shift = -negative(mode)

    def integrand(u: np.ndarray) -> np.ndarray:
        theta, jacobian = to_parameters(u)
        return np.exp(log_joint(theta) + jacobian - shift)

    return JointLaw(log_joint, to_parameters, box, mode, shift + float(np.log(_integral(integrand, box))), lows)


def _integral(integrand: Callable[[np.ndarray], np.ndarray], box: list[tuple[float, float]]) -> float:
    """Adaptive Gauss-Kronrod cubature over the box (scipy.integrate.cubature), vectorised over the nodes."""
    a, b = np.array([lo for lo, _ in box]), np.array([hi for _, hi in box])
    return float(integrate.cubature(integrand, a, b, rtol=EPSREL, atol=0.0).estimate)


def _spreads(negative: Callable[[np.ndarray], float], mode: np.ndarray) -> np.ndarray:
    """Standard deviations at the mode: the diagonal of the inverse of a finite-difference Hessian."""
    h, eye = 1e-3, np.eye(mode.size)
    hessian = np.array([[(negative(mode + h * (eye[i] + eye[j])) - negative(mode + h * (eye[i] - eye[j]))
                          - negative(mode - h * (eye[i] - eye[j])) + negative(mode - h * (eye[i] + eye[j])))
                         / (4 * h * h) for j in range(mode.size)] for i in range(mode.size)])
    return np.sqrt(np.abs(np.diag(np.linalg.inv(hessian))))
