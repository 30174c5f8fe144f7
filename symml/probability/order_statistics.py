"""Bias, variance and MSE of an estimator that is a function of one extreme order statistic (x₍ₙ₎ or x₍₁₎).

The maximum of n i.i.d. draws is below t exactly when every draw is, so its CDF is F(t)ⁿ and its density
n F(t)ⁿ⁻¹ f(t); the minimum has 1 − (1 − F(t))ⁿ and n (1 − F(t))ⁿ⁻¹ f(t) (Casella & Berger, Theorem 5.4.4). F is
integrated from the law's density, the order statistic's density is built from it, and the moments of the
estimator come from the one expectation operator, exactly, for a symbolic n. The Cramér–Rao bound is not stated:
the support moves with the parameter, so the bound's regularity conditions fail (the MLE of a Uniform's upper
bound has variance of order 1/n², below any 1/n bound).

>>> import sympy as sp, sympy.stats as st, symml
>>> theta = sp.Symbol("theta", positive=True)
>>> estimate = symml.derive.mle(st.Uniform("X", 0, theta), wrt=[theta])
>>> symml.derive.bias(estimate, theta).result
-theta/(n + 1)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.budget import INTEGRATE_SECONDS, within
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError, UnsupportedOperationError
from symml.mle.numeric import sample_by_its_name
from symml.operations import numpy_function, verify
from symml.mle.likelihood import expand_log_density
from symml.probability.expectation import Expect, expect, is_closed, simplified
from symml.probability.quantile import real_roots
from symml.probability.law import Law
from symml.probability.numeric import compile_expression
from symml.probability.problem import ProbabilityProblem
from symml.render.printer import latex

__all__ = ["extreme_statistic", "FoldedMaximum", "derive_order_statistic_analysis", "derive_order_statistic_interval",
           "OrderIntervalProblem", "analysis_record"]


@dataclass(frozen=True)
class FoldedMaximum:
    """max |xᵢ| written Max(max x, −min x) (the MLE of a symmetric support's half-width): the maximum of the folded
    observations |xᵢ|, an extreme order statistic of the law of |X|."""

    symbol: sp.Symbol
    written: sp.Expr
    reduction: str = "max"


def extreme_statistic(problem: Any, estimator: sp.Expr, folded: bool = False) -> Any:
    """The one order statistic (min or max of the observation itself) ``estimator`` is a function of, or None
    when it uses none; UnsupportedOperationError when it mixes one with other statistics. ``folded``: an estimator
    of min and max only through Max(max x, −min x) is a :class:`FoldedMaximum`."""
    used = [s for s in problem.statistics if s.symbol in estimator.free_symbols]
    ordered = [s for s in used if s.reduction != "mean"]
    if not ordered:
        return None
    by_reduction = {s.reduction: s.symbol for s in used if s.summand == problem.observation}
    if folded and len(used) == 2 and set(by_reduction) == {"min", "max"}:
        written = sp.Max(by_reduction["max"], -by_reduction["min"])
        symbol = sp.Symbol("M", positive=True)
        if not estimator.xreplace({written: symbol}).has(*by_reduction.values()):
            return FoldedMaximum(symbol, written)
    if len(used) > 1 or ordered[0].reduction not in ("min", "max") or ordered[0].summand != problem.observation:
        raise UnsupportedOperationError(
            f"the estimator uses the order statistic {ordered[0].symbol} (with {', '.join(str(s.symbol) for s in used)}):"
            " only a function of one sample minimum or maximum, or of sample means alone, is analysed exactly")
    return ordered[0]


def _order_law(law: Law, reduction: str, n: sp.Symbol) -> tuple[Law, sp.Expr, sp.Expr]:
    """The law of the sample maximum (or minimum) of n draws, its CDF F(t) and the parent CDF."""
    if law.discrete:
        raise UnsupportedOperationError("the law of an order statistic is derived for a continuous law only")
    x, (lower, _) = law.variable, law.limits
    u = sp.Dummy("u", real=True)
    parent = within(INTEGRATE_SECONDS, "the CDF of the law", sp.integrate, law.density.subs(x, u), (u, lower, x),
                    conds="none")
    if not is_closed(parent):
        raise UnsupportedOperationError(f"the CDF of {law.name} has no closed form: the law of its order statistic "
                                        "is not derived")
    parent = simplified(parent)
    if reduction == "max":
        cdf, density = parent**n, n * parent ** (n - 1) * law.density
    else:
        cdf, density = 1 - (1 - parent) ** n, n * (1 - parent) ** (n - 1) * law.density
    name = f"the sample {'maximum' if reduction == 'max' else 'minimum'} of {law.name}"
    signed = law.signed()
    log_density = expand_log_density(sp.log(density.subs(x, signed))).subs(signed, x)
    order = Law(x, density, log_density, law.support, False, law.parameters + (n,), name)
    return order, cdf, parent


Moment = Callable[[sp.Expr], tuple[sp.Expr, list[Step]]]


def _moment_by_quantile(law: Law, reduction: str, n: sp.Symbol) -> Moment | None:
    """E[h(X₍ₙ₎)] = ∫₀¹ h(F⁻¹(v)) n vⁿ⁻¹ dv (x₍₁₎: n (1 − v)ⁿ⁻¹), with v = F(x) and the derived quantile; None
    when F⁻¹ has no closed form. For Uniform(θ, 2θ) the density route left ∫ n x ((x − θ)/θ)ⁿ⁻¹/θ dx unevaluated
    after minutes; in v it is a polynomial times vⁿ⁻¹."""
    from symml.probability.quantile import quantile_function

    v = sp.Dummy("v", positive=True)
    try:
        _, inverse = quantile_function(law, v, INTEGRATE_SECONDS)
    except UnsupportedOperationError:
        return None
    weight = n * (v if reduction == "max" else 1 - v) ** (n - 1)
    x = law.variable

    def moment(h: sp.Expr) -> tuple[sp.Expr, list[Step]]:
        integrand = sp.expand(h.xreplace({x: inverse}) * weight)
        try:
            value = within(INTEGRATE_SECONDS, "a moment of the order statistic", sp.integrate, integrand, (v, 0, 1),
                           conds="none")
        except BudgetExceededError:
            value = sp.Integral(integrand, (v, 0, 1))
        if value.has(sp.Integral):
            return _moment_by_density(_order_law(law, reduction, n)[0])(h)
        u = sp.Symbol("v")
        return simplified(value), [Step("Probability integral transform", sp.Eq(
            Expect(h), sp.Integral(integrand.xreplace({v: u}), (u, 0, 1)), evaluate=False),
            f"$v = F(x)$ is uniform on $[0, 1]$ and $x = F^{{-1}}(v) = {latex(inverse.xreplace({v: u}))}$; the "
            f"{'maximum' if reduction == 'max' else 'minimum'} of n draws has density "
            f"${latex(weight.xreplace({v: u}))}$ in v")]

    return moment


def _moment_by_density(order: Law) -> Moment:
    """E[h] under the order statistic's own density, by the expectation operator."""
    def moment(h: sp.Expr) -> tuple[sp.Expr, list[Step]]:
        found = expect(order, h)
        return simplified(found.value), list(found.steps)

    return moment


def _folded(law: Law, statistic: FoldedMaximum) -> tuple[Law, list[Step]]:
    """The law of |X| for X on a support symmetric about 0, [−a, a]: density f(t) + f(−t) on [0, a]."""
    lower, upper = law.limits
    if law.discrete or simplified(lower + upper) != 0:
        raise UnsupportedOperationError(f"Max(max x, −min x) is analysed on a continuous support symmetric about 0; "
                                        f"{law.name} has the support {law.support}")
    x = law.variable
    density = simplified(law.density + law.density.xreplace({x: -x}))
    support = sp.Interval(0, upper)
    signed = sp.Dummy(x.name, nonnegative=True)
    log_density = expand_log_density(sp.log(density.xreplace({x: signed}))).xreplace({signed: x})
    folded = Law(x, density, log_density, support, False, law.parameters, f"|X| for {law.name}")
    return folded, [
        Step("The estimator is the largest |xᵢ|", sp.Eq(statistic.symbol, statistic.written, evaluate=False),
             "the larger of max x and −min x is the largest distance from 0: the maximum of the n i.i.d. |xᵢ|"),
        Step("Law of one |xᵢ|", sp.Eq(sp.Function("f_abs")(x), density, evaluate=False),
             f"|X| ≤ t exactly when −t ≤ X ≤ t, so its density is f(t) + f(−t) on ${latex(support)}$"),
    ]


def _factored(value: sp.Expr) -> sp.Expr:
    """A rational function of n and the parameters factored (nθ²/((n + 1)²(n + 2)), as the textbooks write it)."""
    return sp.factor(value) if value.is_rational_function() else value


def derive_order_statistic_analysis(problem: Any, law: Law, statistic: Any, estimator: sp.Expr, target: sp.Expr,
                                    quantity: str) -> Derivation:
    """The bias, variance or MSE of ``estimator`` (a function of ``statistic``, an extreme order statistic) for
    ``target``, exact, through the derived law of the order statistic."""
    n, x = problem.sample_size, law.variable
    steps: list[Step] = []
    if isinstance(statistic, FoldedMaximum):
        law, steps = _folded(law, statistic)
        estimator = estimator.xreplace({statistic.written: statistic.symbol})
    order, cdf, parent = _order_law(law, statistic.reduction, n)
    h = estimator.xreplace({statistic.symbol: x})
    F = sp.Function("F")
    shown = statistic.symbol
    steps += [
        Step("CDF of one observation", sp.Eq(F(x), parent, evaluate=False), "$F(t) = \\int f$ over the support up to t"),
        Step("Law of the order statistic", (
            sp.Eq(sp.Function("F_" + statistic.reduction)(x), cdf, evaluate=False),
            sp.Eq(sp.Function("f_" + statistic.reduction)(x), order.density, evaluate=False)),
            "the maximum is below t when every draw is: $F(t)^n$, differentiated"
            if statistic.reduction == "max" else
            "the minimum is above t when every draw is: $1 - (1 - F(t))^n$, differentiated"),
    ]
    moment = _moment_by_quantile(law, statistic.reduction, n) or _moment_by_density(order)
    mean, how = moment(h)
    steps += [*how, Step("Expectation", sp.Eq(Expect(h.xreplace({x: shown})), mean, evaluate=False), "exact")]
    bias = simplified(mean - target)
    steps.append(Step("Bias", sp.Eq(sp.Symbol("bias"), bias, evaluate=False), "exact"))
    value = bias
    if quantity != "bias":
        second, _ = moment(sp.expand(h**2))
        variance = _factored(simplified(second - mean**2))
        mse = _factored(simplified(variance + bias**2))
        steps += [Step("Variance", sp.Eq(sp.Symbol("Var"), variance, evaluate=False),
                       f"exact: $\\mathbb{{E}}[{latex(h.xreplace({x: shown}))}^2] - \\mathbb{{E}}[\\cdot]^2$"),
                  Step("Mean squared error", sp.Eq(sp.Symbol("MSE"), mse, evaluate=False), "variance plus squared bias")]
        value = variance if quantity == "variance" else mse
    remarks = [f"The {quantity} is exact.",
               "No Cramér–Rao bound: the support depends on the parameter, so its regularity conditions fail."]
    return analysis_record(problem, target, quantity, value, steps, remarks, mean if bias != 0 else None)


def analysis_record(problem: Any, target: sp.Expr, quantity: str, value: sp.Expr, steps: list[Step],
                    remarks: list[str], exact_mean: sp.Expr | None) -> Derivation:
    """The Derivation of a bias, variance or MSE; for a bias with an exact, nonzero ``exact_mean``, the factor of n
    that removes it, when there is one, is remarked."""
    n = problem.sample_size
    if quantity == "bias" and exact_mean is not None and exact_mean != 0:
        ratio = simplified(target / exact_mean)
        if ratio.free_symbols <= {n}:
            remarks = [*remarks, f"Unbiased correction: multiply the estimator by {ratio}."]
    title = f"{quantity.capitalize()} of the estimator of {target} ({problem.title})"
    record = ProbabilityProblem(title, {"value": value}, {"value": value}, "scalar", problem.parameters + (n,))
    return Derivation(record, tuple(steps), value, (sp.Eq(sp.Symbol(quantity), value, evaluate=False),),
                      remarks=tuple(remarks))


@dataclass(frozen=True)
class OrderIntervalProblem:
    """An exact interval from the scale or location pivot of a sample maximum or minimum."""

    title: str
    estimate: Derivation
    statistic: sp.Symbol
    endpoints: tuple[sp.Expr, sp.Expr]
    level: float
    parameter: sp.Symbol
    sample_size: sp.Symbol


def derive_order_statistic_interval(estimate: Derivation, law: Law, theta: sp.Symbol, level: float) -> Derivation:
    """The exact interval for ``theta`` when its MLE is a sample maximum or minimum whose law, divided by θ (a
    scale) or shifted by it (a location), is free of the parameters: a pivot, inverted at its quantiles.

    Raises:
        UnsupportedOperationError: the estimator is no extreme order statistic, or no such pivot is found.
    """
    problem = estimate.problem
    statistic = extreme_statistic(problem, problem.estimators[theta])
    if statistic is None or problem.estimators[theta] != statistic.symbol:
        raise UnsupportedOperationError(f"the estimator of {theta} is not a sample minimum or maximum")
    n, x = problem.sample_size, law.variable
    order, cdf, parent = _order_law(law, statistic.reduction, n)
    q, p = sp.Symbol("q", positive=True), sp.Symbol("p", positive=True)
    others = set(law.parameters) - {theta}
    for kind, at, pivot in (("scale", q * theta, x / theta), ("location", q + theta, x - theta)):
        G = simplified(cdf.subs(x, at))
        if theta not in G.free_symbols and not G.free_symbols & others:
            break
    else:
        raise UnsupportedOperationError(f"the law of {statistic.symbol} is not free of the parameters after dividing "
                                        f"by or subtracting {theta}: no pivot")
    roots = real_roots(within(INTEGRATE_SECONDS, "invert the pivot's CDF", sp.solve, sp.Eq(G, p), q), True)
    if len(roots) != 1:
        raise UnsupportedOperationError(f"the pivot's CDF {G} cannot be inverted in closed form")
    alpha = 1 - sp.nsimplify(float(level), rational=True)
    quantiles = [roots[0].subs(p, alpha / 2), roots[0].subs(p, 1 - alpha / 2)]
    shown = statistic.symbol
    # Q at its lower quantile gives one end, at its upper the other; Q decreasing in θ puts the upper first
    ends = [simplified(sp.solve(sp.Eq(pivot.subs(x, shown), c), theta)[0]) for c in quantiles]
    if sp.diff(pivot, theta).subs(x, law.signed()).is_nonpositive:
        ends = ends[::-1]
    name = sp.Symbol("Q")
    steps = (
        Step("CDF of one observation", sp.Eq(sp.Function("F")(x), parent, evaluate=False)),
        Step("Law of the order statistic", sp.Eq(sp.Function("F_" + statistic.reduction)(x), cdf, evaluate=False)),
        Step("Pivot", (sp.Eq(name, pivot.subs(x, shown), evaluate=False),
                       sp.Eq(sp.Function("G")(q), G, evaluate=False)),
             f"the {kind} pivot: its CDF $G(q) = P(Q \\le q)$ is free of the parameters"),
        Step("Invert the pivot", (sp.Eq(sp.Symbol("lower"), ends[0], evaluate=False),
                                  sp.Eq(sp.Symbol("upper"), ends[1], evaluate=False)),
             f"$G(q) = p$ at $p = {latex(alpha / 2)}$ and $p = {latex(1 - alpha / 2)}$, solved for q, then for "
             f"${latex(theta)}$"),
    )
    record = OrderIntervalProblem(f"Exact {float(level):g} confidence interval for {theta} ({problem.title})",
                                  estimate, shown, tuple(ends), float(level), theta, n)
    return Derivation(record, steps, tuple(ends), (sp.Eq(sp.Symbol("lower"), ends[0], evaluate=False),
                                                   sp.Eq(sp.Symbol("upper"), ends[1], evaluate=False)),
                      remarks=(f"Exact: the pivot Q = {sp.sstr(pivot.subs(x, shown))} has a law free of the "
                               "parameters, so the coverage is exactly the level (equal tails). A Wald interval does "
                               f"not apply: the support depends on {theta}, and the MLE is not asymptotically "
                               "normal.",))


@numpy_function.register(OrderIntervalProblem)
def _numpy(problem: OrderIntervalProblem, derivation: Any, **options: Any) -> Callable[..., tuple[float, float]]:
    estimator = problem.estimate.numpy()
    ends = [compile_expression(e) for e in problem.endpoints]
    names = [{s.name for s in e.free_symbols} for e in problem.endpoints]

    def interval(x: Any, **fixed: Any) -> tuple[float, float]:
        sample = np.asarray(x, dtype=float)
        values = {**{k: float(v) for k, v in fixed.items()}, problem.sample_size.name: float(sample.size),
                  problem.statistic.name: float(estimator(sample, **fixed)[problem.parameter.name])}
        low, high = (float(f(**{k: v for k, v in values.items() if k in keys})) for f, keys in zip(ends, names))
        return low, high

    return sample_by_its_name(interval, problem.estimate.problem)


def _register_coverage_check() -> None:
    # the same coverage simulation as an interval from a sufficient sum's pivot
    from symml.probability.pivots import _verify as coverage

    verify.register(OrderIntervalProblem)(coverage)


_register_coverage_check()
