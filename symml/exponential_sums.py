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

__all__ = ["with_shifted_exponential_sums"]


def _exponential_terms(node: sp.Basic) -> list[tuple[sp.Expr, sp.Expr]] | None:
    """[(cₖ, uₖ)] of a sum Σₖ cₖ e^{uₖ} with cₖ > 0 holding at least two exponentials, else None."""
    if not isinstance(node, sp.Add):
        return None
    terms = []
    for term in node.args:
        coefficient, factor = term.as_coeff_Mul()
        if isinstance(factor, sp.exp) and coefficient.is_positive:
            terms.append((coefficient, factor.args[0]))
        elif term.is_number and term.is_positive:
            terms.append((term, sp.S.Zero))
        else:
            return None
    return terms if sum(1 for _, exponent in terms if exponent != 0) >= 2 else None


def _shifted_by_largest(node: sp.Add) -> sp.Expr:
    terms = _exponential_terms(node) or []
    largest = sp.Max(*(exponent for _, exponent in terms))
    return sp.exp(largest) * sp.Add(*(c * sp.exp(exponent - largest) for c, exponent in terms))


def _log_of_exp_factors(node: sp.log) -> sp.Expr:
    """log(exp(m) S) = m + log S: the log-sum-exp of the shifted sum."""
    exponents = [f.args[0] for f in node.args[0].args if isinstance(f, sp.exp)]
    rest = sp.Mul(*(f for f in node.args[0].args if not isinstance(f, sp.exp)))
    return sp.Add(*exponents) + sp.log(rest) if exponents else node


def with_shifted_exponential_sums(expr: sp.Expr) -> sp.Expr:
    """``expr`` with each sum of exponentials shifted by its largest exponent (unchanged when there is none)."""
    if not any(_exponential_terms(node) for node in sp.preorder_traversal(expr)):
        return expr
    # the shifted sums' exp(m) then meet the numerator's exp(a): exp(a − m), not exp(a)·exp(−m) = inf·0
    shifted = sp.powsimp(expr.replace(lambda e: _exponential_terms(e) is not None, _shifted_by_largest), deep=True,
                         combine="exp")
    return shifted.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.Mul), _log_of_exp_factors)
