"""The law of the centred sum of squares S = Σ (xᵢ − x̄)² of a Normal sample, by Cochran's decomposition.

The law of a sum of independent terms comes from its MGF (:mod:`symml.probability.pivots`), but the terms of S
are not independent: each holds x̄. For x₁..xₙ i.i.d. N(m, s²) the engine

1. **recognises the Normal law** of one observation from its MGF (Cochran's theorem needs it);
2. **decomposes** Σ (xᵢ − m)² = Σ (xᵢ − x̄)² + n (x̄ − m)², checked by expanding both sides in T = Σ xᵢ and
   Q = Σ xᵢ²;
3. **checks Cochran's condition**: the two quadratic forms have the matrices P = I − J/n and J/n (J = 11ᵀ, so
   J² = nJ), both idempotent (P² reduced modulo J² − nJ is P) with ranks tr P = n − 1 and tr J/n = 1 adding up
   to n; the theorem (stated, not derived) then makes S independent of x̄ (Cochran 1934; Casella & Berger 5.3.1);
4. **divides the MGFs**: independence gives M_{Σ(x−m)²}(t) = M_S(t) · M_{n(x̄−m)²}(t), the left side
   E[e^{t(X−m)²}]ⁿ by the expectation operator and the right factor E[e^{t(X−m)²}] too, as √n(x̄ − m) and X − m
   have one law N(0, s²) (both MGFs recognised); the quotient is recognised as a Gamma((n − 1)/2, 2s²), that is
   S/s² ~ χ²_{n−1}, with n − 1 degrees of freedom equal to P's rank.

>>> import sympy as sp, sympy.stats as st
>>> from symml.probability.law import as_law
>>> mu, sigma = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True)
>>> steps, law, mgf = centred_sum_law(as_law(st.Normal("X", mu, sigma)), sp.Symbol("n", positive=True, integer=True))
>>> law.family, law.parameters
('Gamma', (n/2 - 1/2, 2*sigma**2))
"""
from __future__ import annotations

import sympy as sp
import sympy.stats as st

from symml.derivation import Step
from symml.errors import UnsupportedOperationError
from symml.mle.statistics import StatisticSymbol
from symml.probability.expectation import simplified
from symml.probability.law import Law, as_law
from symml.probability.pivots import Identified, _t, identify_law, moment_generating

__all__ = ["centre_of", "centred_sum_law"]


def centre_of(summand: sp.Expr, observation: sp.Symbol) -> StatisticSymbol | None:
    """The sample mean ḡ in a summand (g(x) − ḡ)² of the observation x (g(x) = x, or log x for a log-normal), or
    None for any other summand."""
    base, exponent = summand.as_base_exp()
    if exponent != 2:
        return None
    centres = [s for s in base.free_symbols if isinstance(s, StatisticSymbol)]
    if len(centres) != 1 or centres[0].reduction != "mean" or not centres[0].summand.has(observation):
        return None
    (centre,) = centres
    return centre if sp.expand(base**2 - (centre.summand - centre) ** 2) == 0 else None


def centred_sum_law(law: Law, n: sp.Symbol, g: sp.Expr | None = None) -> tuple[list[Step], Identified, sp.Expr]:
    """(steps, the law of S = Σ (gᵢ − ḡ)², its MGF in t) for gᵢ = g(xᵢ) (by default xᵢ) of an i.i.d. sample of
    ``law`` of size ``n`` (see the module; g(X) takes the place of X).

    Raises:
        UnsupportedOperationError: the law of g(X) is not recognised as Normal, or a check fails.
    """
    x = law.variable if g is None else g
    generating = moment_generating(law, x)
    one = identify_law(generating)
    if one is None or one.family != "Normal":
        raise UnsupportedOperationError("the law of one observation is not recognised as Normal: the law of "
                                        "Σ(xᵢ − x̄)² by Cochran's theorem needs a Normal sample")
    m, s = one.parameters
    T, Q = sp.symbols("T Q", real=True)  # Σ xᵢ and Σ xᵢ²
    about_mean = Q - 2 * m * T + n * m**2  # Σ (xᵢ − m)²
    centred = Q - T**2 / n  # Σ (xᵢ − x̄)²
    spread_of_mean = n * (T / n - m) ** 2  # n (x̄ − m)²
    if sp.expand(about_mean - centred - spread_of_mean) != 0:
        raise UnsupportedOperationError("the decomposition Σ(xᵢ − m)² = Σ(xᵢ − x̄)² + n(x̄ − m)² did not check")
    J = sp.Symbol("J")
    projector = 1 - J / n
    if sp.rem(sp.expand(projector**2), J**2 - n * J, J) != sp.expand(projector) \
            or sp.rem(sp.expand((J / n) ** 2), J**2 - n * J, J) != J / n:
        raise UnsupportedOperationError("the matrices of Cochran's decomposition are not idempotent")
    ranks = (n - n / n, n / n)  # an idempotent's rank is its trace: tr I = tr J = n (J's diagonal is ones)
    if sp.simplify(sum(ranks) - n) != 0:
        raise UnsupportedOperationError("the ranks of Cochran's decomposition do not add up to n")
    # n(x̄ − m)² = D² with D = (Σ xᵢ − nm)/√n; D and X − m both have the law N(0, s²) (each MGF recognised), so
    # n(x̄ − m)² has the law of one (X − m)²
    one_term = moment_generating(law, (x - m) ** 2)
    shifted = identify_law(simplified(sp.exp(-m * _t) * generating))
    standardised = identify_law(simplified(sp.exp(-sp.sqrt(n) * m * _t) * generating.subs(_t, _t / sp.sqrt(n)) ** n))
    if shifted is None or shifted != standardised:
        raise UnsupportedOperationError("√n(x̄ − m) and X − m are not shown to have one law")
    whole, part = simplified(one_term**n), simplified(one_term)
    quotient = simplified(whole / part)
    result = identify_law(quotient, n)  # n ≥ 2: S is 0 for one observation
    if result is None or result.family != "Gamma" or simplified(2 * result.parameters[0] - ranks[0]) != 0:
        raise UnsupportedOperationError(f"the law of Σ(xᵢ − x̄)² with MGF {quotient} is not a Gamma of shape (n − 1)/2")
    S, xbar, i = sp.Symbol("S"), sp.Symbol("xbar"), sp.Symbol("i", integer=True)
    about = sp.Sum((x.subs(law.variable, sp.IndexedBase("x")[i]) - m) ** 2, (i, 1, n))
    steps = [
        Step("Normal observations", sp.Eq(x.subs(law.variable, sp.Symbol("X")), sp.Function("Normal")(m, s),
                                          evaluate=False),
             "the MGF of one observation is that of a Normal law: Cochran's theorem applies" + (
                 "" if g is None else f" to $g_i = {sp.latex(x.subs(law.variable, sp.Symbol('x_i')))}$, written "
                 "$x_i$ below")),
        Step("Cochran's decomposition", sp.Eq(about, S + n * (xbar - m) ** 2, evaluate=False),
             "$\\sum_i (x_i - m)^2 = \\sum_i (x_i - \\bar x)^2 + n(\\bar x - m)^2$ (checked by expanding in "
             "$\\sum_i x_i$, $\\sum_i x_i^2$); the forms' matrices $I - J/n$ and $J/n$ ($J = \\mathbf{1}\\mathbf{1}^\\top$, "
             f"$J^2 = nJ$) are idempotent with ranks {sp.latex(ranks[0])} and 1 adding up to n, so by Cochran's "
             "theorem $S = \\sum_i (x_i - \\bar x)^2$ is independent of $\\bar x$"),
        Step("Law of the centred sum of squares", (
            sp.Eq(sp.Function("M_W")(_t), whole, evaluate=False),
            sp.Eq(sp.Function("M_B")(_t), part, evaluate=False),
            sp.Eq(sp.Function("M_S")(_t), quotient, evaluate=False),
            sp.Eq(S, sp.Function("Gamma")(*result.parameters), evaluate=False)),
             "$W = \\sum_i (x_i - m)^2 = S + B$ with $B = n(\\bar x - m)^2$; independence: $M_W = M_S M_B$; "
             "$\\sqrt{n}(\\bar x - m)$ has the law of $X - m$ (both MGFs are that of $\\mathcal{N}(0, s^2)$), so "
             "$M_B = M_{(X - m)^2}$; the quotient is the MGF of that Gamma law "
             "($S/s^2 \\sim \\chi^2_{n-1}$)"),
    ]
    return steps, result, quotient
