"""One unknown, several kinks at known points: the optimum among the kinks and the stationary points of each piece.

An objective of one unknown whose |u|, max and min have affine arguments with numeric coefficients (a sum of
absolute deviations Σ|x − k_i|, a pinball loss, a hinge plus a quadratic) is smooth between its kink points
p_1 < ... < p_m. On each open interval every kinked node is one of its branches (|u| = ±u, max(a, b) = a or b, read
at a point inside), so the objective is a polynomial there. The optimum of a continuous function that is a
polynomial on each of finitely many intervals is at a kink or at a real root of a piece's derivative inside its
interval, unless a piece runs off to a better value at ±∞ (then there is no optimum). The candidates are few and
exact, so they are compared by value: no convexity is needed. Where the best value is attained along a whole
interval (Σ|x − k_i| over an even number of points), every point of it is optimal; its midpoint is given, the
median's convention, and the derivation says so.

>>> x = sp.Symbol("x", real=True)
>>> from symml.optimize.core import Objective, Outcome
>>> piecewise_regimes_stage(Objective(sp.Abs(x - 1) + sp.Abs(x + 2) + sp.Abs(x - 5), (x,), maximise=False),
...                         Outcome()).solution
{x: 1}
"""
from __future__ import annotations

import sympy as sp

from symml.derivation import Step
from symml.errors import UnboundedError
from symml.optimize.core import Objective, Outcome, hat
from symml.optimize.subgradient import kinks
from symml.probability.case_split import point_inside
from symml.render.printer import latex

__all__ = ["piecewise_regimes_stage"]

#: more kink points than this are left to the other stages (the pieces are solved one by one)
_MOST_KINKS = 40


def piecewise_regimes_stage(objective: Objective, outcome: Outcome) -> Outcome:
    """Settle one unknown of a numeric objective with several kinks at numeric points (see the module docstring)."""
    if len(objective.wrt) != 1 or outcome.solution:
        return outcome
    x = objective.wrt[0]
    f = objective.expr
    found = kinks(f, (x,))
    if not found or f.free_symbols != {x}:
        return outcome  # kinks at symbolic points are the soft threshold's (subgradient.py)
    points = _kink_points(found, x)
    if points is None or len(points) > _MOST_KINKS:
        return outcome
    ends = [-sp.oo, *points, sp.oo]
    pieces = [_piece(f, found, x, point_inside(a, b)) for a, b in zip(ends, ends[1:])]
    if any(p is None for p in pieces):
        return outcome
    sign = 1 if objective.maximise else -1  # compare by sign * value: larger is better
    for piece, end in ((pieces[0], -sp.oo), (pieces[-1], sp.oo)):
        if _tends_to_better(sp.Poly(piece, x), sign, end):
            raise UnboundedError(f"the objective has no {'maximum' if objective.maximise else 'minimum'}: as "
                                 f"{x} -> {end} it is {sp.expand(piece)}, which tends to {sign * sp.oo}")
    candidates = list(points)
    for piece, low, high in zip(pieces, ends, ends[1:]):
        slope = sp.diff(piece, x)
        if slope != 0:
            candidates += [r for r in sp.Poly(slope, x).real_roots() if low < r < high]
    values = {c: f.subs(x, c) for c in candidates}
    best_value = max(values.values(), key=lambda v: sign * v)
    best = sorted(c for c, v in values.items() if v == best_value)
    kind = "maximum" if objective.maximise else "minimum"
    steps = [
        Step("Kinks", tuple(sp.Eq(x, p) for p in points),
             f"the {objective.name} is not differentiable where an absolute value's, max's or min's argument "
             f"changes sign; between these points it is a polynomial in ${latex(x)}$"),
        Step("Pieces", tuple(sp.Eq(sp.Function("f")(x), sp.expand(p)) for p in pieces),
             "the objective on each interval between consecutive kinks, from the left: each kinked term replaced "
             "by the branch it takes there"),
        Step("Candidates", tuple(sp.Eq(sp.Function("f")(c), values[c]) for c in sorted(candidates)),
             f"a continuous objective that is a polynomial on each interval has its {kind} at a kink or where a "
             f"piece's derivative vanishes inside its interval (the outer pieces do not run off to a better value)"),
    ]
    remarks: tuple[str, ...] = ()
    if len(best) == 1:
        estimate = best[0]
    else:  # a flat piece between the first and last best kink
        estimate = (best[0] + best[-1]) / 2
        remarks = (f"Every point of $[{latex(best[0])}, {latex(best[-1])}]$ attains the {kind} "
                   f"${latex(best_value)}$; its midpoint is given (the median's convention).",)
    steps.append(Step("Optimum", (sp.Eq(hat(x), estimate),),
                      f"the candidate with the {'largest' if objective.maximise else 'smallest'} value"))
    return outcome.settle({x: estimate}, steps, remarks)


def _tends_to_better(piece: sp.Poly, sign: int, end: sp.Expr) -> bool:
    """Whether sign · piece → +∞ at ``end`` (±∞), read off the leading term (a polynomial: no limit to compute)."""
    degree = piece.degree()
    if degree < 1:
        return False
    return sign * piece.LC() * (1 if end is sp.oo or degree % 2 == 0 else -1) > 0


def _kink_points(found: list[sp.Expr], x: sp.Symbol) -> list[sp.Expr] | None:
    """The sorted distinct points where the kinked nodes' arguments change sign, when every argument (or the
    difference of a max's or min's arguments) is affine in x with numeric coefficients; else None."""
    points: set[sp.Expr] = set()
    for node in found:
        differences = [node.args[0]] if isinstance(node, (sp.Abs, sp.sign)) else [
            a - b for i, a in enumerate(node.args) for b in node.args[i + 1:]]
        for difference in differences:
            difference = sp.expand(difference)
            if difference.free_symbols != {x}:
                return None
            if difference.has(*found):  # min(1, max(0, d)): 1 − max(0, d) is piecewise affine, zero where it crosses
                crossings = sp.solveset(difference, x, sp.Reals)
                if not isinstance(crossings, sp.FiniteSet) or not all(c.is_number for c in crossings):
                    return None
                points.update(crossings)
                continue
            if not difference.is_polynomial(x) or sp.degree(difference, x) != 1:
                return None
            slope = sp.diff(difference, x)
            points.add(-difference.subs(x, 0) / slope)
    return sorted(points)


def _piece(f: sp.Expr, found: list[sp.Expr], x: sp.Symbol, at: sp.Expr) -> sp.Expr | None:
    """``f`` with each kinked node replaced by the branch it takes at ``at`` (inside an interval between kinks),
    when that is a polynomial in x; else None."""
    def branch(node: sp.Expr) -> sp.Expr:
        if isinstance(node, sp.Abs):
            return node.args[0] if node.args[0].subs(x, at) > 0 else -node.args[0]
        if isinstance(node, sp.sign):
            return sp.sign(node.args[0].subs(x, at))
        pick = max if isinstance(node, sp.Max) else min
        return pick(node.args, key=lambda a: a.subs(x, at))

    piece = f
    for _ in range(len(found) + 1):  # a nested node's branch may hold an inner one (min(1, max(0, d)) -> max(0, d))
        inside = [node for node in piece.atoms(sp.Abs, sp.sign, sp.Max, sp.Min) if node in found or node.has(x)]
        if not inside:
            break
        piece = piece.xreplace({node: branch(node) for node in inside})
    piece = sp.expand(piece)
    return piece if piece.is_polynomial(x) else None
