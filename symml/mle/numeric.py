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
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import sympy as sp
from sympy.printing.codeprinter import PrintMethodNotImplementedError

from symml.errors import DataError, ParameterError, UnsupportedOperationError
from symml.mle.problem import MLEProblem, Statistic
from symml.mle.self_checks import SelfChecks
from symml.operations import numpy_function

__all__ = ["mle_estimator", "as_sample", "fixed_values", "outside_support", "SampleFunction", "log_likelihood"]

_REDUCTIONS: dict[str, Callable[[np.ndarray], Any]] = {
    "sum": np.sum,
    "mean": np.mean,
    "min": np.min,
    "max": np.max,
    "median": np.median,
}

Values = dict  # {Symbol: number}: parameters, the sample size and the statistics computed so far

_KNOWN = sp.Dummy("known")  # in Values: {reduction: value} of the sample itself, computed by its validation


# --- stable lambdify ------------------------------------------------------------------------------------------
def _stabilised(expr: sp.Expr) -> sp.Expr:
    """``expr`` rewritten for floating point without expanding anything (expanding ``(x - mu)**2`` would cancel
    catastrophically far from zero): gamma, factorial and beta through ``loggamma`` (no overflow for large
    arguments), ``log(1 + z)`` -> ``log1p(z)``, ``exp(z) - 1`` -> ``expm1(z)``, ``log1p(exp(z))`` ->
    ``logaddexp(0, z)``.

    >>> z = sp.Symbol("z")
    >>> _stabilised(sp.log(1 + sp.exp(z)) + sp.exp(z) - 1)
    expm1(z) + logaddexp(0, z)
    """
    from sympy.codegen.cfunctions import expm1, log1p
    from sympy.codegen.numpy_nodes import logaddexp

    expr = expr.replace(_log_of_product_with_exp, _split_exp_out_of_log)
    expr = expr.replace(sp.beta, lambda a, b: sp.exp(sp.loggamma(a) + sp.loggamma(b) - sp.loggamma(a + b)))
    expr = expr.replace(sp.factorial, lambda z: sp.exp(sp.loggamma(z + 1)))
    expr = expr.replace(sp.gamma, lambda z: sp.exp(sp.loggamma(z)))

    def one_plus(e: sp.Basic) -> bool:
        return isinstance(e, sp.log) and isinstance(e.args[0], sp.Add) and sp.S.One in e.args[0].args

    def log_of_one_plus(e: sp.log) -> sp.Expr:
        rest = e.args[0] - 1
        return logaddexp(sp.S.Zero, rest.args[0]) if isinstance(rest, sp.exp) else log1p(rest)

    def exp_minus_one(e: sp.Basic) -> bool:
        return isinstance(e, sp.Add) and sp.S.NegativeOne in e.args and any(isinstance(t, sp.exp) for t in e.args)

    def with_expm1(e: sp.Add) -> sp.Expr:
        power = next(t for t in e.args if isinstance(t, sp.exp))
        return expm1(power.args[0]) + (e - power + 1)

    return expr.replace(one_plus, log_of_one_plus).replace(exp_minus_one, with_expm1)


def _log_of_product_with_exp(e: sp.Basic) -> bool:
    return isinstance(e, sp.log) and isinstance(e.args[0], sp.Mul) and any(isinstance(f, sp.exp) for f in e.args[0].args)


def _split_exp_out_of_log(e: sp.log) -> sp.Expr:
    """log(exp(a) r) -> a + log(r): exp(a) > 0, and exp(a) alone underflows to 0 far in a tail."""
    powers = [f for f in e.args[0].args if isinstance(f, sp.exp)]
    rest = sp.Mul(*[f for f in e.args[0].args if not isinstance(f, sp.exp)])
    return sp.Add(*[f.args[0] for f in powers]) + sp.log(rest)


@dataclass(frozen=True)
class SampleFunction:
    """A lambdified expression and the symbols it takes, in order; called with a ``{Symbol: value}`` map.

    Attributes:
        function: the NumPy function (module scipy+numpy, stabilised).
        arguments: its arguments; a leading observation symbol receives the whole sample, shape (n,).
    """

    function: Callable[..., Any]
    arguments: tuple[sp.Symbol, ...]

    @classmethod
    def of(cls, expr: sp.Expr, leading: Sequence[sp.Symbol] = ()) -> "SampleFunction":
        """Compile ``expr``; ``leading`` symbols come first, the other free symbols follow sorted by name."""
        expr = sp.sympify(expr)
        others = sorted(expr.free_symbols - set(leading), key=lambda s: s.name)
        arguments = tuple(leading) + tuple(others)
        # Plain placeholders: lambdify puts every symbol's name in the function's namespace, where a parameter
        # called beta or gamma would hide the special function of that name.
        placeholders = sp.symbols(f"_a0:{len(arguments)}")
        code = _stabilised(expr).xreplace(dict(zip(arguments, placeholders)))
        try:
            return cls(sp.lambdify(placeholders, code, modules=["scipy", "numpy"]), arguments)
        except PrintMethodNotImplementedError as failure:
            raise UnsupportedOperationError(f"NumPy/SciPy has no function for a part of {expr}: {failure}") from None

    def needs(self, values: Mapping[sp.Symbol, Any]) -> list[sp.Symbol]:
        """The arguments ``values`` does not provide."""
        return [a for a in self.arguments if a not in values]

    def __call__(self, values: Mapping[sp.Symbol, Any]) -> Any:
        return self.function(*(values[a] for a in self.arguments))


@dataclass(frozen=True)
class _Reducer:
    """One statistic compiled: the reduction of its lambdified summand over the sample."""

    symbol: sp.Symbol
    reduction: str
    summand: SampleFunction | None  # None: the observation itself

    def arguments(self) -> tuple[sp.Symbol, ...]:
        return self.summand.arguments[1:] if self.summand else ()

    def __call__(self, sample: np.ndarray, values: Values) -> np.float64:
        # NumPy scalars, not Python floats: 1/0 in a closed form is inf (reported as such), not ZeroDivisionError
        if self.summand is None:
            known = values.get(_KNOWN, {})  # what the validation already reduced (np.mean is np.sum / n)
            if self.reduction in known:
                return np.float64(known[self.reduction])
            if self.reduction == "mean" and "sum" in known:
                return np.float64(known["sum"] / sample.size)
            return np.float64(_REDUCTIONS[self.reduction](sample))
        terms = np.broadcast_to(self.summand({**values, self.summand.arguments[0]: sample}), sample.shape)
        return np.float64(_REDUCTIONS[self.reduction](terms))


def _reducer(statistic: Statistic, observation: sp.Symbol) -> _Reducer:
    if statistic.reduction not in _REDUCTIONS:
        raise UnsupportedOperationError(
            f"statistic {statistic.symbol} has reduction {statistic.reduction!r}; known: {', '.join(_REDUCTIONS)}"
        )
    if statistic.summand == observation:
        return _Reducer(statistic.symbol, statistic.reduction, None)
    return _Reducer(statistic.symbol, statistic.reduction, SampleFunction.of(statistic.summand, leading=(observation,)))


class _Plan:
    """The problem's statistics compiled once; evaluates expressions in them, n and the parameters on a sample."""

    def __init__(self, problem: MLEProblem, needed: set[sp.Symbol] | None = None,
                 scaled: dict[sp.Symbol, tuple[Statistic, sp.Dummy, bool]] | None = None):
        """``needed``: the symbols the caller evaluates; only the statistics they use (directly or through later
        statistics) are computed. None: all of them. ``scaled``: power statistics computed by a PowerReducer."""
        self.problem = problem
        statistics = list(problem.statistics)
        if needed is not None:
            needed = set(needed)
            for statistic in reversed(statistics):
                if statistic.symbol in needed:
                    needed |= sp.sympify(statistic.summand).free_symbols
            statistics = [s for s in statistics if s.symbol in needed]
        from symml.mle.power_statistics import PowerReducer  # it compiles through SampleFunction, defined here

        scaled = scaled or {}
        self.reducers: tuple[_Reducer | PowerReducer, ...] = tuple(
            PowerReducer(s, problem.observation, *scaled[s.symbol][1:]) if s.symbol in scaled
            else _reducer(s, problem.observation) for s in statistics
        )

    def complete(self, sample: np.ndarray, values: Values) -> Values:
        """``values`` plus every statistic computable from them, in order (the others wait for parameters)."""
        for reducer in self.reducers:
            if reducer.symbol not in values and all(a in values for a in reducer.arguments()):
                values[reducer.symbol] = reducer(sample, values)
        return values


# --- the data and the fixed parameters ------------------------------------------------------------------------
def as_sample(x: Any) -> np.ndarray:
    """The sample as a float array of shape (n,); DataError if it is empty, not 1-D or not finite.

    >>> as_sample([1, 2, 3])
    array([1., 2., 3.])
    """
    return _validated(x)[0]


def _validated(x: Any, by_range: bool = False) -> tuple[np.ndarray, dict[str, np.float64], bool]:
    """The sample as floats; the reductions its finiteness check computed, ``{"sum": ...}`` or, ``by_range``,
    ``{"min": ..., "max": ...}`` (reused by statistics); whether its dtype makes it integer-valued (then a
    discrete support needs no rounding test)."""
    try:
        raw = np.asarray(x)
        if np.iscomplexobj(raw):
            raise DataError("the sample x is complex: a likelihood here is of real observations (pass x.real if the "
                            "imaginary parts are only rounding noise)")
        sample = np.asarray(raw, dtype=float)  # no copy when it already is
    except (TypeError, ValueError) as failure:
        raise DataError(f"the sample x must be an array of numbers: {failure}") from None
    except OverflowError:
        raise DataError("the sample x has an observation too large for a double (|x| > 1.8e308): rescale the "
                        "data") from None
    if sample.ndim != 1:
        raise DataError(f"the sample x must be one-dimensional, shape (n,); got shape {sample.shape}")
    if sample.size == 0:
        raise DataError("the sample x is empty: a maximum-likelihood estimate needs at least one observation")
    integral = raw.dtype.kind in "biu"
    # Reductions, no temporary array: a finite sum, or a finite min and max (NaN propagates), means finite terms.
    known = {"min": np.min(sample), "max": np.max(sample)} if by_range else {"sum": np.sum(sample)}
    if all(math.isfinite(v) for v in known.values()):
        return sample, known, integral
    finite = np.isfinite(sample)
    if not finite.all():
        first = int(np.argmin(finite))
        raise DataError(f"the sample x has a non-finite observation: x[{first}] = {sample[first]}")
    return sample, known, integral


def fixed_values(problem: MLEProblem, given: Mapping[str, Any]) -> Values:
    """``{Symbol: value}`` for the problem's fixed parameters, from keyword values given by name.

    Raises ParameterError for a missing value, an unknown name, or a value the parameter's assumptions forbid.
    """
    by_name = {str(p): p for p in problem.fixed}
    for name in given:
        if name not in by_name:
            estimated = {str(p) for p in problem.wrt}
            role = "is estimated, not fixed" if name in estimated else "is not a parameter of the model"
            known = ", ".join(by_name) or "none"
            raise ParameterError(f"{name} {role}; the fixed parameters are: {known}")
    missing = [name for name in by_name if name not in given]
    if missing:
        example = ", ".join(f"{name}=..." for name in missing)
        raise ParameterError(f"missing value for the fixed parameter(s) {', '.join(missing)}: call est(x=..., {example})")
    return {by_name[name]: _parameter_value(by_name[name], value) for name, value in given.items()}


def _parameter_value(parameter: sp.Symbol, value: Any) -> float | int:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{parameter} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ParameterError(f"{parameter} must be finite, got {number}")
    if parameter.is_positive and number <= 0 or parameter.is_nonnegative and number < 0:
        raise ParameterError(f"{parameter} must be {'positive' if parameter.is_positive else 'non-negative'}, got {number}")
    if parameter.is_integer:
        if number != round(number):
            raise ParameterError(f"{parameter} must be an integer, got {number}")
        return int(round(number))
    return number


def outside_support(
    support: sp.Set, sample: np.ndarray, values: Mapping[sp.Symbol, Any], integral: bool = False
) -> np.ndarray | None:
    """A boolean mask of the observations outside ``support``, or None when none is (bounds that still hold
    unknown parameters are not checked).

    >>> outside_support(sp.Interval(0, sp.oo), np.array([1.0, -2.0]), {})
    array([False,  True])
    """
    inside = _inside(support.subs(values) if values else support, sample, integral)
    return None if inside is None else ~inside


def _inside(region: sp.Set, sample: np.ndarray, integral: bool = False) -> np.ndarray | None:
    """The mask of observations inside ``region``, or None when none was found outside (or none can be checked).

    Bounds are tested with min/max reductions first, so a valid sample costs no temporary array."""
    if isinstance(region, (sp.Interval, sp.Range, type(sp.S.Naturals), type(sp.S.Naturals0), type(sp.S.Integers))):
        masks = []
        if not (isinstance(region, sp.Interval) or integral):
            whole = sample == np.round(sample)
            masks += [] if whole.all() else [whole]
        lowest, highest = region.inf, region.sup
        open_low = isinstance(region, sp.Interval) and region.left_open
        open_high = isinstance(region, sp.Interval) and region.right_open
        if lowest.is_number and lowest.is_finite and sample.min() <= float(lowest):
            masks.append(sample > float(lowest) if open_low else sample >= float(lowest))
        if highest.is_number and highest.is_finite and sample.max() >= float(highest):
            masks.append(sample < float(highest) if open_high else sample <= float(highest))
        inside = np.logical_and.reduce(masks) if masks else None
        return None if inside is None or inside.all() else inside
    if isinstance(region, sp.FiniteSet) and all(e.is_number for e in region):
        inside = np.isin(sample, [float(e) for e in region])
        return None if inside.all() else inside
    if isinstance(region, sp.Intersection):
        parts = [p for p in (_inside(part, sample, integral) for part in region.args) if p is not None]
        return np.logical_and.reduce(parts) if parts else None
    if isinstance(region, sp.Union):
        union = [_inside(part, sample, integral) for part in region.args]
        # A part that holds everywhere (None) makes the whole union hold everywhere.
        members = [p for p in union if p is not None]
        return None if len(members) < len(union) else np.logical_or.reduce(members)
    return None


def _check_support(problem: MLEProblem, sample: np.ndarray, values: Values, integral: bool) -> None:
    needed = {p: v for p, v in values.items() if p in problem.support.free_symbols}  # subs costs ~30 us
    outside = outside_support(problem.support, sample, needed, integral)
    if outside is not None and outside.any():
        first = int(np.argmax(outside))
        raise DataError(
            f"{int(outside.sum())} observation(s) lie outside the support {problem.support} of the model, "
            f"the first x[{first}] = {sample[first]}"
        )


def log_likelihood(problem: MLEProblem) -> Callable[[np.ndarray, Values], float]:
    """``loglik(sample, {Symbol: value})``: the summed log-density of the sample at the given parameters.

    Outside the support it is ``-inf``; NaN (a density evaluated where it is undefined) counts as ``-inf`` too.
    """
    density = SampleFunction.of(problem.log_density, leading=(problem.observation,))

    def loglik(sample: np.ndarray, values: Values) -> float:
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
    if problem.closed_form:
        solve = _closed_form_solver(problem)
        method = "closed form: statistics of the sample, then the derived estimators"
    else:
        solve = _NumericSolver(problem)
        method = solve.method
    names = [str(p) for p in problem.wrt]
    # Validate through min and max when those are statistics and the mean of x is not (order-statistic estimators)
    plain = {s.reduction for s in problem.statistics if s.summand == problem.observation}
    by_range = bool(plain & {"min", "max"}) and not plain & {"sum", "mean"}

    def estimator(x: Any, **fixed: Any) -> dict[str, float]:
        sample, known, integral = _validated(x, by_range)
        values = fixed_values(problem, fixed)
        _check_support(problem, sample, values, integral)
        values[problem.sample_size] = np.float64(sample.size)
        values[_KNOWN] = known
        with np.errstate(all="ignore"):
            estimates = solve(sample, values)
        for parameter, estimate in zip(problem.wrt, estimates):
            if not _in_parameter_space(parameter, estimate):
                _check_bounded_at_the_edge(problem, parameter, sample, {**values, **dict(zip(problem.wrt, estimates))})
        return dict(zip(names, estimates))

    estimator.__name__ = estimator.__qualname__ = "mle_estimator"
    fixed_names = "".join(f", {p}=..." for p in problem.fixed)
    estimator.__doc__ = (
        f"Maximum-likelihood estimates of {', '.join(names)} for: {problem.title}.\n\n"
        f"Call as est(x=sample{fixed_names}); x has shape (n,). Method: {method}.\n"
    )
    return estimator


def _in_parameter_space(parameter: sp.Symbol, estimate: float) -> bool:
    """Whether ``estimate`` is a value the parameter's assumptions allow (finite; positive, non-negative)."""
    if parameter.is_positive:
        return math.isfinite(estimate) and estimate > 0
    return math.isfinite(estimate) and (estimate >= 0 or not parameter.is_nonnegative)


def _check_bounded_at_the_edge(problem: MLEProblem, parameter: sp.Symbol, sample: np.ndarray, at: Values) -> None:
    """An estimate on the edge of the parameter space (a success probability 0 on a sample of failures) is the
    maximum over its closure when the log-likelihood there is finite; otherwise (sigma = 0 on a constant sample:
    the likelihood grows without bound) there is no maximum, a DataError."""
    estimate = float(at[parameter])
    if math.isfinite(estimate) and math.isfinite(log_likelihood(problem)(sample, at)):
        return
    space = f"{parameter} > 0" if parameter.is_positive else f"{parameter} >= 0" if parameter.is_nonnegative else "finite"
    raise DataError(
        f"the maximum-likelihood estimate of {parameter} is {estimate} on this sample, outside the parameter space "
        f"({space}), where the likelihood is unbounded: it has no maximum (a degenerate sample, e.g. all "
        "observations equal?)"
    )


def _closed_form_solver(problem: MLEProblem) -> Callable[[np.ndarray, Values], list[float]]:
    from symml.mle.power_statistics import power_statistics

    scaled = power_statistics(problem)
    plan = _Plan(problem, scaled=scaled)
    # mean(b^k) = m^k T: the positive scale m comes out of the roots and powers of the closed forms by SymPy's own
    # evaluation (sqrt(m^2 T) = m sqrt(T)), so sigma at 1e200 is m * sqrt(T), never sqrt(1e400).
    in_scaled = {symbol: scale ** statistic.summand.as_base_exp()[1] * symbol
                 for symbol, (statistic, scale, _) in scaled.items()}
    formulas = [SampleFunction.of(sp.sympify(problem.estimators[p]).xreplace(in_scaled)) for p in problem.wrt]

    def solve(sample: np.ndarray, values: Values) -> list[float]:
        plan.complete(sample, values)
        return [float(_evaluate(formula, values, p)) for formula, p in zip(formulas, problem.wrt)]

    return solve


def _evaluate(formula: SampleFunction, values: Values, what: Any) -> Any:
    missing = formula.needs(values)
    if missing:
        raise UnsupportedOperationError(
            f"the expression for {what} uses {', '.join(map(str, missing))}, which is neither a statistic, "
            "the sample size, nor a parameter"
        )
    return formula(values)


class _NumericSolver(SelfChecks):
    """Estimates for a problem without a closed form. A stationarity equation ``Eq(theta, expression in the
    others)`` profiles theta out (as do the closed forms in ``problem.estimators``); what remains is solved by
    root finding (brentq for one equation in one unknown, whatever data sums it keeps; hybr for a square system
    in statistics) and otherwise by maximising the mean log-likelihood in the unknowns left."""

    def __init__(self, problem: MLEProblem):
        from symml.mle.scaled_sums import ScaledSums  # it compiles through SampleFunction, defined here

        self.problem = problem
        unsolved = [p for p in problem.wrt if p not in problem.estimators]
        profiles = {
            e.lhs: e.rhs for e in problem.stationarity if e.lhs in unsolved and not sp.sympify(e.rhs).has(e.lhs)
        }
        self.unknowns = tuple(p for p in unsolved if p not in profiles)
        closed = {**problem.estimators, **profiles}
        residuals = [
            sp.sympify(e.lhs - e.rhs).subs(closed) for e in problem.stationarity if e.lhs not in profiles
        ]
        self.sums = ScaledSums(residuals + list(closed.values()), problem.observation, problem.sample_size,
                               self.unknowns)
        square = bool(residuals) and len(residuals) == len(self.unknowns)
        self.by_roots = square and (len(self.unknowns) == 1 or not self.sums.symbols)
        self.residuals = self._compiled([self.sums.for_sign(r) for r in residuals]) if self.by_roots else None
        self.by_roots = self.residuals is not None
        self.profiled = {p: SampleFunction.of(self.sums.for_value(e)) for p, e in closed.items()}
        # A start costs passes over the data (moments, a median); growing a bracket for one equation free of data
        # sums costs only scalar evaluations, so there the generic start 1 is cheaper than the guess.
        scalar_root = self.by_roots and len(self.unknowns) == 1 and not self.sums.symbols
        guesses = {} if scalar_root else problem.initial_guess
        self.guesses = {p: SampleFunction.of(guesses[p]) for p in self.unknowns if p in guesses}
        used = [*(self.residuals or ()), *self.profiled.values(), *self.guesses.values(), *self.sums.functions()]
        self.plan = _Plan(problem, {a for f in used for a in f.arguments} | {problem.observation})
        self.log_density = SampleFunction.of(problem.log_density, leading=(problem.observation,))
        # The log split over products and powers: finite where the density's factors under- or overflow separately
        # (x^(k - 1) and theta^k at x ~ 1e-300); a term is undefined only where neither form is a real number.
        self.split_log_density = SampleFunction.of(sp.expand_log(problem.log_density, force=True),
                                                   leading=(problem.observation,))
        # None where NumPy has no derivative of a special function in it (zeta): BFGS then differences numerically
        self.scores = self._compiled([sp.diff(problem.log_density, u) for u in self.unknowns], problem.observation)
        unknowns = ", ".join(map(str, self.unknowns))
        start = "the method-of-moments guess" if self.guesses else "1"
        if self.by_roots and len(self.unknowns) == 1:
            how = f"brentq on the stationarity equation in {unknowns}, bracketed by growing an interval from {start}"
            if self.sums.symbols:
                how += " (its sums over the sample evaluated vectorised, shifted against overflow)"
        elif self.by_roots:
            how = f"scipy.optimize.root (hybr) on the stationarity equations in {unknowns}, from {start}"
        else:
            gradient = "score as gradient" if self.scores is not None else "gradient by finite differences"
            how = f"scipy.optimize.minimize (BFGS, {gradient}) of the negative mean log-likelihood in {unknowns}, from {start}"
        profiled = [str(p) for p in problem.wrt if p in closed]
        if profiled:
            how += f"; {', '.join(profiled)} from the closed form given {unknowns}"
        self.method = (
            f"numeric (no closed form): {how}. Checked on every sample: the log-likelihood is not known to be concave, "
            "so the estimate is compared with a multi-start search (the log-likelihood at starts spread over the "
            "parameter range and the sample's quantiles, a local maximisation from each better one, the best kept); "
            "it must give a real, finite log-density at every observation and a density that is nowhere negative on "
            "the support, and the second-order condition (a finite-difference Hessian) is evaluated at it"
        )

    @staticmethod
    def _compiled(exprs: Sequence[sp.Expr], observation: sp.Symbol | None = None) -> list[SampleFunction] | None:
        leading = (observation,) if observation is not None else ()
        try:
            return [SampleFunction.of(e, leading=leading) for e in exprs]
        except UnsupportedOperationError:
            return None

    def __call__(self, sample: np.ndarray, values: Values) -> list[float]:
        self.plan.complete(sample, values)
        self.sums.prepare(sample, values)
        start = self._valid_start(sample, values, self._start(values))
        try:
            solution = self._root(sample, values, start) if self.by_roots else None
            if solution is None:
                solution = self._maximise(sample, values, start)
        except DataError as failure:
            # An observation where the log-density is infinite for some parameters is the clearer reason
            for tried in [start, *self._candidates(sample, start)]:
                self._check_terms(sample, values, tried, "a point the solver tried", undefined_too=False)
            solution, improved = self._best_of_starts(sample, values, start)
            if not improved:
                raise failure
        solution, _ = self._best_of_starts(sample, values, solution)
        self._check_terms(sample, values, solution, "the estimate")
        self._check_density_on_support(sample, values, solution)
        self._check_maximum(sample, values, solution)
        final = self._at(sample, values, solution, profiled=True)
        return [float(final[p]) for p in self.problem.wrt]

    def _at(self, sample: np.ndarray, values: Values, unknowns: np.ndarray | Sequence[float], profiled: bool) -> Values:
        """The values with the unknowns set, their statistics and sums computed and, ``profiled``, the profiled
        parameters evaluated."""
        at = dict(values)
        at.update(zip(self.unknowns, unknowns))
        self.plan.complete(sample, at)
        self.sums.evaluate(at)
        for parameter, formula in self.profiled.items() if profiled else ():
            at[parameter] = _evaluate(formula, at, parameter)
        return at

    def _start(self, values: Values) -> np.ndarray:
        start = []
        for unknown in self.unknowns:
            guess = float(_evaluate(self.guesses[unknown], values, unknown)) if unknown in self.guesses else math.nan
            if not math.isfinite(guess) or (unknown.is_positive and guess <= 0):
                guess = 1.0  # an unusable method-of-moments guess (e.g. a moment that does not exist)
            start.append(guess)
        return np.array(start)

    def _to_free(self, theta: np.ndarray) -> np.ndarray:
        return np.array([math.log(t) if u.is_positive else t for u, t in zip(self.unknowns, theta)])

    def _from_free(self, z: np.ndarray) -> np.ndarray:
        return np.array([math.exp(min(t, 700.0)) if u.is_positive else t for u, t in zip(self.unknowns, z)])

    def _residual(self, sample: np.ndarray, values: Values, theta: np.ndarray | Sequence[float]) -> np.ndarray:
        at = self._at(sample, values, theta, profiled=False)
        return np.array([float(r(at)) for r in self.residuals or ()])

    def _root(self, sample: np.ndarray, values: Values, start: np.ndarray) -> np.ndarray | None:
        from scipy import optimize

        if len(self.unknowns) == 1:
            unknown = self.unknowns[0]
            f = lambda t: self._residual(sample, values, [t])[0]  # noqa: E731
            bracket = _bracket(f, float(start[0]), bool(unknown.is_positive))
            if bracket is None:
                return None
            return np.array([optimize.brentq(f, *bracket, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)])
        result = optimize.root(
            lambda z: self._residual(sample, values, self._from_free(z)), self._to_free(start), method="hybr", tol=1e-14
        )
        solution = self._from_free(result.x)
        residual = self._residual(sample, values, solution)
        # hybr reports "not making good progress" once it stalls at rounding level: accept a near-zero residual
        # (statistics are means, so residuals are per-observation sized) rather than fall back to maximising
        converged = result.success or bool(np.max(np.abs(residual)) <= 1e-10)
        return solution if converged and np.all(np.isfinite(residual)) else None

    def _maximise(self, sample: np.ndarray, values: Values, start: np.ndarray) -> np.ndarray:
        from scipy import optimize

        observation = self.problem.observation
        n = sample.size

        def negative_mean_log_likelihood(z: np.ndarray) -> tuple[float, np.ndarray]:
            theta = self._from_free(z)
            at = {**self._at(sample, values, theta, profiled=True), observation: sample}
            value = -float(np.sum(np.broadcast_to(self.log_density(at), sample.shape))) / n
            scores = [float(np.sum(np.broadcast_to(s(at), sample.shape))) / n for s in self.scores or ()]
            chain = [t if u.is_positive else 1.0 for u, t in zip(self.unknowns, theta)]
            gradient = -np.array(scores) * np.array(chain)
            if not (math.isfinite(value) and np.all(np.isfinite(gradient))):
                return math.inf, np.zeros_like(z)
            return value, gradient

        def value_only(z: np.ndarray) -> float:
            return -self._mean_log_likelihood(sample, values, self._from_free(z))

        if self.scores is None:
            result = optimize.minimize(value_only, self._to_free(start), method="BFGS", options={"gtol": 1e-8})
            tolerance = 1e-5  # a finite-difference gradient is noisier
        else:
            result = optimize.minimize(
                negative_mean_log_likelihood, self._to_free(start), jac=True, method="BFGS", options={"gtol": 1e-11}
            )
            tolerance = 1e-6
        steepest = float(np.max(np.abs(result.jac))) if np.all(np.isfinite(result.jac)) else math.inf
        if not np.isfinite(result.fun) or steepest > tolerance:
            raise DataError(
                f"the numeric maximisation of the log-likelihood in {', '.join(map(str, self.unknowns))} did not "
                f"converge on this sample: it stopped where the score is {steepest:.3g}, not 0 ({result.message})"
            )
        return self._from_free(result.x)


def _bracket(f: Callable[[float], float], guess: float, positive: bool) -> tuple[float, float] | None:
    """An interval around ``guess`` where ``f`` changes sign, grown geometrically; None if there is none."""
    at_guess = f(guess)
    if not math.isfinite(at_guess):
        return None
    if at_guess == 0.0:
        return guess, guess
    width = max(abs(guess), 1.0)
    previous = {"below": guess, "above": guess}
    for k in range(1, 80):
        for side in ("below", "above"):
            if positive:
                point = guess / 2.0**k if side == "below" else guess * 2.0**k
            else:
                point = guess - width * (2.0**k - 1) if side == "below" else guess + width * (2.0**k - 1)
            value = f(point)
            if math.isfinite(value) and (value > 0) != (at_guess > 0):
                return (point, previous[side]) if side == "below" else (previous[side], point)
            if math.isfinite(value):
                previous[side] = point
    return None
