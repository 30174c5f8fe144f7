"""One integral (or sum) of an expectation over the support, prepared so that SymPy can finish it.

Two preparations, both exact:

- **Split at kinks.** An |s x + c| is resolved on each side of its root (a Laplace density).
- **Change of variables u = e^{s x + c}** when that exponential sits inside another function (the Gumbel's
  e^{-e^{-(x-μ)/b}}): with x = (log u − c)/s and dx = du/(s u) the integrand becomes a power of u times e^{-u}
  (a Gamma integral), which SymPy evaluates at once, where it spends seconds on the original or fails.

>>> import sympy as sp, sympy.stats as st
>>> from symml.probability.law import as_law
>>> mu, b = sp.Symbol("mu", real=True), sp.Symbol("b", positive=True)
>>> law = as_law(st.Gumbel("X", b, mu))
>>> value, condition, how = evaluate(law, sp.exp(-law.variable / b))
>>> sp.simplify(value), how
(exp(-mu/b), 'substituting $u = \\\\exp\\\\left(- \\\\frac{x - \\\\mu}{b}\\\\right)$')
"""
from __future__ import annotations

import sympy as sp

from symml.probability.law import Law
from symml.render.printer import latex

__all__ = ["evaluate", "is_closed", "linear_in"]


def is_closed(value: sp.Expr) -> bool:
    """Whether ``value`` holds no unevaluated Integral or Sum, nor a Meijer G or hypergeometric function (what
    SymPy returns for an integral it cannot write in elementary terms: no closed form a person would use, and
    NumPy cannot evaluate it)."""
    return not value.has(sp.Integral, sp.Sum, sp.meijerg, sp.hyper)


def evaluate(law: Law, h: sp.Expr) -> tuple[sp.Expr | None, sp.Basic | None, str]:
    """The integral or sum of h f over the support, SymPy's convergence condition (or None), and how it was
    prepared ("" when integrated as posed); the value is None when SymPy finds no closed form."""
    x = law.variable
    signed = law.signed()
    integrand = (h * law.density).subs(x, signed)
    lower, upper = law.limits
    if law.discrete:
        value, condition = _first_branch(sp.Sum(integrand, (signed, lower, upper)).doit())
        return value, condition, ""
    total, conditions, hows = sp.S.Zero, [], []
    for piece, a, b in _split_at_kinks(integrand, signed, lower, upper):
        piece, variable, a, b, how = _changed_variables(piece, signed, a, b)
        value, condition = _first_branch(sp.integrate(piece, (variable, a, b)))
        if value is None:
            return None, None, ""
        total += value
        hows.append(how)
        if condition is not None:
            conditions.append(condition)
    return total, sp.And(*conditions) if conditions else None, "; ".join(dict.fromkeys(h for h in hows if h))


def _changed_variables(integrand: sp.Expr, x: sp.Symbol, lower: sp.Expr, upper: sp.Expr) -> tuple:
    """(integrand, variable, lower, upper, how): u = e^{s x + c} when that exponential sits inside another
    function of x, else the integral as posed. x = (log u − c)/s, dx = du/(s u); for s < 0 the limits swap."""
    inner = [e for e in integrand.atoms(sp.exp) if linear_in(e.args[0], x) and any(
        outer is not e and e in outer.atoms(sp.exp) - {outer} for outer in integrand.atoms(sp.exp))]
    if len(inner) != 1:
        return integrand, x, lower, upper, ""
    exponent = inner[0].args[0]
    slope = sp.diff(exponent, x)
    if slope.is_positive is None and slope.is_negative is None:
        return integrand, x, lower, upper, ""
    u = sp.Dummy("u", positive=True)
    back = (sp.log(u) - exponent.subs(x, 0)) / slope
    changed = _powers_of(integrand.subs(x, back) / (slope * u), u)
    a, b = (sp.exp(exponent.subs(x, limit)) if limit.is_finite else sp.exp(slope * limit) for limit in (lower, upper))
    if slope.is_negative:
        a, b, changed = b, a, -changed
    return changed, u, a, b, f"substituting $u = {latex(inner[0])}$"


def _powers_of(expr: sp.Expr, u: sp.Symbol) -> sp.Expr:
    """Every e^{c log u + r} written u^c e^r, so that SymPy sees the Gamma integral."""
    def split(arg: sp.Expr) -> sp.Expr:
        arg = sp.expand(arg)
        power = sp.Add(*(term / sp.log(u) for term in sp.Add.make_args(arg) if not (term / sp.log(u)).has(u)))
        rest = arg - power * sp.log(u)
        return u**sp.expand(power) * sp.exp(rest) if power != 0 else sp.exp(rest)

    return expr.replace(lambda e: isinstance(e, sp.exp), lambda e: split(e.args[0]))


def linear_in(expr: sp.Expr, x: sp.Symbol) -> bool:
    """Whether expr = s x + c with s free of x and nonzero."""
    return expr.has(x) and expr.is_polynomial(x) and sp.degree(expr, x) == 1


def _first_branch(value: sp.Expr) -> tuple[sp.Expr | None, sp.Basic | None]:
    """A Piecewise's first branch and its condition (SymPy's convergence condition); None if unevaluated."""
    if isinstance(value, sp.Piecewise):
        branch, condition = value.args[0]
        return (branch, condition) if is_closed(branch) else (None, None)
    return (value, None) if is_closed(value) and not value.has(sp.nan) else (None, None)


def _split_at_kinks(integrand: sp.Expr, x: sp.Symbol, lower: sp.Expr, upper: sp.Expr) -> list[tuple]:
    """[(integrand, a, b)]: an |u(x)| with u = s x + c (s of known sign) is resolved on each side of its root."""
    kinks = [a for a in integrand.atoms(sp.Abs) if a.has(x) and sp.degree(a.args[0], x) == 1]
    if len(kinks) != 1:
        return [(integrand, lower, upper)]
    absolute = kinks[0]
    slope = sp.diff(absolute.args[0], x)
    root = sp.solve(absolute.args[0], x)[0]
    if slope.is_positive is None and slope.is_negative is None:
        return [(integrand, lower, upper)]
    inside = (lower == -sp.oo or (root - lower).is_nonnegative) and (upper == sp.oo or (upper - root).is_nonnegative)
    if not inside:
        return [(integrand, lower, upper)]
    sign = 1 if slope.is_positive else -1
    below = integrand.xreplace({absolute: -sign * absolute.args[0]})
    above = integrand.xreplace({absolute: sign * absolute.args[0]})
    return [(below, lower, root), (above, root, upper)]
