"""How estimators are named in the steps: theta -> theta-hat, in LaTeX and in plain text.

>>> from symml.render.printer import latex
>>> latex(hat(sp.Symbol("mu"))), latex(hat(sp.Symbol("x_m")))
('\\\\hat{\\\\mu}', '\\\\hat{x}_{m}')
"""
from __future__ import annotations

import sympy as sp

__all__ = ["hat"]


def hat(parameter: sp.Symbol) -> sp.Symbol:
    """The symbol of the estimator of ``parameter``: SymPy prints ``muhat`` as a hatted mu."""
    base, _, subscript = parameter.name.partition("_")
    name = f"{base}hat_{subscript}" if subscript else f"{base}hat"
    return sp.Symbol(name, **{k: v for k, v in parameter.assumptions0.items() if k in ("real", "positive")})
