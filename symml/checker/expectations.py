r"""Expectations as notes use them: a linear operator under a law, whatever the law is.

``\mathbb{E}_{q}[\log q(z) - \log p(x, z)]`` is read as ``E_q(z)(log q(z)) - E_q(z)(log p(x, z))``: the
expectation is split over the terms of its argument, and the factors that do not depend on the random
variables (here z) come out of it. What is left inside is an *opaque* expectation, an undefined function of
the random part, so a step that only uses linearity (``E[aX + b] = a E[X] + b``, ``E[\log\frac{p}{q}] =
E[\log p] - E[\log q]``) is checked exactly, whatever the law is, and a step that needs more (a moment of a
named law, Jensen, Bayes' rule) is left to the rest of the checker, which cannot evaluate an opaque
expectation and leaves it undecided, never wrong.

An integral against a density, ``\int q(z) g(z) dz``, is the expectation of g under q (the same operator), so
notes that switch between the two are checked too. Variance and covariance are expectations of their
definitions: ``Var(X) = E[X^2] - E[X]^2`` after linearity.

>>> import sympy as sp
>>> X, a, b = sp.symbols("X a b", real=True)
>>> expectation(a * X + b, "", frozenset({X}))
a*E(X_) + b
"""
from __future__ import annotations

from typing import Any, Callable

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.budget import within
from symml.checker.conditional_expectations import tower_rule
from symml.errors import BudgetExceededError

__all__ = ["expectation", "variance", "covariance", "integral_as_expectation", "is_expectation",
           "expectation_operator", "gaussian_integral", "free_names", "marginal"]

_OPERATORS: dict[str, Any] = {}


def expectation_operator(law: str) -> Any:
    """The opaque expectation under ``law`` (``"q(z)"``; ``""`` when the notes name no law): one undefined
    function per law, the same wherever the notes use that law."""
    if law not in _OPERATORS:
        _OPERATORS[law] = sp.Function(f"E_{law}" if law else "E", real=True)
    return _OPERATORS[law]


def is_expectation(expr: Any) -> bool:
    """Whether ``expr`` is an opaque expectation made by :func:`expectation_operator`."""
    return isinstance(expr, AppliedUndef) and expr.func in _OPERATORS.values()


def _without_expectations(expr: Any) -> Any:
    """``expr`` with each opaque expectation replaced by 1 (an expectation is not random: only the names left
    matter)."""
    found = [e for e in expr.atoms(AppliedUndef) if is_expectation(e)]
    return expr.xreplace({e: sp.S.One for e in found}) if found else expr


def free_names(expr: Any) -> set:
    """The free names of ``expr`` outside its expectations (their random variables are bound there)."""
    return set(_without_expectations(sp.sympify(expr)).free_symbols)


def _is_random(factor: Any, random: frozenset | None) -> bool:
    names = free_names(factor)
    return bool(names) if random is None else bool(names & random)


def _logs_split(body: Any) -> Any:
    """``body`` expanded, with logs of products, quotients and powers of densities split: a density is positive,
    so ``log(p(x, z) / p(x)) = log p(x, z) - log p(x)`` always holds."""
    densities = [a for a in body.atoms(AppliedUndef) if not is_expectation(a)]
    positive = {d: sp.Dummy("density", positive=True) for d in densities}
    back = {v: k for k, v in positive.items()}
    return sp.expand(sp.expand_log(sp.expand(body.xreplace(positive)))).xreplace(back)


def expectation(body: Any, law: str, random: frozenset | None, normal: tuple[Any, Any, Any] | None = None,
                densities: dict[str, tuple[Any, Any]] | None = None) -> Any:
    """The expectation of ``body`` under ``law``, split by linearity over the random variables ``random``
    (every name is random when None: only numbers then come out of the expectation). With ``normal``
    (variable, mean, variance), the law is that normal law: a part polynomial in the variable is computed from
    its moments. ``densities`` are normal densities by function letter (``p`` -> (mean, variance)), written
    out before the expectation is split."""
    body = sp.sympify(body)
    if densities:
        body = body.replace(lambda e: isinstance(e, AppliedUndef) and str(e.func) in densities and len(e.args) == 1,
                            lambda e: normal_density(e.args[0], *densities[str(e.func)]))
    body = _logs_split(body)
    operator = expectation_operator(law)
    value = sp.Integer(0)
    for term in sp.Add.make_args(body):
        constant: list[Any] = []
        varying: list[Any] = []
        for factor in sp.Mul.make_args(term):
            (varying if _is_random(factor, random) else constant).append(factor)
        part = tower_rule(sp.Mul(*varying), law, random)  # E[E[X | Y]] = E[X]
        if isinstance(part, sp.Sum) and not any(_is_random(sp.Tuple(*limit), random) for limit in part.limits):
            # a sum over fixed bounds of random terms: E[sum_i y_i] = sum_i E[y_i]
            inner = expectation(part.function, law, random, normal, densities)
            value += sp.Mul(*constant) * sp.Sum(inner, *part.limits)
            continue
        moments = None if normal is None or not varying else normal_moments(part, *normal)
        value += sp.Mul(*constant) * (1 if not varying else moments if moments is not None
                                      else operator(_bound(part, random)))
    return value


def normal_density(x: Any, mean: Any, variance: Any) -> Any:
    """The normal density at x, written out."""
    return sp.exp(-(x - mean) ** 2 / (2 * variance)) / sp.sqrt(2 * sp.pi * variance)


def normal_moments(g: Any, variable: Any, mean: Any, variance: Any, seconds: float = 4.0) -> Any:
    """``E[g(X)]`` for X normal with that mean and variance and g a polynomial in X: g's coefficients times the
    moments of the standard normal law, each integrated by SymPy under a budget; None when g is not a
    polynomial or a moment does not come out in time."""
    if not g.is_polynomial(variable):
        return None
    t = sp.Symbol("t", real=True)
    polynomial = sp.Poly(sp.expand(g.xreplace({variable: mean + sp.sqrt(variance) * t})), t)
    total = sp.Integer(0)
    for (power_,), coefficient in polynomial.terms():  # E[g(m + sqrt(v) t)] for t standard normal
        try:
            moment = within(seconds, "a moment of the standard normal law", sp.integrate,
                            t ** power_ * sp.exp(-t ** 2 / 2) / sp.sqrt(2 * sp.pi), (t, -sp.oo, sp.oo))
        except BudgetExceededError:
            return None
        if moment.has(sp.Integral):
            return None
        total += coefficient * moment
    return total


def _bound(argument: Any, random: frozenset | None) -> Any:
    """The argument of an opaque expectation with its random variables renamed (``z`` -> ``z_``): bound by the
    expectation, they are not the ``z`` of the rest of the claim (a point the checker samples, or the variable of
    an integral)."""
    if not random:
        return argument
    return argument.xreplace({v: sp.Symbol(f"{v.name}_", **v.assumptions0) for v in random
                              if isinstance(v, sp.Symbol)})


def variance(body: Any, law: str, random: frozenset | None, **known: Any) -> Any:
    """``Var(body) = E[(body - E[body])^2]``, by linearity ``E[body^2] - E[body]^2`` (``known``: as for
    :func:`expectation`)."""
    return expectation((body - expectation(body, law, random, **known)) ** 2, law, random, **known)


def covariance(first: Any, second: Any, law: str, random: frozenset | None, **known: Any) -> Any:
    """``Cov(X, Y) = E[(X - E[X]) (Y - E[Y])]``."""
    return expectation((first - expectation(first, law, random, **known))
                       * (second - expectation(second, law, random, **known)), law, random, **known)


def integral_as_expectation(body: Any, variable: Any, known: Callable[[str, frozenset], dict] | None = None
                            ) -> tuple[Any, Any] | None:
    """``\\int q(z) g(z) dz`` over the whole line as ``(E_q(z)[g], q(z))`` when every term of the integrand has
    exactly one factor that is the same density of the variable (an undefined function whose first argument is
    the variable); else None."""
    density, rests = None, []
    for term in sp.Add.make_args(sp.expand(body)):
        found = [f for f in sp.Mul.make_args(term) if isinstance(f, AppliedUndef) and not is_expectation(f)
                 and f.args and f.args[0] == variable]
        if len(found) != 1 or (density is not None and found[0] != density):
            return None
        density = found[0]
        rests.append(term / density)
    if density is None:
        return None
    random = frozenset({variable})
    return expectation(sp.Add(*rests), str(density), random, **(known(str(density), random) if known else {})), density


def gaussian_integral(body: Any, variable: Any, seconds: float = 4.0) -> Any:
    """``\\int N(x; m, v) g(x) dx`` over the whole line for a normal density written out and a g that is a
    polynomial in x once its logs are split (``\\ln \\frac{N(x; m_1, v_1)}{N(x; m_2, v_2)}``): the sum of g's
    coefficients times the moments of the normal law, each moment integrated by SymPy under a budget; None when
    the integrand is not of that form or a moment does not come out in time."""
    gaussian = _normal_factor(body, variable)
    if gaussian is None:
        return None
    density, mean, variance_ = gaussian
    g = _logs_split(sp.cancel(body / density))
    return normal_moments(g, variable, mean, variance_, seconds)


def _normal_factor(body: Any, x: Any) -> tuple[Any, Any, Any] | None:
    """The normal density ``exp(-(x - m)^2 / (2 v)) / sqrt(2 pi v)`` among the factors of ``body`` (its exp
    factor and the constant factors that normalise it): (that density, m, v), else None."""
    factors = sp.Mul.make_args(body)
    exponentials = [f for f in factors if isinstance(f, sp.exp) and x in f.free_symbols]
    if len(exponentials) != 1 or not exponentials[0].args[0].is_polynomial(x):
        return None
    exponent = sp.Poly(sp.expand(exponentials[0].args[0]), x)
    if exponent.degree() != 2:
        return None
    a, b, _ = exponent.all_coeffs()
    if not sp.sympify(-a).is_positive:
        return None
    variance_, mean = -1 / (2 * a), -b / (2 * a)
    constant = sp.Mul(*[f for f in factors if x not in f.free_symbols])
    density = constant * exponentials[0]
    expected = normal_density(x, mean, variance_)
    if sp.simplify(sp.expand_power_base(density / expected, force=False)) != 1:
        return None
    return density, mean, variance_


def marginal(body: Any, variable: Any) -> Any:
    """``\\sum_z c\\, p(x, z)`` or ``\\int c\\, p(x, z)\\, dz`` over all z: ``c\\, p(x)`` (the law of total
    probability; ``1`` for ``p(z)`` alone) when the body is a factor c free of z times one density ``p``/``q``
    applied to z among other arguments free of z; else None."""
    if not isinstance(variable, sp.Symbol):
        return None
    densities = [f for f in sp.Mul.make_args(body) if isinstance(f, AppliedUndef) and not is_expectation(f)
                 and str(f.func) in ("p", "q", "P") and variable in f.args]
    if len(densities) != 1:
        return None
    (density,) = densities
    rest = sp.Mul(*[f for f in sp.Mul.make_args(body) if f is not density])
    others = [a for a in density.args if a != variable]
    if variable in rest.free_symbols or any(variable in sp.sympify(a).free_symbols for a in others):
        return None
    return rest * (density.func(*others) if others else 1)
