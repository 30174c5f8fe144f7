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
from symml.mle.statistics import SampleMedian, SamplePenalisedMedian, SampleQuantile, SampleWeightedQuantile
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


def _kinks(expr: sp.Expr, q: sp.Symbol, index: sp.Symbol) -> tuple[sp.Expr, sp.Expr, dict[sp.Expr, sp.Expr]] | None:
    """(α, β, {g: w}) with expr = α q² + β q + Σ_g w |q − g| + (terms free of q), α and β free of q and the index,
    each w free of q (a term c |a q − b| is c |a| |q − b/a|, so w may vary with the data through a and c); else
    None."""
    alpha, beta, weights = sp.S.Zero, sp.S.Zero, dict[sp.Expr, sp.Expr]()
    for term in sp.Add.make_args(sp.expand(expr)):
        if not term.has(q):
            continue
        coefficient, rest = term.as_independent(q, as_Add=False)
        if rest in (q, q**2) and not coefficient.has(index):
            alpha, beta = (alpha + coefficient, beta) if rest == q**2 else (alpha, beta + coefficient)
            continue
        if not isinstance(rest, sp.Abs):
            return None
        inside = rest.args[0]
        slope = sp.diff(inside, q)
        if slope == 0 or slope.has(q) or sp.diff(inside, q, 2) != 0:
            return None
        centre = sp.simplify(-(inside - slope * q) / slope)
        weights[centre] = weights.get(centre, sp.S.Zero) + coefficient * sp.Abs(slope)
    return alpha, beta, weights


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
    if inside is None or outside is None or len(inside[2]) != 1:
        return outcome
    (alpha, beta, ((centre, weight),)), (alpha_outside, beta_outside, kinks) = (*inside[:2], tuple(inside[2].items())), \
        outside
    points = sorted(kinks, key=sp.default_sort_key)
    weighted = weight.has(index) or bool(points)
    quadratic, linear = sp.simplify(size * alpha + alpha_outside), sp.simplify(size * beta + beta_outside)
    if quadratic != 0 or (linear != 0 and (weighted or beta_outside != 0)):
        return _penalised(objective, outcome, (centre, index, size, weight), quadratic, linear, kinks)
    # with weights varying or points outside, a level (1 − (nβ + β₀)/W)/2 would depend on the data: a linear term
    # there went to _penalised above, so the level is 1/2
    level = sp.S.Half if weighted else \
        sp.simplify((1 - beta / weight) / 2) if beta_outside == 0 else None
    if level is None or not (weight.is_nonnegative if weighted else weight.is_positive) \
            or not all(kinks[p].is_positive and not kinks[p].has(index) for p in points) \
            or not (level.is_positive and (1 - level).is_positive):
        return outcome
    more = (sp.Tuple(*points), sp.Tuple(*(kinks[p] for p in points))) if points else ()
    quantile = SampleWeightedQuantile(centre, index, size, level, weight, *more) if weighted else \
        SampleMedian(centre, index, size) if level == sp.S.Half else SampleQuantile(centre, index, size, level)
    steps = (_subgradient_step(q, beta * q + weight * sp.Abs(q - centre), size * beta + beta_outside, weight,
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
        interval = sp.Interval(slope + lower - upper - at, slope + lower - upper + at)
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
                + f": the objective is convex and piecewise {'quadratic' if slope.has(q) else 'linear'}, with a kink "
                f"at each {kink}"
                + f"; at a {kink} sign is replaced by [-1, 1], and {counted}")


def _penalised(objective: Objective, outcome: Outcome, sample: tuple, quadratic: sp.Expr, linear: sp.Expr,
               kinks: dict) -> Outcome:
    """q̂ minimising Σᵢ wᵢ |q − gᵢ| + Σₖ λₖ |q − cₖ| + a q² + b q with a ≥ 0 (a ridge penalty λq² beside least
    absolute deviations, a linear term beside weighted ones): convex and piecewise quadratic, its subgradient
    2aq + b + W_< − W_> non-decreasing; the condition 0 ∈ ∂f is solved on each piece between the sorted kinks and at
    each kink, and exactly one of them holds (:class:`SamplePenalisedMedian`)."""
    centre, index, size, weight = sample
    q = objective.wrt[0]
    points = sorted(kinks, key=sp.default_sort_key)
    if quadratic.is_nonnegative is not True or weight.is_nonnegative is not True \
            or not all(kinks[p].is_positive and not kinks[p].has(index) for p in points):
        return outcome
    more = (sp.Tuple(*points), sp.Tuple(*(kinks[p] for p in points))) if points else ()
    estimate = SamplePenalisedMedian(centre, index, size, weight, quadratic, linear, *more)
    smooth = quadratic * q**2 + linear * q
    lower, at, upper, total = sp.Symbol("W_{<}"), sp.Symbol("W_{=}"), sp.Symbol("W_{>}"), sp.Symbol("W")
    kink, below, before = sp.Symbol("g_{(k)}"), sp.Symbol("C_k"), sp.Symbol("C_{k-1}")
    derivative = sp.diff(smooth, q)
    on_piece = sp.Eq(derivative + 2 * below - total, 0)
    steps = [
        _subgradient_step(q, weight * sp.Abs(q - centre), derivative, weight,
                          sum((kinks[p] * sp.Abs(q - p) for p in points), smooth), True),
        Step("On each piece between the sorted points", (on_piece,) + ((
            sp.Eq(hat(q), sp.solve(on_piece, q)[0]),) if quadratic != 0 else ()),
             f"between the $k$-th and $(k + 1)$-th smallest points $W_< = C_k$ (their cumulative weight) and "
             f"$W_> = W - C_k$: the subgradient is the derivative there; its root is the minimum when it lies "
             "inside that piece" + ("" if quadratic != 0 else " (with no quadratic term the slope is constant: a "
                                    "piece holds the minimum only where it is flat)")),
        Step("At a point", sp.And(sp.Le(derivative.subs(q, kink) + 2 * before - total, 0),
                                  sp.Le(0, derivative.subs(q, kink) + 2 * below - total)),
             "at the $k$-th smallest point $g_{(k)}$ the subdifferential runs from its left derivative to its right "
             "one; it holds 0 exactly when this holds"),
        Step("The minimum", sp.Eq(hat(q), estimate),
             f"the objective is convex (${latex(quadratic)} \\ge 0$ and non-negative weights), so its subgradient "
             "is non-decreasing and exactly one piece or point satisfies its condition: the first point whose right "
             "derivative is $\\ge 0$, or the piece before it; numpy() finds it in one pass over the sorted points"),
    ]
    remarks = () if quadratic != 0 else (
        f"With no quadratic term the minimum exists only where $|{latex(linear)}|$ is below the total weight $W$ "
        "(otherwise the objective decreases without end, and numpy() raises a DataError).",)
    return replace(outcome.settle({q: estimate}, steps, remarks), optimal=True)
