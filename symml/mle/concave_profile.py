"""Whether the profile log-likelihood of one unknown is strictly concave for every sample
(:func:`profile_is_concave`), proven symbolically once per model.

With the other parameters profiled out, ℓ_p(t) = ℓ(θ̂(t), t). Where d²ℓ_p/dt² < 0 on the unknown's whole domain for
every sample in the support, ℓ_p has at most one stationary point, and a root of the stationarity equation is the
global maximum of the profile: no multi-start search or second-order check is needed to certify it.

The second derivative keeps sums over the data. Those whose summands are ``w``, ``w g`` and ``w g²`` for one
weight ``w > 0`` and one real ``g`` (at every observation in the support and every parameter value in its
domain) are the moments of ``g`` under the positive weights ``w_i``: ``Σ w = W > 0``, ``Σ w g = W m`` with m real
and ``Σ w g² = W (m² + v)`` with ``v ≥ 0`` (a variance: the Cauchy–Schwarz inequality). After that substitution
SymPy decides the sign from the symbols' assumptions alone (the Weibull shape: ``−n/β² − n v``). Any other sum, a
sign SymPy cannot decide, or the budget spent: not proven (False), and the estimate is checked as before.

>>> from derivations import build
>>> build("mle.weibull_shape").problem.concave_profile
True
>>> build("mle.student_t_location").problem.concave_profile  # several maxima on clustered data
False
"""
from __future__ import annotations

from typing import Mapping, Sequence

import sympy as sp

from symml.budget import within
from symml.errors import BudgetExceededError

__all__ = ["profile_is_concave", "concave_unknown"]

#: CPU seconds for the proof, once per derivation with a numeric unknown (the Weibull shape's: 0.17 s); past them,
#: not proven (every derivation whose log-likelihood is not known concave tries it)
_PROOF_SECONDS = 2.0


def concave_unknown(observation: sp.Symbol, support: sp.Set, unknowns: Sequence[sp.Symbol],
                    stationarity: Sequence[sp.Eq], closed: Mapping[sp.Symbol, sp.Expr],
                    log_likelihood: sp.Expr) -> sp.Symbol | None:
    """The one unknown left once the parameters with a closed form (``closed``) and those a stationarity equation
    ``Eq(theta, expression free of theta)`` gives are profiled out, where the profile log-likelihood is proven
    strictly concave in it (:func:`profile_is_concave`); None otherwise."""
    profiles = {**closed, **{e.lhs: e.rhs for e in stationarity
                             if e.lhs in unknowns and e.lhs not in closed and not sp.sympify(e.rhs).has(e.lhs)}}
    left = [u for u in unknowns if u not in profiles]
    if len(left) == 1 and profile_is_concave(observation, support, left[0], profiles, log_likelihood):
        return left[0]
    return None


def profile_is_concave(observation: sp.Symbol, support: sp.Set, unknown: sp.Symbol,
                       profiles: Mapping[sp.Symbol, sp.Expr], log_likelihood: sp.Expr) -> bool:
    """Whether ``log_likelihood`` (with sums over the sample ``Sum(f(x[i]), (i, 1, n))``) with ``profiles``
    substituted is strictly concave in ``unknown`` for every sample of ``observation`` in ``support`` and every
    value of the parameters their assumptions allow (see the module). False where not proven, within a budget."""
    try:
        return within(_PROOF_SECONDS, "the concavity of the profile log-likelihood", _proven, observation, support,
                      unknown, profiles, log_likelihood)
    except BudgetExceededError:
        return False


def _proven(observation: sp.Symbol, support: sp.Set, unknown: sp.Symbol, profiles: Mapping,
            log_likelihood: sp.Expr) -> bool:
    inside = _inside_support(support)
    if inside is None:
        return False
    second = sp.diff(sp.sympify(log_likelihood).subs(profiles), unknown, 2)
    summands = {total: _summand(total, observation) for total in second.atoms(sp.Sum)}
    if any(summand is None or not summand.has(unknown) for summand in summands.values()):
        return False  # a sum over part of the sample, or of the data alone: its sign is not known here
    moments = _as_moments([s for s in dict.fromkeys(summands.values()) if s is not None], observation, inside)
    if moments is None:
        return False
    sign = sp.simplify(second.xreplace({total: moments[summand] for total, summand in summands.items()}))
    return sign.is_negative is True


def _inside_support(support: sp.Set) -> sp.Dummy | None:
    """A symbol for an observation inside the support: positive on (0, oo) or [0, oo) (where the density at the
    end 0 is a limit), real on the real line; None for another support."""
    if support == sp.Reals:
        return sp.Dummy("x", real=True)
    if isinstance(support, sp.Interval) and support.inf == 0 and support.sup == sp.oo:
        return sp.Dummy("x", positive=True)
    return None


def _summand(total: sp.Sum, observation: sp.Symbol) -> sp.Expr | None:
    """The summand of a sum over the whole sample in the observation's symbol; None for another sum."""
    if len(total.limits) != 1:
        return None
    index, lower, upper = total.limits[0]
    if lower != 1 or not upper.is_Symbol:
        return None
    return total.function.xreplace({e: observation for e in total.function.atoms(sp.Indexed) if e.indices == (index,)})


def _as_moments(summands: list[sp.Expr], observation: sp.Symbol, inside: sp.Dummy) -> dict | None:
    """Each summand as a moment of one real g under one positive weight w (w, w g, w g²), or None."""
    weight = sp.Dummy("W", positive=True)
    mean, variance = sp.Dummy("m", real=True), sp.Dummy("v", nonnegative=True)
    at_observation = {observation: inside}
    for w in summands:
        if w.xreplace(at_observation).is_positive is not True:
            continue
        ratios = {s: sp.simplify(s / w) for s in summands}
        for g in dict.fromkeys(r for r in ratios.values() if r != 1):
            if g.xreplace(at_observation).is_real is not True:
                continue
            moments = {1: weight, g: weight * mean, sp.expand(g**2): weight * (mean**2 + variance)}
            found = {s: next((m for power, m in moments.items() if sp.simplify(r - power) == 0), None)
                     for s, r in ratios.items()}
            if all(m is not None for m in found.values()):
                return found
    return None
