"""The record a matrix-calculus derivation carries, and the symbols its steps display (∇_W L, ∂f/∂xᵀ, ...).

``numpy()`` and ``verify()`` dispatch on :class:`MatrixDerivativeProblem`; everything they need is here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import sympy as sp
from sympy.core.symbol import Str
from sympy.matrices.expressions.matexpr import MatrixExpr

from symml.matrix_calculus.dag import atoms_of, free_symbols_of
from symml.matrix_calculus.operators import MatrixDifferential

__all__ = ["MatrixDerivativeProblem", "DerivativeSymbol", "Kind", "layout"]

#: Which derivative a problem asks for.
Kind = Literal["gradient", "jacobian", "hessian", "laplacian", "directional_derivative"]

#: The layout convention, printed in every result.
def layout(W: Any) -> str:
    """The layout convention, said of the unknown ``W`` by its own name."""
    from symml.render.printer import latex

    return f"denominator layout: the gradient with respect to ${latex(W)}$ has the shape of ${latex(W)}$"


@dataclass(frozen=True)
class MatrixDerivativeProblem:
    """A derivative of a matrix expression with respect to one matrix, vector or scalar symbol.

    Attributes:
        title: one line describing the problem.
        kind: which derivative ("gradient", "jacobian", "hessian", "laplacian", "directional_derivative").
        function: the expression differentiated (a scalar, 1 x 1, vector or matrix expression).
        wrt: the symbol differentiated with respect to (a MatrixSymbol, symmetric ones
            :class:`~symml.matrix_calculus.expressions.SymmetricMatrixSymbol`; or a scalar Symbol).
        symmetric: whether wrt is a symmetric matrix, whose gradient is taken on symmetric matrices.
        direction: the direction symbol of a directional derivative (shape of wrt), else None.
    """

    title: str
    kind: Kind
    function: Any
    wrt: sp.MatrixSymbol | sp.Symbol
    symmetric: bool = False
    direction: Any = None


class DerivativeSymbol(MatrixExpr):
    """A derivative written as a symbol in a step (∇_W L, ∇²_w L, ∂f/∂xᵀ, Δ_w L, D_v L); never evaluated."""

    def __new__(cls, kind: str, of: Any, wrt: Any, rows: Any, cols: Any) -> "DerivativeSymbol":
        return super().__new__(cls, Str(kind), sp.sympify(of), wrt, sp.sympify(rows), sp.sympify(cols))

    @property
    def kind(self) -> str:
        return self.args[0].name

    @property
    def shape(self) -> tuple:
        return self.args[3], self.args[4]

    def _sympystr(self, printer: Any) -> str:
        of, wrt = printer._print(self.args[1]), printer._print(self.args[2])
        if self.kind in ("derivative", "second_derivative"):
            order = "²" if self.kind == "second_derivative" else ""
            return f"∂{order}{of}/∂{wrt}{order}"
        if self.kind == "jacobian":
            return f"∂{of}/∂{wrt}ᵀ" if self.args[2].shape[1] == 1 else f"∂vec({of})/∂vec({wrt})ᵀ"
        operator = {"gradient": "∇", "hessian": "∇²", "laplacian": "Δ"}.get(self.kind, "D")
        return f"{operator}_{wrt} {of}"

    def _pretty(self, printer: Any) -> Any:
        from sympy.printing.pretty.stringpict import prettyForm
        from sympy.printing.str import StrPrinter

        return prettyForm(self._sympystr(StrPrinter()))


def inputs_of(problem: MatrixDerivativeProblem, result: Any) -> list:
    """The matrix symbols a NumPy function of the result takes: wrt and those of the function, result and direction
    (a scalar wrt is a parameter)."""
    found: set = {problem.wrt} if isinstance(problem.wrt, sp.MatrixSymbol) else set()
    for expr in (problem.function, result, problem.direction):
        if isinstance(expr, sp.Basic):
            found |= {s for s in atoms_of(expr, sp.MatrixSymbol) if not isinstance(s, MatrixDifferential)}
    return sorted(found, key=lambda s: s.name)


def scalar_inputs_of(problem: MatrixDerivativeProblem, result: Any) -> list:
    """The scalar symbols passed by name: free symbols that no input's shape determines (λ, or n in n log det Σ)."""
    symbols = {problem.wrt} if isinstance(problem.wrt, sp.Symbol) else set()
    for expr in (problem.function, result):
        if isinstance(expr, sp.Basic):
            symbols |= {s for s in free_symbols_of(expr) if isinstance(s, sp.Symbol) and not isinstance(s, sp.MatrixSymbol)}
    bound = {dim for s in inputs_of(problem, result) for dim in s.shape if isinstance(dim, sp.Symbol)}
    return sorted(symbols - bound, key=lambda s: s.name)
