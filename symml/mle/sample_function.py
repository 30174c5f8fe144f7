"""Lambdified functions of a sample and parameters, rewritten for floating point first: what every numeric part
of the MLE, Bayes and probability engines evaluates (``SampleFunction``).
"""
from __future__ import annotations

import builtins
import dis
import operator
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import sympy as sp
from sympy.printing.codeprinter import PrintMethodNotImplementedError

from symml.errors import UnsupportedOperationError
from symml.scipy_special import in_scipy_terms

__all__ = ["SampleFunction"]


def _stabilised(expr: sp.Expr) -> sp.Expr:
    """``expr`` rewritten for floating point without expanding anything (expanding ``(x - mu)**2`` would cancel
    catastrophically far from zero; perfect squares that came expanded are written back as squares): gamma, factorial and beta through ``loggamma`` (no overflow for large
    arguments), ``log(1 + z)`` -> ``log1p(z)``, ``exp(z) - 1`` -> ``expm1(z)``, ``log1p(exp(z))`` ->
    ``logaddexp(0, z)``.

    >>> z = sp.Symbol("z")
    >>> _stabilised(sp.log(1 + sp.exp(z)) + sp.exp(z) - 1)
    expm1(z) + logaddexp(0, z)
    """
    from sympy.codegen.cfunctions import expm1, log1p
    from sympy.codegen.numpy_nodes import logaddexp

    from symml.squares import squares_for_floating_point

    # m1² - 2 m1 m2 + m2² cancels catastrophically for large, close m1 and m2; (m1 - m2)² does not
    expr = squares_for_floating_point(expr).replace(_log_of_product_with_exp, _split_exp_out_of_log)
    expr = expr.replace(sp.beta, lambda a, b: sp.exp(sp.loggamma(a) + sp.loggamma(b) - sp.loggamma(a + b)))
    expr = expr.replace(sp.factorial, lambda z: sp.exp(sp.loggamma(z + 1)))
    expr = expr.replace(sp.gamma, lambda z: sp.exp(sp.loggamma(z)))
    # δ(a, b) prints as a Python conditional, which an array of observations cannot take: a Piecewise is np.select
    expr = expr.replace(sp.KroneckerDelta, lambda a, b: sp.Piecewise((1, sp.Eq(a, b)), (0, True)))

    def one_plus(e: sp.Basic) -> bool:
        return isinstance(e, sp.log) and isinstance(e.args[0], sp.Add) and sp.S.One in e.args[0].args

    def log_of_one_plus(e: sp.log) -> sp.Expr:
        rest = e.args[0] - 1
        return logaddexp(sp.S.Zero, rest.args[0]) if isinstance(rest, sp.exp) else log1p(rest)

    def exp_minus_one(e: sp.Basic) -> bool:
        return isinstance(e, sp.Add) and sp.S.NegativeOne in e.args and any(isinstance(t, sp.exp) for t in e.args)

    def with_expm1(e: sp.Add) -> sp.Expr:
        power = next(t for t in e.args if isinstance(t, sp.exp))
        return expm1(power.args[0]) + (e - power + 1)

    from symml.exponential_sums import with_shifted_exponential_sums
    from symml.gaussian_tails import with_erfcx
    from symml.log_products import with_xlogy

    # an entropy's p log p at p = 0 is 0·(−inf) in NumPy: xlogy gives its limit, 0; log Φ(x) at x = −40 is −inf
    # through erf, finite through erfcx; e^θ/(e^{2θ} + 2e^θ + 1) is nan at θ = 800 unshifted
    expr = with_erfcx(expr.replace(one_plus, log_of_one_plus).replace(exp_minus_one, with_expm1))
    return with_xlogy(with_shifted_exponential_sums(expr.replace(_root_minus_its_constant, _rationalised)))


def _root_and_constant(e: sp.Basic) -> tuple[sp.Expr, sp.Pow, sp.Expr] | None:
    """(k, √A, c) for a sum k√A − kc + rest with c > 0 and c² the constant term of A, else None."""
    if not isinstance(e, sp.Add):
        return None
    constant = e.as_coeff_Add()[0]
    for term in e.args:
        k, root = term.as_coeff_Mul()
        if isinstance(root, sp.Pow) and root.exp == sp.S.Half and isinstance(root.base, sp.Add) and k != 0:
            c = -constant / k
            if c.is_positive and root.base.as_coeff_Add()[0] == c**2:
                return k, root, c
    return None


def _root_minus_its_constant(e: sp.Basic) -> bool:
    return _root_and_constant(e) is not None


def _rationalised(e: sp.Add) -> sp.Expr:
    """k(√(c² + t) − c) = k t/(√(c² + t) + c): the MLE of N(θ, θ), √(1 + 4·mean(x²))/2 − 1/2, is 0 for data of
    order 1e-100 otherwise (1 + 1e-200 is 1), where it is 1e-200. With t ≥ 0 and s = √t it is
    k s/(hypot(c/s, 1) + c/s), where neither t nor c² + t is formed: nothing overflows for data of order 1e200
    (t = 4e400), and s = 0 gives 0."""
    from sympy.codegen.cfunctions import hypot

    k, root, c = _root_and_constant(e)  # type: ignore[misc]
    rest = e - k * root + k * c
    t = root.base - c**2
    if not t.is_nonnegative:
        return k * t / (root + c) + rest
    s = sp.sqrt(t)
    return k * s / (hypot(c / s, 1) + c / s) + rest


def _log_of_product_with_exp(e: sp.Basic) -> bool:
    return isinstance(e, sp.log) and isinstance(e.args[0], sp.Mul) and any(isinstance(f, sp.exp) for f in e.args[0].args)


def _split_exp_out_of_log(e: sp.log) -> sp.Expr:
    """log(exp(a) r) -> a + log(r): exp(a) > 0, and exp(a) alone underflows to 0 far in a tail."""
    powers = [f for f in e.args[0].args if isinstance(f, sp.exp)]
    rest = sp.Mul(*[f for f in e.args[0].args if not isinstance(f, sp.exp)])
    return sp.Add(*[f.args[0] for f in powers]) + sp.log(rest)


@dataclass(frozen=True)
class SampleFunction:
    """A lambdified expression and the symbols it takes, in order; called with a ``{Symbol: value}`` map.

    Attributes:
        function: the NumPy function (module scipy+numpy, stabilised).
        arguments: its arguments; a leading observation symbol receives the whole sample, shape (n,).
    """

    function: Callable[..., Any]
    arguments: tuple[sp.Symbol, ...]
    #: the arguments' values out of a ``{Symbol: value}`` map in one C call (a generator costs ~0.2 us a symbol)
    _values: Callable[[Mapping[sp.Symbol, Any]], Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        arguments = self.arguments
        get = operator.itemgetter(*arguments) if arguments else (lambda values: ())
        values = (lambda mapping: (get(mapping),)) if len(arguments) == 1 else get
        object.__setattr__(self, "_values", values)

    @classmethod
    def of(cls, expr: sp.Expr, leading: Sequence[sp.Symbol] = (), scalar: bool = False,
           cse: bool = False) -> "SampleFunction":
        """Compile ``expr``; ``leading`` symbols come first, the other free symbols follow sorted by name.
        ``scalar``: for Python numbers only, through ``math`` first (10x faster on a scalar than NumPy; a domain
        error raises ValueError or ZeroDivisionError instead of returning nan or inf). ``cse``: common
        subexpressions computed once (for a ``Tuple`` of expressions sharing arrays)."""
        expr = sp.sympify(expr)
        others = sorted(expr.free_symbols - set(leading), key=lambda s: s.name)
        arguments = tuple(leading) + tuple(others)
        # Plain placeholders: lambdify puts every symbol's name in the function's namespace, where a parameter
        # called beta or gamma would hide the special function of that name.
        placeholders = sp.symbols(f"_a0:{len(arguments)}")
        code = in_scipy_terms(_stabilised(expr)).xreplace(dict(zip(arguments, placeholders)))
        try:
            modules = ["math", "scipy", "numpy"] if scalar else ["scipy", "numpy"]
            function = sp.lambdify(placeholders, code, modules=modules, cse=cse)
        except PrintMethodNotImplementedError as failure:
            raise UnsupportedOperationError(f"NumPy/SciPy has no function for a part of {expr}: {failure}") from None
        # lambdify prints a function it cannot translate by its bare name: a NameError when called, refused here
        unknown = sorted({i.argval for i in dis.get_instructions(function) if i.opname == "LOAD_GLOBAL"}
                         - set(function.__globals__) - set(dir(builtins)))
        if unknown:
            raise UnsupportedOperationError(f"NumPy/SciPy has no function for a part of {expr}: {', '.join(unknown)}")
        return cls(function, arguments)

    def needs(self, values: Mapping[sp.Symbol, Any]) -> list[sp.Symbol]:
        """The arguments ``values`` does not provide."""
        return [a for a in self.arguments if a not in values]

    def __call__(self, values: Mapping[sp.Symbol, Any]) -> Any:
        return self.function(*self._values(values))


