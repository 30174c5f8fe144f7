"""Block matrices multiplied out block by block, so the rules see the products of the blocks.

Augmented data are typed as block matrices (ESL exercise 3.12: ridge regression is least squares on X stacked over
√λI and y stacked over 0). The matrix-calculus rules treat a block matrix as one opaque matrix, which leaves
[Xᵀ, √λI][X; √λI] unmultiplied in the result, and no NumPy translation takes it. SymPy's ``block_collapse``
multiplies conformable blocks: the stacked residual's squared norm becomes ‖y − Xβ‖² + λβᵀβ.

>>> import sympy as sp
>>> n, d = sp.symbols("n d", integer=True, positive=True)
>>> X, w, y = sp.MatrixSymbol("X", n, d), sp.MatrixSymbol("w", d, 1), sp.MatrixSymbol("y", n, 1)
>>> r = sp.BlockMatrix([[y], [sp.ZeroMatrix(d, 1)]]) - sp.BlockMatrix([[X], [sp.Identity(d)]]) * w
>>> sorted(map(str, blocks_multiplied(r.T * r)[0].args))
['(-w.T*X.T + y.T)*(-X*w + y)', 'w.T*w']
"""
from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["blocks_multiplied"]


def blocks_multiplied(expr: Any) -> tuple[Any, str | None]:
    """(``expr`` with its block matrices multiplied out, a sentence saying so), or (``expr``, None) when it holds
    no block matrix or its blocks do not multiply out into an expression free of block matrices."""
    if not isinstance(expr, sp.Basic) or not expr.has(sp.BlockMatrix):
        return expr, None
    collapsed = sp.block_collapse(expr)
    if collapsed == expr or collapsed.has(sp.BlockMatrix) or collapsed.has(sp.ImmutableMatrix):
        return expr, None
    return collapsed, f"the block matrices were multiplied out block by block: {sp.sstr(collapsed)}"
