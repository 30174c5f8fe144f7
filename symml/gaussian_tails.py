"""erf and erfc in their tails: the probit link's log Φ and its derivatives, finite where erfc underflows.

Φ(x) = (1 + erf(x/√2))/2. At x = −40, 1 + erf(x/√2) is 0 in floating point and log Φ is −inf (it is −804.6); its
derivative e^{−x²/2}/(√(2π)Φ(x)) is 0/0. Three rewrites, each an identity, make them finite:

1. k + k·erf(u) = k·erfc(−u) and k − k·erf(u) = k·erfc(u): no cancellation against 1;
2. log(erfc(u)) = log(erfcx(u)) − u² for u > 0 (erfcx(u) = e^{u²}erfc(u) ~ 1/(u√π) does not underflow), and
   log 2 + log1p(−erfc(−u)/2) for u ≤ 0;
3. a product over erfc(u)^k, with erfc(u) = erfcx(u)e^{−u²} throughout for u > 0, multiplied out and each term's
   exponents added before exp is taken (e^{a}/erfc(u) = e^{a + u²}/erfcx(u)).

Each is applied on the side u > 0, the original kept for u ≤ 0 (erfc(u) ∈ [1, 2] there), with the arguments
clamped so that neither side overflows where it is not taken.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> with_erfcx(sp.log(1 + sp.erf(x)))
Piecewise((log(Erfcx(Max(0, -x))) - Max(0, -x)**2, x < 0), (log1p(-erfc(Max(0, x))/2) + log(2), True))
"""
from __future__ import annotations

import sympy as sp
from sympy.codegen.cfunctions import log1p

from symml.scipy_special import Erfc, Erfcx

__all__ = ["with_erfcx", "complements_of_two"]


def _complement(node: sp.Add) -> sp.Expr:
    """k + k·erf(u) -> k·erfc(−u), k − k·erf(u) -> k·erfc(u), the number k taken from the sum's numeric term and the
    other terms kept: GELU's derivative, erf(z/√2)/2 + 1/2 + zφ(z), lost two digits at z = −8 to the cancellation
    against 1/2 when only a sum of the two terms alone was rewritten."""
    number, rest = node.as_coeff_Add()
    for term in sp.Add.make_args(rest):
        coefficient, factor = term.as_coeff_Mul()
        if isinstance(factor, sp.erf) and coefficient != 0 and number in (coefficient, -coefficient):
            others = rest - term
            if number == coefficient:  # erfc(−u) evaluated would become 2 − erfc(u)
                return others + coefficient * sp.erfc(-factor.args[0], evaluate=False)
            return others - coefficient * sp.erfc(factor.args[0])
    return node


def _log_of_erfc(node: sp.log) -> sp.Expr:
    """log(c·erfc(u)) with c a positive number: log c + the two-sided log erfc."""
    factors = sp.Mul.make_args(node.args[0])
    tails = [f for f in factors if isinstance(f, sp.erfc)]
    rest = sp.Mul(*(f for f in factors if not isinstance(f, sp.erfc)))
    if len(tails) != 1 or not (rest.is_number and rest.is_positive):
        return node
    u = tails[0].args[0]
    above = sp.Max(u, 0)
    # below 0, erfc(u) = 2 − erfc(−u): log 2 + log1p(−erfc(−u)/2) keeps log Φ(8) = −6.2e-16 (log(erfc) −6.7e-16)
    # the constant inside each branch, so that log 2 + log(1/2) cancels symbolically, not in rounding
    return sp.Piecewise((sp.log(rest) + sp.log(Erfcx(above)) - above**2, u > 0),
                        (sp.log(2 * rest) + log1p(-sp.erfc(sp.Max(-u, 0)) / 2), True))


def _root_at_two_factored(node: sp.Expr, tail: sp.erfc) -> tuple[sp.Expr, int]:
    """(node with each factor erfc(u) − 2 of it, as a polynomial in erfc(u), written −erfc(−u), how many)."""
    s = sp.Dummy("s")
    polynomial = sp.expand(node).xreplace({tail: s})
    if not polynomial.has(s) or not polynomial.is_polynomial(s):
        return node, 0
    P, multiplicity = sp.Poly(polynomial, s), 0
    while P.degree() > 0 and sp.expand(P.eval(2)) == 0:
        P, multiplicity = sp.quo(P, sp.Poly(s - 2, s)), multiplicity + 1
    if not multiplicity:
        return node, 0
    # evaluate=False: SymPy writes erfc(−u) as 2 − erfc(u), the cancellation this removes
    return P.as_expr().xreplace({s: tail}) * (-sp.erfc(-tail.args[0], evaluate=False))**multiplicity, multiplicity


def complements_of_two(expr: sp.Expr) -> sp.Expr:
    """``expr`` over a common denominator, with each factor 2 − erfc(u) of its numerator and denominator written
    erfc(−u) (one erfc in ``expr``), where it has such factors; else ``expr`` as it is.

    SymPy writes erfc(−u) as 2 − erfc(u): an exponentially modified normal's density e^{−x/K}erfc(−(x − 1/K)/√2)
    in its Fisher information's integrands became e^{x/K}(2 − erfc(u))/(e^{x²}(erfc(u)² − 4erfc(u) + 4)), whose
    denominator is (2 − erfc(u))² computed from terms of size 4: at x = −5 it rounded to a negative integrand, and
    the information was off by 1e-7. As erfc(−u) the quotient is e^{x/K}/(e^{x²}erfc(−u)), whose tail the
    pipeline takes through erfcx.

    >>> x = sp.Symbol("x", real=True)
    >>> complements_of_two((2 - sp.erfc(x)) / (sp.erfc(x)**2 - 4*sp.erfc(x) + 4))
    1/erfc(-x)
    """
    tails = expr.atoms(sp.erfc)
    if len(tails) != 1:
        return expr
    (tail,) = tails
    numerator, denominator = sp.fraction(sp.together(expr))
    (top, above), (bottom, below) = (_root_at_two_factored(part, tail) for part in (numerator, denominator))
    return top / bottom if above or below else expr


def _exponents_gathered(expr: sp.Expr) -> sp.Expr:
    """expr multiplied out, each term's exponentials as one: e^{a}e^{b} = e^{a + b}, taken once (e^{1600}e^{−1600}
    is inf·0 = nan, e^{0} is 1)."""
    return sp.Add(*(sp.powsimp(term, combine="exp") for term in sp.Add.make_args(sp.expand_mul(expr))))


def _tail_side(u: sp.Expr, positive: bool) -> dict:
    """erf(±u) and erfc(±u) written for the side where ``u`` (positive) or −u (not positive) is the upper tail:
    there erfc = erfcx·e^{−t²} with t clamped at 0 (finite on both sides; exact on its own), the other side's erfc
    kept (in [1, 2]), erf through erfc."""
    t = sp.Max(u if positive else -u, 0)
    # erfc(min(−u, 0)), not erfc(−t): common subexpressions are rebuilt, and erfc(−t) becomes 2 − erfc(t)
    small, large = Erfcx(t) * sp.exp(-t**2), sp.erfc(sp.Min(-u if positive else u, 0))
    erfc_u, erfc_minus_u = (small, large) if positive else (large, small)
    # evaluate=False: SymPy writes erfc(−u) as 2 − erfc(u) and erf(−u) as −erf(u), which would match nothing
    return {sp.erfc(u, evaluate=False): erfc_u, sp.erfc(-u, evaluate=False): erfc_minus_u,
            sp.erf(u, evaluate=False): 1 - erfc_u, sp.erf(-u, evaluate=False): erfc_u - 1}


def _over_erfc(node: sp.Mul) -> sp.Expr:
    """A product divided by powers of erfc(u) and erfc(−u): on each side of u = 0, erf and erfc of ±u through
    erfcx where they are in their upper tail, multiplied out, each term's exponentials gathered."""
    divisors = [f.base for f in node.args if isinstance(f, sp.Pow) and isinstance(f.base, sp.erfc)
                and f.exp.is_Integer and f.exp < 0]
    if not divisors:
        return node
    u = divisors[0].args[0]
    if any(d.args[0] not in (u, -u) for d in divisors):
        return node
    sides = [_exponents_gathered(node.xreplace(_tail_side(u, positive))) for positive in (True, False)]
    return sp.Piecewise((sides[0], u > 0), (sides[1], True))


def with_erfcx(expr: sp.Expr) -> sp.Expr:
    """``expr`` with erf beside 1 as erfc, and log erfc and quotients by erfc through erfcx on their upper tail."""
    if not expr.has(sp.erf, sp.erfc):
        return expr
    expr = expr.replace(lambda e: isinstance(e, sp.Add) and e.has(sp.erf), _complement)
    expr = expr.replace(lambda e: isinstance(e, sp.log) and e.args[0].has(sp.erfc), _log_of_erfc)
    expr = expr.replace(lambda e: isinstance(e, sp.Mul) and e.has(sp.erfc), _over_erfc)
    return expr.replace(lambda e: isinstance(e, sp.erfc) and e.args[0].could_extract_minus_sign(),
                        lambda e: Erfc(e.args[0]))
