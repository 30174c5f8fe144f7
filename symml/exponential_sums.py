"""Sums of exponentials shifted by their largest exponent, so that NumPy's numbers stay finite.

Σₖ cₖ e^{uₖ} = e^{m} Σₖ cₖ e^{uₖ − m}, m = max uₖ; a positive constant c is c·e⁰. The e^{m} then meets the
numerator's exponentials in one exp (e^{a − m}, not e^{a}·e^{−m} = inf·0) and leaves a log as m + log Σ: a softmax
e^a/(e^a + e^b) at a = 1000 was inf/inf, the Bernoulli's Fisher information in its logit e^θ/(e^{2θ} + 2e^θ + 1)
nan at θ = 800. 1 + e^u alone is left to the softplus and sigmoid rules that read it.

>>> import sympy as sp
>>> a, b = sp.symbols("a b", real=True)
>>> with_shifted_exponential_sums(sp.exp(a) / (sp.exp(a) + sp.exp(b)))
exp(a - Max(a, b))/(exp(a - Max(a, b)) + exp(b - Max(a, b)))
"""
from __future__ import annotations

import sympy as sp

__all__ = ["with_shifted_exponential_sums", "with_shifted_exponential_quotients"]


def _exponential_terms(node: sp.Basic, least: int = 2) -> list[tuple[sp.Expr, sp.Expr]] | None:
    """[(cₖ, uₖ)] of a sum Σₖ cₖ e^{uₖ} holding at least ``least`` exponentials, else None. A coefficient is a
    positive number, or an expression free of exponentials that is not known negative: a mixture's weights π and
    1 − π (π ∈ (0, 1) is no SymPy assumption) times its densities' constants, π e^{−(x − μ₁)²/2}/√(2π) +
    (1 − π) e^{−(x − μ₂)²/2}/√(2π), whose every term underflows at x = 60 (0/0 in a responsibility)."""
    if not isinstance(node, sp.Add):
        return None
    terms = []
    for term in node.args:
        coefficient, factor = term.as_coeff_Mul()
        weight, exponentials = _weight_and_exponentials(factor)
        if isinstance(factor, sp.exp) and coefficient.is_positive:
            terms.append((coefficient, factor.args[0]))
        elif len(exponentials) == 1 and coefficient.is_positive and weight.is_negative is not True \
                and (weight.is_positive or weight.free_symbols) and not weight.has(sp.exp):
            terms.append((coefficient * weight, exponentials[0].args[0]))
        elif term.is_number and term.is_positive:
            terms.append((term, sp.S.Zero))
        else:
            return None
    return terms if sum(1 for _, exponent in terms if exponent != 0) >= least else None


def _weight_and_exponentials(factor: sp.Expr) -> tuple[sp.Expr, list]:
    """(the product of the factors that are not exponentials, the exponentials) of one term."""
    factors = sp.Mul.make_args(factor)
    exponentials = [f for f in factors if isinstance(f, sp.exp)]
    return sp.Mul(*(f for f in factors if not isinstance(f, sp.exp))), exponentials


def _shifted_by_largest(node: sp.Add) -> sp.Expr:
    terms = _exponential_terms(node) or []
    largest = sp.Max(*(exponent for _, exponent in terms))
    return sp.exp(largest) * sp.Add(*(c * sp.exp(exponent - largest) for c, exponent in terms))


def _log_of_exp_factors(node: sp.log) -> sp.Expr:
    """log(exp(m) S) = m + log S: the log-sum-exp of the shifted sum."""
    exponents = [f.args[0] for f in node.args[0].args if isinstance(f, sp.exp)]
    rest = sp.Mul(*(f for f in node.args[0].args if not isinstance(f, sp.exp)))
    return sp.Add(*exponents) + sp.log(rest) if exponents else node


def _divisor(factor: sp.Expr) -> list[tuple[sp.Expr, sp.Expr]] | None:
    if isinstance(factor, sp.Pow) and factor.exp.is_Integer and factor.exp < 0:
        return _exponential_terms(factor.base, least=1)
    return None


def _is_quotient_of_exponentials(node: sp.Basic) -> bool:
    return isinstance(node, sp.Mul) and sum(1 for f in node.args if _divisor(f)) == 1 and any(
        _divisor(f) is None and f.has(sp.exp) for f in node.args)


def _quotient_shifted(node: sp.Mul) -> sp.Expr:
    """N/Dᵏ, D = Σ cₖ e^{uₖ} positive, N holding exponentials: both multiplied by e^{−km}, m = max uₖ, N's terms
    each taking its share (e^{a − km}, not e^{a}·e^{−km} = inf·0): tanh written out, (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ), was
    inf/inf at x = 800, e^{2x}/(e^{2x} + 1) too (a single exponential beside 1)."""
    divisor = next(f for f in node.args if _divisor(f))
    terms = _divisor(divisor) or []
    largest = sp.Max(*(exponent for _, exponent in terms))
    shifted = sp.Add(*(c * sp.exp(exponent - largest) for c, exponent in terms)) ** divisor.exp
    numerator = sp.expand_mul(sp.Mul(*(f for f in node.args if f is not divisor)))
    return shifted * sp.Add(*(sp.powsimp(t * sp.exp(divisor.exp * largest), combine="exp")
                              for t in sp.Add.make_args(numerator)))


def with_shifted_exponential_quotients(expr: sp.Expr) -> sp.Expr:
    """``expr`` with each quotient of exponentials by a positive sum of them shifted (:func:`_quotient_shifted`)."""
    return expr.replace(_is_quotient_of_exponentials, _quotient_shifted) if expr.has(sp.exp) else expr


def _unshifted(node: sp.Basic) -> bool:
    """A sum of exponentials not shifted yet (a shifted quotient's exponents share the Max taken off)."""
    terms = _exponential_terms(node)
    return terms is not None and not set.intersection(*(set(u.atoms(sp.Max)) for _, u in terms))


def with_shifted_exponential_sums(expr: sp.Expr) -> sp.Expr:
    """``expr`` with each sum of exponentials shifted by its largest exponent (unchanged when there is none)."""
    if not any(_unshifted(node) for node in sp.preorder_traversal(expr)):
        return expr
    # the shifted sums' exp(m) then meet the numerator's exp(a): exp(a − m), not exp(a)·exp(−m) = inf·0
    shifted = sp.powsimp(expr.replace(_unshifted, _shifted_by_largest), deep=True, combine="exp")
    return shifted.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.Mul), _log_of_exp_factors)
