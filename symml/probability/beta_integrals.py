"""Integrals of u^a (1 − u)^b log(u)^j log(1 − u)^k over (0, 1): derivatives of the Beta function.

Differentiating B(α, β) = ∫₀¹ u^{α−1} (1 − u)^{β−1} du under the integral sign, ∂_α u^{α−1} = u^{α−1} log u (and
likewise in β), gives for a, b > −1 and integers j, k ≥ 0

.. math:: \\int_0^1 u^a (1-u)^b \\log(u)^j \\log(1-u)^k \\, du
          = \\frac{\\partial^{j+k}}{\\partial a^j\\, \\partial b^k} B(a + 1, b + 1),
          \\qquad B(\\alpha, \\beta) = \\frac{\\Gamma(\\alpha)\\Gamma(\\beta)}{\\Gamma(\\alpha + \\beta)}

(Gradshteyn & Ryzhik 4.253). The derivatives are products of the Beta function and polygamma functions, which
SymPy evaluates at integers: ψ(1) = −γ, ψ′(1) = π²/6, so the closed forms hold π² and no Euler constant.

>>> import sympy as sp
>>> beta_log_integral(0, 0, 1, 1)
2 - pi**2/6
>>> beta_log_integral(1, 0, 0, 2)
7/4
"""
from __future__ import annotations

import sympy as sp
from sympy.core.cache import cacheit

__all__ = ["beta_log_integral", "beta_terms", "power_factors", "reduced"]

_ALPHA, _BETA = sp.Dummy("alpha"), sp.Dummy("beta")


@cacheit
def _beta_derivative(j: int, k: int) -> sp.Expr:
    """∂_α^j ∂_β^k B(α + 1, β + 1) as an expression in the dummies α, β (shared by every integral of that order)."""
    beta = sp.gamma(_ALPHA + 1) * sp.gamma(_BETA + 1) / sp.gamma(_ALPHA + _BETA + 2)
    return sp.diff(beta, _ALPHA, j, _BETA, k) if j or k else beta


def beta_log_integral(a: sp.Expr, b: sp.Expr, j: int, k: int) -> sp.Expr:
    """∫₀¹ u^a (1 − u)^b log(u)^j log(1 − u)^k du for a, b > −1 and integers j, k ≥ 0, as ∂_a^j ∂_b^k B(a + 1, b + 1)."""
    value = _beta_derivative(j, k).subs({_ALPHA: sp.sympify(a), _BETA: sp.sympify(b)})
    return sp.expand(sp.expand_func(value)) if sp.sympify(a).is_Integer and sp.sympify(b).is_Integer else value


def beta_terms(integrand: sp.Expr, u: sp.Symbol, w: sp.Symbol, log_u: sp.Symbol,
               log_w: sp.Symbol) -> list[tuple[sp.Expr, sp.Expr, sp.Expr, int, int]] | None:
    """The integrand, written with w = 1 − u and the symbols ``log_u`` = log u, ``log_w`` = log(1 − u), as
    Σ c u^a w^b log(u)^j log(1 − u)^k: the terms (c, a, b, j, k); None when it is not of that form or a term's
    integral diverges (a or b ≤ −1, or not known to be > −1)."""
    # w = 1 − u is one symbol while the logs and exponentials are rewritten; rational parts are then cancelled in u
    # (1/(1 + u/w) = w needs u + w = 1), and the cancelled fraction's factors of u and 1 − u become powers again
    numerator, denominator = sp.fraction(reduced(integrand.subs(w, 1 - u), u, log_u, log_w))
    if denominator.has(log_u, log_w):
        return None
    scale, a0, b0 = power_factors(denominator, u)
    if scale is None:
        return None
    terms: list[tuple[sp.Expr, sp.Expr, sp.Expr, int, int]] = []
    for term in sp.Add.make_args(sp.expand(numerator)):
        coefficient, dependent = term.as_independent(u, log_u, log_w, as_Add=False)
        a, b, j, k = -a0, -b0, 0, 0
        for base, exponent in dependent.as_powers_dict().items():
            if base == u:
                a += exponent
            elif base == log_u and exponent.is_Integer and exponent > 0:
                j += int(exponent)
            elif base == log_w and exponent.is_Integer and exponent > 0:
                k += int(exponent)
            else:
                factor_scale, da, db = power_factors(base**exponent, u)
                if factor_scale is None or factor_scale != 1:
                    return None
                a, b = a + da, b + db
        if not ((a + 1).is_positive and (b + 1).is_positive):
            return None
        terms.append((coefficient / scale, a, b, j, k))
    return terms


def reduced(expr: sp.Expr, u: sp.Symbol, *others: sp.Symbol) -> sp.Expr:
    """expr over one denominator, cancelled when it is a rational function of u (and ``others``); a power u^r with r
    symbolic is no polynomial generator SymPy's cancel can handle, so such an expression is only put together."""
    together = sp.together(expr)
    return sp.cancel(together) if together.is_rational_function(u, *others) else together


def power_factors(expr: sp.Expr, u: sp.Symbol) -> tuple[sp.Expr | None, sp.Expr, sp.Expr]:
    """expr = c u^a (1 − u)^b: (c, a, b), with c free of u; (None, 0, 0) when expr is not of that form."""
    scale, a, b = sp.S.One, sp.S.Zero, sp.S.Zero
    for factor in sp.Mul.make_args(expr):
        base, exponent = factor.as_base_exp()
        if not base.has(u):
            scale *= factor
            continue
        if not base.is_polynomial(u):
            return None, a, b
        constant, factors = sp.factor_list(base, u)
        scale *= constant**exponent
        for polynomial, multiplicity in factors:
            power = exponent * multiplicity
            if polynomial == u:
                a += power
            elif polynomial == u - 1 and power.is_Integer:  # (u − 1)^m = (−1)^m (1 − u)^m
                b += power
                scale *= (-1) ** power
            elif polynomial == 1 - u:
                b += power
            else:
                return None, a, b
    return scale, a, b
