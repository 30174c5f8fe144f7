"""Sample statistics as symbols: the sample mean of a function of the data, and the order statistics.

An estimator is written through statistics (``mu_hat = xbar``) rather than through sums over the indexed sample,
so that it reads like a textbook and evaluates as one reduction of the data per statistic. Each statistic is a
:class:`StatisticSymbol`: a SymPy ``Symbol`` that remembers how it reduces the sample, so the one LaTeX printer
shows it as ``\\bar{x}``, ``\\overline{\\log x}``, ``x_{(1)}``, ``x_{(n)}`` or ``\\operatorname{med}(x)``.

>>> x = sp.Symbol("x", real=True)
>>> table = StatisticTable(x, sp.IndexedBase("x", real=True)[sp.Symbol("i", integer=True)], sp.Symbol("n"))
>>> xbar = table.mean(x)
>>> xbar.name, str(table.definition(xbar))
('mean(x)', 'Sum(x[i], (i, 1, n))/n')
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.mle.problem import Reduction, Statistic

__all__ = ["StatisticSymbol", "StatisticTable", "statistic_symbols", "support_assumptions", "support_probe",
           "interval_support", "SampleMin", "SampleMax", "SampleMedian", "SampleQuantile",
           "SampleWeightedQuantile"]


class StatisticSymbol(sp.Symbol):
    """A symbol standing for a statistic of the sample: ``reduction`` over i of ``summand`` at x_i.

    Attributes:
        reduction: "mean", "min", "max" or "median".
        summand: a function of the observation symbol (and of statistics defined before this one).
    """

    reduction: Reduction
    summand: sp.Expr

    def __new__(cls, reduction: Reduction, summand: sp.Expr, **assumptions: Any) -> "StatisticSymbol":
        # Not through Symbol's cache, which would hand every derivation one shared object per name and let each
        # overwrite its summand: mean((x - mean(x))**2) of a real x and of a positive x print alike but differ.
        cls._sanitize(assumptions, cls)
        symbol = sp.Symbol.__xnew__(cls, f"{reduction}({summand})", **assumptions)
        symbol.reduction = reduction
        symbol.summand = summand
        return symbol

    def _hashable_content(self) -> tuple:
        return super()._hashable_content() + (self.reduction, self.summand)

    def __getnewargs_ex__(self) -> tuple:
        return (self.reduction, self.summand), self.assumptions0

    def _pretty(self, printer: Any) -> Any:
        from sympy.printing.pretty.stringpict import prettyForm

        if isinstance(self.summand, sp.Symbol):
            subscripts = {"min": "\N{SUBSCRIPT LEFT PARENTHESIS}\N{SUBSCRIPT ONE}\N{SUBSCRIPT RIGHT PARENTHESIS}",
                          "max": "\N{SUBSCRIPT LEFT PARENTHESIS}\N{LATIN SUBSCRIPT SMALL LETTER N}"
                                 "\N{SUBSCRIPT RIGHT PARENTHESIS}",
                          "mean": "\N{COMBINING MACRON}"}
            if self.reduction in subscripts:
                return prettyForm(f"{self.summand.name}{subscripts[self.reduction]}")
        names = {"mean": "mean", "min": "min", "max": "max", "median": "med"}
        bracketed = prettyForm(*printer._print(self.summand).parens())
        return prettyForm(*bracketed.left(names[self.reduction]))


class SampleOrderStatistic(sp.Function):
    """An order statistic over the indexed sample, ``(summand at x_i, i, n)``: the minimum, maximum or median
    over i = 1..n. Unevaluated: it is what an estimator means, written over the data."""

    nargs = 3
    is_real = True


class SampleMin(SampleOrderStatistic):
    """min over i = 1..n of the summand (the first order statistic x_(1))."""


class SampleMax(SampleOrderStatistic):
    """max over i = 1..n of the summand (the last order statistic x_(n))."""


class SampleMedian(SampleOrderStatistic):
    """The sample median over i = 1..n of the summand."""


class SampleQuantile(sp.Function):
    """The sample τ-quantile over i = 1..n of the summand, ``(summand at x_i, i, n, τ)``: the ⌈τn⌉-th order
    statistic (a minimiser of the pinball loss Σᵢ max(τ(xᵢ − q), (τ − 1)(xᵢ − q))). Unevaluated."""

    nargs = 4
    is_real = True


class SampleWeightedQuantile(sp.Function):
    """The weighted sample τ-quantile over i = 1..n, ``(summand at x_i, i, n, τ, weight at x_i)``, optionally with
    more points and their weights outside the sample, ``(..., Tuple(points), Tuple(weights))``: the smallest
    point at which the cumulative weight of the sorted points reaches τ times the total weight (a minimiser of
    Σᵢ wᵢ |q − gᵢ| + Σₖ λₖ |q − cₖ| for τ = 1/2). Points of weight 0 do not count. Unevaluated.

    >>> i, n, x = sp.Symbol("i"), sp.Symbol("n"), sp.IndexedBase("x")
    >>> SampleWeightedQuantile(x[i], i, n, sp.S.Half, sp.Abs(x[i])).args[4]
    Abs(x[i])
    """

    nargs = (5, 7)
    is_real = True


class SamplePenalisedMedian(sp.Function):
    """The minimiser over q of Σᵢ wᵢ |q − gᵢ| + Σₖ λₖ |q − cₖ| + a q² + b q (a ≥ 0), ``(summand at x_i, i, n,
    weight at x_i, a, b)``, optionally with more points and their weights outside the sample, ``(..., Tuple(points),
    Tuple(weights))``: the subgradient condition solved on each piece between the sorted kinks
    (:mod:`symml.optimize.data_quantile`). Points of weight 0 do not count. Unevaluated.

    >>> i, n, x, lam = sp.Symbol("i"), sp.Symbol("n"), sp.IndexedBase("x"), sp.Symbol("lambda")
    >>> SamplePenalisedMedian(x[i], i, n, 1, lam, 0).args[4]
    lambda
    """

    nargs = (6, 8)
    is_real = True


def statistic_symbols(expr: sp.Basic) -> set[StatisticSymbol]:
    """The statistics an expression uses."""
    return {s for s in expr.free_symbols if isinstance(s, StatisticSymbol)}


class StatisticTable:
    """The statistics of one derivation, in the order they were introduced (later ones may use earlier ones).

    Args:
        observation: the symbol of one observation in the log-density (``x``).
        indexed: the i-th observation of the indexed sample (``x[i]``).
        sample_size: the symbol n.
        support: the set of possible observations, which decides the sign of statistics.
    """

    def __init__(self, observation: sp.Symbol, indexed: sp.Indexed, sample_size: sp.Symbol,
                 support: sp.Set = sp.S.Reals) -> None:
        self.observation = observation
        self.indexed = indexed
        self.index = indexed.indices[0]
        self.sample_size = sample_size
        self.support = support
        self._symbols: list[StatisticSymbol] = []

    def _intern(self, reduction: Reduction, summand: sp.Expr) -> StatisticSymbol:
        # Found by what it reduces, not rebuilt: deciding its sign again could answer differently (SymPy's
        # assumption queries are not thread-safe), which would make two symbols of one statistic.
        for symbol in self._symbols:
            if symbol.reduction == reduction and symbol.summand == summand:
                return symbol
        symbol = StatisticSymbol(reduction, summand, **self._sign(reduction, summand))
        self._symbols.append(symbol)
        return symbol

    def _sign(self, reduction: Reduction, summand: sp.Expr) -> dict[str, bool]:
        """Assumptions a statistic inherits from its summand on the support (the mean of positives is positive)."""
        if reduction == "mean" and summand.is_positive and summand.is_extended_real:
            return {"positive": True}
        probe = sp.Dummy("x", **support_assumptions(self.support))
        value = summand.subs(self.observation, probe)
        # A mean of non-negative terms is positive unless every term is 0, where no estimator is defined anyway.
        if value.is_positive or (reduction == "mean" and value.is_nonnegative):
            return {"positive": True}
        if value.is_nonnegative:
            return {"nonnegative": True}
        # likewise a mean of non-positive terms on a bounded support: mean(log x) on (0, 1) is negative
        if reduction == "mean" and summand.subs(self.observation, support_probe(self.support)).is_nonpositive:
            return {"negative": True}
        return {"real": True}

    def mean(self, summand: sp.Expr) -> StatisticSymbol:
        """The sample mean of ``summand`` (a function of the observation): (1/n) sum_i summand(x_i)."""
        return self._intern("mean", sp.sympify(summand))

    def order(self, reduction: Reduction, summand: sp.Expr | None = None) -> StatisticSymbol:
        """An order statistic of ``summand`` (default: the observation): "min", "max" or "median"."""
        return self._intern(reduction, self.observation if summand is None else sp.sympify(summand))

    def definition(self, symbol: StatisticSymbol) -> sp.Expr:
        """The statistic written over the indexed sample, e.g. ``Sum(x[i], (i, 1, n))/n``."""
        at_i = symbol.summand.subs(self.observation, self.indexed)
        if symbol.reduction == "mean":
            return sp.Sum(at_i, (self.index, 1, self.sample_size)) / self.sample_size
        reducer = {"min": SampleMin, "max": SampleMax, "median": SampleMedian}[symbol.reduction]
        return reducer(at_i, self.index, self.sample_size)

    def over_sample(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with every statistic replaced by its definition over the indexed sample."""
        for symbol in reversed(self._symbols):
            expr = expr.subs(symbol, self.definition(symbol))
        return expr

    def records(self, used: set[sp.Symbol]) -> tuple[Statistic, ...]:
        """The :class:`Statistic` records of ``used`` statistics and of those they depend on, in order."""
        needed = set(used)
        for symbol in reversed(self._symbols):
            if symbol in needed:
                needed |= statistic_symbols(symbol.summand)
        return tuple(
            Statistic(symbol, symbol.reduction, symbol.summand, self.definition(symbol))
            for symbol in self._symbols
            if symbol in needed
        )


def interval_support(support: sp.Set) -> tuple[sp.Interval, bool] | None:
    """The support as an interval and whether it holds integers only; None when it is neither an interval nor
    integers in an interval (then the plain check of the support runs)."""
    naturals = {type(sp.S.Naturals): sp.Interval(1, sp.oo), type(sp.S.Naturals0): sp.Interval(0, sp.oo),
                type(sp.S.Integers): sp.Interval(-sp.oo, sp.oo)}
    if isinstance(support, sp.Interval):
        return support, False
    if type(support) in naturals:
        return naturals[type(support)], True
    if isinstance(support, sp.FiniteSet) and all(e.is_integer for e in support):
        low, high = min(support), max(support)
        return (sp.Interval(low, high), True) if len(support) == high - low + 1 else None
    if isinstance(support, sp.Intersection) and len(support.args) == 2:
        interval = [a for a in support.args if isinstance(a, sp.Interval)]
        integers = [a for a in support.args if type(a) in naturals]
        if interval and integers:
            inner, whole = interval[0], naturals[type(integers[0])]
            return sp.Interval(sp.Max(inner.inf, whole.inf), sp.Min(inner.sup, whole.sup), inner.left_open,
                               inner.right_open), True
    return None


def support_probe(support: sp.Set) -> sp.Expr:
    """A point of the support as an expression whose sign SymPy can reason about: l + (h − l)/(1 + u) on a bounded
    [l, h] (u > 0), so log x < 0 on (0, 1) is decided; else a symbol with the support's assumptions."""
    held = interval_support(support)
    if held is not None and held[0].inf.is_finite and held[0].sup.is_finite:
        low, high = held[0].inf, held[0].sup
        return low + (high - low) / (1 + sp.Dummy("u", positive=True))
    return sp.Dummy("x", **support_assumptions(support))


def support_assumptions(support: sp.Set) -> dict[str, bool]:
    """Assumptions true of every point of ``support`` (used to sign statistics)."""
    try:
        lower = support.inf
    except NotImplementedError:  # e.g. Intersection(Interval(0, m), Naturals0)
        lower = support.args[0].inf if isinstance(support, sp.Intersection) else sp.S.NegativeInfinity
    # an open end at 0, (0, ∞), holds positives only, and so does [0, ∞) but for a point of probability zero under
    # a density (not under a pmf: 0 is an atom of Range(0, ∞)); log x is then real on the support
    if lower.is_positive or (lower.is_zero and (isinstance(support, sp.Interval)
                                                 or support.contains(lower) is sp.false)):
        return {"positive": True}
    if lower.is_nonnegative:
        return {"nonnegative": True}
    return {"real": True}
