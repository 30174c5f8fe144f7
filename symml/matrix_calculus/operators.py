"""The linear operators the engine writes its work with: differentials dW, vec, commutation and diagonal selection.

They are not part of the user's vocabulary; they appear in derivation steps (dW, vec(dW)) and in Jacobians and
Hessians with respect to matrices (K vec(A) = vec(Aᵀ), E v = vec(diag v)). Each evaluates on explicit sizes.

>>> import symml
>>> dw = MatrixDifferential.of(symml.vector("w", 3))
>>> dw.name, dw.shape
('dw', (3, 1))
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from symml.matrix_calculus.expressions import SymmetricMatrixSymbol, _OneArgument

__all__ = ["MatrixDifferential", "SymmetricMatrixDifferential", "Vec", "Commutation", "DiagSelector"]


# One instance per symbol: the engine asks, for every node, whether it depends on dW (remembered per pair of node
# and dW), and a dW made anew per derivation compared with the remembered ones argument by argument.
_DIFFERENTIALS: dict = {}


class MatrixDifferential(sp.MatrixSymbol):
    """The differential dW of a matrix symbol W (a direction of the same shape), printed as d W."""

    @classmethod
    def of(cls, W: sp.MatrixSymbol) -> "MatrixDifferential":
        """dW for W; symmetric when W is (a symmetric matrix moves along symmetric directions)."""
        kind = SymmetricMatrixDifferential if isinstance(W, SymmetricMatrixSymbol) else cls
        key = (kind, "d" + W.name, *W.shape)
        if key not in _DIFFERENTIALS:
            _DIFFERENTIALS[key] = kind("d" + W.name, *W.shape)
        return _DIFFERENTIALS[key]

    @property
    def base(self) -> sp.MatrixSymbol:
        """The symbol W whose differential this is."""
        return sp.MatrixSymbol(self.name[1:], *self.shape)


class SymmetricMatrixDifferential(MatrixDifferential):
    """dSigma of a symmetric Sigma: symmetric itself."""

    def _eval_transpose(self) -> "SymmetricMatrixDifferential":
        return self


class Vec(_OneArgument):
    """vec(A): the columns of A stacked into one column vector of shape (rows * cols, 1)."""

    @property
    def shape(self) -> tuple:
        rows, cols = self.arg.shape
        return (rows * cols, sp.S.One)

    def _entry(self, i: Any, j: Any, **kwargs: Any) -> sp.Expr:
        rows = self.arg.shape[0]
        return self.arg._entry(i % rows, i // rows, **kwargs)

    def doit(self, **hints: Any) -> Any:
        arg = self.arg.doit(**hints) if hints.get("deep", True) else self.arg
        return Vec(arg).as_explicit() if isinstance(arg, sp.MatrixBase) else Vec(arg)


class Commutation(MatrixExpr):
    """The commutation matrix K_(m,n) of shape (mn, mn): K vec(A) = vec(Aᵀ) for A of shape (m, n)."""

    def __new__(cls, m: Any, n: Any) -> "Commutation":
        return super().__new__(cls, sp.sympify(m), sp.sympify(n))

    @property
    def shape(self) -> tuple:
        m, n = self.args
        return (m * n, m * n)

    def _entry(self, i: Any, j: Any, **kwargs: Any) -> sp.Expr:
        m, n = self.args
        return sp.S.One if j == (i // n) + m * (i % n) else sp.S.Zero

    def doit(self, **hints: Any) -> Any:
        return self.as_explicit() if all(a.is_Integer for a in self.args) else self


class DiagSelector(MatrixExpr):
    """E_n of shape (n², n): E v = vec(diag(v)) and Eᵀ vec(A) = diag(A), the columns vec(eᵢ eᵢᵀ)."""

    def __new__(cls, n: Any) -> "DiagSelector":
        return super().__new__(cls, sp.sympify(n))

    @property
    def shape(self) -> tuple:
        return (self.args[0] ** 2, self.args[0])

    def _entry(self, i: Any, j: Any, **kwargs: Any) -> sp.Expr:
        return sp.S.One if i == j * (self.args[0] + 1) else sp.S.Zero


class PowerSum(MatrixExpr):
    """Σ_{r=0}^{k−1} Bʳ M B^(k−1−r) for a square B and a symbolic integer k ≥ 1: the differential of Bᵏ at dB = M.

    It is linear in M, and ⟨C, PowerSum(B, k, M)⟩ = ⟨PowerSum(Bᵀ, k, C), M⟩ (trace cyclicity, term by term).
    """

    def __new__(cls, base: Any, exponent: Any, middle: Any) -> "PowerSum":
        return super().__new__(cls, base, sp.sympify(exponent), middle)

    @property
    def base(self) -> Any:
        return self.args[0]

    @property
    def exponent(self) -> sp.Expr:
        return self.args[1]

    @property
    def middle(self) -> Any:
        return self.args[2]

    @property
    def shape(self) -> tuple:
        return self.middle.shape

    def _eval_transpose(self) -> "PowerSum":
        return PowerSum(self.base.T, self.exponent, self.middle.T)

    def _entry(self, i: Any, j: Any, **kwargs: Any) -> sp.Expr:
        return self.doit()._entry(i, j, **kwargs)

    def doit(self, **hints: Any) -> Any:
        if not self.exponent.is_Integer:
            return self
        B, k, M = self.base, int(self.exponent), self.middle
        return sp.MatAdd(*(sp.MatMul(B**r, M, B**(k - 1 - r)) for r in range(k))).doit(**hints)


def power_sum(base: Any, exponent: Any, middle: Any) -> Any:
    """PowerSum(B, k, M), or k B^(k−1) scaled when M is a multiple of the identity (then every term is the same)."""
    if middle is None:
        return None
    coefficient, bare = sp.S.One, middle
    if isinstance(middle, sp.MatMul):
        coefficient, matrices = middle.as_coeff_matrices()
        bare = matrices[0] if len(matrices) == 1 else sp.MatMul(*matrices)
    if isinstance(bare, sp.Identity):
        power = sp.MatPow(base, exponent - 1)
        return sp.MatMul(coefficient * exponent, power).doit(deep=False)
    return PowerSum(base, exponent, middle)
