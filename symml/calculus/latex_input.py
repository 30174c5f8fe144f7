r"""Losses typed as LaTeX (or plain text, ``x**2*exp(x)``), read by the checker's readers, then derived by the engine their notation calls for.

``symml.derive.gradient(r"\sum_{i=1}^n (y_i - \sum_{j=1}^d w_j X_{ij})^2", wrt="w")`` reads the text with
:func:`symml.checker.parse_latex.parse_latex` (``x_{ij}`` is ``x[i, j]``, ``\sum_{i=1}^n`` a ``Sum``; nothing is
evaluated), then prepares what it read for differentiation:

- the reader writes ``\sigma(u)`` as ``1/(1 + e^{-u})`` and ``\operatorname{softplus}(u)`` as ``log(1 + e^u)``
  (the checker compares values, so it expands them); here they become σ and softplus again, so the index
  converter sees the elementwise functions it knows;
- the upper limits of the sums (``n``, ``d``, ``K``) are sizes: positive integers;
- ``wrt`` given by name (``"w"``) is the IndexedBase or symbol of that name in the loss.

Then :func:`~symml.calculus.routing.engine_for` routes as for a SymPy expression: index notation (matrix form,
or in indices), or scalar calculus. ``L = ...`` is read as its right side.

>>> read_loss(r"-\sum_{i=1}^{n} \log \sigma(\sum_{j=1}^{d} w_j X_{ij})")
-Sum(log(Sigmoid(Sum(X[i, j]*w[j], (j, 1, d)))), (i, 1, n))
>>> gradient(r"\sum_{i=1}^n (y_i - \sum_{j=1}^d w_j X_{ij})^2", wrt="w").result
-2*X.T*(-X*w + y)
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.derivation import Derivation
from symml.errors import ShapeError
from symml.matrix_calculus.expressions import Sigmoid, Softplus

__all__ = ["read_loss", "gradient", "hessian", "derivative"]


def _is_sigmoid(e: sp.Basic) -> bool:
    return isinstance(e, sp.Pow) and e.exp == -1 and isinstance(e.base - 1, sp.exp)


def _is_softplus(e: sp.Basic) -> bool:
    return isinstance(e, sp.log) and len(e.args) == 1 and isinstance(e.args[0] - 1, sp.exp)


def _with_named_functions(expr: sp.Expr) -> sp.Expr:
    """1/(1 + e^{-u}) written σ(u), and log(1 + e^u) written softplus(u)."""
    expr = expr.replace(_is_sigmoid, lambda e: Sigmoid(-(e.base - 1).args[0]))
    return expr.replace(_is_softplus, lambda e: Softplus((e.args[0] - 1).args[0]))


def _sizes_as_integers(expr: sp.Expr) -> sp.Expr:
    """The upper limits of the sums (n, d) as positive integer symbols of the same names."""
    limits = {high for node in sp.preorder_traversal(expr) if isinstance(node, sp.Sum)
              for _, _, high in node.limits if isinstance(high, sp.Symbol) and not high.is_integer}
    return expr.xreplace({s: sp.Symbol(s.name, integer=True, positive=True) for s in limits})


def read_loss(text: str) -> sp.Expr:
    r"""The loss written in ``text`` (LaTeX), as a SymPy expression ready for differentiation."""
    from symml.user_text import read_expression

    return _sizes_as_integers(_with_named_functions(read_expression(text, "the loss to differentiate")))


def _resolve(loss: sp.Expr, wrt: Any) -> Any:
    """wrt given by name: the IndexedBase of that name in the loss, else the symbol of that name."""
    if isinstance(wrt, (list, tuple)):
        return [_resolve(loss, w) for w in wrt]
    if not isinstance(wrt, str):
        return wrt
    for node in loss.atoms(sp.Indexed):
        if str(node.base.label) == wrt:
            return node.base
    for symbol in loss.free_symbols:
        if isinstance(symbol, sp.Symbol) and symbol.name == wrt:
            return symbol
    glued = sorted(s.name for s in loss.free_symbols if isinstance(s, sp.Symbol) and wrt in s.name and s.name != wrt)
    hint = (f": the text has the name{'s' if len(glued) > 1 else ''} {', '.join(glued)}; for a product with {wrt}, "
            f"write a space or \\cdot between the factors (X w)") if glued else ""
    raise ShapeError(f"{wrt} does not appear in the loss {loss}{hint}")


def _derive(kind: str, text: str, wrt: Any, **options: Any) -> Derivation:
    from symml.calculus.routing import engine_for

    loss = read_loss(text)
    variable = _resolve(loss, wrt)
    loss = _with_symbols_of(loss, variable)
    return getattr(engine_for(loss, variable), kind)(loss, variable, **options)


def _with_symbols_of(loss: sp.Expr, variable: Any) -> sp.Expr:
    """The loss with each symbol named like a given variable replaced by it: ν typed in the text is read as a real
    symbol, and a variable declared positive beside it made two arguments named nu (SyntaxError in numpy())."""
    given = [v for v in (variable if isinstance(variable, (list, tuple)) else [variable]) if isinstance(v, sp.Symbol)]
    return loss.xreplace({s: v for v in given for s in loss.free_symbols
                          if isinstance(s, sp.Symbol) and s.name == v.name and s != v})


def gradient(text: str, wrt: Any, **options: Any) -> Derivation:
    """The gradient of the loss typed as LaTeX w.r.t. ``wrt`` (a name such as ``"w"``, or the SymPy object)."""
    return _derive("gradient", text, wrt, **options)


def hessian(text: str, wrt: Any, **options: Any) -> Derivation:
    """The Hessian of the loss typed as LaTeX w.r.t. ``wrt`` (a name such as ``"w"``, or the SymPy object)."""
    return _derive("hessian", text, wrt, **options)


def derivative(text: str, wrt: Any) -> Derivation:
    """The derivative of the function typed as LaTeX or plain text w.r.t. the scalar ``wrt`` (a name or a symbol)."""
    from symml.calculus.scalar import derivative as scalar_derivative

    loss = read_loss(text)
    variable = _resolve(loss, wrt)
    return scalar_derivative(_with_symbols_of(loss, variable), variable)
