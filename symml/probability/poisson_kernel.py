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

from symml.derivation import Step
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


def _analytic_extension(h: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr, dict[sp.Expr, int]] | None:
    """(H(x), c, {w: m_w}) with h = Re H on the real line, H(z) = log c + Σ 2 m_w log(z − w) analytic above its
    branch points w, all in the lower half-plane; None when h is not the log of a polynomial without real roots whose root signs are known."""
    if not isinstance(h, sp.log) or not h.args[0].is_polynomial(x):
        return None
    polynomial = sp.Poly(h.args[0], x)
    if polynomial.degree() < 1 or polynomial.LC().is_positive is not True:
        return None
    roots = sp.roots(polynomial)
    if sum(roots.values()) != polynomial.degree():
        return None
    below = {w: k for w, k in roots.items() if sp.im(w).is_negative}
    above = {w: k for w, k in roots.items() if sp.im(w).is_positive}
    if sum(below.values()) + sum(above.values()) != polynomial.degree() or \
            sorted(below.values()) != sorted(above.values()):
        return None
    leading = polynomial.LC()
    return sp.log(leading) + sp.Add(*(2 * k * sp.log(x - w) for w, k in below.items())), leading, below


def harmonic_expectation(law: Law, h: sp.Expr) -> tuple[sp.Expr, Step] | None:
    """E[h(X)] = Re H(z₀) under a Cauchy law for h = Re H (the log of a polynomial without real roots), with its
    step; None when the law is not a Cauchy law or h is not of that form."""
    z0 = poisson_point(law)
    if z0 is None:
        return None
    x = law.variable
    extension = _analytic_extension(h, x)
    if extension is None:
        return None
    analytic, leading, singular = extension
    x0, gamma = sp.re(z0), sp.im(z0)
    # Re 2m log(z₀ − w) = m log |z₀ − w|² = m log((x₀ − Re w)² + (γ − Im w)²)
    value = sp.log(leading) + sp.Add(*(k * sp.log((x0 - sp.re(w)) ** 2 + (gamma - sp.im(w)) ** 2)
                                       for w, k in singular.items()))
    value = sp.expand_log(value, force=True)  # every argument is positive: log of a squared modulus, of c > 0
    z = sp.Symbol("z")
    integral = sp.Integral(h * law.density, (x, -sp.oo, sp.oo))
    step = Step("Recognise the Poisson kernel of the upper half-plane",
                (sp.Eq(sp.Function("H")(z), analytic.subs(x, z), evaluate=False),
                 sp.Eq(h, sp.re(analytic, evaluate=False), evaluate=False),
                 sp.Eq(integral, sp.re(analytic.subs(x, z0), evaluate=False), evaluate=False),
                 sp.Eq(integral, value, evaluate=False)),
                f"the density is the Poisson kernel of the upper half-plane at $z_0 = {latex(z0)}$; $H$ is analytic "
                "on the closed upper half-plane (its branch points " + ", ".join(f"${latex(w)}$" for w in singular)
                + " lie below the real axis, the cuts point down) and $O(\\log |z|)$ at infinity, so the harmonic "
                  "function $\\operatorname{Re} H$ equals its Poisson integral: "
                  "$\\mathbb{E}[\\operatorname{Re} H(X)] = \\operatorname{Re} H(z_0)$")
    return value, step
