"""NumPy estimators for maximum-likelihood derivations: what ``derivation.numpy()`` returns for an MLEProblem.

A closed-form estimator reduces the sample once per :class:`~symml.mle.problem.Statistic` (the mean, sum,
minimum, maximum or median of a lambdified summand, in order, so that a centred moment uses the mean computed
before it) and then evaluates the lambdified closed forms on those few numbers: O(n) vectorised NumPy work and
no Python loop over the data. Lambdified code is rewritten for stability first (``log(1 + z)`` -> ``log1p``,
``exp(z) - 1`` -> ``expm1``, ``log(1 + exp(z))`` -> ``logaddexp(0, z)``, gamma functions through ``loggamma``).

Where the engine found no closed form the estimator is numeric, and says so in its docstring:

- a parameter with a closed form given the others (``problem.estimators``, or a stationarity equation
  ``Eq(theta, expression in the others)``: the Gamma scale ``xbar / k``, the Weibull scale
  ``(sum x^beta / n)^(1/beta)``) is profiled out, re-evaluated from the others;
- one equation left in one unknown is solved by ``brentq`` on a bracket grown geometrically from a start (the
  method-of-moments guess, or 1 where the equation holds statistics only and so costs nothing to evaluate): the
  Gamma shape ``log k - digamma(k) = log xbar - mean(log x)``, and also equations that keep sums over the data
  (the Weibull shape, the Student-t location), each sum one vectorised reduction with the overflow-proof shift
  of :mod:`symml.mle.scaled_sums`;
- a square system in statistics (Beta) is solved by ``scipy.optimize.root`` (hybr) from the guess;
- otherwise the mean log-likelihood is maximised with ``scipy.optimize.minimize`` (BFGS, with the score as
  gradient) in the unknowns left.

>>> import sympy as sp, numpy as np
>>> from symml.mle.problem import MLEProblem, Statistic
>>> x, lam, n = sp.Symbol("x", nonnegative=True), sp.Symbol("lambda", positive=True), sp.Symbol("n")
>>> xbar = Statistic(sp.Symbol("xbar"), "mean", x, x)
>>> problem = MLEProblem("Exponential", x, sp.log(lam) - lam * x, sp.Interval(0, sp.oo), (lam,), (lam,), (),
...                      n, (xbar,), {lam: 1 / xbar.symbol})
>>> estimator = mle_estimator(problem)
>>> estimator(x=np.array([0.5, 1.5, 1.0]))
{'lambda': 1.0}
"""
from __future__ import annotations

import math
import warnings
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.errors import DataError, ParameterError
from symml.mle.numeric_solver import NumericSolver
from symml.mle.problem import MLEProblem
from symml.mle.few_observations import FEW
from symml.mle.sample_data import as_sample, check_support, few_first, fixed_values, outside_support, validated
from symml.mle.sample_data import parameter_value as _parameter_value  # noqa: F401 - symml.mle.verification uses it
from symml.mle.sample_function import SampleFunction
from symml.mle.statistic_plan import KNOWN, StatisticPlan, Values, evaluate
from symml.operations import numpy_function

# as_sample ... Values live in their own modules; they stay importable from here, where they were first defined.
__all__ = ["mle_estimator", "as_sample", "fixed_values", "outside_support", "SampleFunction", "log_likelihood"]


def log_likelihood(problem: MLEProblem) -> Callable[[np.ndarray, Values], float]:
    """``loglik(sample, {Symbol: value})``: the summed log-density of the sample at the given parameters.

    Outside the support it is ``-inf``; NaN (a density evaluated where it is undefined) counts as ``-inf`` too.
    """
    density = SampleFunction.of(problem.log_density, leading=(problem.observation,))

    def loglik(sample: np.ndarray, values: Values) -> float:
        sample = np.asarray(sample, dtype=float)
        with np.errstate(all="ignore"):
            terms = np.broadcast_to(density({**values, problem.observation: sample}), sample.shape)
            total = float(np.sum(terms))
        return -math.inf if math.isnan(total) else total

    return loglik



# --- the estimator --------------------------------------------------------------------------------------------
@numpy_function.register(MLEProblem)
def mle_estimator(problem: MLEProblem, derivation: Any = None, **options: Any) -> Callable[..., dict[str, float]]:
    """The estimator ``est(x=sample, **fixed) -> {parameter name: estimate}`` of an MLE derivation.

    Args:
        problem: the derivation's :class:`MLEProblem`.
        derivation: the derivation itself (unused: everything needed is in ``problem``).

    The returned function takes ``x``, array-like of shape (n,), and the value of every fixed parameter by
    name; it returns floats keyed by the names of the estimated parameters, in the order of ``problem.wrt``.
    Raises DataError for an empty, non-finite or out-of-support sample and ParameterError for a missing,
    unknown or invalid fixed parameter.
    """
    if options:
        raise ParameterError(f"numpy() of an MLE derivation takes no options, got: {', '.join(options)}")
    reduced = few = None
    if problem.closed_form:
        solve = _closed_form_solver(problem)
        method = "closed form: statistics of the sample, then the derived estimators"
    else:
        solve = numeric = NumericSolver(problem)
        method, reduced, few = numeric.method, numeric.reduced, numeric.few
    names = [str(p) for p in problem.wrt]
    # Validate through min and max when those are statistics and the mean of x is not (order-statistic estimators)
    plain = {s.reduction for s in problem.statistics if s.summand == problem.observation}
    by_range = bool(plain & {"min", "max"}) and not plain & {"sum", "mean"}
    support_symbols = frozenset(problem.support.free_symbols)

    def estimator(x: Any, **fixed: Any) -> dict[str, float]:
        sample, known, integral = validated(x, by_range)
        values = fixed_values(problem, fixed)
        check_support(problem, sample, values, integral, support_symbols)
        values[problem.sample_size] = np.float64(sample.size)
        values[KNOWN] = known
        with np.errstate(all="ignore"):
            estimates = solve(sample, values)
        outside = [(p, e) for p, e in zip(problem.wrt, estimates) if not _in_parameter_space(p, e)]
        if outside:
            _check_stationary_point_on_the_edge(outside)
            estimates = _beyond_the_sign_edge(problem, sample, values, estimates)
            outside = [(p, e) for p, e in zip(problem.wrt, estimates) if not _in_parameter_space(p, e)]
        for parameter, _ in outside:
            _check_bounded_at_the_edge(problem, parameter, sample, {**values, **dict(zip(problem.wrt, estimates))})
        return dict(zip(names, estimates))

    if problem.closed_form:
        estimator = _thin(problem, estimator)
    elif reduced is not None:  # a few observations straight to the problem reduced to statistics
        estimator = reduced.thin(estimator)
    elif few is not None:  # a few observations straight to the loops in Python floats
        estimator = few_first(problem, few.estimate, estimator, FEW)
    estimator = sample_by_its_name(estimator, problem)
    estimator.__name__ = estimator.__qualname__ = "mle_estimator"
    fixed_names = "".join(f", {p}=..." for p in problem.fixed)
    estimator.__doc__ = (
        f"Maximum-likelihood estimates of {', '.join(names)} for: {problem.title}.\n\n"
        f"Call as est(x=sample{fixed_names}); x has shape (n,). Method: {method}.\n"
    )
    return estimator


def sample_by_its_name(function: Callable[..., Any], problem: MLEProblem) -> Callable[..., Any]:
    """``function(x, **fixed)`` of a sample from ``problem``'s model taking the sample also by the model's name for
    an observation (``est(y=sample)`` for a model of y), besides ``x`` or positionally: calling it by that name
    raised a raw TypeError (the estimator; the interval of maximisers; every confidence interval)."""
    data = problem.observation.name
    if data == "x" or data in {str(p) for p in (*problem.wrt, *problem.fixed)}:
        return function

    def by_name(*sample: Any, **fixed: Any) -> Any:
        if not sample and data in fixed:
            sample = (fixed.pop(data),)
        elif not sample and "x" not in fixed:
            raise ParameterError(f"pass the sample as {data}=... (or x=..., or first)")
        return function(*sample, **fixed)

    return by_name


def _thin(problem: MLEProblem, plain: Callable[..., dict[str, float]]) -> Callable[..., dict[str, float]]:
    """The closed-form estimator with its checks compiled once (:mod:`symml.mle.closed_form`); ``plain`` takes
    every call it cannot certify."""
    from symml.mle.closed_form import ClosedFormEstimator

    return ClosedFormEstimator(problem, plain).compiled()


def _in_parameter_space(parameter: sp.Symbol, estimate: float) -> bool:
    """Whether ``estimate`` is a value the parameter's assumptions allow (finite; positive, non-negative)."""
    if parameter.is_positive:
        return math.isfinite(estimate) and estimate > 0
    return math.isfinite(estimate) and (estimate >= 0 or not parameter.is_nonnegative)


def _check_stationary_point_on_the_edge(outside: list[tuple[sp.Symbol, float]]) -> None:
    """A DataError where some estimates are on the finite edge of the parameter space (0) and others have no finite
    value there: the stationary point the closed forms describe has left the space through that edge (a
    zero-inflated Poisson whose positive counts are all 1: μ̂ = λ + W₀(−λe^{−λ}) = 0 at λ = 1, ψ̂ = mean(k)/(1 −
    e^{−μ̂}) with no value), so the likelihood has no maximum inside it; the edge check of one parameter with the
    other held at a non-finite value would call the likelihood unbounded."""
    on_edge = [p for p, e in outside if e == 0.0]
    diverging = [(p, e) for p, e in outside if not math.isfinite(e)]
    if not (on_edge and diverging):
        return
    raise DataError(
        f"the likelihood has no maximum inside the parameter space on this sample: its stationary point lies on "
        f"the edge {', '.join(f'{p} = 0' for p in on_edge)}, where the closed form of "
        f"{', '.join(f'{p} has no finite value ({e})' for p, e in diverging)}: the estimates tend to that edge, "
        f"{', '.join(f'{p} -> 0' for p in on_edge)}"
    )


def _beyond_the_sign_edge(problem: MLEProblem, sample: np.ndarray, values: Values,
                          estimates: list[float]) -> list[float]:
    """The estimates where the derived stationary point puts one unknown beyond 0, the edge of the sign its symbol
    declares (positive, non-negative), while the density is still a density: Efron & Hastie's prior variance A of
    xᵢ ~ N(M, A + 1), Â = mean((x − x̄)²) − 1, negative on a sample of small spread. The score's only root is outside
    the space, so the maximum over its closure is on the face where that unknown is at its edge, the others
    maximising the log-likelihood there (:func:`_on_the_face`). Taken only where the log-likelihood on the face, at
    the edge or just inside it, is at least its maximum over the others at points spread over (0, ∞); else the
    estimates are returned unchanged for the checks after. Warns (BoundaryMaximumWarning): the score does not vanish
    there, and under a strict sign the supremum is not attained."""
    from symml.mle.boundary_search import BoundaryMaximumWarning

    beyond = [k for k, (p, e) in enumerate(zip(problem.wrt, estimates)) if e < 0 and p.is_nonnegative]
    if len(beyond) != 1 or not all(math.isfinite(e) for e in estimates):
        return estimates
    (k,) = beyond
    parameter, estimate = problem.wrt[k], float(estimates[k])
    scale = max(abs(estimate), 1.0)
    value_at = log_likelihood(problem)  # compiled once for the up to 39 faces below
    edge, point = _on_the_face(problem, value_at, sample, values, estimates, k, 0.0)
    if not math.isfinite(edge):
        edge, point = _on_the_face(problem, value_at, sample, values, estimates, k, 1e-12 * scale)
    probes = scale * np.geomspace(1e-9, 1e9, 37 if len(estimates) == 1 else 13)
    inside = max(_on_the_face(problem, value_at, sample, values, point, k, float(t))[0] for t in probes)
    if not (math.isfinite(edge) and edge >= inside - 1e-12 * abs(edge)):
        return estimates
    space, attained = (f"{parameter} > 0", "approached as it tends to 0, not attained") if parameter.is_positive \
        else (f"{parameter} >= 0", "attained there")
    warnings.warn(f"the score's root {parameter} = {estimate:.12g} lies outside the parameter space ({space}), where "
                  f"the log-likelihood falls away from its edge: the maximum-likelihood estimate is on the edge "
                  f"{parameter} = 0 (the supremum is {attained}), and the score does not vanish there",
                  BoundaryMaximumWarning, stacklevel=4)
    return [0.0 if j == k else float(e) for j, e in enumerate(point)]


def _on_the_face(problem: MLEProblem, value_at: Callable[[np.ndarray, Values], float], sample: np.ndarray,
                 values: Values, start: list[float], k: int, held: float) -> tuple[float, list[float]]:
    """(the log-likelihood ``value_at`` (:func:`log_likelihood`) maximised over every unknown but the k-th, held at
    ``held``, the maximiser): Nelder-Mead from ``start``, which has the closed forms' values; the log-likelihood
    itself for one unknown."""
    from scipy import optimize

    point = [float(e) for e in start]
    point[k] = held
    free = [j for j in range(len(point)) if j != k]

    def minus(z: np.ndarray) -> float:
        for j, v in zip(free, z):
            point[j] = float(v)
        found = value_at(sample, {**values, **dict(zip(problem.wrt, point))})
        return -found if math.isfinite(found) else math.inf

    if free:
        best = optimize.minimize(minus, [point[j] for j in free], method="Nelder-Mead",
                                 options={"xatol": 1e-13, "fatol": 1e-15, "maxiter": 4000}).x
        return -minus(best), list(point)
    return -minus(np.empty(0)), point


def _check_bounded_at_the_edge(problem: MLEProblem, parameter: sp.Symbol, sample: np.ndarray, at: Values) -> None:
    """An estimate on the edge of the parameter space (a success probability 0 on a sample of failures) is the
    maximum over its closure when the log-likelihood there is finite; otherwise (sigma = 0 on a constant sample:
    the likelihood grows without bound) there is no maximum, a DataError."""
    estimate = float(at[parameter])
    if math.isfinite(estimate) and _bounded_towards(log_likelihood(problem), parameter, sample, at):
        return
    space = f"{parameter} > 0" if parameter.is_positive else f"{parameter} >= 0" if parameter.is_nonnegative else "finite"
    magnitude = float(np.max(np.abs(sample))) if sample.size else 0.0
    if estimate in (0.0, math.inf) and np.ptp(sample) > 0 and not 1e-100 < magnitude < 1e100:
        # N(θ, θ) at data of order 1e-200: θ̂ ≈ mean(x²) ≈ 1e-400 is below the smallest double, not a degenerate sample
        raise DataError(
            f"the maximum-likelihood estimate of {parameter} is {estimate} on this sample, outside the parameter "
            f"space ({space}): the observations are not all equal, but of order {magnitude:.0e}, where the estimate "
            f"{'underflows' if estimate == 0 else 'overflows'} in floating point; rescale the data (other units)"
        )
    raise DataError(
        f"the maximum-likelihood estimate of {parameter} is {estimate} on this sample, outside the parameter space "
        f"({space}), where the likelihood is unbounded: it has no maximum (a degenerate sample, e.g. all "
        "observations equal?)"
    )


def _bounded_towards(value_at: Callable[[np.ndarray, Values], float], parameter: sp.Symbol, sample: np.ndarray,
                     at: Values) -> bool:
    """Whether the log-likelihood is finite at the edge estimate, or converges as the parameter approaches it from
    inside the space: 0 log 0 is nan at p = 0 itself for a sample of failures, where n log(1 − p) → 0; on a constant
    sample −n log σ grows by the same amount at each step 1e-4, 1e-8, 1e-12 towards σ = 0."""
    def finite_or_nan(point: Values) -> float:
        try:
            return float(value_at(sample, point))
        except (ArithmeticError, ValueError):  # log(1/(2b)) at b = 0.0 in the math module
            return math.nan

    estimate = float(at[parameter])
    if math.isfinite(finite_or_nan(at)):
        return True
    path = [finite_or_nan({**at, parameter: estimate + step}) for step in (1e-4, 1e-8, 1e-12)]
    if not all(map(math.isfinite, path)):
        return False
    return abs(path[2] - path[1]) <= 1e-3 * abs(path[1] - path[0]) + 1e-12 * (1.0 + abs(path[2]))


def _closed_form_solver(problem: MLEProblem) -> Callable[[np.ndarray, Values], list[float]]:
    from symml.mle.power_statistics import power_statistics

    scaled = power_statistics(problem)
    plan = StatisticPlan(problem, scaled=scaled)
    # mean(b^k) = m^k T: the positive scale m comes out of the roots and powers of the closed forms by SymPy's own
    # evaluation (sqrt(m^2 T) = m sqrt(T)), so sigma at 1e200 is m * sqrt(T), never sqrt(1e400).
    in_scaled = {symbol: scale ** statistic.summand.as_base_exp()[1] * symbol
                 for symbol, (statistic, scale, _) in scaled.items()}
    formulas = [SampleFunction.of(sp.sympify(problem.estimators[p]).xreplace(in_scaled)) for p in problem.wrt]

    def solve(sample: np.ndarray, values: Values) -> list[float]:
        plan.complete(sample, values)
        return [float(evaluate(formula, values, p)) for formula, p in zip(formulas, problem.wrt)]

    return solve


