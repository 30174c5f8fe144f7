r"""A probability of events set equal to a formula states the model; it is not a step to check.

``P(y = 1 \mid x) = \sigma(w^\top x)``, ``\prod_i P(y_i \mid x_i) = \prod_i \sigma_i^{y_i} (1 - \sigma_i)^{1 - y_i}``,
``P(Z_i = k \mid x_i) = \pi_k N(x_i; \mu_k, \sigma_k^2) / \sum_j \ldots``: the probabilities of events are opaque
(:mod:`symml.checker.events`), so such an equation holds only for the model the notes have in mind. It is what the
notes assume (a given, like ``y_i \sim \mathcal{N}(\mu, \sigma^2)``), and the chain goes on from the formula. An
equation with probabilities on both sides (Bayes' rule, the product rule, a Markov property), or with functions the
notes define on the other (the forward variables of an HMM, ``\sum_i \alpha_T(i)``), is still checked.

>>> import sympy as sp
>>> x, w = sp.symbols("x w", real=True)
>>> probability = sp.Function("P[x,y]", positive=True)(x, 1) / sp.Function("P[x]", positive=True)(x)
>>> states_the_model(probability, 1 / (1 + sp.exp(-w * x)))
True
>>> states_the_model(probability, sp.Function("P[x]", positive=True)(x))
False
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

__all__ = ["states_the_model", "MODEL_NOTE"]

MODEL_NOTE = ("the model: a probability of events given by a formula of its parameters, stated by the notes, not a "
              "step symml can check")
#: The joint probability functions of events (``P[X,Z]``, ``P_θ[X_]``), as :func:`symml.checker.events.joint` names them.
_JOINT = re.compile(r"P(?:_θ)?\[")


def _probabilities(expr: Any) -> set[AppliedUndef]:
    if not isinstance(expr, sp.Basic):
        return set()
    return {f for f in expr.atoms(AppliedUndef) if _JOINT.match(str(f.func))}


def states_the_model(left: Any, right: Any) -> bool:
    """Whether ``left = right`` equates a probability of events with a formula free of probabilities and of other
    undefined functions (either way round); the probability side may hold only probabilities, numbers, sums and
    products of them."""
    for probability, formula in ((left, right), (right, left)):
        if not isinstance(probability, sp.Basic) or not isinstance(formula, sp.Basic) or formula.atoms(AppliedUndef):
            continue  # a formula with probabilities or functions the notes define (alpha_T(i)) may be derived
        found = _probabilities(probability)
        if found and not (probability.xreplace({f: sp.Integer(1) for f in found}).free_symbols
                          - _bound(probability)):
            return True
    return False


def _bound(expr: sp.Basic) -> set[Any]:
    """The symbols of the limits of the sums and products in ``expr`` (their indices and bounds)."""
    return {s for operator in expr.atoms(sp.Sum, sp.Product) for limit in operator.limits
            for part in limit for s in part.free_symbols}
