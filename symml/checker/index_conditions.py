r"""Side conditions on indices: ``\frac{\partial a_j}{\partial z_i} = a_i(1 - a_i), \quad i = j`` and
``\frac{\partial a_j}{\partial z_i} = -a_i a_j, \quad i \neq j``.

A row that carries such a condition claims its equation only where the condition holds, so the condition is used,
not ignored: ``i = j`` writes i for j on the row; ``i \neq j`` writes j as ``i + (j - i)`` with the offset a nonzero
integer, so that a Kronecker delta of i and j (from differentiating ``z_j`` by ``z_i``) is 0, and nothing else
about the two indices is assumed.

>>> import sympy as sp
>>> from symml.checker.vocabulary import Namespace
>>> condition = index_condition(r"\quad i \neq j.")
>>> condition
('i', '\\neq', 'j')
>>> namespace = Namespace()
>>> i, j = namespace.name("i"), namespace.name("j")
>>> under_index_condition([("", sp.KroneckerDelta(i, j))], condition, namespace)
[('', 0)]
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp

from symml.checker.vocabulary import INDEX_LETTERS, Namespace

__all__ = ["index_condition", "under_index_condition"]

#: ``\quad i = j``, ``, \quad i \neq j.``, ``\qquad \text{for } i \ne j``: one relation between two index letters.
_INDEX_RELATION = re.compile(r"(?:\s|,|\\q?quad|\\[,;:]|\\text\s*\{\s*(?:for|if|when|where)\s*\})*"
                             r"([a-z])\s*(=|\\neq?(?![A-Za-z])|\\ne(?![A-Za-z])|!=)\s*([a-z])[\s.,;]*")


def index_condition(condition: str) -> tuple[str, str, str] | None:
    """The relation ``(i, "=" or "\\neq", j)`` a side condition states between two indices; None for any other."""
    match = _INDEX_RELATION.fullmatch(condition)
    if match is None or not {match.group(1), match.group(3)} <= INDEX_LETTERS or match.group(1) == match.group(3):
        return None
    first, relation, second = match.groups()
    return first, ("=" if relation == "=" else "\\neq"), second


def under_index_condition(sides: list[tuple[str, Any]], condition: tuple[str, str, str],
                          namespace: Namespace) -> list[tuple[str, Any]]:
    """The sides of a row where its index condition holds (see the module)."""
    (first, relation, second), offset = condition, sp.Symbol(f"{condition[2]}-{condition[0]}", integer=True, nonzero=True)
    value = namespace.name(first) if relation == "=" else namespace.name(first) + offset
    return [(written, side.xreplace({namespace.name(second): value}) if isinstance(side, sp.Basic) else side)
            for written, side in sides]
