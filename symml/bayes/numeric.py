"""``numpy()`` of a posterior (its normalised log-density, ``logpdf(p=grid, x=data, a=2.0, b=3.0)``) and of its
evidence (``log_z(x=data, a=2.0, b=3.0)``).

The statistics are reduced from the data once per call, then the log-density is evaluated over the parameter
array; -inf outside the posterior's support. A posterior with no recognised family is normalised numerically:
log Z = log of the integral of exp(log-kernel) over the support (scipy.integrate.quad, shifted by the kernel's
maximum on a grid so that exp does not overflow).
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np
import sympy as sp
from scipy import integrate

from symml.bayes.evidence import EvidenceProblem
from symml.bayes.posterior import PosteriorProblem
from symml.bayes.predictive import PredictiveProblem
from symml.errors import DataError, ParameterError, UnsupportedOperationError
from symml.mle.numeric import SampleFunction
from symml.mle.problem import Statistic
from symml.operations import numpy_function

__all__ = ["posterior_log_density", "statistic_values", "named_values", "sample_of", "elementwise"]

_REDUCE: dict[str, Callable[..., Any]] = {"mean": np.mean, "sum": np.sum, "min": np.min, "max": np.max, "median": np.median}


def _log_special(expr: sp.Expr) -> sp.Expr:
    """log Gamma and log B through loggamma, which does not overflow for large arguments (a + n xbar)."""
    expr = expr.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.beta),
                        lambda e: sp.loggamma(e.args[0].args[0]) + sp.loggamma(e.args[0].args[1])
                        - sp.loggamma(e.args[0].args[0] + e.args[0].args[1]))
    return expr.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.gamma),
                        lambda e: sp.loggamma(e.args[0].args[0]))


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
            summand = SampleFunction.of(elementwise(statistic.summand), leading=(observation,))
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


def sample_of(given: Mapping[str, Any], observation: sp.Symbol) -> np.ndarray:
    if observation.name not in given:
        raise DataError(f"pass the data as {observation.name}=array")
    sample = np.asarray(given[observation.name], dtype=float).ravel()
    if sample.size == 0:
        raise DataError("the data must be a non-empty array of finite numbers")
    return sample


def _intervals(support: sp.Set, count: int) -> list[tuple[SampleFunction, SampleFunction] | None]:
    """Each parameter's support ends as functions of the statistics (None: no interval to check)."""
    sets = support.sets if isinstance(support, sp.ProductSet) else (support,) * count
    return [(SampleFunction.of(s.inf), SampleFunction.of(s.sup)) if isinstance(s, sp.Interval) else None
            for s in sets]


#: How far off the simplex a point may be and still count as on it (rounding of p_1 + ... + p_K).
ON_CONSTRAINT = 1e-9


def posterior_log_density(problem: PosteriorProblem) -> Callable[..., Any]:
    """The normalised posterior log-density as a NumPy function of the parameters, the data and the rest by name."""
    thetas, x = problem.parameters, problem.observation
    log_density = SampleFunction.of(_log_special(problem.log_density))
    intervals = _intervals(problem.support, len(thetas))
    constraints = [SampleFunction.of(e) for e in problem.kernel.equalities]
    ends = [f for pair in intervals if pair is not None for f in pair]
    derived = {problem.sample_size} | {s.symbol for s in problem.statistics} | set(thetas)
    needed = (set(log_density.arguments) | {a for f in ends + constraints for a in f.arguments}) - derived
    needed |= {s for st in problem.statistics for s in st.summand.free_symbols} - derived - {x}
    if not problem.normalised and len(thetas) > 1:
        raise UnsupportedOperationError("a joint posterior with no recognised family has no numpy() density: its "
                                        "normalising constant would need a multi-dimensional quadrature")

    def inside(values: dict, at: dict) -> np.ndarray:
        shape = np.broadcast_shapes(*(np.shape(v) for v in at.values()))
        ok = np.ones(shape, dtype=bool)
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
        low, high = (float(pair[0](values)), float(pair[1](values))) if pair else (-np.inf, np.inf)
        probe = np.linspace(max(low, -50.0), min(high, 50.0), 2001)[1:-1]
        shift = np.max(evaluate(values, {theta: probe}))
        area, _ = integrate.quad(lambda t: np.exp(evaluate(values, {theta: np.asarray(t)}) - shift), low, high,
                                 limit=200)
        return float(shift + np.log(area))

    def logpdf(*positional: Any, **given: Any) -> Any:
        if positional:
            if len(thetas) != 1:
                raise ParameterError(f"pass the parameters {', '.join(t.name for t in thetas)} by name")
            given = {thetas[0].name: positional[0], **given}
        sample = sample_of(given, x)
        values = statistic_values(problem.statistics, x, problem.sample_size, sample,
                                  named_values(needed, given, "the posterior log-density"))
        at = named_values(set(thetas), given, "the posterior log-density")
        result = evaluate(values, at)
        if not problem.normalised:
            result = result - log_normaliser(values)
        return result if result.ndim else float(result)

    return logpdf


@numpy_function.register(PosteriorProblem)
def _(problem: PosteriorProblem, derivation: Any, **options: Any) -> Callable[..., Any]:
    return posterior_log_density(problem)


def _of_the_data(expr: sp.Expr, problem: EvidenceProblem | PredictiveProblem, what: str,
                 argument: sp.Symbol | None = None) -> Callable[..., Any]:
    """``expr`` (through n and the statistics) as a NumPy function of the data, ``argument`` and the rest by name."""
    x = problem.observation
    formula = SampleFunction.of(_log_special(expr))
    derived = {problem.sample_size, argument} | {s.symbol for s in problem.statistics}
    needed = (set(formula.arguments) | {s for st in problem.statistics for s in st.summand.free_symbols}) - derived \
        - {x}

    def evaluate(**given: Any) -> Any:
        sample = sample_of(given, x)
        values = statistic_values(problem.statistics, x, problem.sample_size, sample, named_values(needed, given, what))
        if argument is not None:
            values.update(named_values({argument}, given, what))
        return formula(values)

    return evaluate


@numpy_function.register(EvidenceProblem)
def _evidence(problem: EvidenceProblem, derivation: Any, **options: Any) -> Callable[..., float]:
    """log Z as a NumPy function of the data and the hyperparameters, by name: ``log_z(x=data, a=2.0, b=3.0)``."""
    log_evidence = _of_the_data(problem.log_evidence, problem, "the log evidence")
    return lambda **given: float(log_evidence(**given))


@numpy_function.register(PredictiveProblem)
def _predictive(problem: PredictiveProblem, derivation: Any, **options: Any) -> Callable[..., Any]:
    """log p(x_new | x), vectorised over x_new: ``log_p(x_new=points, x=data, a=2.0, b=3.0)``."""
    return _of_the_data(problem.log_predictive, problem, "the posterior predictive", problem.new_observation)
