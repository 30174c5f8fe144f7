r"""Indicators of events: ``I(Z_i = k)``, ``\mathbb{I}(y_i = c)``: 1 where the two sides are equal, else 0 (a
Kronecker delta of the two values), as in the complete-data likelihood of a mixture,
``\prod_i \prod_k \pi_k^{I(Z_i = k)}``.

>>> from symml.checker.parse_latex import parse_latex
>>> parse_latex(r"\pi_k^{I(Z_i = k)}")[0][1]
pi[k]**KroneckerDelta(k, Z[i])
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.checker.events import top_level
from symml.checker.latex_tokens import ReaderBase

__all__ = ["INDICATOR_NAMES", "indicator"]

#: The names notes give the indicator function.
INDICATOR_NAMES = frozenset({"I"})


def indicator(reader: ReaderBase, name: str) -> Any:
    """The indicator ``name(a = b)`` ahead, read; None (nothing read) when ``name`` is not an indicator's name or
    the brackets ahead do not hold one equation."""
    if name not in INDICATOR_NAMES or not reader.at("char", "("):
        return None
    equals = [token for _, token in top_level(reader.tokens, reader.position) if token == ("char", "=")]
    if len(equals) != 1:
        return None
    reader.take()
    left = reader.expression()
    reader.expect("char", "=")
    right = reader.expression()
    reader.expect("char", ")")
    return sp.KroneckerDelta(left, right)
