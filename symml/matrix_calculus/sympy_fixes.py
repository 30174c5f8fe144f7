"""One measured fix to SymPy 1.14, applied on import: printing a large matrix product no longer rebuilds it.

``MatMul`` inherits ``Mul.could_extract_minus_sign``, which starts with ``self == -self``; for a matrix product
``-self`` is ``MatMul(-1, self).doit()``, a deep canonicalisation of the whole product. Both printers ask it of
every product (for precedence), so printing nested products costs a rebuild per level: ``str`` of a 394-character
Hessian took 1.2 s, ``latex`` of a deep one minutes (issue 17). The test guards against ``zoo*x == -zoo*x``; a
matrix product's coefficient is the first argument, and the answer is the same without the rebuild
(``zoo.is_extended_negative`` is None).

>>> import sympy as sp
>>> A = sp.MatrixSymbol("A", 2, 2)
>>> (-2 * A * A.T).could_extract_minus_sign(), (A * A.T).could_extract_minus_sign()
(True, False)
"""
from __future__ import annotations

import sympy as sp

__all__ = ["apply"]


def _matmul_could_extract_minus_sign(self: sp.MatMul) -> bool:
    coefficient = self.args[0] if self.args else sp.S.One
    return bool(coefficient.is_Number and coefficient.is_extended_negative)


def apply() -> None:
    """Install the fix (idempotent)."""
    sp.MatMul.could_extract_minus_sign = _matmul_could_extract_minus_sign


apply()
