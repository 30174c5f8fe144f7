r"""Labels in {-1, 1}: a step of a classifier's derivation that holds because ``y_k^2 = 1``.

Support vector machines and the perceptron take their labels in {-1, +1} and use it without a word:
``y_k(w^{*\top} x_k + b^*) = 1 \Rightarrow b^* = y_k - w^{*\top} x_k`` divides by ``y_k`` as a multiplication. A
step whose sides agree when every label ``y_k`` it holds is -1 or 1 (and not otherwise) is left unchecked, with the
fact it uses, never reported wrong: the notes may state the labels' values in words, or in a part not shown.

>>> import sympy as sp
>>> y, x = sp.IndexedBase("y"), sp.Symbol("x")
>>> labels_make_it_hold(y[1] ** 2 - 1, sp.Integer(0))
'y_k \\in \\{-1, 1\\}'
>>> labels_make_it_hold(y[1] - 1, sp.Integer(0)) is None
True
"""
from __future__ import annotations

from itertools import product
from typing import Any

import sympy as sp

from symml.checker.decide import decide

__all__ = ["labels_make_it_hold"]

#: The names of labels: ``y_i`` (``t_n`` is a regression target in PRML, real-valued).
_LABELS = {"y"}
_MOST_LABELS = 3


def labels_make_it_hold(left: Any, right: Any) -> str | None:
    """The fact (labels in {-1, 1}) under which ``left = right`` holds for every choice of the labels' signs; else
    None."""
    if not all(isinstance(side, sp.Basic) for side in (left, right)):
        return None
    sides = [left, right]
    labels = sorted({atom for side in sides for atom in side.atoms(sp.Indexed) if str(atom.base.label) in _LABELS},
                    key=sp.default_sort_key)
    if not labels or len(labels) > _MOST_LABELS or any(getattr(side, "is_Matrix", False) for side in sides):
        return None
    for signs in product((-1, 1), repeat=len(labels)):
        values = dict(zip(labels, map(sp.Integer, signs)))
        if not decide(*(side.xreplace(values) for side in sides), points=4):
            return None
    return r"y_k \in \{-1, 1\}"
