"""A Piecewise objective's branches decided on the feasible set of the unknowns' simple bounds.

The expectation operator writes E[p min(D, q)] of an Exponential demand as p·Piecewise((1 − e^{−q}, q ≥ 0), (q, True))
(Murphy, PML 1, exercise 5.2, the newsvendor); on the feasible set q ≥ 0 its first branch is the objective. A
condition on one unknown whose set contains the unknown's feasible interval is true there, one disjoint from it
false, and the branches that cannot be taken are dropped before the KKT conditions are written: the stationarity
condition is then smooth and solved in closed form.

>>> import sympy as sp
>>> q = sp.Symbol("q", real=True)
>>> decided_on_bounds(sp.Piecewise((1 - sp.exp(-q), q >= 0), (q, True)), (q,), [q >= 0])
1 - exp(-q)
"""
from __future__ import annotations

from typing import Sequence

import sympy as sp


def decided_on_bounds(f: sp.Expr, wrt: Sequence[sp.Symbol], inequalities: Sequence[sp.Rel]) -> sp.Expr:
    """``f`` with each Piecewise condition on one unknown decided on that unknown's feasible interval (the
    intersection of the inequalities that bound it by numbers); conditions it does not decide stay as they are."""
    boxes: dict[sp.Symbol, sp.Set] = {}
    for relation in inequalities:
        unknowns = relation.free_symbols
        if len(unknowns) == 1 and unknowns <= set(wrt):
            (unknown,) = unknowns
            boxes[unknown] = boxes.get(unknown, sp.S.Reals).intersect(_as_set(relation))
    if not boxes or not f.has(sp.Piecewise):
        return f

    def decided(condition: sp.Basic) -> sp.Basic:
        unknowns = condition.free_symbols
        if len(unknowns) != 1 or not unknowns <= set(boxes):
            return condition
        (unknown,) = unknowns
        box, where = boxes[unknown], _as_set(condition)
        if box.is_subset(where):
            return sp.true
        if box.intersect(where) is sp.S.EmptySet:
            return sp.false
        return condition

    def rebuilt(piecewise: sp.Piecewise) -> sp.Expr:
        branches = [(value, decided(condition)) for value, condition in piecewise.args]
        if all(condition is sp.false for _, condition in branches):  # not feasible at all: left to the KKT cases
            return piecewise
        return sp.Piecewise(*branches)

    return f.replace(lambda node: isinstance(node, sp.Piecewise), rebuilt)


def _as_set(relation: sp.Basic) -> sp.Set:
    """The real values of the relation's one unknown where it holds (all the reals when that cannot be read)."""
    try:
        return relation.as_set().intersect(sp.S.Reals)
    except (NotImplementedError, TypeError, ValueError):
        return sp.S.Reals
