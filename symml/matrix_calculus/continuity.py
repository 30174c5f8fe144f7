"""Whether a derived matrix expression is continuous although it holds jumps (a gradient through relu and abs).

A gradient taken through abs or relu holds the entrywise jumps sign(U) and step(U) (Heaviside). Such a jump does
no harm when every occurrence of it is multiplied entrywise by a factor that vanishes where it jumps: the Huber
loss ½‖r‖² − ½‖relu(|r| − δ)‖² has the gradient Xᵀ(r − relu(|r| − δ𝟏) ⊙ sign(r)), and relu(|0| − δ) = 0 for
δ > 0, so the loss is once continuously differentiable (C¹) and quasi-Newton methods apply. The factor is read
entrywise: the jump's argument U becomes one entry u, and the factor's entry at u = 0 must be 0.

>>> import symml, sympy as sp
>>> n, d = symml.dims("n d")
>>> X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
>>> continuous(symml.derive.gradient(symml.losses.huber(X, w, y, sp.Symbol("delta", positive=True)), w).result)
True
>>> continuous(symml.derive.gradient(symml.losses.lasso(X, w, y, sp.Symbol("lambda", positive=True)), w).result)
False
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices.expressions import HadamardProduct

from symml.matrix_calculus.expressions import Elementwise

__all__ = ["continuous"]

_JUMPS = ("sign", "step")


def _jump(node: Any) -> bool:
    return isinstance(node, Elementwise) and node.name in _JUMPS


def _vanishes_where_it_jumps(factor: Any, jump: Elementwise) -> bool:
    """Whether ``factor``'s entries are 0 wherever ``jump``'s argument entry is 0 (decided symbolically: relu read
    as max(t, 0), so relu(|0| − δ) = max(−δ, 0) = 0 for δ > 0)."""
    entry = sp.MatrixSymbol("_u", *jump.arg.shape)
    entrywise = factor.xreplace({jump.arg: entry})
    if entrywise.has(jump.arg):
        return False
    value = entrywise._entry(0, 0).subs(entry[0, 0], 0).rewrite(sp.Max)
    return not value.has(entry) and value.is_zero is True


def continuous(expr: Any) -> bool:
    """Whether ``expr`` is continuous: each entrywise jump (sign, step) in it is a factor of a Hadamard product
    whose other factors vanish where it jumps; scalar jumps (sign, Heaviside of a scalar) are not accepted."""
    if any(isinstance(node, (sp.sign, sp.Heaviside)) for node in sp.preorder_traversal(expr)):
        return False
    jumps = [node for node in sp.preorder_traversal(expr) if _jump(node)]
    covered = 0
    for node in sp.preorder_traversal(expr):
        if isinstance(node, HadamardProduct):
            for jump in filter(_jump, node.args):
                others = [f for f in node.args if f is not jump]
                covered += any(_vanishes_where_it_jumps(f, jump) for f in others)
    return covered == len(jumps)
