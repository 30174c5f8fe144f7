"""Exact confidence intervals from pivots: a function of the data and θ whose law does not depend on θ.

For an MLE that is a function of one sample mean M = S/n with S = Σ g(x_i):

1. **The law of S** from its moment generating function M_S(t) = E[e^{t g(X)}]^n (the expectation operator),
   recognised by its first two cumulants as a Normal or a Gamma whose own MGF (derived the same way) agrees.
2. **A pivot**: Q = (S − m)/s for a Normal law of S, Q = S/θ_scale for a Gamma of fixed shape; its MGF is
   derived and recognised, and its parameters must be free of θ (that is what makes Q a pivot).
3. **Studentising** when the Normal's scale is itself estimated (the normal mean with unknown σ): by Cochran's
   theorem (stated, not derived) V = (n − 1)S_u²/σ² ~ χ²_{n−1} independently of Z, and the density of
   T = Z/√(V/(n − 1)) is derived as E_V[√(V/k) φ(t√(V/k))], which is recognised as Student's t with k = n − 1.
4. **A centred sum** Σ (xᵢ − x̄)² (the normal variance with the mean unknown): its terms share x̄, so its law
   comes by Cochran's decomposition (:mod:`symml.probability.centred_squares`), Gamma((n − 1)/2, 2σ²).
5. **Inverting**: q_{(1−ℓ)/2} ≤ Q ≤ q_{(1+ℓ)/2} solved for θ (Q is monotone in θ), quantiles from SciPy.

(Casella & Berger 9.2.2; the Exponential's 2λS ~ χ²_{2n} is the Gamma(n, 1) pivot λS scaled by 2.)

>>> import sympy as sp, sympy.stats as st, symml
>>> lam = sp.Symbol("lambda", positive=True)
>>> ci = derive_exact_interval(symml.derive.mle(st.Exponential("X", lam)), lam, 0.9)
>>> lower, upper = ci.numpy()(x=[0.5, 1.2, 0.3, 2.2, 0.8])
>>> round(lower, 3), round(upper, 3)
(0.394, 1.831)
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Callable

import numpy as np
import sympy as sp
import sympy.stats as st

from symml.budget import SIMPLIFY_SECONDS, SOLVE_SECONDS, within
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError, DataError, UnsupportedOperationError
from symml.derivation import Comparison, Verification
from symml.mle.numeric import sample_by_its_name
from symml.mle.sample_data import as_sample
from symml.operations import numpy_function, verify
from symml.probability.expectation import expect, simplified
from symml.probability.law import Law, as_law
from symml.probability.numeric import compile_expression

__all__ = ["derive_exact_interval", "ExactIntervalProblem", "identify_law", "moment_generating"]

_t = sp.Symbol("t", real=True)


@dataclass(frozen=True)
class Identified:
    """A law recognised from an MGF: the family, its parameters (free of t) and the sympy.stats variable."""

    family: str
    parameters: tuple[sp.Expr, ...]

    @cached_property
    def _compiled(self) -> list[tuple[Callable[..., Any], set[str]]]:
        """Each parameter as a NumPy function of its symbols by name, and their names: compiled once per law."""
        return [(compile_expression(p), {s.name for s in sp.sympify(p).free_symbols}) for p in self.parameters]

    def scipy(self, values: dict[str, float]) -> Any:
        """The law at ``values`` (by name), a frozen scipy.stats distribution."""
        law, arguments = self.scipy_law(values)
        return law(*arguments)

    def scipy_law(self, values: dict[str, float]) -> tuple[Any, tuple[float, ...]]:
        """(the scipy.stats distribution, its arguments at ``values``), to call ``law.cdf(s, *arguments)`` unfrozen:
        freezing one costs ~0.5 ms, which a root search in a parameter pays at every step."""
        import scipy.stats as ss

        numbers = [float(f(**{name: values[name] for name in names})) for f, names in self._compiled]
        if self.family == "Normal":
            return ss.norm, (numbers[0], numbers[1])
        if self.family == "Gamma":
            return ss.gamma, (numbers[0], 0.0, numbers[1])  # shape, location, scale
        if self.family == "Poisson":
            return ss.poisson, (numbers[0],)
        if self.family == "Binomial":
            return ss.binom, (round(numbers[0]), numbers[1])
        return ss.t, (numbers[0],)


def moment_generating(law: Law, g: sp.Expr) -> sp.Expr:
    found = expect(law, sp.exp(_t * g))
    if not found.closed:
        raise UnsupportedOperationError(f"E[exp(t {g})] has no closed form: no exact interval")
    return found.value


def identify_law(mgf: sp.Expr, size: sp.Symbol | None = None, discrete: bool = False) -> Identified | None:
    """The Normal or Gamma law (the Poisson or Binomial when ``discrete``) with the first two cumulants of ``mgf``
    whose own MGF agrees with it, or None. With a sample ``size`` n of at least two (a law with n − 1 degrees of freedom:
    n − 1 > 0 is then known), the law is recognised with n = k + 1 for a positive integer k."""
    if size is not None:
        k = sp.Symbol("k", positive=True, integer=True)
        found = identify_law(mgf.subs(size, k + 1), discrete=discrete)
        return found and Identified(found.family, tuple(simplified(p.subs(k, size - 1)) for p in found.parameters))
    log_mgf = sp.log(mgf)
    first = simplified(sp.diff(log_mgf, _t).subs(_t, 0))
    second = simplified(sp.diff(log_mgf, _t, 2).subs(_t, 0))
    s, k, scale = sp.symbols("s k theta", positive=True)
    trials = sp.Symbol("N", positive=True, integer=True)
    # a Binomial(N, p) has mean Np and variance Np(1 − p): p = 1 − variance/mean, N = mean/p
    candidates = [("Poisson", st.Poisson("Y", sp.Symbol("lambda", positive=True)), (first,)),
                  ("Binomial", st.Binomial("Y", trials, sp.Symbol("p", positive=True)),
                   (first**2 / (first - second), 1 - second / first))] if discrete else [
        ("Normal", st.Normal("Y", sp.Symbol("m", real=True), s), (first, sp.sqrt(second))),
        ("Gamma", st.Gamma("Y", k, scale), (first**2 / second, second / first))]
    for family, variable, parameters in candidates:
        # a Binomial's variance Np(1 − p) is positive only where p < 1 is known: the MGFs' agreement decides
        if family != "Normal" and not first.is_positive or family == "Gamma" and not second.is_positive:
            continue
        law = as_law(variable)
        own = moment_generating(law, law.variable).subs(dict(zip(law.parameters, parameters)))
        try:  # both are 1 at t = 0, so equal derivatives of their logs make them equal
            same = within(SIMPLIFY_SECONDS, "compare two MGFs", lambda: sp.simplify(
                sp.diff(sp.log(own), _t) - sp.diff(log_mgf, _t)) == 0)
        except BudgetExceededError:
            same = False
        if same:
            return Identified(family, tuple(simplified(p) for p in parameters))
    return None


@dataclass(frozen=True)
class ExactIntervalProblem:
    """An exact interval: its endpoints as functions of the statistic and the pivot's quantiles."""

    title: str
    statistic: sp.Symbol
    summand: sp.Expr
    observation: sp.Symbol
    sample_size: sp.Symbol
    endpoints: tuple[sp.Expr, sp.Expr]
    quantiles: tuple[sp.Symbol, sp.Symbol]
    pivot_law: Identified
    level: float
    spread: sp.Symbol | None  # the unbiased standard deviation S_u when studentised
    estimate: Derivation
    parameter: sp.Symbol
    centre: sp.Symbol | None = None  # the sample mean x̄ in a centred summand (x − x̄)²


def derive_exact_interval(estimate: Derivation, parameter: Any, level: float = 0.95) -> Derivation:
    """The exact interval for ``parameter`` from a pivot (see the module).

    Raises:
        UnsupportedOperationError: no pivot is found (the Wald interval is then the one to use).
    """
    from symml.probability.centred_squares import centre_of, centred_sum_law
    from symml.probability.estimators import estimated_source

    problem = estimate.problem
    law = as_law(estimated_source(problem))
    theta = sp.sympify(parameter) if not isinstance(parameter, str) else next(
        p for p in law.parameters if p.name == parameter)
    n = problem.sample_size
    means = [s for s in problem.statistics if s.reduction == "mean" and problem.estimators[theta].has(s.symbol)]
    if len(means) != 1 or not problem.estimators[theta].has(means[0].symbol):
        raise UnsupportedOperationError(f"the estimator of {theta} is not a function of one sample mean: no pivot")
    mean = means[0]
    centre = centre_of(mean.summand, problem.observation)
    g = mean.summand.subs(problem.observation, law.variable)
    sign = _sign_on_support(g, law) if centre is None else 1
    if sign == -1:  # Σ log xᵢ of a Beta(θ, 1) is minus a Gamma sum: the pivot is built on Σ (−log xᵢ)
        g = -g
    total = sp.Symbol("S", positive=True) if sign is not None else sp.Symbol("S", real=True)
    law_of_sum: Identified | None
    if centre is not None:  # Σ (xᵢ − x̄)²: its terms share x̄, so its law comes by Cochran's decomposition
        steps, law_of_sum, sum_mgf = centred_sum_law(law, n, centre.summand.subs(problem.observation, law.variable))
    else:
        sum_mgf = simplified(moment_generating(law, g) ** n)
        steps = [Step("Law of the sufficient sum", sp.Eq(sp.Function("M_S")(_t), sum_mgf, evaluate=False),
                      f"$S = \\sum_i {sp.latex(g)}_i$ has $M_S(t) = \\mathbb{{E}}[e^{{t g(X)}}]^n$ (independent terms)")]
        law_of_sum = identify_law(sum_mgf, discrete=law.discrete)
        if law_of_sum is None:
            raise UnsupportedOperationError(f"the law of the sum of {g} is neither "
                                            f"{'Poisson nor Binomial' if law.discrete else 'Normal nor Gamma'}: no "
                                            "pivot found")
        steps.append(Step("Recognise the law", sp.Eq(sp.Symbol("S"), sp.Function(law_of_sum.family)(
            *law_of_sum.parameters), evaluate=False), "the MGF of that law, with the same first two cumulants, agrees"))
        if law.discrete:  # no pivot for a discrete sum: its tails are inverted instead
            from symml.probability.tail_inversion import derive_tail_inversion_interval

            return derive_tail_inversion_interval(estimate, law, theta, level, g, law_of_sum, steps)
    others = set(problem.wrt) - {theta}
    spread = None
    if law_of_sum.family == "Normal":
        location, scale = law_of_sum.parameters
        pivot = (total - location) / scale
        if scale.free_symbols & others:
            pivot, pivot_law, spread, studentised = _studentised(law_of_sum, total, n, others, theta)
            steps.extend(studentised)
        else:
            pivot_law = _pivot_law(pivot, total, sum_mgf, steps)
    else:
        shape, scale = law_of_sum.parameters
        if shape.has(theta) or shape.free_symbols & others:
            raise UnsupportedOperationError("the Gamma law of the sum has a shape depending on the parameters")
        pivot = total / scale
        pivot_law = _pivot_law(pivot, total, sum_mgf, steps, n if centre is not None else None)
    if any(p.has(theta) or p.free_symbols & others for p in pivot_law.parameters):
        raise UnsupportedOperationError(f"no pivot: the law of {pivot} depends on the parameters")
    # a Gamma pivot's quantiles are positive: S/(2σ²) = q then has the one root σ = √(S/(2q))
    quantile_sign = {"positive": True} if pivot_law.family == "Gamma" else {"real": True}
    q = sp.Symbol("q", **quantile_sign)
    roots = within(SOLVE_SECONDS, "invert the pivot", sp.solve, sp.Eq(pivot, q), theta)
    if len(roots) != 1:
        raise UnsupportedOperationError(f"the pivot {pivot} cannot be inverted for {theta}")
    slope = sp.diff(pivot, theta)
    if slope.is_positive is None and slope.is_negative is None:
        raise UnsupportedOperationError(f"whether the pivot {pivot} increases or decreases in {theta} is undecided")
    lower_q, upper_q = sp.symbols("q_lo q_hi", **quantile_sign)
    ends = (roots[0].subs(q, lower_q), roots[0].subs(q, upper_q))
    if slope.is_negative:  # Q = S/(2v) falls as v grows: its lower quantile gives the upper end
        ends = ends[::-1]
    alpha = 1 - float(level)
    steps.append(Step("Invert the pivot", (sp.Eq(sp.Symbol("lower"), ends[0], evaluate=False),
                                           sp.Eq(sp.Symbol("upper"), ends[1], evaluate=False)),
                      f"$P(q_{{lo}} \\le Q \\le q_{{hi}}) = {float(level):g}$ with $q_{{lo}}, q_{{hi}}$ the "
                      f"{alpha / 2:g} and {1 - alpha / 2:g} quantiles of the pivot's law; Q is monotone in "
                      f"${sp.latex(theta)}$"))
    record = ExactIntervalProblem(f"Exact {float(level):g} confidence interval for {theta} ({problem.title})",
                                  total, g, law.variable, n, ends, (lower_q, upper_q), pivot_law, float(level), spread,
                                  estimate, theta, centre)
    return Derivation(record, tuple(steps), ends, (sp.Eq(sp.Symbol("lower"), ends[0], evaluate=False),
                                                   sp.Eq(sp.Symbol("upper"), ends[1], evaluate=False)),
                      remarks=(f"Exact: the pivot Q = {sp.sstr(pivot)} has the law {pivot_law.family}"
                               f"{sp.sstr(pivot_law.parameters)} for every parameter value, so the coverage is exactly the level.",))


def _sign_on_support(g: sp.Expr, law: Law) -> int | None:
    """1 where g ≥ 0 on the law's support, −1 where g ≤ 0, None when SymPy cannot tell (at a point of the support
    written so that its bounds are known, :func:`symml.mle.statistics.support_probe`)."""
    from symml.mle.statistics import support_probe

    value = g.subs(law.variable, support_probe(law.support))
    return 1 if value.is_nonnegative else -1 if value.is_nonpositive else None


def _pivot_law(pivot: sp.Expr, total: sp.Symbol, sum_mgf: sp.Expr, steps: list[Step],
               size: sp.Symbol | None = None) -> Identified:
    """The pivot Q = a S + b: M_Q(t) = e^{bt} M_S(a t), recognised (with ``size`` as :func:`identify_law` says)."""
    a = sp.diff(pivot, total)
    b = pivot.subs(total, 0)
    mgf = simplified(sp.exp(b * _t) * sum_mgf.subs(_t, a * _t))
    found = identify_law(mgf, size)
    if found is None:
        raise UnsupportedOperationError(f"the law of the pivot {pivot} is not recognised")
    steps.append(Step("Law of the pivot", (sp.Eq(sp.Symbol("Q"), pivot, evaluate=False),
                                           sp.Eq(sp.Function("M_Q")(_t), mgf, evaluate=False)),
                      f"$M_Q(t) = e^{{bt}} M_S(at)$: Q ~ {found.family}{found.parameters}, free of the parameters"))
    return found


def _studentised(law_of_sum: Identified, total: sp.Symbol, n: sp.Symbol, others: set,
                 theta: sp.Symbol) -> tuple[sp.Expr, Identified, sp.Symbol, list[Step]]:
    """T = (S/n − θ)/(S_u/√n) and its law, derived as Z/√(V/k) with V ~ χ²_k, k = n − 1."""
    location, scale = law_of_sum.parameters
    (sigma,) = scale.free_symbols & others
    spread = sp.Symbol("S_u", positive=True)
    pivot = simplified((total - location) / scale.subs(sigma, spread))
    k = sp.Symbol("k", positive=True)
    chi = as_law(st.ChiSquared("V", k))
    v = chi.variable
    tau = sp.Symbol("tau", real=True)
    density = expect(chi, sp.sqrt(v / k) * sp.exp(-(tau * sp.sqrt(v / k))**2 / 2) / sp.sqrt(2 * sp.pi)).value
    student = st.density(st.StudentT("T", k))(tau)
    if within(SIMPLIFY_SECONDS, "recognise Student's t", sp.simplify, density / student) != 1:
        raise UnsupportedOperationError("the studentised pivot's density is not recognised")
    steps = [Step("Studentise", sp.Eq(sp.Symbol("T"), pivot, evaluate=False),
                  f"${sp.latex(sigma)}$ is unknown: replaced by the unbiased $S_u$, "
                  "$S_u^2 = \\frac{1}{n-1}\\sum_i (x_i - \\bar x)^2$; by Cochran's theorem "
                  "$V = (n-1)S_u^2/\\sigma^2 \\sim \\chi^2_{n-1}$ independently of $\\bar x$"),
             Step("Law of the studentised pivot", sp.Eq(sp.Function("f_T")(tau), density, evaluate=False),
                  "$T = Z/\\sqrt{V/k}$: $f_T(\\tau) = \\mathbb{E}_V[\\sqrt{V/k}\\,\\varphi(\\tau\\sqrt{V/k})]$, "
                  "Student's t density with $k = n - 1$ degrees of freedom")]
    return pivot, Identified("StudentT", (n - 1,)), spread, steps


@numpy_function.register(ExactIntervalProblem)
def _numpy(problem: ExactIntervalProblem, derivation: Any, **options: Any) -> Callable[..., tuple[float, float]]:
    summand = compile_expression(problem.summand) if problem.summand != problem.observation else None
    ends = [compile_expression(e) for e in problem.endpoints]
    centre_symbol = problem.centre
    centring = None if centre_symbol is None else compile_expression(
        centre_symbol.summand.subs(problem.estimate.problem.observation, problem.observation))
    needed = [{s.name for s in e.free_symbols} for e in problem.endpoints]
    tail = (1 - problem.level) / 2
    # one observation is a sample when the pivot is its sum (Wackerly example 8.4: Y/θ of one exponential); a
    # pivot that centres the sample or estimates its spread needs two
    smallest = 1 if centre_symbol is None and problem.spread is None else 2

    @lru_cache(maxsize=64)
    def quantiles(size: float) -> tuple[float, float]:
        pivot = problem.pivot_law.scipy({problem.sample_size.name: size})
        return float(pivot.ppf(tail)), float(pivot.ppf(1 - tail))

    def interval(x: Any, **fixed: Any) -> tuple[float, float]:
        sample = as_sample(x)  # 1-D, finite: a NaN or an inf gave (nan, nan) or (0.0, 0.0)
        if sample.size < smallest:
            raise DataError(f"give the sample as a one-dimensional array of at least {smallest} observation"
                            + "s" * (smallest > 1))
        centre = {} if centring is None or centre_symbol is None else {centre_symbol.name: float(np.mean(
            np.broadcast_to(centring(**{problem.observation.name: sample}), sample.shape)))}
        terms = sample if summand is None else np.asarray(
            summand(**{problem.observation.name: sample}, **centre), dtype=float)
        size = float(sample.size)
        low_q, high_q = quantiles(size)
        values = {**{k: float(v) for k, v in fixed.items()}, problem.statistic.name: float(np.sum(terms)),
                  problem.sample_size.name: size, problem.quantiles[0].name: low_q, problem.quantiles[1].name: high_q}
        if problem.spread is not None:
            values[problem.spread.name] = float(np.std(terms, ddof=1))
        low, high = (float(f(**{k: v for k, v in values.items() if k in names})) for f, names in zip(ends, needed))
        return low, high

    return sample_by_its_name(interval, problem.estimate.problem)


@verify.register(ExactIntervalProblem)
def _verify(problem: ExactIntervalProblem, derivation: Any, values: dict[str, float] | None = None, seed: int = 0,
            size: int = 5, replications: int = 4000, **options: Any) -> Verification:
    """The coverage over simulated samples of ``size`` against the level, within 4 binomial standard errors."""
    from symml.mle.verification import draw_sample

    estimated = problem.estimate.problem
    chosen = values or {p.name: (1.3 if p.is_positive else 0.4) for p in estimated.parameters}
    drawn, _ = draw_sample(estimated, {p: chosen[p.name] for p in estimated.parameters}, replications * size, seed)
    samples = drawn.reshape(replications, size)
    interval = derivation.numpy()
    fixed = {k: v for k, v in chosen.items() if k != problem.parameter.name}
    names = {s.name for e in problem.endpoints for s in e.free_symbols}
    truth = chosen[problem.parameter.name]
    hits = np.mean([lo <= truth <= hi for lo, hi in (interval(x=x, **{k: v for k, v in fixed.items() if k in names})
                                                     for x in samples)])
    band = 4 * np.sqrt(problem.level * (1 - problem.level) / replications)
    return Verification.from_comparisons(
        [Comparison("coverage", problem.level, float(hits), abs(float(hits) - problem.level) / band)],
        method=f"coverage of {replications} simulated samples of size {size}, in units of 4 binomial standard "
               "errors", tolerance=1.0, seed=seed,
        details=(("parameters", ", ".join(f"{k}={v:g}" for k, v in chosen.items())),))
