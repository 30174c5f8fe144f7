"""A 1 x 1 matrix expression that SymPy has already written out entry by entry, read back at matrix level.

Users take the scalar of a 1 x 1 product the way SymPy suggests, ``((X*w - y).T*(X*w - y))[0, 0]``; SymPy answers
with sums over the entries (``Sum(X[i, j]*w[j, 0], (j, 0, d - 1))``), which the matrix-calculus rules cannot
differentiate. With symbolic sizes those sums are index notation, and the index-notation reader
(:func:`symml.calculus.indexed.to_matrix`) turns them back into the matrix expression, so the derivation stays
at matrix level. With numeric sizes SymPy writes every term out (d terms for d = 3000), and nothing general
recovers the product; nor where SymPy merged the sums into one contraction the reader cannot split. Then the
user is told to pass the 1 x 1 expression itself.

>>> import sympy as sp
>>> n, d = sp.symbols("n d", integer=True, positive=True)
>>> X, w = sp.MatrixSymbol("X", n, d), sp.MatrixSymbol("w", d, 1)
>>> y = sp.MatrixSymbol("y", n, 1)
>>> matrix_form_of_entries(((X*w - y).T*(X*w - y))[0, 0])[0]
(w.T*X.T - y.T)*(X*w - y)
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement

from symml.errors import ShapeError, UnsupportedOperationError

__all__ = ["matrix_form_of_entries"]


_PASS_THE_PRODUCT = "Pass the 1 x 1 matrix expression itself (without [0, 0]), so it is differentiated at matrix level"


def _as_indexed(element: MatrixElement) -> sp.Indexed:
    base = sp.IndexedBase(element.parent.name)
    return base[element.i] if element.parent.shape[1] == 1 else base[element.i, element.j]


def matrix_form_of_entries(expr: Any) -> tuple[Any, str | None]:
    """(the expression at matrix level, a sentence saying it was read back) — or (expr, None) when it holds no
    written-out entries of a matrix symbol. Block matrices are multiplied out first (:mod:`.block_products`)."""
    from symml.matrix_calculus.block_products import blocks_multiplied

    multiplied, said = blocks_multiplied(expr)
    if said is not None:
        return multiplied, said
    if not isinstance(expr, sp.Basic) or isinstance(expr, sp.MatrixExpr) or not expr.has(MatrixElement):
        return expr, None
    # an entry of S⁻¹ (a Mahalanobis form typed with [0, 0]) is read as an entry of a stand-in symbol, put back after
    stand_ins = {parent: sp.MatrixSymbol(f"_entries_of{k}", *parent.shape) for k, parent in enumerate(sorted(
        {e.parent for e in expr.atoms(MatrixElement)} - set(expr.atoms(sp.MatrixSymbol)), key=sp.default_sort_key))}
    if not all(isinstance(parent, sp.MatrixExpr) for parent in stand_ins):
        return expr, None
    read = expr.xreplace(stand_ins)  # expr itself is what a caller gets back when it cannot be read
    parents = {element.parent for element in read.atoms(MatrixElement)}  # matrix symbols, the stand-ins among them
    if not expr.has(sp.Sum):
        names = ", ".join(sorted(str(element) for element in expr.atoms(MatrixElement))[:3])
        raise ShapeError(f"the function is written through single entries ({names}, ...): SymPy writes M[0, 0] of a "
                         f"1 x 1 product term by term when the sizes are numbers. {_PASS_THE_PRODUCT}")
    from symml.calculus.indexed import to_matrix

    try:
        matrix_form, symbols, rules = to_matrix(read.replace(lambda e: isinstance(e, MatrixElement), _as_indexed))
    except (UnsupportedOperationError, ShapeError) as unreadable:
        raise ShapeError(f"SymPy wrote the function as sums over matrix entries, which symml cannot read back at "
                         f"matrix level ({unreadable}). {_PASS_THE_PRODUCT}") from None
    renamed = {symbols[parent.name]: parent for parent in parents if parent.name in symbols}
    if any(symbol.shape != parent.shape for symbol, parent in renamed.items()):
        return expr, None
    back = {stand_in: parent for parent, stand_in in stand_ins.items()}
    found = matrix_form.xreplace(renamed).xreplace(back)
    return found, (
        "SymPy wrote the 1 x 1 entry [0, 0] as sums over matrix entries; they were read back as the matrix "
        f"expression {sp.sstr(found)} (" + "; ".join(rules)
        + ") and differentiated at matrix level."
    )
