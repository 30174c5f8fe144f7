"""Expectations under a Cauchy law as values of a harmonic function: the Poisson integral of the upper half-plane.

The Cauchy density with location x₀ and scale γ, f(x) = (1/π) γ / ((x − x₀)² + γ²), is the Poisson kernel of the
upper half-plane at z₀ = x₀ + iγ. If H is analytic on the closed upper half-plane and H(z) = o(|z|) as |z| → ∞
there, the harmonic function Re H equals the Poisson integral of its values on the real line (their difference is
harmonic, zero on the axis, so it extends by reflection to an entire harmonic function of sublinear growth, which is
zero), so that with no integral at all

.. math:: E[\\operatorname{Re} H(X)] = \\operatorname{Re} H(x_0 + i\\gamma).

symml applies the rule to h = log P(x), P a polynomial with no real root: P(x) = c Π (x − w)(x − w̄)^{m_w} over its
roots w in the lower half-plane, so log P(x) = Re H(x) with H(z) = log c + Σ 2 m_w log(z − w), analytic above
every w (the branch cuts point down) and O(log |z|). Hence E[log P(X)] = log c + Σ m_w log |z₀ − w|².

>>> import sympy as sp, sympy.stats as st
>>> from symml.probability.law import as_law
>>> m, g = sp.Symbol("m", real=True), sp.Symbol("g", positive=True)
>>> law = as_law(st.Cauchy("X", m, g))
>>> value, step = harmonic_expectation(law, sp.log(1 + (law.variable - m)**2 / g**2))
>>> sp.simplify(value)
log(4)
"""
from __future__ import annotations

import sympy as sp
from sympy.core.cache import cacheit

from symml.budget import SIMPLIFY_SECONDS, within
from symml.derivation import Step
from symml.errors import BudgetExceededError
from symml.probability.law import Law
from symml.render.printer import latex

__all__ = ["poisson_point", "harmonic_expectation"]


@cacheit
def poisson_point(law: Law) -> sp.Expr | None:
    """z₀ = x₀ + iγ when the law's density is the Poisson kernel (1/π) γ/((x − x₀)² + γ²) of the upper half-plane
    at z₀ (a Cauchy law), else None."""
    x = law.variable
    if law.discrete or law.limits != (-sp.oo, sp.oo):
        return None
    numerator, denominator = sp.fraction(sp.together(law.density))
    if numerator.has(x) or not denominator.is_polynomial(x) or sp.degree(denominator, x) != 2:
        return None
    above = [w for w in sp.roots(sp.Poly(denominator, x)) if sp.im(w).is_positive]
    if len(above) != 1:
        return None
    z0 = above[0]
    kernel = sp.im(z0) / (sp.pi * ((x - sp.re(z0)) ** 2 + sp.im(z0) ** 2))
    return z0 if sp.cancel(law.density / kernel) == 1 else None


def _log_extension(h: sp.Expr, x: sp.Symbol, z0: sp.Expr) -> tuple[sp.Expr, list[sp.Expr], sp.Expr] | None:
    """(H(x), [w], Re H(z₀)) for h = log P(x), P a polynomial without real roots: H = log c + Σ 2 m_w log(x − w)
    over the roots w below the axis (h = Re H on the real line); None when h is not of that form."""
    if not isinstance(h, sp.log) or not h.args[0].is_polynomial(x):
        return None
    polynomial = sp.Poly(h.args[0], x)
    if polynomial.degree() < 1 or polynomial.LC().is_positive is not True:
        return None
    below = _roots_below(polynomial, paired=True)
    if below is None:
        return None
    leading = polynomial.LC()
    analytic = sp.log(leading) + sp.Add(*(2 * k * sp.log(x - w) for w, k in below.items()))
    # Re 2m log(z₀ − w) = m log |z₀ − w|² = m log((x₀ − Re w)² + (γ − Im w)²); every log's argument is positive
    value = sp.expand_log(sp.log(leading) + sp.Add(*(k * sp.log((sp.re(z0) - sp.re(w)) ** 2 + (sp.im(z0) - sp.im(w)) ** 2)
                                                    for w, k in below.items())), force=True)
    return analytic, list(below), value


def _roots_below(polynomial: sp.Poly, paired: bool) -> dict[sp.Expr, int] | None:
    """{w: multiplicity} of the roots below the real axis when every root is found off the axis (each factor's
    roots by ``roots``), and, if ``paired``, the roots above are their conjugates' count; else None."""
    found: dict[sp.Expr, int] = {}
    for factor, power in sp.factor_list(polynomial.as_expr(), *polynomial.gens)[1]:
        roots = sp.roots(sp.Poly(factor, *polynomial.gens))
        if sum(roots.values()) != sp.degree(factor, polynomial.gens[0]):
            return None
        for w, k in roots.items():
            found[w] = found.get(w, 0) + k * power
    below = {w: k for w, k in found.items() if sp.im(w).is_negative}
    above = {w: k for w, k in found.items() if sp.im(w).is_positive}
    if len(below) + len(above) != len(found) or (paired and sorted(below.values()) != sorted(above.values())):
        return None
    return below


def _rational_extension(h: sp.Expr, x: sp.Symbol, z0: sp.Expr) -> tuple[sp.Expr, list[sp.Expr], sp.Expr] | None:
    """(H(x), [w], Re H(z₀)) for a rational h = N/D bounded on the line (deg N ≤ deg D, D without real roots): with
    R_(z) the principal parts of h at its poles w below the axis, h = h(∞) + 2 Re R_ on the real line (the parts
    at the conjugate poles are the conjugates), H = h(∞) + 2 R_; None when h is not of that form."""
    if not h.is_rational_function(x) or not h.has(x):
        return None
    numerator, denominator = (sp.Poly(part, x) for part in sp.fraction(sp.cancel(sp.together(h))))
    if denominator.degree() < 1 or numerator.degree() > denominator.degree():
        return None
    below = _roots_below(denominator, paired=True)
    if below is None:
        return None
    at_infinity = numerator.LC() / denominator.LC() if numerator.degree() == denominator.degree() else sp.S.Zero
    roots = {**below, **{sp.conjugate(w): k for w, k in below.items()}}
    z = sp.Dummy("z")
    principal_at_z, principal_at_z0 = sp.S.Zero, sp.S.Zero
    for w, k in below.items():
        # h = g(z)/(z − w)^k near w, g analytic there: the principal part is Σ_{j<k} g^{(j)}(w)/j! (z − w)^{j−k}
        g = numerator.as_expr().subs(x, z) / (denominator.LC() * sp.Mul(*((z - r) ** m for r, m in roots.items()
                                                                            if r != w)))
        for j in range(k):
            coefficient = sp.diff(g, z, j).subs(z, w) / sp.factorial(j)
            principal_at_z += coefficient * (x - w) ** (j - k)
            principal_at_z0 += coefficient * (z0 - w) ** (j - k)
    value = at_infinity + 2 * sp.re(sp.expand_complex(sp.together(principal_at_z0)))
    try:
        value = within(SIMPLIFY_SECONDS, "simplify of a Poisson integral", sp.simplify, value)
    except BudgetExceededError:
        pass  # correct as it is, only longer
    return at_infinity + 2 * principal_at_z, list(below), value


def harmonic_expectation(law: Law, h: sp.Expr) -> tuple[sp.Expr, Step] | None:
    """E[h(X)] = Re H(z₀) under a Cauchy law for h = Re H (the log of a polynomial without real roots, a rational
    function bounded on the line without real poles), with its step; None when the law is not a Cauchy law or h is
    not of that form."""
    z0 = poisson_point(law)
    if z0 is None:
        return None
    x = law.variable
    extension = _log_extension(h, x, z0) or _rational_extension(h, x, z0)
    if extension is None:
        return None
    analytic, singular, value = extension
    z = sp.Symbol("z")
    integral = sp.Integral(h * law.density, (x, -sp.oo, sp.oo))
    step = Step("Recognise the Poisson kernel of the upper half-plane",
                (sp.Eq(sp.Function("H")(z), analytic.subs(x, z), evaluate=False),
                 sp.Eq(h, sp.re(analytic, evaluate=False), evaluate=False),
                 sp.Eq(integral, sp.re(analytic.subs(x, z0), evaluate=False), evaluate=False),
                 sp.Eq(integral, value, evaluate=False)),
                f"the density is the Poisson kernel of the upper half-plane at $z_0 = {latex(z0)}$; $H$ is analytic "
                "on the closed upper half-plane (its singularities " + ", ".join(f"${latex(w)}$" for w in singular)
                + " lie below the real axis, a log's cut points down) and $o(|z|)$ at infinity, so the harmonic "
                  "function $\\operatorname{Re} H$ equals its Poisson integral: "
                  "$\\mathbb{E}[\\operatorname{Re} H(X)] = \\operatorname{Re} H(z_0)$")
    return value, step
