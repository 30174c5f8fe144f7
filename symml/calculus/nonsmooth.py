"""What the derivative means where the function is not smooth: kinks located, one-sided derivatives compared.

For every non-smooth node the rules met (``Abs``, ``Max``/``Min`` as cases, ``Piecewise``, ``sign``,
``Heaviside``), the boundary is solved for the variable (under a budget) and the one-sided derivatives there
are compared: equal ones mean the function is differentiable there (Huber at ``|r| = δ``); different ones
are a kink, whose subdifferential (for a convex function) is the interval between them (hinge at ``yz = 1``).

>>> import sympy as sp
>>> from symml.calculus.rules import RuleWalk
>>> x = sp.Symbol("x", real=True)
>>> walk = RuleWalk(x); _ = walk.derivative(sp.Abs(x))
>>> print(kink_remarks(walk)[0])
$|{x}|$ has a kink at $x = 0$: the derivative there is taken as $\\operatorname{sign}{\\left(0 \\right)} = 0$, a subgradient; the subdifferential there is the interval $[-1, 1]$.
"""
from __future__ import annotations

import sympy as sp

from symml.budget import within
from symml.calculus.rules import RuleWalk
from symml.errors import BudgetExceededError
from symml.render.printer import latex

__all__ = ["kink_remarks", "joins_smoothly", "kink_in_region"]

_SOLVE_SECONDS = 2.0


def _where(equation: sp.Expr, x: sp.Symbol) -> list[sp.Expr] | None:
    """The real solutions x of equation = 0, or None when they cannot be found within the budget."""
    try:
        found = within(_SOLVE_SECONDS, "locating a kink", sp.solve, equation, x)
    except (BudgetExceededError, NotImplementedError):
        return None
    return [p for p in found if p.is_real is not False]


def _same(a: sp.Expr, b: sp.Expr) -> bool:
    try:
        return bool(within(_SOLVE_SECONDS, "comparing one-sided derivatives", sp.simplify, a - b) == 0)
    except BudgetExceededError:
        return False


def _kink_points(node: sp.Abs, region: sp.Basic, x: sp.Symbol) -> list[sp.Expr] | None:
    """The points x where |u| has its kink (u = 0) that may lie in ``region``, or None when u = 0 is not solved."""
    points = _where(node.args[0], x)
    return None if points is None else [p for p in points if region.subs(x, p) is not sp.false]


def kink_in_region(node: sp.Abs, region: sp.Basic, x: sp.Symbol) -> bool:
    """Whether |u|'s kink (u = 0, solved for x) may lie in ``region``: False only when every solution is shown to
    be outside it (|r| − 1/2 used where |r| > 1, as Huber's linear case is)."""
    return _kink_points(node, region, x) != []


def joins_smoothly(node: sp.Piecewise, x: sp.Symbol) -> bool:
    """Whether neighbouring cases of ``node`` meet with equal values and equal first derivatives in x at every point
    where a case's condition changes, decided symbolically (Huber's quadratic and linear cases at |r| = δ); False
    when a boundary is not solved or a comparison is not decided.

    >>> r = sp.Symbol("r", real=True)
    >>> joins_smoothly(sp.Piecewise((r**2/2, sp.Abs(r) <= 1), (sp.Abs(r) - sp.Rational(1, 2), True)), r)
    True
    >>> joins_smoothly(sp.Piecewise((0, r <= 0), (r, True)), r)
    False
    """
    for (piece, condition), (neighbour, _) in zip(node.args, node.args[1:]):
        for relation in condition.atoms(sp.core.relational.Relational):
            points = _where(relation.lhs - relation.rhs, x)
            if points is None:
                return False
            for order in (0, 1):
                left, right = sp.diff(piece, x, order), sp.diff(neighbour, x, order)
                if not all(_same(left.subs(x, p), right.subs(x, p)) for p in points):
                    return False
    return True


def _abs_remark(node: sp.Expr, region: sp.Basic, walk: RuleWalk) -> str | None:
    inner = node.args[0]
    d_inner = walk.derivative(inner)
    points = _kink_points(node, region, walk.x)
    if points == []:
        return None  # the kink lies outside the case where this node is used
    at = " or ".join(f"${latex(walk.x)} = {latex(p)}$" for p in points) if points else f"${latex(inner)} = 0$"
    interval = f"[-{latex(sp.Abs(d_inner))}, {latex(sp.Abs(d_inner))}]" if d_inner != 1 else "[-1, 1]"
    return (f"${latex(node)}$ has a kink at {at}: the derivative there is taken as $\\operatorname{{sign}}{{\\left(0 "
            f"\\right)}} = 0$, a subgradient; the subdifferential there is the interval ${interval}$.")


def _jump_remark(node: sp.Expr, walk: RuleWalk) -> str:
    return (f"${latex(node)}$ jumps where ${latex(node.args[0])} = 0$: its derivative is 0 on either side and does not "
            "exist at the jump.")


def _piecewise_remarks(node: sp.Piecewise, walk: RuleWalk) -> list[str]:
    remarks = []
    x = walk.x
    for (piece, condition), (neighbour, _) in zip(node.args, node.args[1:]):
        left, right = walk.derivative(piece), walk.derivative(neighbour)
        for relation in condition.atoms(sp.core.relational.Relational):
            boundary = relation.lhs - relation.rhs
            points = _where(boundary, x)
            if points is None or not points:
                remarks.append(f"The cases meet where ${latex(relation.lhs)} = {latex(relation.rhs)}$; the one-sided "
                               f"derivatives there are ${latex(left)}$ and ${latex(right)}$.")
                continue
            for point in points:
                a, b = left.subs(x, point), right.subs(x, point)
                where = f"${latex(x)} = {latex(point)}$"
                if _same(a, b):
                    remarks.append(f"At {where} the one-sided derivatives agree (both ${latex(sp.simplify(a))}$): "
                                   "the function is differentiable there.")
                else:
                    remarks.append(
                        f"At {where} the function has a kink: the one-sided derivatives are ${latex(a)}$ and "
                        f"${latex(b)}$; for a convex function the subdifferential there is the interval between "
                        "them, and the result takes the value of the case whose condition holds at the boundary "
                        "(one of them, a subgradient).")
    return remarks


def kink_remarks(walk: RuleWalk) -> list[str]:
    """One remark per kink, jump or case boundary the walk met, saying what the derivative is there."""
    remarks: list[str] = []
    for node, region in walk.kinks:
        if isinstance(node, sp.Abs):
            remark = _abs_remark(node, region, walk)
            remarks.extend([remark] if remark else [])
        elif isinstance(node, (sp.sign, sp.Heaviside)):
            remarks.append(_jump_remark(node, walk))
        elif isinstance(node, sp.Piecewise):
            remarks.extend(_piecewise_remarks(node, walk))
    return list(dict.fromkeys(remarks))
