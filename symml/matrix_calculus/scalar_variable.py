"""Derivatives of matrix expressions with respect to a scalar symbol t: ∂F/∂t has the shape of F.

The same differential rules serve (Matrix Cookbook 2.4, ∂(XY)/∂t = ∂X/∂t Y + X ∂Y/∂t, ...): a scalar t moves
only through coefficients, exponents and elementwise arguments, so dF comes out as a multiple of the scalar dt,
and ∂F/∂t is dF at dt = 1 (dF is linear in dt). Scalar expressions without any matrix are the scalar calculus's
business, not this module's: they get the usual error asking for a matrix or vector symbol.

>>> import sympy as sp, symml
>>> t = sp.Symbol("t"); A = symml.matrix("A", 3, 3); x = symml.vector("x", 3)
>>> derivative_steps(sp.sin(t) * A @ x, t, "jacobian")[1]
cos(t)*A*x
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.derivation import Step
from symml.errors import ShapeError
from symml.matrix_calculus.algebra import tidy, to_scalar
from symml.matrix_calculus.differential import (
    DifferentialOf,
    Rules,
    differential,
    scalar_differential,
    scalar_differential_symbol,
)
from symml.matrix_calculus.expressions import is_matrix
from symml.matrix_calculus.problem import DerivativeSymbol
from symml.render.printer import latex

__all__ = ["is_scalar_variable", "check_scalar_variable", "derivative_steps"]

_L, _F = sp.Symbol("L"), sp.Symbol("f")


def is_scalar_variable(wrt: Any) -> bool:
    """Whether ``wrt`` is a scalar symbol (not a matrix or vector symbol)."""
    return isinstance(wrt, sp.Symbol)


def check_scalar_variable(expr: Any, t: sp.Symbol) -> None:
    """Refuse what this module does not differentiate: expressions without matrices, t used as a dimension."""
    symbols = expr.atoms(sp.MatrixSymbol) if isinstance(expr, sp.Basic) else set()
    if not symbols:
        raise ShapeError(
            f"differentiate with respect to a matrix or vector symbol (symml.matrix, symml.vector), not {t!r}: "
            f"{expr} contains no matrix"
        )
    if any(t in sp.sympify(dim).free_symbols for symbol in symbols for dim in symbol.shape):
        raise ShapeError(f"{t} is a dimension of a matrix in {expr}; a shape cannot be differentiated")


def _derivative(expr: Any, t: sp.Symbol, rules: Rules) -> tuple[Any, Any]:
    """(dF, ∂F/∂t): the differential, linear in dt, and its value at dt = 1."""
    dt = scalar_differential_symbol(t)
    if is_matrix(expr) and tuple(expr.shape) != (1, 1):
        dF = differential(expr, t, rules)
        if dF is None:
            return sp.ZeroMatrix(*expr.shape), sp.ZeroMatrix(*expr.shape)
        return dF, tidy(dF.xreplace({dt: sp.S.One}))
    dL = scalar_differential(to_scalar(expr), t, rules)
    return dL, tidy(dL.xreplace({dt: sp.S.One}))


def derivative_steps(expr: Any, t: sp.Symbol, kind: str) -> tuple[list[Step], Any]:
    """The steps and result of ∂F/∂t ("gradient", "jacobian") or ∂²L/∂t² ("hessian")."""
    rules = Rules()
    name = _F if kind == "jacobian" else _L
    shown = to_scalar(expr) if not is_matrix(expr) or tuple(expr.shape) == (1, 1) else expr
    steps = [Step("Function", sp.Eq(name, shown, evaluate=False), f"${latex(t)}$ is a scalar variable")]
    dF, first = _derivative(expr, t, rules)
    steps += rules.steps()
    steps.append(Step("Differential", sp.Eq(DifferentialOf(name), dF, evaluate=False),
                      f"the rules above, node by node; $\\mathrm{{d}}{latex(t)}$ enters as a scalar factor"))
    symbol = DerivativeSymbol("derivative", name, t, *(expr.shape if is_matrix(expr) else (1, 1)))
    steps.append(Step("Derivative", sp.Eq(symbol, first, evaluate=False),
                      f"read off: $\\mathrm{{d}}{name} = (\\partial {name}/\\partial {latex(t)})\\, \\mathrm{{d}}{latex(t)}$; "
                      f"the derivative has the shape of {name}"))
    if kind != "hessian":
        return steps, first
    rules = Rules()
    _, second = _derivative(first, t, rules)
    symbol = DerivativeSymbol("second_derivative", name, t, 1, 1)
    steps += rules.steps()
    steps.append(Step("Second derivative", sp.Eq(symbol, second, evaluate=False),
                      f"the derivative of $\\partial {name}/\\partial {latex(t)}$ by the same rules"))
    return steps, second
