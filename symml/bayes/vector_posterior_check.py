"""verify() of the Normal posterior of a weight vector (:func:`symml.bayes.joint_posterior._vector_posterior`).

The derivation completes the square at matrix level; the check does not: on random data at d = 2 it writes the log
posterior out entry by entry from the models (each sample's log-density of one draw summed over its draws, plus the
log prior, lambdified apart from the derivation), finds its mode and curvature with scipy.optimize to place a grid,
and integrates exp(log posterior) over a 2-D grid of ±9 standard deviations by the trapezoid rule: the grid's mean
and covariance are compared with ``numpy()``'s m_N and S_N. A posterior that were not Normal would show in the
covariance even where its mode agreed.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Verification
from symml.errors import UnsupportedOperationError

__all__ = ["verify_vector_posterior"]

_SIZE = 25  # draws of each sample
_POINTS = 241  # grid points along each axis
_WIDTHS = 9.0  # the grid's half-width, in posterior standard deviations


def verify_vector_posterior(problem: Any, derivation: Any, seed: int = 0, instances: int = 2,
                            tolerance: float = 1e-5) -> Verification:
    """Grid quadrature of the log posterior written from the models, against numpy()'s mean and covariance; with
    scalars s among the parameters, at two values of s each, and the log marginal of s against the log of the
    grid's integral (their differences between the two values: the marginal is derived up to a constant)."""
    from symml.bayes.joint_posterior_numeric import _mode_and_curvature
    from symml.matrix_calculus.algebra import to_scalar
    from symml.mle.joint_vectors_numeric import _entry_of, _explicit

    weights, *scalars = problem.parameters
    if not sp.sympify(weights.shape[0]).is_symbol and weights.shape[0] != 2:
        raise UnsupportedOperationError(f"verify() integrates the posterior of {weights} over a grid at d = 2, not "
                                        f"d = {weights.shape[0]}")
    # each sample's log-density of one draw, the prior added once (with the first sample)
    written = [_explicit(SimpleNamespace(log_density=sample.log_density,
                                         log_prior=to_scalar(problem.log_prior) if k == 0 else sp.S.Zero), 2)
               for k, sample in enumerate(problem.vector_samples)]
    rng = np.random.default_rng(seed)
    function = derivation.numpy()
    comparisons = []
    for instance in range(instances):
        data, known = _random_data(problem, written, rng)
        settings = [{s.name: float(rng.uniform(0.5, 2.0)) if s.is_positive else float(rng.standard_normal())
                     for s in scalars} for _ in range(2 if scalars else 1)]
        marginals = []
        for setting in settings:
            at = {**known, **setting}
            label = f"(instance {instance + 1}" + "".join(f", {k} = {v:.4g}" for k, v in setting.items()) + ")"
            mean, covariance, log_mass = _grid_moments(problem, written, weights, data, at, _entry_of,
                                                       _mode_and_curvature)
            derived = function(**data, **at)
            scale = max(1.0, float(np.max(np.abs(covariance))))
            comparisons += [Comparison(f"mean[{a}] {label}", float(np.ravel(derived["mean"])[a]), float(mean[a]),
                                       abs(float(np.ravel(derived["mean"])[a]) - mean[a]) / max(1.0, abs(mean[a])))
                            for a in range(2)]
            comparisons += [Comparison(f"covariance[{a}, {b}] {label}", float(derived["covariance"][a, b]),
                                       float(covariance[a, b]),
                                       abs(float(derived["covariance"][a, b]) - covariance[a, b]) / scale)
                            for a in range(2) for b in range(a, 2)]
            marginals.append((derived.get("log_marginal"), log_mass))
        if scalars:
            (first, grid_first), (second, grid_second) = marginals
            mine, theirs = float(second) - float(first), grid_second - grid_first
            comparisons.append(Comparison(f"log marginal difference between the two values (instance {instance + 1})",
                                          mine, theirs, abs(mine - theirs) / max(1.0, abs(theirs))))
    return Verification.from_comparisons(
        comparisons, method=f"the log posterior written entry by entry from the models at d = 2 on random data "
        f"({_SIZE} draws a sample), integrated by the trapezoid rule over a {_POINTS} x {_POINTS} grid of "
        f"±{_WIDTHS:g} standard deviations about scipy.optimize's mode", tolerance=tolerance, seed=seed)


def _grid_moments(problem: Any, written: list, weights: Any, data: dict, known: dict, entry_of: Any,
                  mode_and_curvature: Any) -> tuple[np.ndarray, np.ndarray, float]:
    """(mean, covariance, log of the integral) of exp(log posterior) over a grid of the weights at d = 2."""

    def log_posterior(w: np.ndarray) -> np.ndarray:
        """At weights of shape (..., 2): the log-likelihood summed over each sample's draws, plus the prior."""
        total = np.zeros(w.shape[:-1])
        for (lambdified, layout), sample in zip(written, problem.vector_samples):
            arguments = []
            for name in layout["names"]:
                matrix, r, _ = entry_of(name, layout["entries"])
                arguments.append(w[..., r, None] if matrix == weights else
                                 data[sample.vector.name][:, r] if matrix == sample.vector else
                                 data[name.name] if name.name in data else known[name.name])
            with np.errstate(all="ignore"):
                per_draw, prior = lambdified(*arguments)
            total = total + np.sum(np.broadcast_to(per_draw, (*w.shape[:-1], _SIZE)), axis=-1) \
                + np.broadcast_to(prior, (*w.shape[:-1], 1))[..., 0]
        return total

    mode, precision = mode_and_curvature(lambda q: float(log_posterior(np.asarray(q)[None, :])[0]), 2)
    widths = np.sqrt(np.diag(np.linalg.inv(precision)))
    axes = [np.linspace(c - _WIDTHS * s, c + _WIDTHS * s, _POINTS) for c, s in zip(mode, widths)]
    grid = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1)
    values = log_posterior(grid)
    top = float(values.max())
    density = np.exp(values - top)

    def integral(f: np.ndarray) -> float:
        return float(np.trapezoid(np.trapezoid(density * f, axes[1]), axes[0]))

    total = integral(np.ones_like(density))
    mean = np.array([integral(grid[..., a]) for a in range(2)]) / total
    centred = grid - mean
    covariance = np.array([[integral(centred[..., a] * centred[..., b]) for b in range(2)]
                           for a in range(2)]) / total
    return mean, covariance, top + float(np.log(total))


def _random_data(problem: Any, written: list, rng: np.random.Generator) -> tuple[dict, dict]:
    """(each sample's data by name: its vector as an (n, 2) array, its scalars in their supports; the known
    parameters by name: positive ones in (1.5, 3), others standard normal)."""
    data: dict = {}
    for sample in problem.vector_samples:
        data[sample.vector.name] = rng.standard_normal((_SIZE, 2))
        for symbol, support in zip(sample.scalars, sample.supports):
            values = [float(v) for v in support] if isinstance(support, sp.FiniteSet) else None
            data[symbol.name] = rng.choice(values, _SIZE) if values else rng.standard_normal(_SIZE)
    entries = {s.name for _, layout in written for m in layout["entries"].values() for s in m.free_symbols}
    names = {s for _, layout in written for s in layout["names"] if s.name not in entries and s.name not in data}
    known = {s.name: rng.uniform(1.5, 3.0) if s.is_positive else rng.standard_normal()
             for s in sorted(names, key=lambda s: s.name)}
    return data, known
