"""Entropy, cross-entropy and KL divergence, derived as expectations of log-densities (never looked up).

.. math:: H(p) = -E_p[\\log p(X)], \\qquad H(p, q) = -E_p[\\log q(X)], \\qquad
          \\mathrm{KL}(p \\,\\|\\, q) = E_p[\\log p(X) - \\log q(X)]

(Cover & Thomas, *Elements of Information Theory*, 2.3 and 8.5.) Each log-density is expanded into terms
c(θ) h(x); the expectation operator (:mod:`symml.probability.expectation`) finds E_p[h] for each. Before any
integral, the supports are compared: where p is positive and q is zero, log q = −∞ on a set of positive
p-probability, so the cross-entropy and the KL divergence are infinite, and the derivation gives that reason.
A discrete p against a continuous q (or the reverse) is infinite for the same reason (neither is absolutely
continuous with respect to the other). When a term has no closed form, the derivation says so and ``numpy()``
integrates it numerically.

>>> import sympy as sp, sympy.stats as st
>>> r1, r2 = sp.symbols("r1 r2", positive=True)
>>> derive_kl(st.Exponential("P", r1), st.Exponential("Q", r2)).result
log(r1) - log(r2) - 1 + r2/r1
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.budget import DERIVATION_SECONDS, INTEGRATE_SECONDS, SharedBudget
from symml.derivation import Derivation, Step
from symml.probability.expectation import Expect, defining_integral, expect, support_bounds, checked_variables
from symml.probability.law import Law, as_law
from symml.probability.notation import Shown
from symml.probability.problem import ProbabilityProblem
from symml.render.printer import latex

__all__ = ["derive_entropy", "derive_cross_entropy", "derive_kl", "support_verdict"]


def support_verdict(p: Law, q: Law) -> tuple[bool | None, str]:
    """Whether p's support lies inside q's (None: it depends on the parameters), and the sentence saying why."""
    if p.discrete != q.discrete:
        kinds = ("discrete", "continuous") if p.discrete else ("continuous", "discrete")
        return False, (f"p is {kinds[0]} and q is {kinds[1]}: p is not absolutely continuous with respect to q, "
                       "so log q is −∞ where p puts its mass")
    inside = p.support.is_subset(q.support)
    if inside is False:
        outside = sp.Complement(p.support, q.support)
        return False, (f"p is positive on ${latex(outside)}$, where q is zero: $\\log q = -\\infty$ on a set of positive "
                       "p-probability")
    if inside is None:
        return None, (f"finite only where ${latex(p.support)} \\subseteq {latex(q.support)}$; the derivation assumes "
                      "it (otherwise the divergence is infinite)")
    return True, ""


def _q_in_p_variable(p: Law, q: Law) -> sp.Expr:
    """log q written in p's variable (both laws describe the same observation)."""
    return q.log_density.xreplace({q.variable: p.variable})


def _derive(title: str, name: Shown, p: Law, g: sp.Expr, reference: sp.Expr, definition: sp.Expr,
            first: list[Step], remarks: list[str], seconds: float, parameters: tuple[sp.Symbol, ...],
            bounds: tuple = ()) -> Derivation:
    # the terms of the expectation share one budget, DERIVATION_SECONDS
    found = SharedBudget(DERIVATION_SECONDS).run(expect, p, g, seconds)
    steps = [*first, Step("Definition", sp.Eq(name, definition, evaluate=False)), *found.steps,
             Step("Result", sp.Eq(name, found.value, evaluate=False))]
    said = [*remarks, *found.remarks]
    if not found.closed:
        said.append("No closed form: the terms above that remain integrals or sums are evaluated numerically by "
                    "numpy() (scipy.integrate.quad, or partial sums).")
    problem = ProbabilityProblem(title, {"value": found.value}, {"value": reference}, "scalar", parameters,
                                 bounds or support_bounds(p), checked_variables(p))
    return Derivation(problem, tuple(steps), found.value, (sp.Eq(name, found.value, evaluate=False),),
                      remarks=tuple(dict.fromkeys(said)))


def derive_entropy(source: Any, seconds: float = INTEGRATE_SECONDS) -> Derivation:
    """The (differential) entropy H(p) = −E_p[log p(X)] of a sympy.stats random variable or a Model.

    Returns:
        A Derivation whose ``result`` is H(p); ``numpy()`` takes the parameters by name.

    >>> import sympy as sp, sympy.stats as st
    >>> rate = sp.Symbol("rate", positive=True)
    >>> derive_entropy(st.Exponential("X", rate)).result
    1 - log(rate)
    """
    from symml.probability.gaussian_kl import derive_gaussian_kl, is_multivariate_normal

    if is_multivariate_normal(source):  # at matrix level, for a symbolic dimension d
        return derive_gaussian_kl(source, kind="entropy")
    from symml.probability.multivariate_entropy import is_multivariate, multivariate_entropy

    if is_multivariate(source):  # a Dirichlet: E[log Xᵢ] from the zero-mean score
        return multivariate_entropy(source)
    p = as_law(source)
    x = p.variable
    name = Shown("H(p)", r"\mathrm{H}\left(p\right)")
    return _derive(f"Entropy of {p.name}", name, p, -p.log_density, defining_integral(p, -p.log_density),
                   Expect(-sp.log(sp.Function("p")(x))), [], [], seconds, p.parameters)


def derive_cross_entropy(p_source: Any, q_source: Any, seconds: float = INTEGRATE_SECONDS) -> Derivation:
    """The cross-entropy H(p, q) = −E_p[log q(X)]; infinite (with the reason) where q vanishes on p's support;
    multivariate normals at matrix level."""
    from symml.probability.gaussian_kl import derive_gaussian_kl, is_multivariate_normal

    if is_multivariate_normal(p_source) or is_multivariate_normal(q_source):
        return derive_gaussian_kl(p_source, q_source, kind="cross_entropy")
    p, q = as_law(p_source), as_law(q_source)
    name = Shown("H(p, q)", r"\mathrm{H}\left(p, q\right)")
    title = f"Cross-entropy of {q.name} under {p.name}"
    return _pair(title, name, p, q, -_q_in_p_variable(p, q),
                 Expect(-sp.log(sp.Function("q")(p.variable))), seconds)


def derive_kl(p_source: Any, q_source: Any, seconds: float = INTEGRATE_SECONDS) -> Derivation:
    """KL(p ‖ q) = E_p[log p(X) − log q(X)], derived term by term; infinite (with the reason) where q vanishes
    on p's support; multivariate normals at matrix level (:mod:`symml.probability.gaussian_kl`).

    Args:
        p_source, q_source: sympy.stats random variables or Models of the same observation.
        seconds: the budget of each integral or sum (together they share ``symml.budget.DERIVATION_SECONDS``).

    Returns:
        A Derivation whose ``result`` is the divergence (``oo`` when infinite); ``numpy()`` takes the parameters
        of both laws by name.
    """
    from symml.probability.gaussian_kl import derive_gaussian_kl, is_multivariate_normal

    from symml.probability.multivariate_entropy import is_multivariate, multivariate_entropy

    if is_multivariate_normal(p_source) or is_multivariate_normal(q_source):
        return derive_gaussian_kl(p_source, q_source)
    if is_multivariate(p_source) and is_multivariate(q_source):  # two Dirichlets: E_p[log Xᵢ] from the zero-mean score
        return multivariate_entropy(p_source, q_source)
    p, q = as_law(p_source), as_law(q_source)
    x = p.variable
    name = Shown("KL(p ‖ q)", r"\mathrm{KL}\left(p \,\|\, q\right)")
    title = f"KL divergence of {q.name} from {p.name}"
    log_ratio = p.log_density - _q_in_p_variable(p, q)
    return _pair(title, name, p, q, log_ratio,
                 Expect(sp.log(sp.Function("p")(x)) - sp.log(sp.Function("q")(x))), seconds)


def _pair(title: str, name: Shown, p: Law, q: Law, g: sp.Expr, definition: sp.Expr, seconds: float) -> Derivation:
    inside, reason = support_verdict(p, q)
    parameters = tuple(dict.fromkeys(p.parameters + q.parameters))
    supports = Step("Compare the supports", (sp.Eq(sp.Symbol("supp p"), p.support, evaluate=False),
                                             sp.Eq(sp.Symbol("supp q"), q.support, evaluate=False)), reason)
    if inside is False:
        problem = ProbabilityProblem(title, {"value": sp.oo}, {"value": sp.oo}, "scalar", parameters)
        return Derivation(problem, (supports, Step("Result", sp.Eq(name, sp.oo, evaluate=False), reason)), sp.oo,
                          (sp.Eq(name, sp.oo, evaluate=False),), remarks=(f"Infinite: {reason}.",))
    remarks = [f"The supports: {reason}."] if inside is None else []
    return _derive(title, name, p, g, defining_integral(p, g), definition, [supports], remarks, seconds, parameters,
                   support_bounds(p) + support_bounds(q))
