r"""A constant fitted to data through absolute or pinball deviations: the subgradient condition gives a quantile.

An objective Σᵢ (β q + w |q − gᵢ| + αᵢ) over i = 1..n (w > 0, |β| < w; the pinball loss max(τ(yᵢ − q),
(τ − 1)(yᵢ − q)) is ((2τ − 1)(yᵢ − q) + |yᵢ − q|)/2, the absolute error |yᵢ − q| has β = 0) is convex and piecewise
linear in q. Its subdifferential is n β + w (n_< − n_> + [−n_=, n_=]), with n_<, n_=, n_> the counts of the gᵢ
below, at and above q: it holds 0 exactly when at most a fraction τ = (1 − β/w)/2 of them lie below q and at most
1 − τ above, so the minimiser is a τ-quantile of the gᵢ (Koenker & Bassett 1978), the median for τ = 1/2
(sklearn's mean_pinball_loss and HistGradientBoosting's quantile and absolute_error baselines).

A term c |aᵢ q − bᵢ| with data aᵢ is c |aᵢ| |q − bᵢ/aᵢ| (a constant c |bᵢ| where aᵢ = 0), so the same condition with
counts replaced by total weights makes q̂ a weighted median of the bᵢ/aᵢ, weights c |aᵢ| (least absolute deviations
through the origin); kinks λ |q − c| outside the sum (an L1 penalty: c = 0) join the weighted points.

>>> import sympy as sp
>>> from symml.optimize.core import Objective, Outcome
>>> i, n = sp.Symbol("i", integer=True, positive=True), sp.Symbol("n", integer=True, positive=True)
>>> y, q = sp.IndexedBase("y", real=True), sp.Symbol("q", real=True)
>>> pinball = sp.Sum(sp.Max(sp.Rational(9, 10)*(y[i] - q), -sp.Rational(1, 10)*(y[i] - q)), (i, 1, n))
>>> data_quantile_stage(Objective(pinball, (q,), maximise=False), Outcome()).solution[q]
SampleQuantile(y[i], i, n, 9/10)
>>> x = sp.IndexedBase("x", real=True)
>>> lad = sp.Sum(sp.Abs(y[i] - q*x[i]), (i, 1, n)) + 2*sp.Abs(q)
>>> data_quantile_stage(Objective(lad, (q,), maximise=False), Outcome()).solution[q]
SampleWeightedQuantile(y[i]/x[i], i, n, 1/2, Abs(x[i]), (0,), (2,))
"""
from __future__ import annotations

from dataclasses import replace

import sympy as sp

from symml.derivation import Step
from symml.mle.statistics import SampleMedian, SampleQuantile, SampleWeightedQuantile
from symml.optimize.core import Objective, Outcome, hat
from symml.render.printer import latex

__all__ = ["data_quantile_stage"]


def _extremes_as_kinks(expr: sp.Expr, q: sp.Symbol) -> sp.Expr:
    """max(a, b) = (a + b + |a − b|)/2 and min(a, b) = (a + b − |a − b|)/2 where a − b is linear in q."""
    def linear_pair(e: sp.Basic) -> bool:
        return isinstance(e, (sp.Max, sp.Min)) and len(e.args) == 2 and sp.diff(e.args[0] - e.args[1], q, 2) == 0 \
            and e.has(q)

    sign = {sp.Max: 1, sp.Min: -1}
    return expr.replace(linear_pair, lambda e: (e.args[0] + e.args[1] + sign[type(e)] * sp.Abs(e.args[0] - e.args[1])) / 2)


def _kinks(expr: sp.Expr, q: sp.Symbol, index: sp.Symbol) -> tuple[sp.Expr, dict[sp.Expr, sp.Expr]] | None:
    """(β, {g: w}) with expr = β q + Σ_g w |q − g| + (terms free of q), β free of q and the index, each w free of q
    (a term c |a q − b| is c |a| |q − b/a|, so w may vary with the data through a and c); else None."""
    beta, weights = sp.S.Zero, dict[sp.Expr, sp.Expr]()
    for term in sp.Add.make_args(sp.expand(expr)):
        if not term.has(q):
            continue
        coefficient, rest = term.as_independent(q, as_Add=False)
        if rest == q and not coefficient.has(index):
            beta += coefficient
            continue
        if not isinstance(rest, sp.Abs):
            return None
        inside = rest.args[0]
        slope = sp.diff(inside, q)
        if slope == 0 or slope.has(q) or sp.diff(inside, q, 2) != 0:
            return None
        centre = sp.simplify(-(inside - slope * q) / slope)
        weights[centre] = weights.get(centre, sp.S.Zero) + coefficient * sp.Abs(slope)
    return beta, weights


def data_quantile_stage(objective: Objective, outcome: Outcome) -> Outcome:
    """A single unknown q entering a sum over the data only through β q + w |q − gᵢ| (and outside it only through
    kinks λₖ |q − cₖ|): q̂ is the τ-quantile of the gᵢ, weighted by wᵢ (and the cₖ by λₖ) where those vary."""
    if len(objective.wrt) != 1 or objective.wrt[0] in outcome.solution:
        return outcome
    q = objective.wrt[0]
    f = _extremes_as_kinks(-objective.expr if objective.maximise else objective.expr, q)
    totals = [s for s in f.atoms(sp.Sum) if s.has(q)]
    if len(totals) != 1 or len(totals[0].limits) != 1 or totals[0].limits[0][1] != 1:
        return outcome
    index, _, size = totals[0].limits[0]
    inside, outside = _kinks(totals[0].function, q, index), _kinks(f.xreplace({totals[0]: 0}), q, index)
    if inside is None or outside is None or len(inside[1]) != 1:
        return outcome
    (beta, ((centre, weight),)), (beta_outside, kinks) = (inside[0], tuple(inside[1].items())), outside
    points = sorted(kinks, key=sp.default_sort_key)
    weighted = weight.has(index) or bool(points)
    # with weights varying or points outside, a level (1 − (nβ + β₀)/W)/2 would depend on the data: only 1/2
    level = (sp.S.Half if sp.simplify(size * beta + beta_outside) == 0 else None) if weighted else \
        sp.simplify((1 - beta / weight) / 2) if beta_outside == 0 else None
    if level is None or not (weight.is_nonnegative if weighted else weight.is_positive) \
            or not all(kinks[p].is_positive and not kinks[p].has(index) for p in points) \
            or not (level.is_positive and (1 - level).is_positive):
        return outcome
    more = (sp.Tuple(*points), sp.Tuple(*(kinks[p] for p in points))) if points else ()
    quantile = SampleWeightedQuantile(centre, index, size, level, weight, *more) if weighted else \
        SampleMedian(centre, index, size) if level == sp.S.Half else SampleQuantile(centre, index, size, level)
    steps = (_subgradient_step(q, beta * q + weight * sp.Abs(q - centre), size * beta, weight,
                               sum((kinks[p] * sp.Abs(q - p) for p in points), beta_outside * q), weighted),
             Step(f"The minimum is at the {'weighted ' if weighted else ''}"
                  + (f"{latex(level)}-quantile" if level != sp.S.Half else "median"),
                  sp.Eq(hat(q), quantile),
                  f"zero is a subgradient exactly when at most a fraction ${latex(level)}$ of the "
                  + ("total weight" if weighted else "data") + f" lies below ${latex(q)}$ and at most "
                  f"${latex(1 - level)}$ above it"))
    if weighted:
        varying = weight.has(index)
        remark = ((f"A term whose weight ${latex(weight)}$ is 0 does not involve ${latex(q)}$ (it is a constant, and "
                   f"its point ${latex(centre)}$ is undefined): it does not count. " if varying else "")
                  + f"Where the weight below a point is exactly half the total, every ${latex(q)}$ up to the next "
                  "one is optimal; numpy() returns the smallest point whose cumulative weight reaches half the total."
                  + (f" Where every weight is 0 the objective is constant and every ${latex(q)}$ is optimal: numpy() "
                     "returns 0." if varying and not points else ""))
    else:
        remark = (f"Where a fraction exactly ${latex(level)}$ of the data lie at or below an observation, every "
                  f"${latex(q)}$ up to the next one is optimal; numpy() returns the "
                  f"$\\lceil {latex(level)} n \\rceil$-th order statistic"
                  + (" (the midpoint of the two middle ones for the median)." if level == sp.S.Half else "."))
    return replace(outcome.settle({q: quantile}, steps, (remark,)), optimal=True)


def _subgradient_step(q: sp.Symbol, term: sp.Expr, slope: sp.Expr, weight: sp.Expr, outside: sp.Expr,
                      weighted: bool) -> Step:
    """0 ∈ ∂f at q: the counts (or total weights) of the points below, at and above q, sign replaced by [−1, 1]."""
    kink = "point" if weighted else "data point"
    if weighted:
        lower, at, upper = sp.Symbol("W_{<}"), sp.Symbol("W_{=}"), sp.Symbol("W_{>}")
        interval = sp.Interval(lower - upper - at, lower - upper + at)
        counted = (f"$W_<, W_=, W_>$ are the total weights (${latex(weight)}$ in the sum) of the points below, at "
                   f"and above it (the terms of weight 0 are free of ${latex(q)}$)")
    else:
        lower, at, upper = sp.Symbol("n_{<}"), sp.Symbol("n_{=}"), sp.Symbol("n_{>}")
        interval = sp.Interval(slope + weight * (lower - upper - at), slope + weight * (lower - upper + at))
        counted = "$n_<, n_=, n_>$ count the data below, at and above it"
    return Step("Subgradient condition over the data", sp.Contains(0, interval),
                f"${latex(q)}$ enters the sum only through ${latex(term)}$"
                + (f" and the rest only through ${latex(outside)}$ (its kinks join the weighted points)"
                   if outside != 0 else "")
                + ": the objective is convex and piecewise linear, with a kink at each " + kink
                + f"; at a {kink} sign is replaced by [-1, 1], and {counted}")
