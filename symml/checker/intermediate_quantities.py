r"""Quantities that backpropagation notes differentiate before they define them.

``\frac{\partial \mathcal{L}}{\partial W^L} = \frac{\partial \mathcal{L}}{\partial a^L}
\frac{\partial a^L}{\partial z^L} \frac{\partial z^L}{\partial W^L}``, then ``z^L = W^L a^{L-1} + b^L``: the
pre-activation z^L is named in derivatives first (as the quantity differentiated, ``\partial z^L / \partial W^L``)
and defined afterwards. Such an equation defines z^L (so that ``\partial z^L / \partial W^L = a^{L-1}`` is checked
by differentiating the definition); it is not a value imposed on a quantity the notes had already given one.
A name that was only ever a variable of a derivative (``\partial J / \partial \theta = 0``, then ``\theta = ...``)
is not such a quantity: that equation gives the variable a value (a solution), and stays one.

>>> import sympy as sp
>>> L, a, z, W = sp.symbols("L a z W")
>>> uses = Uses()
>>> uses.remember(sp.Derivative(L, a) * sp.Derivative(a, z) * sp.Derivative(z, W, evaluate=False))
>>> uses.defined_later("z"), uses.defined_later("W")
(True, False)
>>> uses.remember(z + 1)
>>> uses.defined_later("z")
False
"""
from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["Uses"]


class Uses:
    """Where each name was used so far: outside any derivative, or as the quantity a derivative differentiates."""

    def __init__(self) -> None:
        self.plain: set[str] = set()
        self.differentiated: set[str] = set()

    def remember(self, expr: Any) -> None:
        if not isinstance(expr, sp.Basic):
            return
        derivatives = expr.atoms(sp.Derivative)
        self.differentiated |= {str(d.expr) for d in derivatives if isinstance(d.expr, sp.Symbol)}
        outside = expr.xreplace({d: sp.Dummy() for d in derivatives})
        self.plain |= {str(s) for s in outside.free_symbols if not isinstance(s, sp.Dummy)}

    def defined_later(self, name: str) -> bool:
        """Whether ``name`` has so far only been differentiated (and used as a variable of derivatives)."""
        return name in self.differentiated and name not in self.plain
