r"""A divergence between two laws written without their variable: ``\mathrm{KL}(\mathcal{N}(\mu_1, \sigma_1^2)
\,\|\, \mathcal{N}(\mu_2, \sigma_2^2))``, as textbooks and students write it.

Each law is read as its density at one variable that the divergence binds (so it never shows in a
counterexample), and the divergence is the expectation of ``\log q - \log p`` under q. For two normal laws that
difference is a quadratic in the variable, and its expectation follows from q's first two moments, which are read
off q's own log-density (the mean and variance of ``-(x - m)^2 / (2 v) + c``): no formula for the KL is looked up.
Otherwise the divergence is the integral of ``q (\log q - \log p)`` over the line, which the decider evaluates
like any other. Only laws on the whole line (the normal family) are read so; for the others the reader's message
stays.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["LAW_VARIABLE", "divergence_of_laws"]

#: The variable of a law written without one, bound by the divergence around it.
LAW_VARIABLE = sp.Dummy("x", real=True)


def divergence_of_laws(first: Any, second: Any) -> Any:
    """KL(first || second) of two densities of :data:`LAW_VARIABLE`, or None when they are not such densities."""
    if not all(isinstance(law, sp.Expr) and LAW_VARIABLE in law.free_symbols for law in (first, second)):
        return None
    difference = sp.expand(sp.expand_log(sp.log(first) - sp.log(second), force=True))
    moments = _first_two_moments(first)
    if moments is not None and difference.is_polynomial(LAW_VARIABLE):
        terms = sp.Poly(difference, LAW_VARIABLE)
        if terms.degree() <= 2:
            return sp.Add(*(coefficient * moments[power] for (power,), coefficient in terms.terms()))
    return sp.Integral(first * (sp.log(first) - sp.log(second)), (LAW_VARIABLE, -sp.oo, sp.oo))


def _first_two_moments(density: Any) -> tuple[Any, Any, Any] | None:
    """``(1, E[x], E[x^2])`` under a normal density of :data:`LAW_VARIABLE`, from its log-density's quadratic."""
    log_density = sp.expand(sp.expand_log(sp.log(density), force=True))
    if not log_density.is_polynomial(LAW_VARIABLE):
        return None
    terms = sp.Poly(log_density, LAW_VARIABLE)
    if terms.degree() != 2:
        return None
    variance = -1 / (2 * terms.coeff_monomial(LAW_VARIABLE ** 2))
    mean = sp.simplify(terms.coeff_monomial(LAW_VARIABLE) * variance)
    return sp.Integer(1), mean, mean ** 2 + variance
