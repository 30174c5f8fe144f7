r"""A numbered element of data the claim also writes with an index: ``p_1`` beside ``\sum_k p_k`` is ``p[1]``.

The reader takes ``p_k`` (an index letter) for the element k of the data p, but ``p_1`` for a name of its own
(``\theta_0``, ``w_1`` are often just names). In a claim that writes both, they are the same vector:
``\frac{\partial}{\partial p_1} \sum_{k=1}^K p_k \log p_k`` differentiates by the first term of the sum (read as
two unrelated names, the derivative was 0 and the step unchecked for "different names"), and ``\log p_1`` on the
other side is the log of that element. Only a name that a derivative is taken by is read so.

>>> import sympy as sp
>>> p, k, K = sp.IndexedBase("p"), sp.Symbol("k", integer=True), sp.Symbol("K", integer=True, positive=True)
>>> p_1 = sp.Symbol("p_1")
>>> elements_of_data(sp.Derivative(sp.Sum(p[k] ** 2, (k, 1, K)), p_1), 2 * p_1)
(Derivative(Sum(p[k]**2, (k, 1, K)), p[1]), 2*p[1])
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp

__all__ = ["elements_of_data"]

_NUMBERED = re.compile(r"(.+)_(\d+)")


def elements_of_data(left: Any, right: Any) -> tuple[Any, Any]:
    """Both sides with each name ``x_<number>`` that a derivative is taken by replaced by the element
    ``x[number]`` when a side indexes x (elsewhere a numbered name is left as it is: only the derivative by it was
    wrong, 0)."""
    sides = [side for side in (left, right) if isinstance(side, sp.Basic)]
    bases = {str(i.base.label): i.base for side in sides for i in side.atoms(sp.Indexed)}
    if not bases:
        return left, right
    replacements = {}
    for side in sides:
        for derivative in side.atoms(sp.Derivative):
            for symbol, _ in derivative.variable_count:
                numbered = _NUMBERED.fullmatch(getattr(symbol, "name", ""))
                if numbered is not None and numbered.group(1) in bases:
                    replacements[symbol] = bases[numbered.group(1)][int(numbered.group(2))]
    if not replacements:
        return left, right
    return tuple(side.xreplace(replacements) if isinstance(side, sp.Basic) else side
                 for side in (left, right))
