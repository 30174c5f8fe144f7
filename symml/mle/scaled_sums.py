"""Sums over the sample that hold an unknown parameter, evaluated vectorised and without overflow.

A stationarity equation with no closed form can keep sums over the data (the Weibull shape:
``sum_i x_i^beta`` and ``sum_i x_i^beta log x_i``). Each sum is evaluated as one NumPy reduction over the whole
sample at the current value of the unknown. Powers whose exponent holds an unknown are written ``exp(E)``, and
every sum is computed with the common factor ``exp(s)``, ``s = max_i E_i``, taken out (the log-sum-exp shift), so
``x^beta`` never overflows whatever the scale of the data. Subexpressions of the data alone (``log x``) are
computed once per sample, not once per evaluation.

An expression homogeneous of degree d in the sums only changes by the positive factor ``exp(d s)`` when the
scaled sums replace the sums: for a stationarity residual, where only the sign matters to a root finder, the
scaled sums are used as they are. Elsewhere (a profiled parameter, the Weibull scale ``(sum x^beta / n)^(1/beta)``)
``sum = exp(s) T`` is substituted and powers of products expanded, so that ``exp(s)`` appears as ``exp(s/beta)``.

>>> import numpy as np, sympy as sp
>>> x, b, n, i = sp.Symbol("x", positive=True), sp.Symbol("b", positive=True), sp.Symbol("n"), sp.Idx("i")
>>> data = sp.IndexedBase("x")
>>> scale = (sp.Sum(data[i] ** b, (i, 1, n)) / n) ** (1 / b)
>>> sums = ScaledSums([scale], x, n, (b,))
>>> profile = SampleFunction.of(sums.for_value(scale))
>>> values = sums.prepare(np.array([1e300, 2e300]), {n: 2.0})
>>> values[b] = 4.0
>>> round(float(profile(sums.evaluate(values)) / 1e300), 12)  # ((1 + 16) / 2)^(1/4); x^4 alone overflows
1.707476485174
"""
from __future__ import annotations

import functools
import math
from typing import Any, Sequence

import numpy as np
import sympy as sp

from symml.errors import UnsupportedOperationError
from symml.mle.blocked_sums import BlockedSums
from symml.mle.numeric import SampleFunction

__all__ = ["ScaledSums", "reads_data"]

#: Up to this many observations the sums without a shift are one reduction of their factors stacked (the copy
#: costs less than a NumPy call per sum)
_STACKED_UP_TO = 512

#: From this many observations the sums without a shift are one cache-blocked pass; below, the lambdified
#: factors (a blocked pass's buffers and slices cost more than the temporaries of a small sample)
_BLOCKED_FROM = 4096


class ScaledSums:
    """The sums over the sample in some expressions, compiled for evaluation at values of the unknowns.

    Args:
        expressions: SymPy expressions holding ``Sum(f(x[i]), (i, 1, n))`` over the indexed sample.
        observation: the symbol of one observation, which replaces ``x[i]`` in the summands.
        sample_size: the symbol n.
        unknowns: the parameters solved for; everything else a summand holds is known for a given sample.
    """

    def __init__(self, expressions: Sequence[sp.Expr], observation: sp.Symbol, sample_size: sp.Symbol,
                 unknowns: Sequence[sp.Symbol]):
        self.observation, self.sample_size, self.unknowns = observation, sample_size, tuple(unknowns)
        self.shift = sp.Dummy("shift", real=True)
        self.symbols: dict[sp.Sum, sp.Symbol] = {}  # each sum -> the symbol of its scaled value
        exponents: dict[sp.Expr, int] = {}
        self._once: dict[sp.Symbol, sp.Dummy] = {}  # the symbol of a data-only sum -> its sum, once per sample
        self._data: dict[sp.Expr, sp.Symbol] = {}  # data-only subexpression -> placeholder
        terms = []
        self._factors: list[sp.Expr] = []  # each term's factor, with its data-only parts as placeholders
        # compiled per set of sums wanted
        self._batches: dict[frozenset | None, tuple[list, SampleFunction, BlockedSums | None, bool]] = {}
        by_summand: dict[sp.Expr, sp.Symbol] = {}
        for expr in expressions:
            for total in sorted(sp.sympify(expr).atoms(sp.Sum), key=sp.default_sort_key):
                if total in self.symbols or not total.function.atoms(sp.Indexed):
                    continue
                summand = _completed_squares(self._summand(total, sample_size), observation)
                if summand in by_summand:  # the same sum written over another index or indexed base
                    self.symbols[total] = by_summand[summand]
                    continue
                exponent, factor = self._split(summand)
                self.symbols[total] = by_summand[summand] = sp.Dummy(f"T{len(by_summand)}", positive=True)
                terms.append((exponents.setdefault(exponent, len(exponents)), self._compile(factor), self.symbols[total]))
                self._factors.append(self._hoisted(factor))
                # A sum of the data alone (no unknown in it) is the same at every evaluation: summed once per sample
                if exponent == 0 and not factor.has(*self.unknowns):
                    self._once[self.symbols[total]] = sp.Dummy(f"S{len(self._once)}")
        self._exponents = [self._compile(e) for e in exponents]
        self._exponent_exprs = list(exponents)
        # An exponent c(theta) * g(x) (Weibull: beta log x) peaks at c max g or c min g: the shift without a pass
        self._linear: dict[int, tuple[SampleFunction, sp.Symbol]] = {}
        for which, exponent in enumerate(exponents):
            factor, data = self._hoisted(exponent).as_independent(*self._data.values(), as_Add=False)
            if data in self._data.values():
                self._linear[which] = (SampleFunction.of(factor), data)
        self._extremes = {data: (sp.Dummy("highest"), sp.Dummy("lowest")) for _, data in self._linear.values()}
        self._terms = terms
        self._data_functions = {p: SampleFunction.of(e, leading=(observation,)) for e, p in self._data.items()}

    def _summand(self, total: sp.Sum, sample_size: sp.Symbol) -> sp.Expr:
        index, lower, upper = total.limits[0]
        if len(total.limits) != 1 or lower != 1 or upper != sample_size:
            raise UnsupportedOperationError(f"only sums over the whole sample i = 1..n can be evaluated: {total}")
        return total.function.xreplace({e: self.observation for e in total.function.atoms(sp.Indexed)
                                        if e.indices == (index,)})

    def _split(self, summand: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
        """``(E, g)`` with ``summand = exp(E) g``: powers of the data with an unknown exponent go into E."""
        def unknown_power(e: sp.Basic) -> bool:
            return isinstance(e, sp.Pow) and e.base.has(self.observation) and e.exp.has(*self.unknowns)

        rewritten = sp.powsimp(summand.replace(unknown_power, lambda e: sp.exp(e.exp * sp.log(e.base))), combine="exp")
        powers = [f for f in sp.Mul.make_args(rewritten) if isinstance(f, sp.exp) and f.has(*self.unknowns)]
        exponent = sp.Add(*[f.args[0] for f in powers])
        return exponent, sp.Mul(*[f for f in sp.Mul.make_args(rewritten) if f not in powers])

    def _compile(self, expr: sp.Expr) -> SampleFunction:
        return SampleFunction.of(self._hoisted(expr))

    def _hoisted(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with its largest subexpressions of the data and known values alone as placeholders."""
        # an expression only: a Piecewise's (value, condition) pair or its condition cannot stand for a number
        if isinstance(expr, sp.Expr) and expr.has(self.observation) and not expr.has(*self.unknowns):
            return self._data.setdefault(expr, sp.Dummy(f"data{len(self._data)}"))
        return expr.func(*[self._hoisted(a) for a in expr.args]) if expr.args else expr

    def for_sign(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` in the scaled sums, up to a positive factor: for root finding. Exact (factor 1) where
        ``expr`` is not homogeneous in its sums."""
        expr = _data_free_sums_done(expr)
        if not self.symbols:
            return expr
        return expr.xreplace(self.symbols) if self._degree(expr) is not None else self.for_value(expr)

    def for_ratio(self, numerator: sp.Expr, denominator: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
        """Both in the scaled sums, up to the same positive factor (their ratio exact): a Newton step. Exact where
        they are not homogeneous of one degree in their sums."""
        numerator, denominator = _data_free_sums_done(numerator), _data_free_sums_done(denominator)
        degree = self._degree(numerator)
        if self.symbols and degree is not None and self._degree(denominator) == degree:
            return numerator.xreplace(self.symbols), denominator.xreplace(self.symbols)
        return self.for_value(numerator), self.for_value(denominator)

    def _degree(self, expr: sp.Expr) -> int | None:
        """The degree of ``expr`` in its sums where it is homogeneous in them, else None."""
        grow = sp.Dummy("grow", positive=True)
        scaled = sp.expand(expr.xreplace({total: grow * t for total, t in self.symbols.items()}))
        try:
            degrees = {sp.degree(term, grow) for term in sp.Add.make_args(scaled)}
        except sp.PolynomialError:
            return None
        return degrees.pop() if len(degrees) == 1 else None

    def for_value(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` in the scaled sums and the shift: ``sum = exp(shift) T``, powers of products expanded."""
        expr = _data_free_sums_done(expr)
        if not self.symbols:
            return expr
        exact = expr.xreplace({total: sp.exp(self.shift) * t for total, t in self.symbols.items()})
        return sp.expand_power_base(exact, force=True)

    def parts(self) -> tuple[dict, list[tuple[sp.Expr, sp.Expr, sp.Symbol]], dict]:
        """The sums as :func:`symml.mle.float_sums.sums_in_floats` compiles them: the data-only subexpressions (each
        -> its placeholder), each sum's (exponent, factor, symbol) with the data-only parts of them as placeholders,
        and each exponent that is a factor times a placeholder (-> (factor, placeholder))."""
        exponents = [self._hoisted(e) for e in self._exponent_exprs]
        linear = {exponents[which]: (self._hoisted(self._exponent_exprs[which]).as_independent(
            *self._data.values(), as_Add=False)[0], data) for which, (_, data) in self._linear.items()}
        terms = [(exponents[which], factor, symbol) for (which, _, symbol), factor in zip(self._terms, self._factors)]
        return dict(self._data), terms, linear

    def read_data(self, symbols: frozenset) -> bool:
        """Whether evaluating the sums among ``symbols`` is a pass over the sample (a sum of the data alone is
        summed once per sample)."""
        return any(t in symbols and t not in self._once for t in self.symbols.values())

    def needing(self, parameters: set) -> frozenset:
        """The sums whose summands use one of ``parameters`` (a parameter profiled out by a closed form that these
        sums must wait for)."""
        return frozenset(symbol for which, factor, symbol in self._terms
                         if parameters & {*factor.arguments, *self._exponents[which].arguments})

    def functions(self) -> list[SampleFunction]:
        """Every compiled piece (data-only subexpressions, exponents, factors): their arguments are what the
        sums need from the caller."""
        return [*self._data_functions.values(), *self._exponents, *(factor for _, factor, _ in self._terms)]

    def prepare(self, sample: np.ndarray, values: dict) -> dict:
        """``values`` plus the data-only subexpressions on ``sample`` (computed once per sample)."""
        for placeholder, function in self._data_functions.items():
            values[placeholder] = function({**values, self.observation: sample})
        for data, (highest, lowest) in self._extremes.items():
            values[highest], values[lowest] = float(np.max(values[data])), float(np.min(values[data]))
        for _, factor, symbol in self._terms:
            if symbol in self._once:
                values[self._once[symbol]] = _weighted_sum(np.ones(()), factor(values), values[self.sample_size])
        return values

    def evaluate(self, values: dict, wanted: frozenset | None = None) -> dict:
        """``values`` (prepared, with the unknowns set) plus the scaled sums (those in ``wanted``; None: all) and
        the shift. The factors of the sums computed together, their common subexpressions once (the Student-t
        denominator nu + (x - mu)^2 of four sums)."""
        if not self.symbols:
            return values
        terms, factors, blocked, unshifted = self._batch(wanted)
        if unshifted:  # no power with an unknown exponent: nothing to shift (the Student-t's sums)
            size = values[self.sample_size]
            if blocked is not None and size >= _BLOCKED_FROM:
                for (_, symbol), total in zip(terms, blocked(values)):
                    values[symbol] = total
            else:  # each factor summed as it is (the general path's weight, exp(0 - 0), is 1)
                parts = factors(values)
                if size <= _STACKED_UP_TO and all(type(p) is np.ndarray and p.ndim == 1 for p in parts):
                    totals = np.add.reduce(np.array(parts), axis=1)  # one reduction for all: ~1.7 us, not ~0.8 each
                else:
                    totals = [_plain_sum(factor, size) for factor in parts]
                for (_, symbol), total in zip(terms, totals):
                    values[symbol] = total
            return self._shifted(values, 0.0)
        exponents: dict[int, Any] = {}
        tops: list[float] = []
        for which in {w for w, _ in terms}:
            if which in self._linear:
                function, data = self._linear[which]
                factor = float(function(values))
                highest, lowest = self._extremes[data]
                exponents[which] = (factor, data)
                tops.append(factor * values[highest] if factor >= 0 else factor * values[lowest])
            else:
                exponents[which] = np.asarray(self._exponents[which](values), dtype=float)
                tops.append(float(np.max(exponents[which])))
        shift = max(tops, default=0.0)
        if not math.isfinite(shift) or any(map(math.isnan, tops)):
            shift = 0.0  # every term overflows or vanishes: the sums say so unshifted (inf or 0)
        weights = {which: _shifted_exp(e, shift) if not isinstance(e, tuple) else _scaled_exp(values[e[1]], e[0], shift)
                   for which, e in exponents.items()}
        for (which, symbol), factor in zip(terms, factors(values) if terms else ()):
            values[symbol] = _weighted_sum(weights[which], factor, values[self.sample_size])
        return self._shifted(values, shift)

    def evaluate_at_points(self, values: dict, wanted: frozenset | None = None) -> dict:
        """:meth:`evaluate` at K points of the unknowns at once: in ``values`` the unknowns (and any profiled
        parameter a summand holds) are columns, shape (K, 1), against the sample's arrays, shape (n,); each sum
        and the shift come out of shape (K,), each point shifted by its own largest exponent. One (K x n) pass
        where K separate evaluations each cost ~20 us of Python at n = 10 (the Weibull shape's multi-start
        candidates and Hessian points, whose profiled scale depends on each point through the sums)."""
        if not self.symbols:
            return values
        terms, factors, _, unshifted = self._batch(wanted)
        weights: dict[int, Any] = {}
        shift: Any = 0.0
        if terms and not unshifted:
            exponents: dict[int, Any] = {}
            tops = []
            for which in {w for w, _ in terms}:
                if which in self._linear:
                    function, data = self._linear[which]
                    factor = np.asarray(function(values), dtype=float)
                    highest, lowest = self._extremes[data]
                    exponents[which] = (factor, data)
                    tops.append(np.where(factor >= 0, factor * values[highest], factor * values[lowest]))
                else:
                    exponents[which] = exponent = np.asarray(self._exponents[which](values), dtype=float)
                    tops.append(np.max(exponent, axis=-1, keepdims=True) if exponent.ndim else exponent)
            highest_top = functools.reduce(np.maximum, tops)
            # a point where every term overflows or vanishes: its sums say so unshifted (inf or 0)
            shift = np.where(np.isfinite(highest_top), highest_top, 0.0)
            weights = {which: _shifted_exp(e, shift) if not isinstance(e, tuple) else
                       _scaled_exp(values[e[1]], e[0], shift) for which, e in exponents.items()}
        size = values[self.sample_size]
        for (which, symbol), factor in zip(terms, factors(values) if terms else ()):
            values[symbol] = _summed_over_sample(weights[which] * factor if which in weights else factor, size)
        return self._shifted(values, np.reshape(shift, np.shape(shift)[:-1]) if np.ndim(shift) else shift)

    def _shifted(self, values: dict, shift: Any) -> dict:
        """``values`` with the shift (a float, or one per point) and the data-only sums scaled by it."""
        scale = 1.0 if type(shift) is float and not shift else np.exp(-shift)  # exp(-0) is 1 exactly: no NumPy call
        for symbol, total in self._once.items():
            values[symbol] = np.float64(scale * values[total])
        values[self.shift] = shift
        return values

    def _batch(self, wanted: frozenset | None) -> tuple[list, SampleFunction, BlockedSums | None, bool]:
        """The terms (exponent, symbol) to sum for ``wanted`` that change with the unknowns, and their factors as
        one function with common subexpressions shared; and, where no term has a power with an unknown exponent
        (nothing to shift), their sums as one cache-blocked pass (:mod:`symml.mle.blocked_sums`) and True."""
        if wanted not in self._batches:
            chosen = [k for k, (_, _, symbol) in enumerate(self._terms)
                      if symbol not in self._once and (wanted is None or symbol in wanted)]
            terms = [(self._terms[k][0], self._terms[k][2]) for k in chosen]
            factors = [self._factors[k] for k in chosen]
            arrays = [data for data in self._data.values() if any(f.has(data) for f in factors)]
            unshifted = bool(chosen) and all(self._exponent_exprs[self._terms[k][0]] == 0 for k in chosen)
            blocked = BlockedSums.of(factors, arrays) if unshifted and arrays else None
            self._batches[wanted] = (terms, SampleFunction.of(sp.Tuple(*factors), cse=True), blocked, unshifted)
        return self._batches[wanted]


def reads_data(expr: sp.Expr) -> bool:
    """Whether ``expr`` holds a sum over the data."""
    return any(total.function.atoms(sp.Indexed) for total in sp.sympify(expr).atoms(sp.Sum))


def _data_free_sums_done(expr: sp.Expr) -> sp.Expr:
    """``expr`` with its sums that do not read the data evaluated (``Sum(1, (i, 1, n))`` -> ``n``): lambdified as
    they are, they would become a Python loop over ``range(n)``."""
    return sp.sympify(expr).replace(lambda e: isinstance(e, sp.Sum) and not e.function.atoms(sp.Indexed),
                                    lambda e: e.doit())


def _completed_squares(expr: sp.Expr, observation: sp.Symbol) -> sp.Expr:
    """``expr`` with each sum that is a quadratic in the observation, ``a x^2 + b x + c`` (coefficients free of
    x), written ``a (x + b/(2a))^2 + c - b^2/(4a)``: three operations on the data instead of five, and no
    cancellation between x^2 and the cross term far from 0 (the Student-t denominator ``nu + (x - mu)^2`` at
    x ~ 1e8, where x^2 - 2 mu x + mu^2 loses every digit).

    >>> x, mu, nu = sp.symbols("x mu nu")
    >>> _completed_squares(1 / (mu**2 - 2*mu*x + nu + x**2), x)
    1/(nu + (-mu + x)**2)
    """
    def quadratic(e: sp.Basic) -> bool:
        if not (isinstance(e, sp.Add) and e.has(observation)):
            return False
        try:
            poly = sp.Poly(e, observation)
        except sp.PolynomialError:  # log x, x^beta: not a polynomial in x
            return False
        return poly.degree() == 2 and bool(poly.LC().is_nonzero)

    def completed(e: sp.Add) -> sp.Expr:
        a, b, c = sp.Poly(e, observation).all_coeffs()
        return a * (observation + sp.cancel(b / (2 * a))) ** 2 + sp.cancel(c - b**2 / (4 * a))

    return expr.replace(quadratic, completed)


def _shifted_exp(exponent: np.ndarray, shift: float) -> np.ndarray:
    """exp(exponent - shift) with one temporary array (``exponent`` may be the sample's own data: not touched)."""
    shifted = np.subtract(exponent, shift)
    return np.exp(shifted, out=shifted) if shifted.ndim else np.exp(shifted)


def _scaled_exp(data: np.ndarray, factor: float, shift: float) -> np.ndarray:
    """exp(factor * data - shift) with one temporary array."""
    scaled = np.multiply(data, factor)
    scaled -= shift
    return np.exp(scaled, out=scaled)


def _plain_sum(factor: Any, size: float) -> np.float64:
    """sum_i g_i over a sample of ``size`` observations: :func:`_weighted_sum` with weight 1, no product with a
    NumPy 0-d array (~1 us a sum at n = 10)."""
    factor = np.asarray(factor, dtype=float)
    if factor.ndim == 1:
        return np.float64(np.add.reduce(factor))
    return np.float64(np.sum(factor) if factor.ndim else factor * size)


def _summed_over_sample(terms: Any, size: float) -> Any:
    """Each point's sum over the sample (the last axis) of ``terms``, shape (K, n); terms constant over the sample
    (last axis 1, or a scalar) count ``size`` times."""
    terms = np.asarray(terms, dtype=float)
    if not terms.ndim:
        return terms * size
    if terms.shape[-1] == 1 and size != 1:
        return terms[..., 0] * size
    return np.add.reduce(terms, axis=-1)


def _weighted_sum(weights: np.ndarray, factor: Any, size: float) -> np.float64:
    """sum_i w_i g_i over a sample of ``size`` observations, as a dot product (no temporary array) when both are
    arrays; a term that does not vary over the sample counts ``size`` times."""
    factor = np.asarray(factor, dtype=float)
    if not weights.ndim and factor.ndim == 1:  # no exponent with an unknown: the sum of the factor, scaled
        return np.float64(np.add.reduce(factor) * weights)
    if factor.shape == weights.shape and weights.ndim == 1:
        return np.float64(np.dot(weights, factor))
    if weights.ndim == 1 and not factor.ndim:
        return np.float64(np.add.reduce(weights) * factor)
    terms = weights * factor
    return np.float64(np.sum(terms) if terms.ndim else terms * size)
