"""The quantile function F⁻¹ of a continuous law, derived: the density integrated into the CDF, F(x) = u solved.

.. math:: F(x) = \\int_{a}^{x} f(t)\\,dt, \\qquad F(F^{-1}(u)) = u

Both the integral and the solve run under budgets. Used by the inverse-CDF sampler and by the probability integral
transform of the expectation operator.

>>> import sympy as sp, sympy.stats as st
>>> from symml.probability.law import as_law
>>> r = sp.Symbol("r", positive=True)
>>> cdf, inverse = quantile_function(as_law(st.Exponential("X", r)), sp.Symbol("u", positive=True), 15.0)
>>> cdf, inverse
(1 - exp(-r*x), log(-1/(u - 1))/r)
"""
from __future__ import annotations

import sympy as sp

from symml.budget import SOLVE_SECONDS, within
from symml.errors import BudgetExceededError, UnsupportedOperationError
from symml.probability.integration import simplified
from symml.probability.law import Law

__all__ = ["quantile_function", "real_roots"]


def quantile_function(law: Law, u: sp.Symbol, seconds: float) -> tuple[sp.Expr, sp.Expr]:
    """(F(x), F⁻¹(u)) of a continuous law, the CDF's integral under ``seconds``, the solve under its own budget.

    Raises:
        UnsupportedOperationError: a discrete law, or a CDF or inverse with no closed form within the budgets.
    """
    if law.discrete:
        raise UnsupportedOperationError(f"{law.name} is discrete: it has no continuous quantile function")
    x, (lower, _) = law.variable, law.limits
    t = sp.Dummy("t", **({"positive": True} if lower.is_nonnegative else {"real": True}))
    try:
        cdf = within(seconds, f"the CDF of {law.name}", lambda: sp.integrate(law.density.subs(x, t), (t, lower, x),
                                                                             conds="none"))
        cdf = simplified(cdf)
        roots = within(min(seconds, SOLVE_SECONDS), "F(x) = u", sp.solve, sp.Eq(cdf, u), x)
    except (BudgetExceededError, NotImplementedError) as exceeded:  # solve has no algorithm for F(x) = u (a Gamma)
        raise UnsupportedOperationError(f"no closed-form inverse CDF for {law.name}: {exceeded}") from None
    roots = real_roots(roots, bool(lower.is_nonnegative))
    if len(roots) != 1 or cdf.has(sp.Integral):
        raise UnsupportedOperationError(f"no closed-form inverse CDF for {law.name} (F(x) = {cdf})")
    return cdf, simplified(roots[0])


def real_roots(roots: list[sp.Expr], nonnegative: bool) -> list[sp.Expr]:
    """Of several roots of F(x) = u, those that can be the real point sought: free of i, and not negative where the
    point is non-negative (x = +sqrt(...) on (0, ∞); SymPy's two complex cube roots beside (1/(1 − p))^(1/(3n)))."""
    if len(roots) < 2:
        return roots
    return [r for r in roots if not r.has(sp.I) and not (nonnegative and r.could_extract_minus_sign())]
