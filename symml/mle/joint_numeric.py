"""numpy() and verify() of a joint maximum-likelihood derivation (:mod:`symml.mle.joint`).

``numpy()`` returns ``estimate(x=..., y=..., sigma1=...)``: the data arrays by the names of the observed
variables (a pair's arrays of one length), the known parameters by name. Each statistic is one mean over its
sample, then the closed forms are evaluated; a closed form that would divide by zero on the data (a class with no
observations, a covariate that never varies) is a DataError naming the quantity, not a nan. Parameters without a
closed form maximise the joint log-likelihood numerically (BFGS with its symbolic gradient, from the closed forms).

``verify()`` draws data in each variable's support (every value of a finite support present), maximises the joint
log-likelihood with scipy.optimize (Nelder-Mead, then L-BFGS-B on finite differences, from a fixed start
independent of the answer) and compares.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.derivation import Verification
from symml.errors import DataError, ParameterError, ShapeError
from symml.mle.joint import JointMLEProblem
from symml.operations import numpy_function, verify

__all__ = ["data_arrays", "draw_sample", "inside_support", "joint_log_likelihood", "known_values",
           "random_instance", "statistic_values"]


def data_arrays(problem: JointMLEProblem, values: dict) -> dict[str, np.ndarray]:
    """The data arrays by name, checked: present, one-dimensional, finite, of one length within a sample, in the
    support."""
    arrays: dict[str, np.ndarray] = {}
    for sample in problem.samples:
        lengths = set()
        for symbol, support in zip(sample.observed, sample.supports):
            if symbol.name not in values:
                raise ParameterError(f"missing the data {symbol.name} (pass each observed variable's array by name)")
            array = np.asarray(values[symbol.name], dtype=float)
            if array.ndim != 1:
                raise ShapeError(f"the data {symbol.name} must be a one-dimensional array, not of shape {array.shape}")
            if array.size == 0:
                raise DataError(f"the data {symbol.name} is empty: the estimate needs at least one observation")
            if not np.all(np.isfinite(array)):
                raise DataError(f"the data {symbol.name} holds a nan or an infinity")
            outside = ~inside_support(array, support)
            if outside.any():
                raise DataError(f"the data {symbol.name} has {array[outside][0]!r} outside its support "
                                f"{support}")
            arrays[symbol.name] = array
            lengths.add(array.size)
        if len(lengths) > 1:
            raise ShapeError(f"the variables {', '.join(s.name for s in sample.observed)} are observed together: "
                             f"their arrays must have one length, not {sorted(lengths)}")
    return arrays


def inside_support(array: np.ndarray, support: sp.Set) -> np.ndarray:
    """Which entries of ``array`` lie in ``support`` (a finite set, the naturals or integers, an interval)."""
    if isinstance(support, sp.FiniteSet):
        return np.isin(array, [float(v) for v in support])
    if support in (sp.S.Naturals0, sp.S.Naturals, sp.S.Integers):
        whole = array == np.round(array)
        return whole & (array >= float(support.inf)) if support.inf.is_finite else whole
    if isinstance(support, sp.Interval) and not support.free_symbols:
        low, high = float(support.inf), float(support.sup)
        return ((array > low) | ((array == low) & (not support.left_open))) & \
            ((array < high) | ((array == high) & (not support.right_open)))
    return np.ones(array.shape, dtype=bool)


def known_values(problem: JointMLEProblem, values: dict, arrays: dict) -> dict[str, float]:
    missing = [p.name for p in problem.fixed if p.name not in values]
    if missing:
        raise ParameterError(f"missing values for the known parameters {', '.join(missing)} (pass them by name)")
    numbers = {p.name: float(values[p.name]) for p in problem.fixed}
    for sample in problem.samples:
        numbers[sample.size.name] = float(arrays[sample.observed[0].name].size)
    return numbers


def _evaluated(expr: sp.Expr, numbers: dict[str, float]) -> float:
    with np.errstate(all="ignore"):
        return float(sp.lambdify(list(expr.free_symbols), expr, "numpy")(
            *(np.float64(numbers[s.name]) for s in expr.free_symbols)))


def statistic_values(problem: JointMLEProblem, arrays: dict, numbers: dict) -> dict[str, float]:
    """Each statistic's value: a mean over its sample (statistics used by later ones evaluated first)."""
    found = dict(numbers)
    for k, statistic in problem.statistics:
        sample = problem.samples[k]
        others = sorted(statistic.summand.free_symbols - set(sample.observed), key=str)
        function = sp.lambdify([*sample.observed, *others], statistic.summand, "numpy")
        with np.errstate(all="ignore"):
            values = function(*(arrays[s.name] for s in sample.observed), *(found[s.name] for s in others))
        found[statistic.symbol.name] = float(np.mean(np.broadcast_to(values, arrays[sample.observed[0].name].shape)))
    return found


def _closed_forms(problem: JointMLEProblem, numbers: dict[str, float]) -> dict[str, float]:
    estimates = {}
    for parameter, estimator in problem.estimators.items():
        denominator = sp.fraction(sp.together(estimator))[1]
        if denominator.free_symbols and _evaluated(denominator, numbers) == 0:
            raise DataError(f"the estimate of {parameter} divides by {denominator} = 0 on these data (a class or "
                            "category with no observations, or a covariate that never varies): it is not defined")
        value = _evaluated(estimator, numbers)
        if not np.isfinite(value):
            raise DataError(f"the estimate of {parameter} is not finite on these data ({value}): a statistic "
                            "overflowed or a class has no observations")
        estimates[parameter.name] = value
    return estimates


def joint_log_likelihood(problem: JointMLEProblem, arrays: dict, scalars: dict) -> Callable[[np.ndarray], float]:
    """The joint log-likelihood (plus the log prior of a MAP estimate) as a function of the estimated parameters
    (in problem.wrt's order)."""
    parts = []
    for sample in problem.samples:
        symbols = [*sample.observed, *problem.wrt, *problem.fixed]
        parts.append((sample, sp.lambdify(symbols, sample.log_density, ["scipy", "numpy"])))

    prior = sp.lambdify([*problem.wrt, *problem.fixed], problem.log_prior, ["scipy", "numpy"])

    def loglik(theta: np.ndarray) -> float:
        with np.errstate(all="ignore"):
            total = float(prior(*theta, *(scalars[p.name] for p in problem.fixed)))
        for sample, function in parts:
            with np.errstate(all="ignore"):
                values = function(*(arrays[s.name] for s in sample.observed), *theta,
                                  *(scalars[p.name] for p in problem.fixed))
            total += float(np.sum(np.broadcast_to(values, arrays[sample.observed[0].name].shape)))
        return total if np.isfinite(total) else -np.inf

    return loglik


def _start(problem: JointMLEProblem, closed: dict[str, float]) -> np.ndarray:
    return np.array([closed.get(p.name, 1.0 if p.is_positive else 0.0) for p in problem.wrt])


def _to_free(problem: JointMLEProblem) -> tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]:
    """A positive parameter is searched over its log, so the search never leaves the parameter space."""
    positive = np.array([bool(p.is_positive) for p in problem.wrt])

    def forward(theta: np.ndarray) -> np.ndarray:
        return np.where(positive, np.log(np.where(positive, theta, 1.0)), theta)

    def back(z: np.ndarray) -> np.ndarray:
        return np.where(positive, np.exp(np.where(positive, z, 0.0)), z)

    return forward, back


def _numeric(problem: JointMLEProblem, arrays: dict, scalars: dict, closed: dict[str, float]) -> dict[str, float]:
    from scipy.optimize import minimize

    loglik = joint_log_likelihood(problem, arrays, scalars)
    forward, back = _to_free(problem)
    found = minimize(lambda z: min(-loglik(back(z)), 1e300), forward(_start(problem, closed)), method="BFGS",
                     options={"gtol": 1e-10, "maxiter": 2000})
    theta = back(found.x)
    if not np.all(np.isfinite(theta)) or not np.isfinite(loglik(theta)):
        raise DataError("the numeric maximisation of the joint log-likelihood found no finite maximum on these data "
                        "(it increases without bound: a separable or degenerate sample)")
    return {p.name: float(v) for p, v in zip(problem.wrt, theta)}


def _newton(problem: JointMLEProblem) -> Callable[[dict, dict, dict[str, float]], dict[str, float]]:
    """Newton's method on the score, its sums evaluated on the data themselves: a closed form in raw moments
    loses the digits a large offset shares (GDA's pooled variance was 8.0 for 2.29 on data near 1e8); a few
    steps from it, with the log-likelihood never decreasing, give them back."""
    derivatives = []
    for sample in problem.samples:
        symbols = [*sample.observed, *problem.wrt, *problem.fixed]
        score = [sp.diff(sample.log_density, p) for p in problem.wrt]
        hessian = [[sp.diff(d, q) for q in problem.wrt] for d in score]
        derivatives.append((sample, sp.lambdify(symbols, score, "numpy"), sp.lambdify(symbols, hessian, "numpy")))
    parameters = [*problem.wrt, *problem.fixed]
    prior_score = sp.lambdify(parameters, [sp.diff(problem.log_prior, p) for p in problem.wrt], "numpy")
    prior_hessian = sp.lambdify(parameters, [[sp.diff(problem.log_prior, p, q) for q in problem.wrt]
                                             for p in problem.wrt], "numpy")

    def summed(function: Callable[..., Any], sample: Any, arrays: dict, theta: np.ndarray, scalars: dict,
               shape: tuple) -> np.ndarray:
        length = arrays[sample.observed[0].name].shape
        with np.errstate(all="ignore"):
            values = function(*(arrays[s.name] for s in sample.observed), *theta,
                              *(scalars[p.name] for p in problem.fixed))
        entries = [v for row in values for v in row] if len(shape) == 2 else list(values)
        return np.array([np.sum(np.broadcast_to(np.asarray(v, dtype=float), length)) for v in entries]).reshape(shape)

    def polish(arrays: dict, scalars: dict, found: dict[str, float]) -> dict[str, float]:
        loglik = joint_log_likelihood(problem, arrays, scalars)
        theta = np.array([found[p.name] for p in problem.wrt])
        size = len(theta)
        for _ in range(30):
            known = [scalars[p.name] for p in problem.fixed]
            with np.errstate(all="ignore"):
                score = np.array(prior_score(*theta, *known), dtype=float) + sum(
                    summed(s, sample, arrays, theta, scalars, (size,)) for sample, s, _ in derivatives)
                hessian = np.array(prior_hessian(*theta, *known), dtype=float) + sum(
                    summed(h, sample, arrays, theta, scalars, (size, size)) for sample, _, h in derivatives)
            if not (np.all(np.isfinite(score)) and np.all(np.isfinite(hessian))):
                break
            # Newton's step where the log-likelihood is concave; where it is not (v far from its root) the same
            # step with the curvature's sign turned, so it still climbs
            curvatures, axes = np.linalg.eigh(hessian)
            if np.any(curvatures == 0):
                break
            step = -axes @ ((axes.T @ score) / np.abs(curvatures))
            before, scale = loglik(theta), 1.0
            while scale > 1e-6 and not loglik(theta - scale * step) >= before:
                scale /= 2
            if scale <= 1e-6:
                break
            theta = theta - scale * step
            if np.all(np.abs(scale * step) <= 1e-15 * np.maximum(np.abs(theta), 1e-300)):
                break
        return {p.name: float(v) for p, v in zip(problem.wrt, theta)}

    return polish


@numpy_function.register(JointMLEProblem)
def _numpy(problem: JointMLEProblem, derivation: Any) -> Callable[..., Any]:
    names = [p.name for p in problem.wrt]
    polish = _newton(problem)

    def estimate(**values: Any) -> Any:
        arrays = data_arrays(problem, values)
        scalars = known_values(problem, values, arrays)
        closed = _closed_forms(problem, statistic_values(problem, arrays, scalars))
        found = polish(arrays, scalars, closed) if len(closed) == len(names) else \
            _numeric(problem, arrays, scalars, closed)
        return {name: found[name] for name in names}

    return estimate


def draw_sample(sample: Any, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Data in the sample's support: every combination of the finite supports' values present (each class with each
    value of each binary feature, so no estimate sits on the boundary), counts, positives or reals."""
    finite = [(s.name, [float(v) for v in support]) for s, support in zip(sample.observed, sample.supports)
              if isinstance(support, sp.FiniteSet)]
    grid = np.array(np.meshgrid(*(values for _, values in finite), indexing="ij")).reshape(len(finite), -1) \
        if finite else np.zeros((0, 1))
    size = grid.shape[1] + int(rng.integers(8, 16))
    drawn: dict[str, np.ndarray] = {}
    for k, (name, values) in enumerate(finite):
        drawn[name] = np.concatenate([grid[k], rng.choice(values, size - grid.shape[1])])
    order = rng.permutation(size)
    for symbol, support in zip(sample.observed, sample.supports):
        if symbol.name in drawn:
            drawn[symbol.name] = drawn[symbol.name][order]
        elif support in (sp.S.Naturals0, sp.S.Naturals):
            drawn[symbol.name] = rng.poisson(3.0, size).astype(float) + float(support.inf)
        elif isinstance(support, sp.Interval) and support.inf.is_finite and support.inf >= 0:
            drawn[symbol.name] = rng.uniform(0.5, 2.0, size) + float(support.inf)
        else:
            drawn[symbol.name] = rng.standard_normal(size)
    return drawn


def random_instance(problem: JointMLEProblem, rng: np.random.Generator) -> tuple[dict[str, np.ndarray], dict]:
    """Random data for every sample (:func:`draw_sample`) and a value for each known parameter (positive ones in
    [0.5, 2], real ones standard normal), by name."""
    arrays: dict[str, np.ndarray] = {}
    for sample in problem.samples:
        arrays.update(draw_sample(sample, rng))
    return arrays, {p.name: float(rng.uniform(0.5, 2.0) if p.is_positive else rng.standard_normal())
                    for p in problem.fixed}


@verify.register(JointMLEProblem)
def _verify(problem: JointMLEProblem, derivation: Any, seed: int = 0, instances: int = 3,
            tolerance: float = 1e-5) -> Verification:
    from scipy.optimize import minimize

    from symml.optimize.problem import optimum_comparisons

    rng = np.random.default_rng(seed)
    estimate = derivation.numpy()
    comparisons = []
    for k in range(instances):
        arrays, scalars = random_instance(problem, rng)
        loglik = joint_log_likelihood(problem, arrays, scalars)
        forward, back = _to_free(problem)
        # the start: 0 for a real parameter, 1/2 for a positive one (inside a probability's range too)
        # from 0 for a real parameter and 1/2 for a positive one (inside a probability's range too): Nelder-Mead,
        # which steps over the infinite values outside the parameter space, then L-BFGS-B to polish
        start = np.where([bool(p.is_positive) for p in problem.wrt], np.log(0.5), 0.0)
        found = minimize(lambda z: min(-loglik(back(z)), 1e300), start, method="Nelder-Mead",
                         options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 20000, "maxfev": 20000})
        found = minimize(lambda z: min(-loglik(back(z)), 1e300), found.x, method="L-BFGS-B",
                         options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 5000})
        derived = estimate(**arrays, **scalars)
        comparisons.extend(optimum_comparisons(list(problem.wrt), derived, back(found.x), f"instance {k + 1}"))
    return Verification.from_comparisons(
        comparisons, method="scipy.optimize.minimize (Nelder-Mead, then L-BFGS-B) of the joint log-likelihood on "
        "random data in each variable's support, from a fixed start independent of the derived answer",
        tolerance=tolerance, seed=seed)
