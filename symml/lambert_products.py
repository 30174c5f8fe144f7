"""W₀(t eᵗ) computed from t, not from its argument: the principal branch of the Lambert W function at an argument
written as t eᵗ (a zero-inflated Poisson's rate, λ + W₀(−λe^{−λ})).

Near the branch point −1/e (t near −1) W₀ loses half the digits of its argument: t eᵗ + 1/e is of order
(t + 1)², so the argument's rounding, relative 1e-16, is an error of order 1e-16/(t + 1)² in it and of order
1e-16/|t + 1| in W itself after the square root; at t = −1 − 1e-6 the argument rounds past −1/e, where W₀ is not
real. From t itself the value is exact: W₀(t eᵗ) = t for t ≥ −1, and for t < −1 it is the other root w ∈ (−1, 0)
of w e^w = t eᵗ. With s = −1 − t > 0 and w = −1 + v, that equation is F(−v) = F(s) for F(x) = x − log(1 + x)
(both sides of order s²/2, computed without cancellation, :func:`_x_minus_log1p`); v starts from its series
s − 2s²/3 + 4s³/9 (near the branch point) or from SciPy's W₀ (farther) and takes Newton steps, each of which
keeps v's relative accuracy (F' = v/(1 − v)); from s = 1 on SciPy's W₀ is used as it is.

>>> import numpy as np, sympy as sp
>>> t = sp.Symbol("t", real=True)
>>> with_lambert_products(sp.LambertW(t*sp.exp(t)) + 1)
LambertWOfProduct(t) + 1
>>> float(lambertw_of_product(-1 - 2**-20))   # mpmath at 50 digits: -0.99999904632628992316...
-0.9999990463262899
>>> from symml.calculus.stable_numpy import real_lambertw   # W₀ of the rounded argument: 4e-11 off
>>> float(real_lambertw((-1 - 2**-20) * np.exp(-1 - 2**-20)))
-0.9999990463677972
"""
from __future__ import annotations

from typing import Any

import numpy as np
import sympy as sp

__all__ = ["LambertWOfProduct", "LambertWOfProductMinusT", "with_lambert_products", "lambertw_of_product",
           "lambertw_of_product_minus_t"]

# A t this close to −1 (relative) is −1 itself: t carries a rounding or two (λ = mean(k)/(1 − zeros/n) of a sample
# whose positive counts are all 1 is 1 + 2e-16, and the estimate 4e-16, not the edge 0)
_ROUNDING = 4 * np.finfo(float).eps
# Below this distance from the branch point v starts from its series (error O(s⁴): 1e-4 relative at most), above
# from SciPy's W₀ (whose argument there is at least 0.05 from −1/e: relative error 1e-15)
_NEAR_BRANCH_POINT = 0.1
# From here W₀(t eᵗ) is SciPy's: the argument is 0.23 or more from −1/e (its error 1e-16 relative)
_FROM_SCIPY = 1.0
# Newton steps on F(−v) = F(s): quadratic from a start within 1e-4, so 3 give full precision; a fourth costs nothing
_NEWTON_STEPS = 4
# |x| below this: F(x) by its series in y = x/(2 + x) (x − log1p(x) cancels there); above: directly
_SERIES_BELOW = 0.1


class LambertWOfProduct(sp.Function):
    """W₀(t eᵗ) as a function of t (the module), printed as :func:`lambertw_of_product`."""

    nargs = 1

    def _eval_evalf(self, precision: int) -> sp.Expr:
        (t,) = self.args
        return sp.LambertW(t * sp.exp(t))._eval_evalf(precision)


class LambertWOfProductMinusT(sp.Function):
    """W₀(t eᵗ) − t as a function of t: 0 for t ≥ −1 (the module), printed as :func:`lambertw_of_product_minus_t`."""

    nargs = 1

    def _eval_evalf(self, precision: int) -> sp.Expr:
        (t,) = self.args
        return (sp.LambertW(t * sp.exp(t)) - t)._eval_evalf(precision)


def with_lambert_products(expr: sp.Expr) -> sp.Expr:
    """``expr`` with each W₀(t eᵗ) (a principal-branch LambertW whose argument is, after its exponentials are split,
    t times e to the power t) written as ``LambertWOfProduct(t)``, and a sum k W₀(t eᵗ) − k t + r as
    k ``LambertWOfProductMinusT(t)`` + r (μ̂ = λ + W₀(−λe^{−λ}), exactly 0 where λ ≤ 1)."""
    if not expr.has(sp.LambertW):
        return expr
    expr = expr.replace(lambda e: isinstance(e, sp.LambertW) and _exponent_of_product(e) is not None,
                        lambda e: LambertWOfProduct(_exponent_of_product(e)))
    return expr.replace(lambda e: isinstance(e, sp.Add) and e.has(LambertWOfProduct), _less_its_exponent)


def _less_its_exponent(node: sp.Add) -> sp.Expr:
    for term in node.args:
        k, w = term.as_independent(LambertWOfProduct, as_Add=False)
        if isinstance(w, LambertWOfProduct):
            rest = node - term
            remainder = sp.expand(rest + k * w.args[0])
            if remainder == 0 or sp.count_ops(remainder) < sp.count_ops(rest):
                return remainder + k * LambertWOfProductMinusT(w.args[0])
    return node


def _exponent_of_product(node: sp.LambertW) -> sp.Expr | None:
    """The t with ``node``'s argument equal to t eᵗ; None where it is not of that form or not the principal
    branch. The argument's exponentials are split: a log among their exponents is a factor (e^{log m + m/c}/c is
    (m/c) e^{m/c})."""
    if len(node.args) > 1 and node.args[1] != 0:
        return None
    argument = node.args[0]
    factors, exponent = [], sp.S.Zero
    for factor in sp.Mul.make_args(argument):
        if not isinstance(factor, sp.exp):
            factors.append(factor)
            continue
        by_log: dict[sp.Expr, sp.Expr] = {}  # expanded, c log m/(c − 1) − log m/(c − 1) is log m in two terms
        for term in sp.Add.make_args(sp.expand(factor.args[0])):
            coefficient, rest = term.as_independent(sp.log, as_Add=False)
            if isinstance(rest, sp.log):
                by_log[rest] = by_log.get(rest, sp.S.Zero) + coefficient
            else:
                exponent += term
        for log, coefficient in by_log.items():
            coefficient = sp.cancel(coefficient)
            if coefficient.is_Rational:
                factors.append(log.args[0] ** coefficient)
            else:
                exponent += coefficient * log
    if exponent == 0 or exponent.is_extended_real is False:  # statistics are symbols without assumptions
        return None
    return exponent if sp.cancel(sp.Mul(*factors) - exponent) == 0 else None


def lambertw_of_product(t: Any) -> Any:
    """W₀(t eᵗ) of real t, to full relative precision (the module): t where t ≥ −1 (or within 4 ulp of it), the
    root in (−1, 0) where t < −1, NaN where t is NaN."""
    t = np.asarray(t, dtype=float)
    below, s, v, direct = _other_root(t)
    w = np.where(below, np.where(s < _FROM_SCIPY, v - 1.0, direct), t)
    return w if w.ndim else w[()]


def lambertw_of_product_minus_t(t: Any) -> Any:
    """W₀(t eᵗ) − t of real t: 0 where t ≥ −1 (or within 4 ulp of it), else v + s (the module) without the cancellation of W₀ − t near
    t = −1, where both are near −1 and their difference, 2s to first order, is the result."""
    t = np.asarray(t, dtype=float)
    below, s, v, direct = _other_root(t)
    gap = np.where(below, np.where(s < _FROM_SCIPY, v + s, direct - t), 0.0)
    return gap if gap.ndim else gap[()]


def _other_root(t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(t < −1, s = −1 − t, v with W₀(t eᵗ) = −1 + v by Newton's method where s < 1, SciPy's W₀(t eᵗ))."""
    from scipy.special import lambertw

    s = -1.0 - t
    below = s > _ROUNDING * np.abs(t)  # within t's own rounding of −1 is the branch point itself
    s = np.where(below, s, 1.0)  # the branch t ≥ −1 computes nothing
    with np.errstate(all="ignore"):
        direct = lambertw(t * np.exp(t)).real
        v = np.where(s < _NEAR_BRANCH_POINT, s * (1.0 + s * (-2.0 / 3.0 + s * 4.0 / 9.0)), 1.0 + direct)
        target = _x_minus_log1p(s)
        for _ in range(_NEWTON_STEPS):
            step = (_x_minus_log1p(-v) - target) * (1.0 - v) / v
            v = np.where(np.isfinite(step) & (v > 0), v - step, v)
    return below, s, v, direct


def _x_minus_log1p(x: Any) -> Any:
    """x − log(1 + x) for x > −1 without its cancellation near 0: there log(1 + x) = 2 atanh(y), y = x/(2 + x), and
    x − 2y = xy, so the difference is xy − 2(y³/3 + y⁵/5 + …), whose terms do not cancel."""
    x = np.asarray(x, dtype=float)
    y = x / (2.0 + x)
    y2 = y * y
    tail = sum(y2**k / (2 * k + 3) for k in range(8))  # y ≤ 0.053 there: y^16/19 < 1e-22 of the first term
    with np.errstate(all="ignore"):
        return np.where(np.abs(x) < _SERIES_BELOW, x * y - 2.0 * y * y2 * tail, x - np.log1p(x))
