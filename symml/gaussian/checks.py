"""``verify()`` of the Gaussian-algebra derivations: each result against an independent numeric computation.

- conditional: the full joint covariance (random SPD) inverted numerically, the conditional read off the precision
  blocks (Λ_aa⁻¹ and μ_a − Λ_aa⁻¹Λ_ab(x_b − μ_b)), never through the Schur complement;
- marginal: the joint density integrated over a one-dimensional x_b by ``scipy.integrate.quad`` at random points,
  against the derived marginal density.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from symml.derivation import Comparison, Verification, relative_error
from symml.errors import UnsupportedOperationError
from symml.gaussian.joint import JointGaussian
from symml.gaussian.problem import GaussianProblem
from symml.operations import verify
from symml.testing import random_spd

__all__ = ["joint_values", "check_for", "entrywise_comparisons", "numpy_at"]

_CHECKS: dict[str, Callable[..., Verification]] = {}


def check_for(kind: str) -> Callable[[Callable[..., Verification]], Callable[..., Verification]]:
    def register(fn: Callable[..., Verification]) -> Callable[..., Verification]:
        _CHECKS[kind] = fn
        return fn

    return register


@verify.register(GaussianProblem)
def _verify(problem: GaussianProblem, derivation: Any, **options: Any) -> Verification:
    if problem.kind not in _CHECKS:
        raise UnsupportedOperationError(f"no numeric verification is defined for a Gaussian {problem.kind}")
    return _CHECKS[problem.kind](problem, derivation, **options)


def _assign(block: Any, value: np.ndarray, values: dict[str, np.ndarray]) -> None:
    """values[name] for a block that is a matrix symbol or its transpose."""
    import sympy as sp

    if isinstance(block, sp.Transpose) and isinstance(block.arg, sp.MatrixSymbol):
        values[block.arg.name] = value.T
    elif isinstance(block, sp.MatrixSymbol):
        values[block.name] = value
    else:
        raise UnsupportedOperationError(f"verify() needs the joint's blocks to be matrix symbols, not {block}")


def joint_values(joint: JointGaussian, d_a: int, d_b: int, rng: np.random.Generator) -> tuple[dict, np.ndarray,
                                                                                              np.ndarray]:
    """Random values of the joint's blocks by name (a random SPD joint covariance), with the full mean and covariance;
    for explicit blocks (a bivariate normal in σ₁, σ₂, ρ), random values of the scalars in them."""
    import sympy as sp

    blocks = (joint.mean_a, joint.mean_b, joint.cov_aa, joint.cov_ab, joint.cov_bb)
    if all(isinstance(block, sp.MatrixBase) for block in blocks):
        return _explicit_joint_values(joint, rng)
    mean, covariance = rng.normal(size=d_a + d_b), random_spd(rng, d_a + d_b)
    values: dict[str, np.ndarray] = {}
    for block, value in ((joint.mean_a, mean[:d_a]), (joint.mean_b, mean[d_a:]),
                         (joint.cov_aa, covariance[:d_a, :d_a]), (joint.cov_ab, covariance[:d_a, d_a:]),
                         (joint.cov_bb, covariance[d_a:, d_a:])):
        _assign(block, value, values)
    return values, mean, covariance


def _explicit_joint_values(joint: JointGaussian, rng: np.random.Generator) -> tuple[dict, np.ndarray, np.ndarray]:
    """Values of the scalar parameters of explicit blocks at which the joint covariance is positive definite
    (positive symbols in (0.5, 2), others in (−0.9, 0.9): a correlation among them), drawn until one is."""
    import sympy as sp

    mean = sp.Matrix.vstack(joint.mean_a, joint.mean_b)
    covariance = sp.Matrix.vstack(sp.Matrix.hstack(joint.cov_aa, joint.cov_ab),
                                  sp.Matrix.hstack(joint.cov_ab.T, joint.cov_bb))
    symbols = sorted(mean.free_symbols | covariance.free_symbols, key=lambda symbol: symbol.name)
    evaluate = sp.lambdify(symbols, (mean, covariance), modules="numpy")
    for _ in range(100):
        values = [rng.uniform(0.5, 2.0) if symbol.is_positive else rng.uniform(-0.9, 0.9) for symbol in symbols]
        mean_value, covariance_value = (np.asarray(m, dtype=float) for m in evaluate(*values))
        if np.linalg.eigvalsh(covariance_value)[0] > 1e-3 * np.abs(covariance_value).max():
            return {symbol.name: value for symbol, value in zip(symbols, values)}, mean_value.ravel(), covariance_value
    raise UnsupportedOperationError(f"verify() found no values of {symbols} at which the covariance "
                                    f"{covariance} is positive definite")


def numeric_size(dimension: Any, default: int) -> int:
    """A model's dimension where it is a number (a user's ``vector("x", 3)``), else the size verify() draws at."""
    return int(dimension) if getattr(dimension, "is_Integer", False) else default


def numpy_at(derivation: Any, values: dict[str, Any], **options: Any) -> Any:
    """The derivation's ``numpy(**options)`` evaluated at ``values``, passing the arguments it takes by name."""
    function = derivation.numpy(**options)
    return function(**{name: values[name] for name in function.arguments})


def entrywise_comparisons(derived: dict, numeric: dict) -> list[Comparison]:
    """One comparison per entry of each numerically computed quantity."""
    return [Comparison(f"{name}[{index}]", float(d), float(n), relative_error(d, n, scale=1.0))
            for name in numeric for index, (d, n) in enumerate(zip(np.ravel(derived[name]), np.ravel(numeric[name])))]


@check_for("conditional")
def _conditional(problem: GaussianProblem, derivation: Any, d_a: int = 3, d_b: int = 2, seed: int = 0,
                 **options: Any) -> Verification:
    joint = problem.model
    d_a, d_b = numeric_size(joint.x_a.shape[0], d_a), numeric_size(joint.x_b.shape[0], d_b)
    rng = np.random.default_rng(seed)
    values, mean, covariance = joint_values(joint, d_a, d_b, rng)
    x_b = rng.normal(size=d_b)
    derived = derivation.numpy()(**values, **{joint.x_b.name: x_b})
    precision = np.linalg.inv(covariance)
    P_aa, P_ab = precision[:d_a, :d_a], precision[:d_a, d_a:]
    numeric = {"mean": mean[:d_a] - np.linalg.solve(P_aa, P_ab @ (x_b - mean[d_a:])),
               "covariance": np.linalg.inv(P_aa)}
    return Verification.from_comparisons(
        entrywise_comparisons(derived, numeric), tolerance=1e-8, seed=seed,
        method=f"the joint covariance inverted by numpy.linalg.inv, the conditional read off the precision blocks "
               f"(d_a = {d_a}, d_b = {d_b})")


@check_for("marginal")
def _marginal(problem: GaussianProblem, derivation: Any, d_a: int = 3, seed: int = 0, points: int = 3,
              **options: Any) -> Verification:
    from scipy.integrate import quad
    from scipy.stats import multivariate_normal

    joint = problem.model
    d_a = numeric_size(joint.x_a.shape[0], d_a)
    if numeric_size(joint.x_b.shape[0], 1) != 1:
        raise UnsupportedOperationError("verify() of a marginal integrates over one dimension: x_b must have a "
                                        f"symbolic size or size 1, not {joint.x_b.shape[0]}")
    rng = np.random.default_rng(seed)
    values, mean, covariance = joint_values(joint, d_a, 1, rng)
    derived = numpy_at(derivation, values)
    full = multivariate_normal(mean, covariance)
    law = multivariate_normal(derived["mean"], derived["covariance"])
    comparisons = []
    for k in range(points):
        x_a = mean[:d_a] + rng.normal(size=d_a)
        scale = np.sqrt(covariance[-1, -1])
        integral, _ = quad(lambda x_b: full.pdf(np.append(x_a, x_b)), mean[-1] - 12 * scale, mean[-1] + 12 * scale,
                           epsabs=0.0, epsrel=1e-11, limit=200)
        comparisons.append(Comparison(f"log p(x_a) at point {k}", float(law.logpdf(x_a)), float(np.log(integral)),
                                      relative_error(law.logpdf(x_a), np.log(integral), scale=1.0)))
    return Verification.from_comparisons(
        comparisons, tolerance=1e-7, seed=seed,
        method=f"the joint density integrated over x_b by scipy.integrate.quad at {points} random points "
               f"(d_a = {d_a}, d_b = 1)")


def _generative_joint(model: Any, d: int, n: int, rng: np.random.Generator) -> tuple[dict, np.ndarray, np.ndarray]:
    """Random values of a linear-Gaussian model's symbols, and the mean and covariance of (x, y) computed from
    the generative process x = μ + C ε₁, y = A x + b + D ε₂ (C Cᵀ = Λ⁻¹, D Dᵀ = L⁻¹) as J Jᵀ."""
    mean, precision = rng.normal(size=d), random_spd(rng, d)
    A, b, noise = rng.normal(size=(n, d)), rng.normal(size=n), random_spd(rng, n)
    values: dict[str, np.ndarray] = {}
    for block, value in ((model.mean, mean), (model.precision, precision), (model.A, A), (model.b, b),
                         (model.noise_precision, noise)):
        _assign(block, value, values)
    C, D = np.linalg.cholesky(np.linalg.inv(precision)), np.linalg.cholesky(np.linalg.inv(noise))
    J = np.block([[C, np.zeros((d, n))], [A @ C, D]])
    return values, np.concatenate([mean, A @ mean + b]), J @ J.T


@check_for("linear_gaussian")
def _linear_gaussian(problem: GaussianProblem, derivation: Any, d: int = 3, n: int = 4, seed: int = 0,
                     **options: Any) -> Verification:
    which, model = problem.model
    d, n = numeric_size(model.x.shape[0], d), numeric_size(model.y.shape[0], n)
    rng = np.random.default_rng(seed)
    values, mean, covariance = _generative_joint(model, d, n, rng)
    if which == "marginal":
        derived = derivation.numpy()(**values)
        numeric = {"mean": mean[d:], "covariance": covariance[d:, d:]}
    else:
        y = rng.normal(size=n)
        derived = derivation.numpy()(**values, **{model.y.name: y})
        P = np.linalg.inv(covariance)
        numeric = {"mean": mean[:d] - np.linalg.solve(P[:d, :d], P[:d, d:] @ (y - mean[d:])),
                   "covariance": np.linalg.inv(P[:d, :d])}
    return Verification.from_comparisons(
        entrywise_comparisons(derived, numeric), tolerance=1e-8, seed=seed,
        method=f"the joint of (x, y) from the generative process (covariance J Jᵀ), inverted by numpy.linalg.inv "
               f"and read off by blocks (d = {d}, n = {n})")
