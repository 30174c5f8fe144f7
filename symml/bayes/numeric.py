"""``numpy()`` of a posterior (its normalised log-density, ``logpdf(p=grid, x=data, a=2.0, b=3.0)``) and of its
evidence (``log_z(x=data, a=2.0, b=3.0)``).

The statistics are reduced from the data once per call, then the log-density is evaluated over the parameter
array; -inf outside the posterior's support. A posterior with no recognised family is normalised numerically:
log Z = log of the integral of exp(log-kernel) over the support (scipy.integrate.quad, shifted by the kernel's
maximum on a grid so that exp does not overflow); for a parameter on finitely many values or on the integers, log of
the sum of exp(log-kernel) over them (:mod:`symml.bayes.discrete_normaliser`: a series summed until its terms are
negligible).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np
import sympy as sp
from scipy import integrate
from scipy.special import logsumexp
from sympy.stats.rv import RandomSymbol

from symml.bayes.centring import centred_log_density
from symml.bayes.discrete_normaliser import discrete_log_weights
from symml.bayes.evidence import EvidenceProblem
from symml.bayes.kernel import PosteriorKernel
from symml.bayes.posterior import PosteriorProblem
from symml.bayes.predictive import PredictiveProblem
from symml.errors import DataError, ParameterError, UnsupportedOperationError
from symml.gaussian.overflow_safe import overflow_safe
from symml.mle.likelihood import split_logs
from symml.mle.numeric import SampleFunction
from symml.mle.problem import Statistic
from symml.mle.sample_data import refuse_outside_support
from symml.mle.statistics import StatisticTable, statistic_symbols
from symml.operations import numpy_function

__all__ = ["SampleKernel", "log_special", "log_density_given_data", "is_discrete", "posterior_log_density", "statistic_values", "named_values",
           "sample_of", "elementwise"]

_REDUCE: dict[str, Callable[..., Any]] = {"mean": np.mean, "sum": np.sum, "min": np.min, "max": np.max, "median": np.median}


@dataclass(frozen=True)
class SampleKernel:
    """An expression in statistics, parameters and sums over the sample that no statistic carries (Σᵢ log(1 +
    (xᵢ − θ)²) of a Cauchy likelihood: no sufficient statistic), evaluated at ``values`` that hold the sample under
    the observation's symbol: each such sum is its summand over the sample on a leading axis, summed along it
    (broadcast over arrays of parameters)."""

    formula: SampleFunction
    sums: tuple[tuple[sp.Symbol, SampleFunction], ...]
    observation: sp.Symbol

    @classmethod
    def of(cls, expr: sp.Expr, table: StatisticTable) -> "SampleKernel":
        indexed, x = table.indexed, table.observation
        sums = sorted((s for s in expr.atoms(sp.Sum) if s.has(indexed)), key=sp.default_sort_key)
        symbols = [sp.Dummy(f"sum{k}") for k in range(len(sums))]
        return cls(SampleFunction.of(expr.xreplace(dict(zip(sums, symbols)))),
                   tuple((symbol, SampleFunction.of(s.function.subs(indexed, x), leading=(x,)))
                         for symbol, s in zip(symbols, sums)), x)

    @property
    def arguments(self) -> set[sp.Symbol]:
        """The symbols it needs besides the sample."""
        summed = {symbol for symbol, _ in self.sums}
        return (set(self.formula.arguments) | {a for _, f in self.sums for a in f.arguments}) - summed \
            - {self.observation}

    def __call__(self, values: Mapping[sp.Symbol, Any]) -> Any:
        if not self.sums:
            return self.formula(values)
        sample = np.asarray(values[self.observation], dtype=float)
        shape = np.broadcast_shapes(*(np.shape(values[a]) for _, f in self.sums for a in f.arguments
                                      if a != self.observation))
        column = {self.observation: sample.reshape(sample.shape + (1,) * len(shape))}
        sums = {symbol: np.sum(np.broadcast_to(f({**values, **column}), sample.shape + shape), axis=0)
                for symbol, f in self.sums}
        return self.formula({**values, **sums})


def log_special(expr: sp.Expr) -> sp.Expr:
    """log Gamma, log B, log k! and log C(m, k) through loggamma, which does not overflow for large arguments
    (a + n xbar; a Binomial's 980 trials, whose C(980, x) SymPy's printer writes out as a 2,000-digit integer).

    loggamma is built unevaluated: SymPy turns loggamma(k) of a positive integer k back into log(gamma(k)) (the
    Beta(1, 1) prior of a Binomial with 980 trials gives log Gamma(980 n + 2), whose gamma overflows)."""
    def loggamma(z: sp.Expr) -> sp.Expr:
        return sp.loggamma(z, evaluate=False)

    for kind, value in ((sp.beta, lambda a, b: loggamma(a) + loggamma(b) - loggamma(a + b)),
                        (sp.gamma, loggamma), (sp.factorial, lambda k: loggamma(k + 1)),
                        (sp.binomial, lambda m, k: loggamma(m + 1) - loggamma(k + 1) - loggamma(m - k + 1))):
        expr = expr.replace(lambda e, kind=kind: isinstance(e, sp.log) and isinstance(e.args[0], kind),
                            lambda e, value=value: value(*e.args[0].args))
    return expr


def elementwise(expr: sp.Expr) -> sp.Expr:
    """[x = k] as a Piecewise, which NumPy evaluates elementwise (KroneckerDelta lambdifies to a scalar test)."""
    return expr.replace(lambda e: isinstance(e, sp.KroneckerDelta),
                        lambda e: sp.Piecewise((1, sp.Eq(*e.args)), (0, True)))


def statistic_values(statistics: tuple[Statistic, ...], observation: sp.Symbol, sample_size: sp.Symbol,
                     sample: np.ndarray, values: Mapping[sp.Symbol, Any]) -> dict[sp.Symbol, Any]:
    """``values`` with n and each statistic reduced from ``sample``, in order (later ones may use earlier ones)."""
    found = {**values, sample_size: sample.size}
    for statistic in statistics:
        if statistic.summand == observation:
            terms = sample
        else:
            summand = SampleFunction.of(log_special(elementwise(statistic.summand)), leading=(observation,))
            terms = np.broadcast_to(summand({**found, observation: sample}), sample.shape)
        found[statistic.symbol] = _REDUCE[statistic.reduction](terms)
    # a NaN or inf in the data makes their sum or mean non-finite, so a finite one proves the data finite without a
    # scan of its own (which costs as much as the reduction); an indicator [x = k] would hide a NaN, so no other
    # statistic proves it
    proofs = [found[s.symbol] for s in statistics if s.summand == observation and s.reduction in ("mean", "sum")]
    if not (proofs and np.all(np.isfinite(proofs))) and not np.all(np.isfinite(sample)):
        raise DataError("the data must be a non-empty array of finite numbers")
    return found


def named_values(symbols: set[sp.Symbol], given: Mapping[str, Any], what: str) -> dict[sp.Symbol, Any]:
    """``{symbol: given[symbol.name]}``, failing with the names of the missing ones."""
    missing = sorted(s.name for s in symbols if s.name not in given)
    if missing:
        raise ParameterError(f"{what} needs values for {', '.join(missing)}; pass them by name")
    return {s: np.asarray(given[s.name], dtype=float) for s in symbols}


def taking_the_sample_first(function: Callable[..., Any], observation: sp.Symbol) -> Callable[..., Any]:
    """``function(**given)`` that also takes the sample first, positionally, as an MLE's estimator does
    (``estimate(data)``): called so, the MAP, the summaries and the evidence raised a raw TypeError."""
    @functools.wraps(function)
    def taking(*sample: Any, **given: Any) -> Any:
        if len(sample) > 1 or sample and observation.name in given:
            raise ParameterError(f"pass the sample once, first or as {observation.name}=, and the rest by name")
        return function(**({observation.name: sample[0]} if sample else {}), **given)

    return taking


def sample_of(given: Mapping[str, Any], observation: sp.Symbol, kernel: PosteriorKernel | None = None) -> np.ndarray:
    """The data given by name, flat; with the ``kernel`` of the posterior, checked against its likelihood's support
    as an MLE's sample is (a Bernoulli MAP of data [2, 3, 5] was p = 1.0, a Poisson evidence of [0.5, 1.0] a number)."""
    if observation.name not in given:
        raise DataError(f"pass the data as {observation.name}=array")
    sample = np.asarray(given[observation.name], dtype=float).ravel()
    if sample.size == 0:
        raise DataError("the data must be a non-empty array of finite numbers")
    if kernel is not None:
        refuse_outside_support(kernel.likelihood.support, sample, {})
    return sample


def _intervals(support: sp.Set, count: int) -> list[tuple[SampleFunction, SampleFunction] | None]:
    """Each parameter's support ends as functions of the statistics (None: no interval to check)."""
    sets = support.sets if isinstance(support, sp.ProductSet) else (support,) * count
    return [(SampleFunction.of(s.inf), SampleFunction.of(s.sup)) if isinstance(s, sp.Interval) else None
            for s in sets]


#: How far off the simplex a point may be and still count as on it (rounding of p_1 + ... + p_K).
ON_CONSTRAINT = 1e-9


def _unexpanded(variable: Any, at: sp.Symbol, expanded: sp.Expr) -> sp.Expr:
    """The log-density of a recognised family (a sympy.stats variable) at ``at`` as the family writes it, logs split
    but powers not expanded: -(θ - m)²/(2s²) - log s - log(2π)/2 for a Normal; else ``expanded``. The expanded form
    shown in the steps cancels terms of size n x̄² θ² (data near 1e6, n = 10⁴: 1e16, all digits lost) where this
    one subtracts first."""
    if not isinstance(variable, RandomSymbol):
        return expanded
    written = split_logs(sp.log(variable.pspace.distribution.pdf(at)))
    return expanded if written.has(sp.Piecewise) else written


def log_density_given_data(problem: PosteriorProblem, normalised: bool = True) -> Callable[..., Callable[..., Any]]:
    """``given_data(x=data, a=2.0)`` -> the normalised posterior log-density as a NumPy function of the parameters
    by name, the statistics (and a numeric normaliser) computed once for that data; not ``normalised``, the
    log-kernel as the posterior is written (no normaliser computed: a caller that sums the weights itself)."""
    thetas, x = problem.parameters, problem.observation
    written = _unexpanded(problem.distribution, thetas[0], problem.log_density) if problem.normalised and len(
        thetas) == 1 else problem.log_density
    # raw second moments through the spread: n mean(x²) − n x̄² cancels every digit for data near 1e6
    written = centred_log_density(written, problem.kernel.table, thetas)
    statistics = problem.kernel.table.records(statistic_symbols(written) | {s.symbol for s in problem.statistics})
    log_density = SampleKernel.of(overflow_safe(log_special(written)), problem.kernel.table)
    intervals = _intervals(problem.support, len(thetas))
    constraints = [SampleFunction.of(e) for e in problem.kernel.equalities]
    ends = [f for pair in intervals if pair is not None for f in pair]
    derived = {problem.sample_size} | {s.symbol for s in statistics} | set(thetas)
    needed = (set(log_density.arguments) | {a for f in ends + constraints for a in f.arguments}) - derived
    needed |= {s for st in statistics for s in st.summand.free_symbols} - derived - {x}
    if not problem.normalised and len(thetas) > 1:
        raise UnsupportedOperationError("a joint posterior with no recognised family has no numpy() density: its "
                                        "normalising constant would need a multi-dimensional quadrature")

    # on the integers from the support's lower end (x₍ₙ₎ for a Binomial's N): below it, or off the integers, 0
    low_end = SampleFunction.of(_lowest(problem.support)) if is_discrete(problem) and not isinstance(
        problem.support, sp.FiniteSet) else None
    if low_end is not None:
        needed |= set(low_end.arguments) - derived

    def inside(values: dict, at: dict) -> np.ndarray:
        shape = np.broadcast_shapes(*(np.shape(v) for v in at.values()))
        ok = np.ones(shape, dtype=bool)
        if low_end is not None:
            ok &= (at[thetas[0]] >= low_end(values)) & (np.floor(at[thetas[0]]) == at[thetas[0]])
        for theta, pair in zip(thetas, intervals):
            if pair is not None:
                ok &= (at[theta] >= pair[0](values)) & (at[theta] <= pair[1](values))
        for constraint in constraints:
            ok &= np.abs(constraint({**values, **at})) <= ON_CONSTRAINT
        return ok

    def evaluate(values: dict, at: dict) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            inner = np.asarray(log_density({**values, **at}), dtype=float)
        ok = inside(values, at)
        return np.where(ok, inner * np.ones(ok.shape), -np.inf)


    def log_normaliser(values: dict) -> float:
        (theta,), pair = thetas, intervals[0]
        if is_discrete(problem):  # a finite sum over the prior's values, or a series over the integers
            points = [float(p) for p in problem.support.args] if isinstance(problem.support, sp.FiniteSet) else None
            low = float(low_end(values)) if low_end is not None else 0.0
            weights = discrete_log_weights(lambda t: evaluate(values, {theta: t}), points, low)[1]
            return float(logsumexp(weights))
        low, high = (float(pair[0](values)), float(pair[1](values))) if pair else (-np.inf, np.inf)
        # a window of the support near 0, or beside its finite end where that lies beyond ±50 (N ≥ 203)
        start = low if np.isfinite(low) and low > -50.0 else min(-50.0, high - 100.0)
        probe = np.linspace(start, min(high, max(50.0, start + 100.0)), 2001)[1:-1]
        shift = np.max(evaluate(values, {theta: probe}))
        area, _ = integrate.quad(lambda t: np.exp(evaluate(values, {theta: np.asarray(t)}) - shift), low, high,
                                 limit=200)
        return float(shift + np.log(area))

    def given_data(**given: Any) -> Callable[..., Any]:
        """The log-density at the parameters by name, for this data and these other symbols: the statistics and
        the numeric normaliser computed once (a quadrature over the density then costs no quadrature per point)."""
        sample = sample_of(given, x, problem.kernel)
        values = statistic_values(statistics, x, problem.sample_size, sample,
                                  named_values(needed, given, "the posterior log-density"))
        values[x] = sample  # for the sums over it that no statistic carries
        log_z = 0.0 if problem.normalised or not normalised else log_normaliser(values)

        def at_parameters(**parameters: Any) -> Any:
            result = evaluate(values, named_values(set(thetas), parameters, "the posterior log-density")) - log_z
            return result if result.ndim else float(result)

        return at_parameters

    return given_data


def _lowest(support: sp.Set) -> sp.Expr:
    """The support's lower end; of an intersection (the integers from x₍ₙ₎ up) the largest of its parts' ends."""
    try:
        return support.inf
    except NotImplementedError:
        ends = []
        for part in support.args if isinstance(support, sp.Intersection) else ():
            try:
                ends.append(part.inf)
            except NotImplementedError:
                continue
        return sp.Max(*ends) if ends else sp.S.Zero


def is_discrete(problem: PosteriorProblem) -> bool:
    """Whether the one parameter takes finitely many values or integer ones: its normaliser is a sum."""
    return len(problem.parameters) == 1 and (isinstance(problem.support, sp.FiniteSet)
                                             or bool(problem.parameters[0].is_integer))


def posterior_log_density(problem: PosteriorProblem) -> Callable[..., Any]:
    """The normalised posterior log-density as a NumPy function of the parameters, the data and the rest by name."""
    given_data, thetas = log_density_given_data(problem), problem.parameters
    names = {t.name for t in thetas}

    def logpdf(*positional: Any, **given: Any) -> Any:
        if positional:
            if len(thetas) != 1:
                raise ParameterError(f"pass the parameters {', '.join(t.name for t in thetas)} by name")
            given = {thetas[0].name: positional[0], **given}
        at = given_data(**{k: v for k, v in given.items() if k not in names})
        return at(**{k: v for k, v in given.items() if k in names})

    return logpdf


@numpy_function.register(PosteriorProblem)
def _(problem: PosteriorProblem, derivation: Any, **options: Any) -> Callable[..., Any]:
    return posterior_log_density(problem)


def _of_the_data(expr: sp.Expr, problem: EvidenceProblem | PredictiveProblem, what: str,
                 argument: sp.Symbol | None = None) -> Callable[..., Any]:
    """``expr`` (through n and the statistics) as a NumPy function of the data, ``argument`` and the rest by name."""
    x = problem.observation
    formula = SampleFunction.of(log_special(expr))
    derived = {problem.sample_size, argument} | {s.symbol for s in problem.statistics}
    needed = (set(formula.arguments) | {s for st in problem.statistics for s in st.summand.free_symbols}) - derived \
        - {x}

    def evaluate(*positional: Any, **given: Any) -> Any:
        if positional:  # which of the sample and the new points? Both are arrays.
            raise ParameterError(f"pass the data by name: {x.name}=..."
                                 + (f" and {argument.name}=..." if argument is not None else ""))
        sample = sample_of(given, x, problem.posterior.kernel)
        values = statistic_values(problem.statistics, x, problem.sample_size, sample, named_values(needed, given, what))
        if argument is not None:
            values.update(named_values({argument}, given, what))
        return formula(values)

    return evaluate


@numpy_function.register(EvidenceProblem)
def _evidence(problem: EvidenceProblem, derivation: Any, **options: Any) -> Callable[..., float]:
    """log Z as a NumPy function of the data and the hyperparameters, by name: ``log_z(x=data, a=2.0, b=3.0)``."""
    log_evidence = _of_the_data(problem.log_evidence, problem, "the log evidence")
    return taking_the_sample_first(lambda **given: float(log_evidence(**given)), problem.observation)


@numpy_function.register(PredictiveProblem)
def _predictive(problem: PredictiveProblem, derivation: Any, **options: Any) -> Callable[..., Any]:
    """log p(x_new | x), vectorised over x_new: ``log_p(x_new=points, x=data, a=2.0, b=3.0)``."""
    written = _unexpanded(problem.distribution, problem.new_observation, problem.log_predictive)
    return _of_the_data(written, problem, "the posterior predictive", problem.new_observation)
