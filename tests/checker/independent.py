"""An evaluation of a claim's side at a counterexample that does not use the checker's own machinery.

Sizes, matrices and scalars are substituted with plain ``xreplace``/``doit``; a derivative by a matrix is
replaced by central finite differences at 50 digits (step 1e-15), not by the checker's entry-wise symbolic
differentiation.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

_STEP = sp.Rational(1, 10**15)
_DIGITS = 50


def value_at(expr: Any, point: tuple) -> Any:
    """``expr`` evaluated at a counterexample's ``values`` (sizes, then matrices, then scalars)."""
    sizes = {k: v for k, v in point if isinstance(v, int)}
    matrices = {k: v for k, v in point if isinstance(v, sp.MatrixBase)}
    scalars = {k: v for k, v in point if not isinstance(v, (int, sp.MatrixBase))}
    expr = sp.sympify(expr).xreplace(sizes)
    expr = expr.replace(lambda e: isinstance(e, sp.Derivative) and isinstance(e.variables[0], sp.MatrixSymbol),
                        lambda e: _finite_difference(e, matrices, scalars))
    return _numeric(expr, matrices, scalars)


def _numeric(expr: Any, matrices: dict, scalars: dict) -> Any:
    value = expr.xreplace(matrices).doit()
    if isinstance(value, sp.MatrixExpr) and not isinstance(value, sp.MatrixBase):
        value = value.as_explicit()
    value = value.xreplace(scalars)
    if isinstance(value, sp.MatrixBase):
        value = sp.ImmutableMatrix(value.applyfunc(lambda e: sp.N(e, _DIGITS)))
        return value[0, 0] if value.shape == (1, 1) else value
    return sp.N(value, _DIGITS)


def _finite_difference(derivative: sp.Derivative, matrices: dict, scalars: dict) -> sp.ImmutableMatrix:
    (variable,) = derivative.variables
    at = matrices[variable]
    rows, cols = at.shape

    def f(shifted: sp.ImmutableMatrix) -> Any:
        return _numeric(derivative.expr, {**matrices, variable: shifted}, scalars)

    def partial(i: int, j: int) -> Any:
        bump = sp.ImmutableMatrix(rows, cols, lambda a, b: _STEP if (a, b) == (i, j) else 0)
        return (sp.sympify(f(at + bump)) - sp.sympify(f(at - bump))) / (2 * _STEP)

    partials = {(i, j): partial(i, j) for i in range(rows) for j in range(cols)}
    first = partials[(0, 0)]
    if not isinstance(first, sp.MatrixBase):  # gradient of a scalar: the shape of the variable
        return sp.ImmutableMatrix(rows, cols, lambda i, j: partials[(i, j)])
    # Jacobian of a column by a column, SymPy's layout: D[j, i] = d f_i / d v_j
    return sp.ImmutableMatrix(rows, first.shape[0], lambda j, i: partials[(j, 0)][i])
