"""Which engine differentiates a problem: explicit scalar calculus, index notation, or matrix calculus.

Scalar SymPy expressions (not matrix expressions) w.r.t. a scalar symbol or a list of them go to
:mod:`symml.calculus.scalar`; expressions with ``Indexed`` entries (``Sum`` over ``w[j]*X[i, j]``) to the
index-notation path; everything else to :mod:`symml.matrix_calculus` unchanged (it handles matrix expressions,
also w.r.t. a scalar symbol). A string is a loss typed as LaTeX (:mod:`symml.calculus.latex_input`).

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> engine_for(x**2, x).__name__
'symml.calculus.scalar'
"""
from __future__ import annotations

from types import ModuleType
from typing import Any

import sympy as sp

__all__ = ["engine_for"]


def _has_indexed(expr: Any) -> bool:
    functions = list(expr) if isinstance(expr, (list, tuple)) else [expr]
    return any(isinstance(f, sp.Basic) and f.has(sp.Indexed) for f in functions)


def engine_for(expr: Any, wrt: Any) -> ModuleType:
    """The module whose gradient/hessian/jacobian/laplacian/directional_derivative take (expr, wrt)."""
    from symml.calculus import scalar

    if isinstance(expr, str):  # a loss typed as LaTeX: read, then routed by what was read
        from symml.calculus import latex_input

        return latex_input
    if _has_indexed(expr) and isinstance(wrt, (sp.IndexedBase, sp.Indexed)):
        from symml.calculus import indexed

        return indexed
    if scalar.is_scalar_problem(expr, wrt):
        return scalar
    import symml.matrix_calculus

    return symml.matrix_calculus
