"""Numeric verification of a maximum-likelihood derivation: what ``derivation.verify()`` does for an MLEProblem.

1. Choose true parameter values: ``at`` where given, otherwise defaults read from the parameters' assumptions
   and accepted by the distribution's own ``check`` (see :func:`true_values`).
2. Draw a sample there: with ``sympy.stats.sample(..., library="scipy")`` when the model is a sympy.stats
   random variable, otherwise by the numeric inverse CDF of the model's log-density (a fine grid, the
   cumulative trapezoid rule, interpolation; an enumerated pmf for discrete supports).
3. Maximise the log-likelihood of that sample independently of the derivation: only the model's log-density is
   used. Smooth problems: ``scipy.optimize.minimize`` (Nelder-Mead, restarted at its own answer) from a start
   away from the truth (positive parameters x1.6, real ones shifted by 0.75 max(|value|, 1)). Non-smooth
   problems (the log-density has a Piecewise, Abs, sign, Min or Max, or the support moves with an estimated
   parameter: Uniform, shifted Exponential, Laplace location): a brute-force grid search zoomed around the
   best point, then the interval of maximisers along each parameter, since the maximum need not be unique
   (Laplace location for even n).
   A non-smooth problem is checked on several independent samples (seeds ``seed``, ``seed + 1``, ...): an
   order-statistic estimator can be right on one sample by luck.
4. Compare with the derivation's estimator (``derivation.numpy()``) at a relative tolerance (default 1e-6),
   the scale of each comparison being ``max(|derived|, |numeric|, |true value|)``.

>>> import sympy as sp, sympy.stats as st
>>> from symml.mle.problem import MLEProblem, Statistic
>>> x, lam, n = sp.Symbol("x", nonnegative=True), sp.Symbol("lambda", positive=True), sp.Symbol("n")
>>> xbar = Statistic(sp.Symbol("xbar"), "mean", x, x)
>>> problem = MLEProblem("Exponential", x, sp.log(lam) - lam * x, sp.Interval(0, sp.oo), (lam,), (lam,), (),
...                      n, (xbar,), {lam: 1 / xbar.symbol}, random_variable=st.Exponential("X", lam))
>>> report = verify_mle(problem, None, sample_size=200)
>>> report.passed, report.sample_size
(True, 200)
"""
from __future__ import annotations

import itertools
import math
from dataclasses import replace
from typing import Any, Callable, Mapping

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Verification, relative_error
from symml.errors import DataError, ModelError, ParameterError, SymmlError
from symml.mle.numeric import _parameter_value, log_likelihood, mle_estimator, outside_support
from symml.mle.problem import MLEProblem
from symml.operations import verify

__all__ = ["verify_mle", "true_values", "draw_sample", "numeric_maximum", "combined"]

#: Relative tolerance of the comparison between the derived estimate and the numeric maximum.
TOLERANCE = 1e-6

#: Independent samples checked for a non-smooth problem (an order-statistic estimator).
NON_SMOOTH_SAMPLES = 4

_NON_SMOOTH = (sp.Piecewise, sp.Abs, sp.sign, sp.Min, sp.Max, sp.Heaviside)
_GRID_POINTS = (41, 21)  # per parameter and round of the brute-force search: one parameter, several
_GRID_ROUNDS = 60


@verify.register(MLEProblem)
def verify_mle(
    problem: MLEProblem,
    derivation: Any = None,
    *,
    at: Mapping[Any, float] | None = None,
    seed: int = 0,
    sample_size: int = 1000,
    tolerance: float = TOLERANCE,
) -> Verification:
    """Check the derived estimators against a numeric maximisation of the log-likelihood of a simulated sample.

    Args:
        problem: the derivation's :class:`MLEProblem`.
        derivation: the derivation (its estimator is ``numpy_function(problem)``; kept for the dispatch).
        at: true parameter values ``{Symbol or name: value}``; parameters left out get defaults.
        seed: seed of the random sample.
        sample_size: n, the size of the simulated sample.
        tolerance: the relative tolerance of each comparison.

    Returns:
        a :class:`~symml.Verification`: truthy when every estimated parameter agrees within ``tolerance``.
    """
    if int(sample_size) < 2:
        raise ParameterError(f"sample_size must be at least 2, got {sample_size}")
    truth = true_values(problem, at)
    # An estimator built from order statistics can be right on one sample by luck (-x_(1) instead of
    # max(-x_(1), x_(n)) is right whenever the minimum is the more extreme): check several independent samples.
    samples = NON_SMOOTH_SAMPLES if _non_smooth(problem) else 1
    reports = [_verify_sample(problem, truth, int(sample_size), seed + k, tolerance) for k in range(samples)]
    return combined(reports, seed, int(sample_size), tolerance)


def combined(reports: list[Verification], seed: int, sample_size: int, tolerance: float) -> Verification:
    """One report of the checks on several samples (seeds ``seed``, ``seed + 1``, ...); a single one as it is."""
    samples = len(reports)
    if samples == 1:
        return reports[0]
    return Verification.from_comparisons(
        [replace(c, quantity=f"{c.quantity} (sample {k + 1})") for k, r in enumerate(reports) for c in r.comparisons],
        method=reports[0].method + f", on {samples} independent samples",
        tolerance=tolerance, sample_size=sample_size, seed=seed,
        details=tuple(item for k, r in enumerate(reports)
                      for item in (("sample", f"{k + 1} of {samples} (seed {seed + k})"), *r.details)),
    )


def _verify_sample(problem: MLEProblem, truth: dict, sample_size: int, seed: int, tolerance: float) -> Verification:
    sample, sampler = draw_sample(problem, truth, int(sample_size), seed)
    loglik = log_likelihood(problem)
    numeric, method, intervals = numeric_maximum(problem, sample, truth, loglik)
    fixed = {str(p): truth[p] for p in problem.fixed}
    try:
        derived = mle_estimator(problem)(sample, **fixed)
        failure = None
    except SymmlError as error:
        derived, failure = {str(p): math.nan for p in problem.wrt}, str(error)
    comparisons = []
    for parameter, best in zip(problem.wrt, numeric):
        value = derived[str(parameter)]
        low, high = intervals.get(parameter, (best, best))
        nearest = min(max(value, low), high) if math.isfinite(value) else best
        rel_error = relative_error(value, nearest, scale=abs(truth[parameter]))
        comparisons.append(Comparison(str(parameter), value, nearest, rel_error))
    details = [
        ("true parameters", _named(truth)),
        ("sampler", sampler),
        ("log-likelihood at the numeric maximum", f"{loglik(sample, {**truth, **dict(zip(problem.wrt, numeric))}):.12g}"),
    ]
    details += [(f"maximisers of {p}", f"[{lo:.15g}, {hi:.15g}]") for p, (lo, hi) in intervals.items() if hi > lo]
    if failure:
        details.append(("the derived estimator failed", failure))
    return Verification.from_comparisons(
        comparisons, method=method, tolerance=tolerance, sample_size=int(sample_size), seed=seed, details=tuple(details)
    )


def _named(values: Mapping[sp.Symbol, float]) -> str:
    return ", ".join(f"{p} = {v:g}" for p, v in values.items())


# --- true parameter values ------------------------------------------------------------------------------------
def true_values(problem: MLEProblem, at: Mapping[Any, float] | None = None) -> dict[sp.Symbol, float]:
    """Parameter values to simulate at: ``at`` where given, else the first valid combination of defaults.

    Defaults per parameter (j is its position in the model): integer -> 10, 5, 20; positive -> 1.5 + 0.5j,
    0.3, 2.5 + j, 0.7; real -> 0.5 + j, -1 + j, 2 + 2j. A combination is valid when the distribution's
    ``check`` accepts it (sympy.stats models) or the log-density is finite somewhere on the support.

    >>> import sympy as sp, sympy.stats as st
    >>> from symml.mle.problem import MLEProblem
    >>> p = sp.Symbol("p", positive=True); x = sp.Symbol("x")
    >>> problem = MLEProblem("Bernoulli", x, x*sp.log(p) + (1 - x)*sp.log(1 - p), sp.FiniteSet(0, 1), (p,), (p,),
    ...                      (), sp.Symbol("n"), (), {}, random_variable=st.Bernoulli("X", p))
    >>> true_values(problem)
    {p: 0.3}
    """
    given = _given(problem, at or {})
    choices = [[given[p]] if p in given else _candidates(p, j) for j, p in enumerate(problem.parameters)]
    for combination in itertools.product(*choices):
        values = dict(zip(problem.parameters, combination))
        if _valid(problem, values):
            return values
    if given:
        raise ParameterError(f"the model rejects the parameter values {_named(given)}")
    raise ModelError(f"no default parameter values suit {problem.title}: pass verify(at={{...}})")


def _given(problem: MLEProblem, at: Mapping[Any, float]) -> dict[sp.Symbol, float]:
    by_name = {str(p): p for p in problem.parameters}
    given = {}
    for key, value in at.items():
        if str(key) not in by_name:
            raise ParameterError(f"{key} is not a parameter of the model; its parameters are: {', '.join(by_name)}")
        parameter = by_name[str(key)]
        given[parameter] = _parameter_value(parameter, value)
    return given


def _candidates(parameter: sp.Symbol, position: int) -> list[float]:
    if parameter.is_integer:
        return [10, 5, 20]
    if parameter.is_positive:
        return [1.5 + 0.5 * position, 0.3, 2.5 + position, 0.7]
    return [0.5 + position, -1.0 + position, 2.0 + 2.0 * position]


def _valid(problem: MLEProblem, values: dict[sp.Symbol, float]) -> bool:
    if problem.random_variable is not None:
        distribution = problem.random_variable.pspace.distribution
        arguments = [sp.sympify(a).subs(values) if isinstance(a, sp.Basic) else a for a in distribution.args]
        try:
            type(distribution).check(*arguments)
        except (ValueError, TypeError):
            return False
    try:
        low, high = _finite_window(problem, values)
    except (DataError, ModelError):
        return False
    return high > low and not _negative_inside(problem, values, low, high)


def _negative_inside(problem: MLEProblem, values: Mapping[sp.Symbol, float], low: float, high: float) -> bool:
    """Whether the density is negative (its logarithm NaN) somewhere strictly inside the support: a mixture weight
    w = 1.5 of w φ(x) + (1 − w) φ(x − 3) is no distribution, though the sampler saw it as a density with gaps."""
    inside = np.linspace(low, high, 2003)[1:-1]
    outside = outside_support(problem.support, inside, values)
    with np.errstate(all="ignore"):
        raw = np.broadcast_to(_log_density_function(problem)({**values, problem.observation: inside}), inside.shape)
    undefined = np.isnan(np.asarray(raw, dtype=complex).real) | (np.asarray(raw, dtype=complex).imag != 0)
    return bool(np.any(undefined & ~outside)) if outside is not None else bool(np.any(undefined))


# --- sampling -------------------------------------------------------------------------------------------------
def draw_sample(problem: MLEProblem, values: Mapping[sp.Symbol, float], size: int, seed: int) -> tuple[np.ndarray, str]:
    """A sample of ``size`` observations at ``values``, and a description of how it was drawn."""
    if problem.random_variable is not None and _scipy_samples_directly(problem.random_variable):
        from sympy.stats import sample

        try:
            drawn = sample(problem.random_variable.subs(values), size=(size,), library="scipy", seed=seed)
            return np.asarray(drawn, dtype=float), "sympy.stats.sample (scipy)"
        except (NotImplementedError, ValueError, TypeError, AttributeError):
            pass  # a family sympy cannot hand to scipy: sample from its density instead
    rng = np.random.default_rng(seed)
    if _is_discrete(problem.support):
        return _sample_discrete(problem, values, size, rng), "enumerated pmf from the log-density"
    return _sample_continuous(problem, values, size, rng), "numeric inverse CDF of the log-density"


def _scipy_samples_directly(random_variable: Any) -> bool:
    """Whether sympy maps the family to a scipy.stats sampler: its generic fallback for continuous families
    builds an ``rv_continuous`` from the pdf and inverts the CDF point by point (seconds for 1000 draws)."""
    from sympy.stats.crv import SingleContinuousDistribution
    from sympy.stats.sampling.sample_scipy import do_sample_scipy

    generic = do_sample_scipy.dispatch(SingleContinuousDistribution)
    return do_sample_scipy.dispatch(type(random_variable.pspace.distribution)) is not generic


def _is_discrete(support: sp.Set) -> bool:
    if isinstance(support, (sp.Range, sp.FiniteSet, type(sp.S.Naturals), type(sp.S.Naturals0), type(sp.S.Integers))):
        return True
    return isinstance(support, (sp.Intersection, sp.Union)) and any(_is_discrete(s) for s in support.args)


def _density(problem: MLEProblem, values: Mapping[sp.Symbol, float]) -> Callable[[np.ndarray], np.ndarray]:
    function = _log_density_function(problem)

    def log_density(points: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            result = np.broadcast_to(function({**values, problem.observation: points}), points.shape).astype(float)
        outside = outside_support(problem.support, points, values)
        if outside is not None:
            result = np.where(outside, -np.inf, result)
        # NaN: undefined there; +inf: an integrable singularity (Weibull shape < 1 at 0), a point of no mass
        return np.where(np.isnan(result) | np.isposinf(result), -np.inf, result)

    return log_density


def _log_density_function(problem: MLEProblem) -> Callable[[Mapping[sp.Symbol, Any]], Any]:
    from symml.mle.numeric import SampleFunction

    return SampleFunction.of(problem.log_density, leading=(problem.observation,))


def _finite_window(problem: MLEProblem, values: Mapping[sp.Symbol, float]) -> tuple[float, float]:
    """An interval that holds all but a negligible part (density below 1e-18 of its peak) of the distribution."""
    support = problem.support.subs(values)
    low, high = float(support.inf), float(support.sup)
    log_density = _density(problem, values)
    probe_low = low if math.isfinite(low) else (high - 1.0 if math.isfinite(high) else -1.0)
    probe_high = high if math.isfinite(high) else max(probe_low, 0.0) + 1.0
    peak = -math.inf
    for _ in range(64):
        grid = np.linspace(probe_low, probe_high, 2001)
        logs = log_density(grid)
        if not np.isfinite(logs).any():
            if not (math.isfinite(low) and math.isfinite(high)):
                probe_low = probe_low if math.isfinite(low) else probe_low - (probe_high - probe_low)
                probe_high = probe_high if math.isfinite(high) else probe_high + (probe_high - probe_low)
                continue
            raise DataError(f"the density of {problem.title} is zero everywhere at {_named(values)}")
        # the highest value seen on any grid: a wide grid's points step over a peak at a support end (Pareto
        # 3θ³x⁻⁴ on x > θ), so its own maximum falls with its tail and the 1e-18 drop was never reached
        peak = max(peak, logs.max())
        grow_low = not math.isfinite(low) and logs[0] > peak - 41.5
        grow_high = not math.isfinite(high) and logs[-1] > peak - 41.5
        if not (grow_low or grow_high):
            return probe_low, probe_high
        width = probe_high - probe_low
        probe_low -= width if grow_low else 0.0
        probe_high += width if grow_high else 0.0
    raise ModelError(f"the density of {problem.title} has tails too heavy to sample numerically at {_named(values)}")


def _sample_continuous(problem: MLEProblem, values: Mapping[sp.Symbol, float], size: int, rng: Any) -> np.ndarray:
    low, high = _finite_window(problem, values)
    log_density = _density(problem, values)
    coarse = np.linspace(low, high, 20_001)
    centre = coarse[np.argmax(log_density(coarse))]
    # Uniform in asinh((x - centre)/s): spacing ~2e-4 |x - centre|, so a narrow peak and tails to 1e4 times
    # its width are both resolved (a uniform grid over a heavy-tailed window would miss the peak).
    s = (high - low) * 1e-9
    grid = centre + s * np.sinh(np.linspace(np.arcsinh((low - centre) / s), np.arcsinh((high - centre) / s), 200_001))
    logs = log_density(grid)
    density = np.exp(logs - logs.max())
    cumulative = np.concatenate(([0.0], np.cumsum((density[1:] + density[:-1]) / 2.0 * np.diff(grid))))
    keep = np.concatenate(([True], np.diff(cumulative) > 0))  # np.interp needs increasing abscissae
    return np.interp(rng.uniform(0.0, cumulative[-1], size), cumulative[keep], grid[keep])


def _sample_discrete(problem: MLEProblem, values: Mapping[sp.Symbol, float], size: int, rng: Any) -> np.ndarray:
    support = problem.support.subs(values)
    low = float(support.inf) if support.inf.is_finite else -1_000_000.0
    high = float(support.sup) if support.sup.is_finite else low + 1_000_000.0
    points = np.arange(low, high + 1.0)
    logs = _density(problem, values)(points)
    weights = np.exp(logs - logs.max())
    return rng.choice(points, size=size, p=weights / weights.sum())


# --- the independent numeric maximum --------------------------------------------------------------------------
def numeric_maximum(
    problem: MLEProblem, sample: np.ndarray, truth: Mapping[sp.Symbol, float], loglik: Callable[..., float]
) -> tuple[list[float], str, dict[sp.Symbol, tuple[float, float]]]:
    """The maximiser of the log-likelihood in ``problem.wrt`` (others at their true values), the method in words,
    and for non-smooth problems the interval of maximisers along each parameter."""
    wrt = problem.wrt
    positive = [bool(p.is_positive) for p in wrt]

    def theta(z: np.ndarray) -> dict[sp.Symbol, float]:
        return {p: (math.exp(min(v, 700.0)) if pos else v) for p, v, pos in zip(wrt, z, positive)}

    def objective(z: np.ndarray) -> float:
        value = loglik(sample, {**truth, **theta(z)})
        return -value / sample.size if math.isfinite(value) else math.inf

    centre = np.array([math.log(truth[p]) if pos else truth[p] for p, pos in zip(wrt, positive)])
    start = np.array(
        [math.log(1.6 * truth[p]) if pos else truth[p] + 0.75 * max(abs(truth[p]), 1.0) for p, pos in zip(wrt, positive)]
    )
    # a parameter with no declared domain (p typed in a string, its log-density real on (0, 1) only) may start
    # outside it, where Nelder-Mead's simplex is infinite and never moves: halve the way to the truth until finite
    for _ in range(30):
        if math.isfinite(objective(start)):
            break
        start = centre + (start - centre) / 2
    if _non_smooth(problem):
        best = _grid_search(objective, centre, positive, [max(abs(truth[p]), 1.0) for p in wrt])
        maximum = theta(best)
        intervals = _maximiser_intervals(objective, best, positive)
        method = (
            f"brute-force grid search of the log-likelihood ({_grid_points(len(wrt))} points per parameter, zoomed around the "
            "best point), then the interval of maximisers along each parameter"
        )
        return [maximum[p] for p in wrt], method, {p: intervals[j] for j, p in enumerate(wrt)}
    from scipy import optimize

    options = {"xatol": 1e-12, "fatol": 1e-15, "maxiter": 20_000, "maxfev": 40_000}

    def nelder_mead(first: np.ndarray) -> Any:
        result = optimize.minimize(objective, first, method="Nelder-Mead", options=options)
        return optimize.minimize(objective, result.x, method="Nelder-Mead", options=options)

    result = nelder_mead(start)
    method = "scipy.optimize.minimize (Nelder-Mead, restarted) of the negative log-likelihood from a start away from the truth"
    if problem.not_concave_in:
        starts = _multi_starts(sample, start, positive)

        def scanned(z: np.ndarray) -> float:
            try:
                return objective(z)
            except (OverflowError, ZeroDivisionError, ValueError):  # Python floats at a far start
                return math.inf

        ranked = sorted(starts, key=scanned)[:_MULTI_START_RUNS]
        result = min([result, *map(nelder_mead, ranked)], key=lambda r: r.fun)
        method += (f"; the log-likelihood is not known to be concave, so also a multi-start search: {len(starts)} "
                   f"starts scanned, Nelder-Mead from the {len(ranked)} best, the best maximum kept (mean "
                   f"log-likelihood {-result.fun:.12g})")
    maximum = theta(result.x)
    return [maximum[p] for p in wrt], method, {}


#: Local searches of the multi-start search (from the best of the starts scanned).
_MULTI_START_RUNS = 4


def _multi_starts(sample: np.ndarray, start: np.ndarray, positive: list[bool]) -> list[np.ndarray]:
    """Starts for a multi-start search, in the free coordinates (log of a positive parameter): a real parameter at
    ten quantiles of the sample and on a wide grid about the start, a positive one over four decades; several
    combined at random."""
    quantiles = np.quantile(sample, np.linspace(0.05, 0.95, 10))
    axes = [start[j] + np.log(10.0) * np.linspace(-2, 2, 9) if pos
            else np.concatenate([quantiles, start[j] + max(abs(start[j]), 1.0) * np.linspace(-8, 8, 17)])
            for j, pos in enumerate(positive)]
    if len(axes) == 1:
        return [np.array([value]) for value in axes[0]]
    generator = np.random.default_rng(1)
    return [np.array([generator.choice(axis) for axis in axes]) for _ in range(40 * len(axes))]


def _non_smooth(problem: MLEProblem) -> bool:
    """Whether the log-likelihood may be non-differentiable in an estimated parameter: a kink or a jump (Abs,
    sign, Min, Max, Heaviside, a Piecewise condition) that moves with one, or a support that does."""
    estimated = set(problem.wrt)
    if problem.support.free_symbols & estimated:
        return True
    for kink in problem.log_density.atoms(*_NON_SMOOTH):
        where = [c for _, c in kink.args] if isinstance(kink, sp.Piecewise) else kink.args
        if any(sp.sympify(w).free_symbols & estimated for w in where):
            return True
    return False


def _grid_search(objective: Callable[[np.ndarray], float], centre: np.ndarray, positive: list[bool], widths: list[float]) -> np.ndarray:
    """Brute-force search on a grid (log scale for positive parameters), zoomed around the best point."""
    half = np.array([math.log(8.0) if pos else 4.0 * w for pos, w in zip(positive, widths)])
    best, best_value = centre, objective(centre)
    points = _grid_points(len(centre))
    for _ in range(_GRID_ROUNDS):
        axes = [np.linspace(c - h, c + h, points) for c, h in zip(best, half)]
        for point in itertools.product(*axes):
            value = objective(np.array(point))
            if value < best_value:
                best, best_value = np.array(point), value
        half = half * 4.0 / (points - 1)  # the next grid spans two cells either side of the best point
        if np.all(half <= 1e-14 * np.maximum(np.abs(best), 1.0)):
            break
    return best


def _grid_points(dimension: int) -> int:
    return _GRID_POINTS[0] if dimension == 1 else _GRID_POINTS[1]


def _maximiser_intervals(objective: Callable[[np.ndarray], float], best: np.ndarray, positive: list[bool]) -> list[tuple[float, float]]:
    """Along each parameter, the interval around ``best`` where the objective stays within 1e-12 of its minimum."""
    floor = objective(best)
    slack = 1e-12 * max(abs(floor), 1.0)
    intervals = []
    for j, pos in enumerate(positive):
        ends = []
        for direction in (-1.0, 1.0):
            inside, step = 0.0, 1e-14 * max(abs(best[j]), 1.0)
            while step < 1e300:
                trial = best.copy()
                trial[j] += direction * step
                if objective(trial) > floor + slack:
                    break
                inside, step = step, 2.0 * step
            outside = step
            for _ in range(100):  # bisect the edge of the flat region
                middle = (inside + outside) / 2.0
                trial = best.copy()
                trial[j] += direction * middle
                inside, outside = (middle, outside) if objective(trial) <= floor + slack else (inside, middle)
            ends.append(best[j] + direction * inside)
        low, high = (math.exp(ends[0]), math.exp(ends[1])) if pos else (ends[0], ends[1])
        intervals.append((low, high))
    return intervals
