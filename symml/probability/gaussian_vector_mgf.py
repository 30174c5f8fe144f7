"""E[g(x)] for x ~ N(μ, Σ) and g a polynomial of any degree, from the moment generating function.

The MGF of x at t is the MGF at 1 of the scalar tᵀx ~ N(tᵀμ, tᵀΣt) (a linear function of a Gaussian vector), and
E[e^Y] for Y ~ N(m, s²) is derived by the expectation operator, e^{m + s²/2}; so

.. math:: M(t) = \\mathbb{E}[e^{t^\\top x}] = \\exp(t^\\top \\mu + \\tfrac12 t^\\top \\Sigma t).

Each monomial's moment is a derivative of M at 0, E[x₁^k₁ ⋯ x_d^k_d] = ∂^{k₁}_{t₁} ⋯ ∂^{k_d}_{t_d} M(0), and E[g] is
their combination with g's coefficients (linearity). No table of pairings (Isserlis) is used: the moments are
whatever the derivatives give, for numeric or symbolic μ and Σ.

>>> import sympy as sp
>>> x = sp.Matrix(sp.symbols("x0 x1", real=True))
>>> moments_by_mgf(x[0]**2 * x[1]**2, x, sp.Matrix([0, 0]), sp.Matrix([[2, 1], [1, 3]]), list(x))[1]
8
"""
from __future__ import annotations

import functools
from typing import Sequence

import sympy as sp

from symml.budget import INTEGRATE_SECONDS, within
from symml.derivation import Step
from symml.probability.notation import Expect

__all__ = ["moments_by_mgf"]


@functools.lru_cache(maxsize=1)
def _normal_mgf_at_one() -> tuple[sp.Expr, sp.Symbol, sp.Symbol]:
    """E[e^Y] for Y ~ N(m, s²), derived once by the expectation operator, and its m and s."""
    import sympy.stats as st

    from symml.probability.expectation import expect
    from symml.probability.law import as_law

    m, s = sp.Symbol("m", real=True), sp.Symbol("s", positive=True)
    law = as_law(st.Normal("Y", m, s))
    return expect(law, sp.exp(law.variable)).value, m, s


def moments_by_mgf(h: sp.Expr, x: sp.Matrix, mean: sp.Matrix, covariance: sp.Matrix,
                   shown: Sequence[sp.Expr]) -> tuple[tuple[Step, ...], sp.Expr]:
    """The steps and the value of E[h(x)] for x ~ N(mean, covariance), h a polynomial in the entries of ``x``.

    Args:
        h: the polynomial, in the symbols of ``x``.
        x: the components' symbols, shape (d, 1).
        mean: μ, shape (d, 1); covariance: Σ, shape (d, d) (numbers or symbols).
        shown: how each component is written in the steps (X[0], ...).
    """
    size = x.rows
    t = sp.Matrix([sp.Symbol(f"t_{i + 1}", real=True) for i in range(size)])
    at_one, m, s = _normal_mgf_at_one()
    linear, quadratic = (t.T @ mean)[0, 0], (t.T @ covariance @ t)[0, 0]
    mgf = at_one.xreplace({m: linear, s: sp.sqrt(quadratic)})
    exponent = sp.expand(linear + quadratic / 2)  # shown: M(t) written out
    at_zero = {ti: 0 for ti in t}
    terms = sp.Poly(h, *x).terms()

    def moment(powers: tuple[int, ...]) -> sp.Expr:
        derivative = sp.diff(mgf, *[(ti, k) for ti, k in zip(t, powers) if k])  # of the derived MGF
        return sp.expand(derivative.xreplace(at_zero))

    moments = {powers: within(INTEGRATE_SECONDS, "the MGF's derivatives", moment, powers) for powers, _ in terms}
    value = sp.factor_terms(sp.expand(sum(c * moments[p] for p, c in terms)))
    written = sp.Function("M")(*t)

    def monomial(powers: tuple[int, ...]) -> sp.Expr:
        return sp.Mul(*(c**k for c, k in zip(shown, powers)))

    steps = (
        Step("Moment generating function", (
            sp.Eq(written, Expect(sp.exp(sp.Add(*(ti * c for ti, c in zip(t, shown))))), evaluate=False),
            sp.Eq(written, mgf, evaluate=False), sp.Eq(written, sp.exp(exponent), evaluate=False)),
             "$t^\\top x \\sim \\mathcal{N}(t^\\top\\mu, t^\\top\\Sigma t)$ (a linear function of a Gaussian vector), "
             "and $\\mathbb{E}[e^{Y}]$ for $Y \\sim \\mathcal{N}(m, s^2)$ is $e^{m + s^2/2}$ (the expectation "
             "operator), at $m = t^\\top\\mu$, $s^2 = t^\\top\\Sigma t$"),
        Step("Moments as derivatives of the MGF", tuple(
            sp.Eq(Expect(monomial(p)), moments[p], evaluate=False) for p, _ in terms),
             "$\\mathbb{E}[x_1^{k_1} \\cdots x_d^{k_d}] = \\partial_{t_1}^{k_1} \\cdots \\partial_{t_d}^{k_d} M(0)$: "
             "differentiating under the expectation brings down one factor $x_i$ per derivative in $t_i$"),
        Step("Linearity of expectation", sp.Eq(Expect(sp.Add(*(c * monomial(p) for p, c in terms))), value,
                                               evaluate=False),
             "the polynomial's coefficients times its monomials' moments"),
    )
    return steps, value
