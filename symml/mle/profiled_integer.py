"""Maximum likelihood over an integer parameter together with real ones: the Binomial's N with p unknown.

The real parameters are profiled out in closed form: their MLE for a fixed N from the score (p̂(N) = x̄/N). The
profile likelihood L(N) = Π f(xᵢ; N, p̂(N)) is then maximised over the integers N ≥ x₍ₙ₎ (the support moves with N,
so there is no derivative in N) through the ratio of successive profile likelihoods, as
:mod:`symml.mle.likelihood_ratio` does with p known: Δ(N) = log L(N) − log L(N − 1) = Σᵢ log r(xᵢ; N), with
p̂(N) and p̂(N − 1) in r.

This problem is known to be unstable (Olkin, Petkau & Zidek, JASA 1981): far out, Δ(N) = c/N² + O(N⁻³), and the
coefficient c, derived here by SymPy's series of log r in 1/N summed over the sample, is n(s² − x̄)/2 for the
Binomial. Where c ≥ 0 (a sample whose variance reaches its mean) the profile likelihood rises for every large N,
towards its limit as N → ∞ (the Poisson likelihood, p̂ → 0, also derived): there is no finite maximum, and
``numpy()`` says so (a DataError). Where c < 0 the profile likelihood is unimodal in N (DeRiggi, JASA 1983) and
N̂ = max{N ≥ x₍ₙ₎ : Δ(N) ≥ 0}, found by doubling then bisection; when it exceeds its limit by less than the 95 %
likelihood-ratio cut-off (χ²₁ quantile / 2 = 1.92), N is poorly determined and ``numpy()`` warns
(:class:`FlatLikelihoodWarning`).

>>> import sympy as sp, sympy.stats as st, symml
>>> N, p = sp.Symbol("N", positive=True, integer=True), sp.Symbol("p", positive=True)
>>> estimate = symml.derive.mle(st.Binomial("X", N, p))
>>> estimate.numpy()(x=[9, 12, 10, 11, 13, 8, 12, 11, 10, 12])
{'N': 13.0, 'p': 0.8307692307692308}
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, fields
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, SOLVE_SECONDS, within
from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.errors import BudgetExceededError, DataError, UnsupportedOperationError
from symml.mle.integer_parameters import IntegerMLEProblem
from symml.mle.problem import MLEProblem
from symml.mle.statistics import interval_support
from symml.operations import numpy_function, verify
from symml.optimize.core import hat

__all__ = ["FlatLikelihoodWarning", "ProfiledIntegerProblem", "profiled_integer_mle"]

_TERMS = 4  # orders of 1/N in the far-out expansion of Δ(N) searched for its first nonzero coefficient
_CUTOFF = 1.920729410347062  # χ²₁ 95 % quantile / 2: a log-likelihood gap below it does not pin N down
_LARGEST = 2**52


class FlatLikelihoodWarning(UserWarning):
    """The profile likelihood is nearly flat in the integer parameter: its estimate is poorly determined."""


@dataclass(frozen=True)
class ProfiledIntegerProblem(IntegerMLEProblem):
    """An integer MLE with real parameters profiled out: the real ones' estimators for a fixed integer
    (``estimators``, in the integer and the statistics), and:

    Attributes:
        log_ratio: log r(x; N) of one observation, the profiled parameters at N and at N − 1.
        smallest: the smallest N the sample maximum ``largest`` allows.
        largest: the symbol of the sample maximum in ``smallest``.
        drift: the coefficient c of Δ(N) = c/N^k + ... far out, over n, in the statistics (a mean of the sample).
        order: that power k.
    """

    log_ratio: sp.Expr = sp.S.Zero
    smallest: sp.Expr = sp.S.Zero
    largest: sp.Symbol = sp.Symbol("x_(n)")
    drift: sp.Expr = sp.S.Zero
    order: int = 0


def profiled_integer_mle(relaxed: Derivation, integer: sp.Symbol, parameter: sp.Symbol, lowest: float) -> Derivation:
    """The joint MLE of the integer ``parameter`` (``integer``: it relaxed to a real, fixed in the ``relaxed``
    derivation of the other parameters, which must be in closed form) and the others, by profiling them out.

    Raises:
        UnsupportedOperationError: a real parameter without a closed form for fixed N, a support that does not move
            with N, or a far-out expansion not found within the budget.
    """
    problem: MLEProblem = relaxed.problem
    x, N = problem.observation, integer
    if set(problem.estimators) != set(problem.wrt):
        raise UnsupportedOperationError(f"the other parameters have no closed-form MLE for fixed {parameter}, so "
                                        f"they are not profiled out: fix {parameter} and estimate them")
    bounds = interval_support(problem.support)
    if bounds is None or not bounds[0].sup.has(N):
        raise UnsupportedOperationError(f"the support {problem.support} does not move with {parameter}")
    largest = sp.Symbol("x_(n)", real=True)
    reach = within(SOLVE_SECONDS, f"solve the support's upper end for {parameter}", sp.solve,
                   sp.Eq(bounds[0].sup, largest), N)
    if len(reach) != 1:
        raise UnsupportedOperationError(f"the support's upper end {bounds[0].sup} is not inverted for {parameter}")
    profiled = problem.log_density.xreplace(problem.estimators)
    try:
        log_ratio, drift, order = within(SIMPLIFY_SECONDS, "the ratio of successive profile likelihoods",
                                                _far_out, profiled, x, N, problem.statistics)
    except BudgetExceededError:
        raise UnsupportedOperationError("the ratio of successive profile likelihoods was not expanded in 1/N "
                                        "within the budget") from None
    shared = {f.name: getattr(problem, f.name) for f in fields(MLEProblem)}
    shared.update(wrt=(*problem.wrt, N), fixed=tuple(p for p in problem.fixed if p != N))
    record = ProfiledIntegerProblem(**shared, integers=(N,), lowest=(lowest,), log_ratio=log_ratio,
                                    smallest=reach[0], largest=largest, drift=drift, order=order)
    return Derivation(problem=record, steps=_steps(relaxed, record, parameter),
                      result={parameter: sp.ConditionSet(N, sp.Ge(_delta(record), 0), sp.Range(reach[0], sp.oo)),
                              **{p: e.xreplace({N: hat(parameter)}) for p, e in problem.estimators.items()}},
                      summary=(*(sp.Eq(hat(p), e.xreplace({N: hat(parameter)})) for p, e in
                                 problem.estimators.items()),
                               sp.Ge(_delta(record).subs(N, hat(parameter)), 0, evaluate=False),
                               sp.Lt(_delta(record).subs(N, hat(parameter) + 1), 0, evaluate=False)),
                      assumptions=relaxed.assumptions,
                      remarks=(f"{parameter} is an integer and the support moves with it; the other parameters are "
                               "profiled out in closed form and numpy() finds where the ratio of successive profile "
                               "likelihoods crosses 1, or says that the profile likelihood has no finite maximum, or "
                               "warns where it is nearly flat (a known instability: Olkin, Petkau & Zidek 1981).",))


def _far_out(profiled: sp.Expr, x: sp.Symbol, N: sp.Symbol, statistics: tuple) -> tuple:
    """(log r(x; N) simplified; the first nonzero coefficient of Δ(N)'s expansion in 1/N, over n, written with the
    sample's means; its power)."""
    from symml.mle.likelihood_ratio import _simplified

    ratio = _simplified(sp.exp(profiled - profiled.subs(N, N - 1)))
    log_ratio = sp.expand_log(sp.log(ratio), force=True)  # each factor positive for x < N − 1 on the support
    t = sp.Symbol("t", positive=True)
    series = sp.S.Zero
    for term in sp.Add.make_args(log_ratio):
        series += sp.series(term.subs(N, 1 / t), t, 0, _TERMS + 1).removeO()
    series = sp.expand(series)
    means = _means(x, statistics)
    for order in range(1, _TERMS + 1):
        coefficient = sp.factor(sp.expand(means(series.coeff(t, order))))
        if coefficient != 0:
            break
    else:
        raise UnsupportedOperationError(f"Δ(N) vanishes to order 1/N^{_TERMS} far out")
    return log_ratio, coefficient, order


def _means(x: sp.Symbol, statistics: tuple) -> Callable[[sp.Expr], sp.Expr]:
    """A polynomial in x averaged over the sample: xᵏ → mean(xᵏ), the sample mean itself where a statistic is it,
    and the spread about it written as the sample variance s² = mean(x²) − x̄²."""
    mean = next((s.symbol for s in statistics if s.reduction == "mean" and s.summand == x), sp.Symbol(f"mean({x})"))
    s2 = _sample_variance()

    def averaged(expr: sp.Expr) -> sp.Expr:
        polynomial = sp.Poly(sp.expand(expr), x)
        moments = {0: sp.S.One, 1: mean, 2: s2 + mean ** 2}
        if polynomial.degree() > 2:
            raise UnsupportedOperationError(f"the far-out coefficient {expr} is of degree > 2 in {x}")
        return sp.Add(*(c * moments[k] for (k,), c in polynomial.terms()))

    return averaged


def _sample_variance() -> sp.Symbol:
    """s², the sample variance (1/n) Σ (xᵢ − x̄)², as the far-out coefficient writes it."""
    return sp.Symbol("s^2", nonnegative=True)


def _delta(record: ProfiledIntegerProblem) -> sp.Expr:
    i = sp.Symbol("i", integer=True)
    return sp.Sum(record.log_ratio.subs(record.observation, sp.IndexedBase(record.observation.name)[i]),
                  (i, 1, record.sample_size))


def _steps(relaxed: Derivation, record: ProfiledIntegerProblem, parameter: sp.Symbol) -> tuple[Step, ...]:
    N, x, n = record.integers[0], record.observation, record.sample_size
    others = ", ".join(f"${sp.latex(p)}$" for p in record.estimators)
    f, L = sp.Function("f"), sp.Function("L_p")
    far = sp.Eq(sp.Function("Delta")(N), n * record.drift / N ** record.order + sp.O(N ** -(record.order + 1),
                                                                                  (N, sp.oo)), evaluate=False)
    return (*(Step(f"{s.title} ({others} for fixed ${sp.latex(parameter)}$)", s.math, s.why) for s in relaxed.steps),
            Step("Profile", tuple(sp.Eq(hat(p), e) for p, e in record.estimators.items()),
                 f"the maximiser for each fixed ${sp.latex(parameter)}$, substituted back: the profile likelihood "
                 f"$L_p({sp.latex(N)})$ has the same maximum over ${sp.latex(parameter)}$ as the likelihood over all"),
            Step("Calculus does not apply", sp.Contains(N, sp.Range(record.smallest, sp.oo), evaluate=False),
                 f"${sp.latex(parameter)}$ is an integer and the support moves with it: successive profile "
                 "likelihoods are compared instead of a derivative"),
            Step("Ratio of successive profile likelihoods", (
                sp.Eq(sp.log(f(x, N) / f(x, N - 1)), record.log_ratio, evaluate=False),
                sp.Eq(sp.log(L(N) / L(N - 1)), _delta(record), evaluate=False)),
                 f"the profiled {others} at ${sp.latex(N)}$ and at ${sp.latex(N)} - 1$; "
                 f"$L_p({sp.latex(N)}) \\ge L_p({sp.latex(N)} - 1)$ exactly where the sum is $\\ge 0$"),
            Step("Far out", far,
                 "the series of each term in $1/N$, summed over the sample ($s^2$ the sample variance): where the "
                 "coefficient is $\\ge 0$ the profile likelihood rises for every large $N$, towards its limit, and "
                 "has no finite maximum; where it is $< 0$ the profile likelihood is unimodal (DeRiggi 1983)"),
            Step("Maximiser over the integers",
                 (sp.Ge(_delta(record).subs(N, hat(parameter)), 0, evaluate=False),
                  sp.Lt(_delta(record).subs(N, hat(parameter) + 1), 0, evaluate=False)),
                 "the last integer from the sample maximum's bound where the profile likelihood still rises; no "
                 "closed form: numpy() finds it by doubling, then bisection"))


def profiled_integer_estimator(problem: ProfiledIntegerProblem) -> Callable[..., dict[str, float]]:
    """``est(x=sample, **fixed) -> {name: estimate}``: N̂ where Δ crosses 0 (DataError where the far-out coefficient
    is ≥ 0: no finite maximum), the profiled parameters at N̂; warns where L_p(N̂) exceeds its limit by < 1.92."""
    from symml.mle.numeric import SampleFunction
    from symml.mle.sample_data import fixed_values, validated

    (N,) = problem.integers
    x = problem.observation
    if any(s.reduction != "mean" for s in problem.statistics):
        raise UnsupportedOperationError("numpy() of a profiled integer MLE takes statistics that are means")
    summands = {s.symbol: SampleFunction.of(s.summand, leading=(x,)) for s in problem.statistics}
    s2 = _sample_variance()
    terms = SampleFunction.of(problem.log_ratio, leading=(x,))
    drift = SampleFunction.of(problem.drift)
    smallest = SampleFunction.of(problem.smallest)
    profiled = {p: SampleFunction.of(e) for p, e in problem.estimators.items()}
    # split over the product (each factor positive on the support) and binomials through Γ, so that the pipeline
    # writes them with log Γ: binomial(N, x) as a ratio of Γs overflowed at N = 990
    density = SampleFunction.of(sp.expand_log(problem.log_density.rewrite(sp.gamma), force=True), leading=(x,))

    def estimator(*sample: Any, **fixed: Any) -> dict[str, float]:
        data = sample[0] if sample else fixed.pop(x.name, fixed.pop("x", None))
        observed = np.asarray(validated(data)[0], dtype=float)
        values = dict(fixed_values(problem, fixed))
        with np.errstate(all="ignore"):
            for s, summand in summands.items():
                values[s] = float(np.mean(np.broadcast_to(summand({**values, x: observed}), observed.shape)))
        values[s2] = float(np.var(observed))
        c = float(drift(values))
        if c >= 0:
            raise DataError(
                f"the profile likelihood of {N} rises for every large {N} (far out Δ({N}) ≈ n·({c:.6g})/{N}^"
                f"{problem.order} ≥ 0, with the sample mean {float(np.mean(observed)):.6g} and variance "
                f"{values[s2]:.6g}): it has no finite "
                f"maximum, only its limit as {N} → ∞; {N} is not estimable from these data (Olkin, Petkau & Zidek "
                "1981)")
        start = max(math.ceil(float(smallest({**values, problem.largest: float(np.max(observed))}))),
                    int(problem.lowest[0]))

        def rises(at: int) -> bool:  # L_p(at) ≥ L_p(at − 1)
            with np.errstate(all="ignore"):
                return float(np.sum(np.broadcast_to(terms({**values, N: float(at), x: observed}),
                                                    observed.shape))) >= 0

        low, step = start, 1
        while rises(low + step):
            low, step = low + step, 2 * step
            if low > _LARGEST:
                raise DataError(f"the profile likelihood still rises at {N} = {low}: no maximum on these data")
        high = low + step
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if rises(middle) else (low, middle)
        at = {**values, N: float(low)}
        found = {N.name: float(low), **{p.name: float(e(at)) for p, e in profiled.items()}}
        gap = _above_the_limit(problem, values, float(low), observed,
                               {"profiled": profiled, "density": density, "drift": drift})
        if gap < _CUTOFF:
            warnings.warn(f"the profile likelihood of {N} is nearly flat: log L at {N} = {low} exceeds its limit as "
                          f"{N} → ∞ by only {gap:.3g} (< {_CUTOFF:.3g}, the 95 % likelihood-ratio cut-off): every "
                          f"larger {N} fits nearly as well, so the estimate is unstable (Olkin, Petkau & Zidek 1981)",
                          FlatLikelihoodWarning, stacklevel=2)
        return found

    estimator.__name__ = estimator.__qualname__ = "mle_estimator"
    return estimator


def _above_the_limit(problem: ProfiledIntegerProblem, values: dict, estimate: float, observed: np.ndarray,
                     functions: dict) -> float:
    """log L_p(N̂) minus the profile's limit as N → ∞: L_p at M = 1000 max(N̂, 1) (the sum of Δ from N̂ to M
    telescopes) plus the far-out tail Σ_{N > M} n c/N^k ≈ n c/((k − 1) M^(k − 1))."""
    (N,) = problem.integers
    x = problem.observation

    def profile(at: float) -> float:
        point = {**values, N: at}
        point.update({p: float(e(point)) for p, e in functions["profiled"].items()})
        with np.errstate(all="ignore"):
            return float(np.sum(np.broadcast_to(functions["density"]({**point, x: observed}), observed.shape)))

    far, k = 1000.0 * max(estimate, 1.0), problem.order
    tail = observed.size * float(functions["drift"](values)) / ((k - 1) * far ** (k - 1)) if k > 1 else 0.0
    return profile(estimate) - (profile(far) + tail)


@numpy_function.register(ProfiledIntegerProblem)
def _numpy(problem: ProfiledIntegerProblem, derivation: Any = None, **options: Any) -> Callable[..., dict[str, float]]:
    return profiled_integer_estimator(problem)


@verify.register(ProfiledIntegerProblem)
def _verify(problem: ProfiledIntegerProblem, derivation: Any = None, *, at: Any = None, seed: int = 0,
            sample_size: int = 200) -> Verification:
    """Brute force on simulated samples: every integer N from the sample maximum to 4 times it, the real
    parameters maximised numerically for each (scipy.optimize, bounded where the support asks), the best pair
    kept; compared with ``numpy()``."""
    from scipy.optimize import minimize

    from symml.mle.numeric import log_likelihood
    from symml.mle.verification import combined, draw_sample, true_values

    (N,) = problem.integers
    others = [p for p in problem.wrt if p != N]
    truth = true_values(problem, {N: 20, **(at or {})})
    likelihood = log_likelihood(problem)
    estimator = profiled_integer_estimator(problem)
    reports = []
    for k in range(3):
        sample, sampler = draw_sample(problem, truth, int(sample_size), seed + k)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FlatLikelihoodWarning)
            derived = estimator(sample)

        def best_at(n_value: int) -> tuple[float, np.ndarray]:
            def negative(q: np.ndarray) -> float:
                values = {N: float(n_value), **{p: float(v) for p, v in zip(others, q)}}
                found = likelihood(sample, values)
                return -found if math.isfinite(found) else 1e300

            found = minimize(negative, np.full(len(others), 0.5), method="Nelder-Mead",
                             options={"xatol": 1e-10, "fatol": 1e-12})
            return -found.fun, found.x

        top = int(np.max(sample))
        scores = {n_value: best_at(n_value) for n_value in range(max(top, 1), 4 * top + 1)}
        n_best = max(scores, key=lambda v: scores[v][0])
        comparisons = [Comparison(N.name, derived[N.name], float(n_best), relative_error(derived[N.name], n_best))]
        reports.append(Verification.from_comparisons(
            comparisons, method="the log-likelihood at every integer N from the sample maximum to 4 times it, the "
            "other parameters maximised numerically (Nelder-Mead) at each, the best N kept", tolerance=0.0,
            sample_size=int(sample_size), seed=seed + k,
            details=(("true parameters", ", ".join(f"{p} = {v:g}" for p, v in truth.items())), ("sampler", sampler))))
    return combined(reports, seed, int(sample_size), 0.0)
