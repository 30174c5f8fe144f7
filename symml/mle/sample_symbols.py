"""The symbols a likelihood derivation introduces for its sample (an index i, a size n), named apart from the
model's own symbols: a Binomial's number of trials n, or a joint model's second sample, takes the next free name.

>>> fresh_symbol("n", {"n"}, integer=True, positive=True)
N
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.errors import UnsupportedOperationError

__all__ = ["fresh_symbol"]


def fresh_symbol(name: str, taken: set[str], **assumptions: Any) -> sp.Symbol:
    """A symbol named ``name`` unless that name is taken (Binomial trials n): then ``N``, ``n_0``, ``n_1``.

    Raises:
        UnsupportedOperationError: every candidate name is taken.
    """
    for candidate in (name, name.upper(), f"{name}_0", f"{name}_1"):
        if candidate not in taken:
            return sp.Symbol(candidate, **assumptions)
    raise UnsupportedOperationError(f"no free name for the symbol {name}")
