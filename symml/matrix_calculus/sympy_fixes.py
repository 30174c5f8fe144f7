"""Four fixes to SymPy 1.14, applied on import: printing a large matrix product no longer rebuilds it, nor asks its
precedence once per factor, the shape of a compound matrix expression is computed once, and a scalar added to a
1 x 1 matrix expression (``symml.sum(relu(S)) - n``, ``w.T @ w + 1``, as users type losses) is c·I₁, and one added
to a vector (``1 + exp(-X w)``) is c on every entry, as NumPy broadcasts it (a TypeError "Mix of Matrix and Scalar
symbols" before); to a matrix of another shape, a ShapeError asks which is meant.

``MatMul`` inherits ``Mul.could_extract_minus_sign``, which starts with ``self == -self``; for a matrix product
``-self`` is ``MatMul(-1, self).doit()``, a deep canonicalisation of the whole product. Both printers ask it of
every product (for precedence), so printing nested products costs a rebuild per level: ``str`` of a 394-character
Hessian took 1.2 s, ``latex`` of a deep one minutes (issue 17). The test guards against ``zoo*x == -zoo*x``; a
matrix product's coefficient is the first argument, and the answer is the same without the rebuild
(``zoo.is_extended_negative`` is None).

A product, sum, Hadamard product or transpose asks its first argument for its shape, which asks its own: a
question about a deep expression walks down to a symbol, and the canonicalisers ask it of every node they build
(the derivation of a k-layer Hessian spent a third of its time there, growing like k²). An expression never
changes, so its shape is kept on it once computed.

The LaTeX printer brackets each factor of a product by the precedence of the whole product, which it computes
again for every factor (a pass over all factors each time): printing a product of m factors took m² steps, and the
Jacobian chains of a k-layer Hessian have O(k) factors each (issue 17). The precedence is kept on the product too.

>>> import sympy as sp
>>> A = sp.MatrixSymbol("A", 2, 2)
>>> (-2 * A * A.T).could_extract_minus_sign(), (A * A.T).could_extract_minus_sign()
(True, False)
"""
from __future__ import annotations

from typing import Any, Callable

import sympy as sp
from sympy.matrices.expressions import HadamardPower, HadamardProduct
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixExpr
from sympy.printing.precedence import PRECEDENCE_FUNCTIONS, precedence_Mul

__all__ = ["apply"]


def _matmul_could_extract_minus_sign(self: sp.MatMul) -> bool:
    coefficient = self.args[0] if self.args else sp.S.One
    return bool(coefficient.is_Number and coefficient.is_extended_negative)


def _kept(compute: Callable[[Any], tuple]) -> property:
    def shape(self: Any) -> tuple:
        try:
            return self.__dict__["_symml_shape"]
        except KeyError:
            self.__dict__["_symml_shape"] = value = compute(self)
            return value

    shape._symml_kept = True  # type: ignore[attr-defined]
    return property(shape)


def _matmul_precedence(product: sp.MatMul) -> int:
    try:
        return product.__dict__["_symml_precedence"]
    except KeyError:
        product.__dict__["_symml_precedence"] = value = precedence_Mul(product)
        return value


def _as_matrix_operand(matrix: Any, other: Any) -> Any:
    """``other`` as c·I₁ when it is a number or scalar expression and ``matrix`` is 1 x 1, as c·1 (every entry c)
    when ``matrix`` is a row or column (``1 + exp(-X w)``, as NumPy broadcasts it), else as it is; a scalar and a
    matrix of any other shape are refused: c·I or c on every entry?"""
    scalar = isinstance(other, (int, float)) or (isinstance(other, sp.Expr) and not isinstance(other, MatrixExpr))
    if not scalar:
        return other
    rows, cols = matrix.shape
    if (rows, cols) == (1, 1):
        return sp.sympify(other) * sp.Identity(1)
    if rows == 1 or cols == 1:
        return sp.sympify(other) * sp.OneMatrix(rows, cols)
    from symml.errors import ShapeError  # only on this rare path: every matrix sum passes through here

    raise ShapeError(f"adding the scalar {other} to the {rows} x {cols} matrix {matrix} is ambiguous: write "
                     f"{other}*Identity({rows}) for {other}·I, or {other}*OneMatrix({rows}, {cols}) for {other} on "
                     "every entry")


def _scalar_operand(operation: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def with_scalars(self: Any, other: Any) -> Any:
        return operation(self, _as_matrix_operand(self, other))

    with_scalars._symml_kept = True  # type: ignore[attr-defined]
    return with_scalars


def apply() -> None:
    """Install the fixes (idempotent)."""
    for name in ("__add__", "__radd__", "__sub__", "__rsub__"):  # a loss typed Σ relu(...) − n, or wᵀw + 1
        if not getattr(getattr(MatrixExpr, name), "_symml_kept", False):
            setattr(MatrixExpr, name, _scalar_operand(getattr(MatrixExpr, name)))
    sp.MatMul.could_extract_minus_sign = _matmul_could_extract_minus_sign
    PRECEDENCE_FUNCTIONS["MatMul"] = _matmul_precedence  # found before "Mul" in the product's method order
    for kind in (sp.MatMul, sp.MatAdd, HadamardProduct, HadamardPower, sp.Transpose, ElementwiseApplyFunction):
        if not getattr(kind.shape.fget, "_symml_kept", False):
            kind.shape = _kept(kind.shape.fget)


apply()
