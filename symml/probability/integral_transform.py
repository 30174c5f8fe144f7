"""E[h(X)] by the probability integral transform: an integral over (0, 1) in the law's quantile u = F(x).

When the CDF F of a continuous law is continuous and strictly increasing on the support and its inverse F⁻¹ has a
closed form (derived by :mod:`symml.probability.quantile`), X has the law of F⁻¹(U) with U uniform on (0, 1), so

.. math:: E[h(X)] = \\int_0^1 h(F^{-1}(u))\\, du .

The rule pays where F⁻¹ is built of log u and log(1 − u) (a logistic's μ + σ log(u/(1 − u)), an exponential's
−log(1 − u)/λ): every exponential of x becomes a power of u and 1 − u, every log of such a power a combination of
log u and log(1 − u), and the integrand a sum of terms c u^a (1 − u)^b log(u)^j log(1 − u)^k, each a derivative of
the Beta function (:mod:`symml.probability.beta_integrals`). The logistic's Fisher information in σ, whose score
products x²/(e^{μ/σ} + e^{x/σ})^k defeat SymPy's integrator, becomes polygamma values at integers.

>>> import sympy as sp, sympy.stats as st
>>> from symml.probability.law import as_law
>>> law = as_law(st.Logistic("X", 0, 1))
>>> value, step = transformed_expectation(law, law.variable**2)
>>> value
pi**2/3
"""
from __future__ import annotations

import sympy as sp
from sympy.core.cache import cacheit

from symml.budget import within
from symml.derivation import Step
from symml.probability.notation import Expect
from symml.errors import BudgetExceededError, UnsupportedOperationError
from symml.probability.beta_integrals import beta_log_integral, beta_terms, power_factors, reduced
from symml.probability.integration import linear_in
from symml.probability.law import Law
from symml.probability.quantile import quantile_function
from symml.render.printer import latex

__all__ = ["transformed_expectation", "QUANTILE_SECONDS", "TRANSFORM_SECONDS"]

#: The budget (seconds) of deriving a law's quantile function for this rule (a logistic's takes 0.3 s; a law whose
#: CDF SymPy integrates slowly gets no transform, its terms go on to the other routes).
QUANTILE_SECONDS = 1.5
#: The budget (seconds) of rewriting one term in u and summing its Beta integrals.
TRANSFORM_SECONDS = 2.0

_U = sp.Dummy("u", positive=True)
_W = sp.Dummy("w", positive=True)  # 1 − u while logs and exponentials are rewritten
_LOG_U, _LOG_W = sp.Dummy("log_u", real=True), sp.Dummy("log_w", real=True)


class _NotBeta(Exception):
    """The integrand after the transform is not a sum of Beta-function derivatives."""


@cacheit
def _quantile_in_logs(law: Law) -> tuple[sp.Expr, sp.Expr] | None:
    """(F⁻¹(u), F⁻¹ written with the symbols log u, log(1 − u) and powers of u, 1 − u), or None when the law has no
    closed-form quantile within the budget, or one of another form (cot πu, log(−log u))."""
    if law.discrete or law.points is not None or not _exponential_in_a_sum(law.density, law.variable):
        return None
    try:
        _, inverse = within(QUANTILE_SECONDS, f"the quantile function of {law.name}", quantile_function, law, _U,
                            QUANTILE_SECONDS)
        return inverse, sp.expand(_in_logs(inverse))
    except (BudgetExceededError, UnsupportedOperationError, _NotBeta, sp.PolynomialError):
        return None


def _exponential_in_a_sum(density: sp.Expr, x: sp.Symbol) -> bool:
    """Whether the density holds an exponential e^{sx + c} inside a sum that is not itself an exponent (the logistic's
    (1 + e^{−(x−μ)/σ})²): where the rule pays. Deriving a quantile costs up to a second (0.9 s for the Cauchy's
    μ − σ cot πu, past 1.5 s for the Weibull's) and most laws' terms close by their normaliser or a generating
    function, so other laws are not given the transform."""
    exponentials = {e for e in density.atoms(sp.exp) if linear_in(e.args[0], x)}
    exponents = {e.args[0] for e in density.atoms(sp.exp)}
    return any(s not in exponents and exponentials & set(s.args) for s in density.atoms(sp.Add))


def _in_logs(expr: sp.Expr) -> sp.Expr:
    """expr with every log of c u^p (1 − u)^q as log c + p log u + q log(1 − u), every exponential of
    p log u + q log(1 − u) + r as u^p (1 − u)^q e^r and every power of c u^p (1 − u)^q distributed.

    Raises:
        _NotBeta: some other function of u (cot πu, log(−log u), a non-integer power of a log).
    """
    if not expr.has(_U, _W, _LOG_U, _LOG_W):
        return expr
    if expr in (_U, _W, _LOG_U, _LOG_W):
        return expr
    args = [_in_logs(arg) for arg in expr.args]
    if isinstance(expr, sp.log):
        scale, p, q = _as_powers(args[0])
        return sp.log(scale) + p * _LOG_U + q * _LOG_W
    if isinstance(expr, sp.exp):
        exponent = sp.expand(args[0])
        p, q = exponent.coeff(_LOG_U), exponent.coeff(_LOG_W)
        rest = sp.expand(exponent - p * _LOG_U - q * _LOG_W)
        if rest.has(_U, _W, _LOG_U, _LOG_W) or p.has(_U, _W, _LOG_U, _LOG_W) or q.has(_U, _W, _LOG_U, _LOG_W):
            raise _NotBeta(expr)
        return _U**p * _W**q * sp.exp(rest)
    if expr.is_Pow:
        base, exponent = args
        if exponent.has(_U, _W, _LOG_U, _LOG_W):
            return _in_logs(sp.exp(exponent * sp.log(base)))
        if exponent.is_Integer:
            return base**exponent
        scale, p, q = _as_powers(base)
        return scale**exponent * _U ** (p * exponent) * _W ** (q * exponent)
    if expr.is_Add or expr.is_Mul:
        return expr.func(*args)
    raise _NotBeta(expr)


def _as_powers(expr: sp.Expr) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """expr = c u^p (1 − u)^q with c > 0 free of u: (c, p, q).

    Raises:
        _NotBeta: expr is not of that form (it holds a log, or a factor with another root).
    """
    if expr.has(_LOG_U, _LOG_W):
        raise _NotBeta(expr)
    numerator, denominator = sp.fraction(reduced(expr.subs(_W, 1 - _U), _U))
    (top, p_top, q_top), (bottom, p_bottom, q_bottom) = power_factors(numerator, _U), power_factors(denominator, _U)
    if top is None or bottom is None or (top / bottom).is_positive is not True:
        raise _NotBeta(expr)
    return top / bottom, p_top - p_bottom, q_top - q_bottom


def transformed_expectation(law: Law, h: sp.Expr) -> tuple[sp.Expr, Step] | None:
    """E[h(X)] = ∫₀¹ h(F⁻¹(u)) du summed as Beta-function derivatives, with its step; None when the law has no
    closed-form quantile, or h(F⁻¹(u)) is not a sum of terms c u^a (1 − u)^b log(u)^j log(1 − u)^k with a, b > −1."""
    found = _quantile_in_logs(law)
    if found is None:
        return None
    inverse, in_logs = found
    try:
        summed = within(TRANSFORM_SECONDS, "the probability integral transform", _beta_sum, h.subs(law.variable, in_logs))
    except (BudgetExceededError, _NotBeta, sp.PolynomialError):  # a factorisation SymPy refuses: not of the form
        return None
    if summed is None:
        return None
    terms, integrand, value = summed
    u = sp.Symbol("u", positive=True)
    shown = {_U: u, _W: 1 - u, _LOG_U: sp.log(u), _LOG_W: sp.log(1 - u)}
    a, b = sp.symbols("a b", real=True)
    j, k = sp.symbols("j k", integer=True, nonnegative=True)
    orders = sorted({(t[3], t[4]) for t in terms})
    posed = sp.Integral(h * law.density, (law.variable, *law.limits))
    step = Step("Probability integral transform",
                (sp.Eq(sp.Function("F^{-1}")(u), inverse.xreplace(shown), evaluate=False),
                 sp.Eq(sp.Function("F^{-1}")(u), in_logs.xreplace(shown), evaluate=False),
                 sp.Eq(Expect(h), posed, evaluate=False),
                 sp.Eq(posed, sp.Integral(integrand.xreplace(shown), (u, 0, 1)), evaluate=False),
                 sp.Eq(sp.Integral(u**a * (1 - u)**b * sp.log(u)**j * sp.log(1 - u)**k, (u, 0, 1)),
                       sp.Derivative(sp.beta(a + 1, b + 1), (a, j), (b, k)), evaluate=False),
                 sp.Eq(Expect(h), value, evaluate=False)),
                "$F$ is continuous and strictly increasing on the support with the closed-form inverse "
                "$F^{-1}$, so $X$ has the law of $F^{-1}(U)$, $U$ uniform on $(0, 1)$; the integrand is a sum of "
                f"{len(terms)} terms $c\\,u^a (1-u)^b \\log^j u \\log^k (1-u)$ with $a, b > -1$ "
                f"(orders $(j, k)$: {', '.join(f'$({p}, {q})$' for p, q in orders)}), each a derivative of the Beta "
                "function (differentiation under the integral sign)")
    return value, step


def _beta_sum(integrand: sp.Expr) -> tuple[list, sp.Expr, sp.Expr] | None:
    """(the terms (c, a, b, j, k), the integrand in u reduced, Σ c ∂_a^j ∂_b^k B(a + 1, b + 1)), or None."""
    rewritten = _in_logs(integrand)
    terms = beta_terms(rewritten, _U, _W, _LOG_U, _LOG_W)
    if terms is None:
        return None
    shown = sp.factor(reduced(rewritten.subs(_W, 1 - _U), _U, _LOG_U, _LOG_W))
    value = sp.factor_terms(sp.expand(sp.Add(*(c * beta_log_integral(a, b, j, k) for c, a, b, j, k in terms))))
    return terms, shown, value
