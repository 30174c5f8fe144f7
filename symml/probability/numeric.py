"""NumPy functions of probability results, and their numeric fallback.

A result without a closed form keeps its unevaluated ``Integral`` or ``Sum`` (see
:mod:`symml.probability.expectation`); :func:`compile_expression` evaluates each one numerically,
``scipy.integrate.quad`` for an integral and a partial sum run until its terms are negligible for a sum, and
the closed part through the same stabilised lambdify as the MLE estimators. Arguments are passed by name and
broadcast against each other (arrays give arrays).

>>> import sympy as sp
>>> x, s = sp.Symbol("x", real=True), sp.Symbol("s", positive=True)
>>> f = compile_expression(sp.Integral(sp.exp(-x**2/(2*s**2)), (x, -sp.oo, sp.oo)))
>>> round(float(f(s=1.0)), 6)
2.506628
"""
from __future__ import annotations

import math
from typing import Any, Callable, Iterable

import numpy as np
import sympy as sp

from symml.errors import ParameterError
from symml.gaussian_tails import complements_of_two
from symml.mle.numeric import SampleFunction

__all__ = ["compile_expression", "compile_results"]

_SUM_CHUNK = 4096
_SUM_TERMS_MAX = 1 << 20


def _prepared(node: sp.Integral | sp.Sum) -> tuple[sp.Symbol, Any, Callable[[dict], tuple[float, float]],
                                                   tuple[sp.Symbol, ...]]:
    """An integral's or sum's variable, its body as a NumPy function, its limits at given values, its arguments."""
    *inner, (variable, lower, upper) = node.limits
    limits = [SampleFunction.of(lower), SampleFunction.of(upper)]
    arguments = tuple(sorted(node.free_symbols, key=lambda s: s.name))
    if inner or node.function.has(sp.Integral, sp.Sum):
        # an iterated integral or sum (E[g(X, Y)] of independent X, Y that does not split): the outermost
        # variable's body is the inner integral or sum, compiled the same way
        return variable, _inner(node.func(node.function, *inner) if inner else node.function), \
            _bounds(limits), arguments
    # exp(a) exp(-x/b) exp(-exp(...)) overflows term by term in a tail where the product is tiny: one exp of the sum
    body = SampleFunction.of(sp.powsimp(complements_of_two(node.function), combine="exp"), leading=(variable,))
    return variable, body, _bounds(limits), arguments


def _bounds(limits: list[Any]) -> Callable[[dict], tuple[float, float]]:
    def bounds(known: dict) -> tuple[float, float]:
        a, b = (float(limit(known)) for limit in limits)
        return a, b

    return bounds


def _inner(function: sp.Expr) -> Callable[[dict], Any]:
    """A body holding an integral or sum, as a function of {symbol: value} (arrays broadcast)."""
    compiled = compile_expression(function)
    names = {s.name for s in function.free_symbols}
    return lambda known: compiled(**{s.name: v for s, v in known.items() if s.name in names})


def _numeric_integral(integral: sp.Integral) -> tuple[Callable[..., float], tuple[sp.Symbol, ...]]:
    from scipy.integrate import quad

    x, body, bounds, arguments = _prepared(integral)

    def value(*values: float) -> float:
        known = dict(zip(arguments, values))
        a, b = bounds(known)

        def integrand(t: float) -> float:
            with np.errstate(all="ignore"):  # a NumPy float: x**c overflows to inf (a Python float raised
                value = float(body({**known, x: np.float64(t)}))  # OverflowError at 1e40: the fisk's Fisher)
            return value if np.isfinite(value) else 0.0  # 0 · ∞ far in a tail, where the density is 0

        # a divergent tail: quad extrapolates it to a number of its own (−18.9 for a Lomax's E[X²] with c = 1.88)
        for end, direction in ((b, 1.0), (a, -1.0)):
            if not math.isfinite(end):
                near, far = (abs(t * integrand(direction * t)) for t in (1e20, 1e40))
                if far >= near > 0:  # t f(t) does not decrease: f is not o(1/t)
                    return math.copysign(math.inf, integrand(direction * 1e40))
        total, _ = quad(integrand, a, b, limit=200)
        return total

    return value, arguments


def _numeric_sum(series: sp.Sum) -> tuple[Callable[..., float], tuple[sp.Symbol, ...]]:
    k, body, bounds, arguments = _prepared(series)

    def value(*values: float) -> float:
        known = dict(zip(arguments, values))
        a, b = bounds(known)
        if math.isfinite(a):
            return _partial_sums(body, known, k, a, b, 1)
        if math.isfinite(b):
            return _partial_sums(body, known, k, b, a, -1)
        # over all the integers (a discrete Laplace, a Skellam): from 0 up and from −1 down; an arange from −∞
        # summed nothing, and the variance came out 0
        return _partial_sums(body, known, k, 0.0, b, 1) + _partial_sums(body, known, k, -1.0, a, -1)

    return value, arguments


def _partial_sums(body: Any, known: dict, k: sp.Symbol, start: float, end: float, direction: int) -> float:
    """The sum of the terms from ``start`` towards ``end`` (inclusive; ``direction`` ±1), chunk by chunk until the
    terms vanish."""
    total, offset = 0.0, 0
    while direction * (start + direction * offset) <= direction * end and offset < _SUM_TERMS_MAX:
        count = min(_SUM_CHUNK, direction * (end - start) - offset + 1)
        points = start + direction * (offset + np.arange(count, dtype=float))
        with np.errstate(all="ignore"):  # far in the tail lambda**k overflows against 1/k!; those terms are 0
            terms = np.nan_to_num(np.broadcast_to(body({**known, k: points}), points.shape), nan=0.0, posinf=0.0)
        total += float(np.sum(terms))
        offset += _SUM_CHUNK
        # Past the bulk of a pmf the terms decrease; stop once the last chunk adds nothing measurable.
        if np.all(np.abs(terms[-16:]) <= 1e-17 * max(abs(total), 1e-300)):
            break
    return total


def compile_expression(expr: sp.Expr, accepted: Iterable[sp.Symbol] = ()) -> Callable[..., Any]:
    """A NumPy function of ``expr``'s free symbols, passed by name; integrals and sums evaluated numerically.
    Names of ``accepted`` symbols (the parameters of the laws) are taken too, even where the value does not
    depend on them (the entropy of a Normal does not depend on its mean).

    Raises:
        ParameterError (when called): a missing or unknown argument name.
    """
    expr = sp.sympify(expr)
    placeholders: dict[sp.Basic, sp.Symbol] = {}
    numeric: dict[sp.Symbol, tuple[Callable[..., float], tuple[sp.Symbol, ...]]] = {}
    nodes = expr.atoms(sp.Integral, sp.Sum)  # only the outermost: an inner one is its outer one's body
    outermost = [node for node in nodes if not any(other != node and other.has(node) for other in nodes)]
    for index, unevaluated in enumerate(sorted(outermost, key=sp.default_sort_key)):
        symbol = sp.Symbol(f"_numeric{index}")
        placeholders[unevaluated] = symbol
        numeric[symbol] = (_numeric_integral if isinstance(unevaluated, sp.Integral) else _numeric_sum)(unevaluated)
    closed = SampleFunction.of(expr.xreplace(placeholders))
    names = {s.name: s for s in expr.free_symbols}
    optional = {s.name for s in accepted} - set(names)

    def function(**given: Any) -> Any:
        given = {k: v for k, v in given.items() if k not in optional}
        unknown = set(given) - set(names)
        missing = set(names) - set(given)
        if unknown or missing:
            raise ParameterError(
                f"this function takes {', '.join(sorted(names)) or 'no arguments'} by name"
                + (f"; missing: {', '.join(sorted(missing))}" if missing else "")
                + (f"; unknown: {', '.join(sorted(unknown))}" if unknown else ""))
        values: dict[sp.Symbol, Any] = {names[name]: np.asarray(value, dtype=float) for name, value in given.items()}
        for symbol, (evaluate, arguments) in numeric.items():
            values[symbol] = np.vectorize(evaluate, otypes=[float])(*(values[a] for a in arguments)) \
                if arguments else np.float64(evaluate())
        result = closed(values)
        shape = np.broadcast_shapes(*(np.shape(v) for v in values.values())) if values else ()
        result = np.broadcast_to(np.asarray(result, dtype=float), shape)
        return result[()] if result.ndim == 0 else result

    return function


def compile_results(results: dict[str, sp.Expr], accepted: Iterable[sp.Symbol] = ()) -> Callable[..., dict[str, Any]]:
    """A NumPy function returning ``{name: value}`` for several results, each compiled by :func:`compile_expression`."""
    compiled = {name: (compile_expression(expr), {s.name for s in sp.sympify(expr).free_symbols})
                for name, expr in results.items()}
    names = set().union(*(needed for _, needed in compiled.values()), {s.name for s in accepted})

    def function(**given: Any) -> dict[str, Any]:
        unknown = set(given) - names
        if unknown:
            raise ParameterError(f"unknown arguments {', '.join(sorted(unknown))}; this function takes "
                                 f"{', '.join(sorted(names))}")
        return {name: f(**{k: v for k, v in given.items() if k in needed}) for name, (f, needed) in compiled.items()}

    return function
