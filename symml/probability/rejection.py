"""Rejection sampling: the envelope constant M = sup_x p(x)/q(x) and the acceptance rate 1/M, derived.

Draw x ~ q and accept it with probability p(x)/(M q(x)); the accepted draws follow p and a proposal is accepted
with probability ∫ q · p/(Mq) = 1/M (Robert & Casella, *Monte Carlo Statistical Methods*, 2.3). M is found by
maximising r(x) = log p(x) − log q(x): its stationary points inside the support and its limits at the
support's ends. A limit of +∞ (q's tails lighter than p's) or a support of p outside q's means no finite M.

>>> import sympy as sp, sympy.stats as st
>>> k, lam = sp.Symbol("k", positive=True), sp.Symbol("lambda", positive=True)
>>> d = derive_rejection_sampling(st.Gamma("X", 3, 1), st.Exponential("X", sp.Rational(1, 2)))
>>> d.result
exp(2)/16
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.budget import SOLVE_SECONDS, within
from symml.derivation import Derivation, Step
from symml.errors import UnsupportedOperationError
from symml.probability.expectation import simplified
from symml.probability.information import support_verdict
from symml.probability.law import as_law
from symml.probability.problem import ProbabilityProblem

__all__ = ["derive_rejection_sampling"]


def derive_rejection_sampling(target: Any, proposal: Any) -> Derivation:
    """The acceptance rate 1/M of rejection sampling from ``target`` p with ``proposal`` q, M = sup p/q.

    Returns:
        A Derivation whose ``result`` is the acceptance rate 1/M (0 when no finite M exists, with the reason);
        ``numpy()`` takes the parameters by name.

    Raises:
        UnsupportedOperationError: the supremum cannot be decided (stationary points not found or not ordered).
    """
    p, q = as_law(target), as_law(proposal)
    x = p.variable
    inside, reason = support_verdict(p, q)
    title = f"Rejection sampling of {p.name} from {q.name}"
    parameters = tuple(dict.fromkeys(p.parameters + q.parameters))
    if inside is False:
        return _no_envelope(title, reason, parameters)
    ratio = sp.expand(p.log_density - q.log_density.xreplace({q.variable: x}))
    signed = p.signed()
    r = ratio.subs(x, signed)
    lower, upper = p.limits
    ends = [sp.limit(r, signed, lower, "+"), sp.limit(r, signed, upper, "-")]
    if sp.oo in ends:
        return _no_envelope(title, "log p − log q → +∞ at an end of the support: the proposal's tails are lighter "
                                   "than the target's", parameters)
    slope = sp.diff(r, signed)
    roots = [c for c in within(SOLVE_SECONDS, "stationary points of log p/q", sp.solve, slope, signed)
             if c.is_real is not False and (lower == -sp.oo or (c - lower).is_positive is not False)
             and (upper == sp.oo or (upper - c).is_positive is not False)]
    assumed = [sp.Gt(c, lower) for c in roots if lower != -sp.oo and (c - lower).is_positive is None] + [
        sp.Lt(c, upper) for c in roots if upper != sp.oo and (upper - c).is_positive is None]
    values = [simplified(r.subs(signed, c)) for c in roots] + [e for e in ends if e.is_finite]
    if not values:
        raise UnsupportedOperationError(f"no stationary point of log p − log q found for {title}")
    best = values[0]
    for value in values[1:]:
        difference = simplified(value - best)
        if difference.is_positive:
            best = value
        elif difference.is_nonpositive is not True:
            raise UnsupportedOperationError(f"cannot decide which stationary point of log p/q is highest: "
                                            f"{best} or {value}")
    envelope = simplified(sp.exp(best))
    rate = simplified(1 / envelope)
    M = sp.Symbol("M")
    steps = (Step("Log ratio", sp.Eq(sp.Function("r")(x), ratio, evaluate=False), "$r = \\log p - \\log q$"),
             Step("Stationary points", tuple(sp.Eq(x, c, evaluate=False) for c in roots) or
                  (sp.Eq(sp.Symbol("r'"), slope, evaluate=False),), "$r'(x) = 0$ inside the support; the ends "
                  "give " + ", ".join(sp.latex(e) for e in ends)),
             Step("Envelope constant", sp.Eq(M, envelope, evaluate=False), "$M = \\exp \\max r$"),
             Step("Acceptance rate", sp.Eq(sp.Symbol("P(accept)"), rate, evaluate=False),
                  "$\\int q \\cdot p/(Mq) = 1/M$"))
    # verify(): ∫ min(q, p/M) is 1/M exactly when p/M ≤ q everywhere, i.e. when M is an envelope
    density_q = sp.exp(q.log_density.xreplace({q.variable: x}))
    reference = sp.Integral(sp.Min(density_q, p.density * rate), (x, lower, upper))
    problem = ProbabilityProblem(title, {"value": rate}, {"value": reference}, "scalar", parameters)
    remarks = ([f"The supports: {reason}."] if inside is None else []) + (
        [f"Valid where ${sp.latex(sp.And(*assumed))}$ (the maximiser must lie inside the support; otherwise the "
         "ratio is unbounded or maximal at an end)."] if assumed else [])
    return Derivation(problem, steps, rate, (sp.Eq(M, envelope, evaluate=False),), remarks=tuple(remarks))


def _no_envelope(title: str, reason: str, parameters: tuple) -> Derivation:
    problem = ProbabilityProblem(title, {"value": sp.S.Zero}, {"value": sp.S.Zero}, "scalar", parameters)
    return Derivation(problem, (Step("No finite envelope", sp.Eq(sp.Symbol("M"), sp.oo, evaluate=False), reason),),
                      sp.S.Zero, (sp.Eq(sp.Symbol("M"), sp.oo, evaluate=False),),
                      remarks=(f"No finite M: {reason}; the acceptance rate is 0.",))
