"""``verify()`` of the Bayesian derivations: each ``numpy()`` against likelihood x prior computed independently.

The independent side never uses the derived kernel: it sums the likelihood model's own log-density over a probe
sample and adds the prior model's log-density (both lambdified as the user or sympy.stats wrote them), then

- posterior: normalises that by scipy.integrate.quad over the support and compares at points across it;
- MAP: maximises it with scipy.optimize (bounded Brent; SLSQP on the simplex for a constrained MAP);
- evidence: integrates it (quad); predictive: the ratio of the integrals with and without the new point;
- summaries: the mean, variance and quantiles of the quadrature-normalised posterior.

The probe sample lies in the likelihood's support (its values in turn for a finite support, small counts on the
naturals, points above the lower end of an interval); the other symbols get values from their assumptions
(positive 2.5, integer 5, real 0.3) unless ``at`` gives them. A posterior in several parameters (and its
evidence, predictive and marginals) is normalised by nested quadrature instead (:mod:`symml.bayes.joint_quadrature`).
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np
import sympy as sp
from scipy import integrate, optimize

from symml.bayes.evidence import EvidenceProblem
from symml.bayes.joint_quadrature import joint_law, joint_mode
from symml.bayes.kernel import PosteriorKernel
from symml.bayes.map import MAPProblem
from symml.bayes.numeric import elementwise, log_special
from symml.bayes.posterior import PosteriorProblem
from symml.bayes.predictive import PredictiveProblem
from symml.bayes.summary import SummaryProblem
from symml.derivation import Comparison, Verification, relative_error
from symml.mle.likelihood import expand_log_density
from symml.model import Model
from symml.operations import numpy_function, verify

__all__ = ["verify_bayes"]

TOLERANCE = 1e-6
#: The probe sample: its size on a finite support, its counts on the naturals, its offsets above an interval's end.
PROBE_SIZE, PROBE_COUNTS, PROBE_OFFSETS = 8, (0, 1, 2, 3, 1, 2, 4, 1), (0.5, 1.2, 2.0, 0.8, 1.6, 0.3)


def _values(symbols: set[sp.Symbol], at: Mapping[Any, float] | None) -> dict[sp.Symbol, float]:
    given = {str(k): float(v) for k, v in (at or {}).items()}
    return {s: given.get(s.name, 5.0 if s.is_integer else 2.5 if s.is_positive else 0.3) for s in symbols}


def _probe_sample(kernel: PosteriorKernel, values: dict) -> np.ndarray:
    support = kernel.likelihood.support.subs(values)
    if support.free_symbols & set(kernel.parameters):  # Uniform(0, theta): at a theta inside the prior's support
        prior_low = kernel.prior.support.subs(values).inf
        support = support.subs(kernel.parameter, float(prior_low) + 1.0 if prior_low.is_finite else 1.0)
    if isinstance(support, sp.FiniteSet):
        points = [float(v) for v in support]
        return np.array([points[i % len(points)] for i in range(PROBE_SIZE)])
    if support in (sp.S.Naturals0, sp.S.Naturals) or isinstance(support, (sp.Range, sp.Intersection)):
        first = 1 if support == sp.S.Naturals else 0
        return np.array([first + v for v in PROBE_COUNTS], dtype=float)
    low = float(support.inf) if support.inf.is_finite else -1.0
    high = float(support.sup) if support.sup.is_finite else np.inf
    return np.array([min(low + v, (low + high) / 2 if np.isfinite(high) else low + v) for v in PROBE_OFFSETS])


_MODULES = ["scipy", "numpy"]  # gamma, factorial and binomial elementwise over the sample


def _log_joint(kernel: PosteriorKernel, values: dict, sample: np.ndarray) -> Callable[[float], float]:
    """log L(theta) + log pi_0(theta) from the models themselves, at ``values``; -inf off the support."""
    theta, x = kernel.parameter, kernel.likelihood.data
    # logs of products split (an identity) so that x_m**alpha is never formed for a large alpha
    likelihood = sp.lambdify((x, theta), log_special(expand_log_density(
        kernel.likelihood.log_density_on_support.subs(values))), _MODULES)
    prior = sp.lambdify(theta, log_special(expand_log_density(kernel.prior.log_density_on_support.subs(values))),
                        _MODULES)
    low, high = _bounds(kernel, values, sample)

    def log_joint(t: float) -> float:
        if not low <= t <= high:
            return -np.inf
        with np.errstate(all="ignore"):
            value = float(np.sum(np.broadcast_to(likelihood(sample, t), sample.shape)) + prior(t))
        return value if np.isfinite(value) else -np.inf

    return log_joint


def _order_statistics(kernel: PosteriorKernel, sample: np.ndarray) -> dict:
    table = kernel.table
    return {table.order("max"): float(sample.max()), table.order("min"): float(sample.min())}


def _normalised(log_joint: Callable[[float], float], low: float, high: float) -> tuple[Callable[[float], float], float]:
    """The density normalised by quad (shifted by its maximum on a probe grid), and its log normaliser."""
    grid = np.linspace(max(low, -50.0), min(high, 50.0), 4001)[1:-1]
    logs = np.array([log_joint(t) for t in grid])
    shift, peak = float(np.max(logs)), float(grid[int(np.argmax(logs))])
    pieces = [(low, peak), (peak, high)]
    area = sum(integrate.quad(lambda t: np.exp(log_joint(t) - shift), a, b, limit=200, epsabs=1e-14,
                              epsrel=1e-11)[0] for a, b in pieces)
    log_z = shift + float(np.log(area))
    return (lambda t: log_joint(t) - log_z), log_z


def _setting(kernel: PosteriorKernel, at: Mapping[Any, float] | None) -> tuple[dict, np.ndarray, dict]:
    """Values of the other symbols, the probe sample, and both by name for ``numpy()``."""
    symbols = (kernel.likelihood.logpdf.free_symbols | kernel.prior.logpdf.free_symbols) \
        - {*kernel.parameters, kernel.likelihood.data}
    values = _values(symbols, at)
    sample = _probe_sample(kernel, values)
    return values, sample, {s.name: v for s, v in values.items()} | {kernel.likelihood.data.name: sample}


def _bounds(kernel: PosteriorKernel, values: dict, sample: np.ndarray) -> tuple[float, float]:
    support = kernel.support.subs(values).subs(_order_statistics(kernel, sample))
    return float(support.inf), float(support.sup)


def _report(comparisons: list[Comparison], method: str, tolerance: float, sample: np.ndarray) -> Verification:
    return Verification.from_comparisons(comparisons, method=method, tolerance=tolerance, sample_size=sample.size,
                                         details=(("probe sample", np.array2string(sample, precision=3)),))


def _compare(quantity: str, derived: float, numeric: float) -> Comparison:
    return Comparison(quantity, float(derived), float(numeric), relative_error(float(derived), float(numeric), 1.0))


@verify.register(PosteriorProblem)
def verify_bayes(problem: PosteriorProblem, derivation: Any = None, *, at: Mapping[Any, float] | None = None,
                 tolerance: float = TOLERANCE) -> Verification:
    """The posterior log-density against likelihood x prior normalised by quadrature, at points across it."""
    kernel = problem.kernel
    values, sample, named = _setting(kernel, at)
    if len(kernel.parameters) > 1:
        return _verify_joint(problem, derivation, values, sample, named, tolerance)
    log_joint = _log_joint(kernel, values, sample)
    density = numpy_function(problem, derivation)
    if isinstance(kernel.prior.support, sp.FiniteSet):
        points, logs = _on_the_points(kernel, log_joint)
        oracle_logs = logs - np.logaddexp.reduce(logs)
        comparisons = [_compare(f"log posterior at {problem.parameter} = {t:.4g}", density(t, **named), v)
                       for t, v in zip(points, oracle_logs) if np.isfinite(v)]
        return _report(comparisons, "likelihood x prior from the models at each of the prior's values, normalised by "
                       "their sum", tolerance, sample)
    low, high = _bounds(kernel, values, sample)
    oracle, _ = _normalised(log_joint, low, high)
    points = _points(oracle, low, high)
    comparisons = [_compare(f"log posterior at {problem.parameter} = {t:.4g}", density(t, **named), oracle(t))
                   for t in points]
    return _report(comparisons, "likelihood x prior from the models, normalised by scipy.integrate.quad",
                   tolerance, sample)


def _verify_joint(problem: PosteriorProblem, derivation: Any, values: dict, sample: np.ndarray, named: dict,
                  tolerance: float) -> Verification:
    """A joint posterior at points around its mode, or a marginal one at points along its parameter, against
    likelihood x prior normalised (and the other parameters integrated out) by scipy.integrate.cubature."""
    kernel = problem.kernel
    law = joint_law(kernel, values, sample)
    density = numpy_function(problem, derivation)
    if problem.parameters == kernel.parameters:
        comparisons = [_compare("log posterior at " + ", ".join(f"{t} = {v:.4g}" for t, v in zip(kernel.parameters,
                                                                                                 theta)),
                                density(**named, **{t.name: v for t, v in zip(kernel.parameters, theta)}),
                                law.log_posterior(theta)) for theta in law.points()]
        method = "likelihood x prior from the models, normalised by scipy.integrate.cubature"
    else:
        index = kernel.parameters.index(problem.parameter)
        comparisons = [_compare(f"log marginal posterior at {problem.parameter} = {theta[index]:.4g}",
                                density(theta[index], **named), law.log_marginal(index, theta[index]))
                       for theta in law.points(3)]
        method = ("likelihood x prior from the models, the other parameters integrated out and the result "
                  "normalised by scipy.integrate.cubature")
    return _report(comparisons, method, tolerance, sample)


def _on_the_points(kernel: PosteriorKernel, log_joint: Callable[[float], float]) -> tuple[list[float], np.ndarray]:
    """The prior's values and log(likelihood x prior) at each."""
    points = sorted(float(t) for t in kernel.prior.support.args)
    return points, np.array([log_joint(t) for t in points])


def _log_evidence(kernel: PosteriorKernel, values: dict, sample: np.ndarray) -> float:
    """log of the integral of likelihood x prior: quad over one parameter, cubature over several."""
    if len(kernel.parameters) > 1:
        return joint_law(kernel, values, sample).log_z
    return _normalised(_log_joint(kernel, values, sample), *_bounds(kernel, values, sample))[1]


def _log_evidence_with(kernel: PosteriorKernel, values: dict, sample: np.ndarray, law: Model, new: float) -> float:
    """log of the integral of likelihood x prior x the new observation's own law at ``new``, by quad."""
    log_law = sp.lambdify(kernel.parameter, log_special(expand_log_density(
        law.log_density_on_support.subs(values).subs(law.data, new))), _MODULES)
    log_joint = _log_joint(kernel, values, sample)
    return _normalised(lambda t: log_joint(t) + float(log_law(t)), *_bounds(kernel, values, sample))[1]


def _points(log_density: Callable[[float], float], low: float, high: float) -> list[float]:
    """Five points where the density is not negligible (within e^-8 of its maximum on a grid)."""
    grid = np.linspace(max(low, -50.0), min(high, 50.0), 4001)[1:-1]
    logs = np.array([log_density(t) for t in grid])
    kept = grid[logs > np.max(logs) - 8]
    return [float(t) for t in kept[np.linspace(0, kept.size - 1, 5).astype(int)]]


@verify.register(MAPProblem)
def _verify_map(problem: MAPProblem, derivation: Any = None, *, at: Mapping[Any, float] | None = None,
                tolerance: float = TOLERANCE) -> Verification:
    """The MAP estimate against scipy.optimize on likelihood x prior (SLSQP on the simplex when constrained)."""
    kernel = problem.kernel
    if kernel.equalities:
        return _verify_constrained_map(problem, derivation, at, tolerance)
    values, sample, named = _setting(kernel, at)
    if len(kernel.parameters) > 1:
        got = numpy_function(problem, derivation)(**named)
        comparisons = [_compare(f"MAP of {t}", got[t.name], v)
                       for t, v in zip(kernel.parameters, joint_mode(kernel, values, sample))]
        return _report(comparisons, "scipy.optimize.minimize (BFGS, log coordinates on half lines) on likelihood x "
                       "prior from the models", tolerance, sample)
    log_joint = _log_joint(kernel, values, sample)
    if isinstance(kernel.prior.support, sp.FiniteSet):
        points, logs = _on_the_points(kernel, log_joint)
        got = numpy_function(problem, derivation)(**named)[problem.parameter.name]
        return _report([_compare(f"MAP of {problem.parameter}", got, points[int(np.argmax(logs))])],
                       "the largest of likelihood x prior from the models over the prior's values", tolerance, sample)
    low, high = _bounds(kernel, values, sample)
    grid = np.linspace(max(low, -50.0), min(high, 50.0), 4001)
    peak = int(np.argmax([log_joint(t) for t in grid]))
    found = optimize.minimize_scalar(lambda t: -log_joint(t), method="bounded", options={"xatol": 1e-12},
                                     bounds=(grid[max(peak - 1, 0)], grid[min(peak + 1, grid.size - 1)]))
    got = numpy_function(problem, derivation)(**named)[problem.parameter.name]
    return _report([_compare(f"MAP of {problem.parameter}", got, found.x)],
                   "scipy.optimize.minimize_scalar (bounded Brent) on likelihood x prior from the models",
                   tolerance, sample)


def _verify_constrained_map(problem: MAPProblem, derivation: Any, at: Mapping[Any, float] | None,
                            tolerance: float) -> Verification:
    """SLSQP on likelihood x prior from the models, under the kernel's equality constraints."""
    kernel = problem.kernel
    thetas, x = kernel.parameters, kernel.likelihood.data
    symbols = (kernel.likelihood.logpdf.free_symbols | kernel.prior.logpdf.free_symbols) - set(thetas) - {x}
    values = _values(symbols, at)
    # every hyperparameter above 1 keeps the mode inside the simplex (the derivation's existence condition)
    values = {s: max(v, 2.5) for s, v in values.items()}
    sample = _probe_sample(kernel, values)
    likelihood = sp.lambdify((x, *thetas), elementwise(kernel.likelihood.log_density_on_support.subs(values)),
                             _MODULES)
    prior = sp.lambdify(thetas, kernel.prior.log_density_on_support.subs(values), _MODULES)
    constraints = [sp.lambdify(thetas, e.subs(values), _MODULES) for e in kernel.equalities]

    def negative(q: np.ndarray) -> float:
        return -float(np.sum(np.broadcast_to(likelihood(sample, *q), sample.shape)) + prior(*q))

    start = np.full(len(thetas), 1.0 / len(thetas))
    found = optimize.minimize(negative, start, method="SLSQP", bounds=[(1e-9, 1.0)] * len(thetas),
                              constraints=[{"type": "eq", "fun": lambda q, c=c: c(*q)} for c in constraints],
                              options={"ftol": 1e-15, "maxiter": 1000})
    named = {s.name: v for s, v in values.items()} | {x.name: sample}
    got = numpy_function(problem, derivation)(**named)
    comparisons = [_compare(f"MAP of {t}", got[t.name], v) for t, v in zip(thetas, found.x)]
    return _report(comparisons, "scipy.optimize.minimize (SLSQP) under the constraints on likelihood x prior",
                   max(tolerance, 1e-6), sample)


@verify.register(EvidenceProblem)
def _verify_evidence(problem: EvidenceProblem, derivation: Any = None, *, at: Mapping[Any, float] | None = None,
                     tolerance: float = TOLERANCE) -> Verification:
    """log Z against the log of the quadrature of likelihood x prior."""
    kernel = problem.posterior.kernel
    values, sample, named = _setting(kernel, at)
    log_z = _log_evidence(kernel, values, sample)
    got = numpy_function(problem, derivation)(**named)
    return _report([_compare("log evidence", got, log_z)], "scipy.integrate.quad (cubature over several parameters) "
                   "of likelihood x prior", tolerance, sample)


@verify.register(PredictiveProblem)
def _verify_predictive(problem: PredictiveProblem, derivation: Any = None, *,
                       at: Mapping[Any, float] | None = None, tolerance: float = TOLERANCE) -> Verification:
    """log p(x_new | x) against the ratio of the quadratures with and without the new point, at probe points."""
    kernel = problem.posterior.kernel
    values, sample, named = _setting(kernel, at)
    log_z = _log_evidence(kernel, values, sample)
    predictive = numpy_function(problem, derivation)
    comparisons, probes = [], list(np.unique(sample)[:4])
    support = kernel.likelihood.support
    if isinstance(support, sp.Interval) and (support.sup.is_infinite or support.sup.has(*kernel.parameters)):
        probes.append(float(sample.max()) + 1.0)  # beyond the sample, where its maximum x_(n) changes
    for new in probes:
        with_new = _log_evidence(kernel, values, np.append(sample, new)) if problem.new_law is None else \
            _log_evidence_with(kernel, values, sample, problem.new_law, new)
        comparisons.append(_compare(f"log p(x_new = {new:g} | x)", predictive(**named, **{
            problem.new_observation.name: new}), with_new - log_z))
    return _report(comparisons, "ratio of scipy.integrate.quad (cubature over several parameters) of likelihood x prior "
                   "with and without x_new",
                   tolerance, sample)


@verify.register(SummaryProblem)
def _verify_summary(problem: SummaryProblem, derivation: Any = None, *, at: Mapping[Any, float] | None = None,
                    tolerance: float = TOLERANCE) -> Verification:
    """Mean, variance and credible-interval ends against the quadrature-normalised likelihood x prior."""
    kernel = problem.posterior.kernel
    values, sample, named = _setting(kernel, at)
    if len(kernel.parameters) > 1:  # a marginal posterior: the others integrated out of the joint by cubature
        law, index = joint_law(kernel, values, sample), kernel.parameters.index(problem.posterior.parameter)
        support = kernel.support_of(problem.posterior.parameter).subs(values)
        low, high = float(support.inf), float(support.sup)
        log_density: Callable[[float], float] = lambda t: law.log_marginal(index, t)  # noqa: E731
    else:
        low, high = _bounds(kernel, values, sample)
        log_density, _ = _normalised(_log_joint(kernel, values, sample), low, high)
    density = lambda t: float(np.exp(log_density(t)))  # noqa: E731 - a one-line integrand
    got = numpy_function(problem, derivation)(**named)
    mean = integrate.quad(lambda t: t * density(t), low, high, limit=200, epsrel=1e-11, points=None)[0]
    variance = integrate.quad(lambda t: (t - mean) ** 2 * density(t), low, high, limit=200, epsrel=1e-11)[0]
    comparisons = [_compare("posterior mean", got["mean"], mean), _compare("posterior variance", got["variance"],
                                                                            variance)]
    level = float(problem.level)
    for name, want in (("median", 0.5), ("lower", (1 - level) / 2), ("upper", (1 + level) / 2)):
        # the CDF at each derived quantile is its probability
        cdf = integrate.quad(density, low, got[name], limit=200, epsrel=1e-11)[0]
        comparisons.append(_compare(f"posterior CDF at the {name}", cdf, want))
    return _report(comparisons, "moments and CDF of likelihood x prior normalised by scipy.integrate.quad",
                   max(tolerance, 1e-6), sample)
