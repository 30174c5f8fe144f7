r"""Activations that notes apply to a vector and index: ``\mathrm{softmax}(\mathbf{z})_i``.

Element i of the softmax of z is read as what it is, ``e^{z_i} / \sum_k e^{z_k}`` with z the data vector, so
its derivatives (``\frac{\partial}{\partial z_j} \mathrm{softmax}(z)_i``) come out of the differentiation
rules, never from a table; the sum runs to the upper limit the notes write elsewhere (``\sum_{k=1}^K``), else n.
Elementwise activations (sigmoid, tanh, ReLU as ``max(0, t)``) are whitelisted functions of
:mod:`symml.checker.vocabulary`, and their primes (``\sigma'(z)``, ``\tanh'(z)``, ``\mathrm{ReLU}'(z)``) are
derivatives read by the names reader.

>>> from symml.checker.parse_latex import parse_latex
>>> parse_latex(r"\mathrm{softmax}(z)_i")[0][1]
exp(z[i])/Sum(exp(z[k]), (k, 1, n))
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp

__all__ = ["softmax_entry"]


def softmax_entry(reader: Any, arguments: list[Any]) -> Any:
    """Element ``i`` of the softmax of the one vector in ``arguments``; ``reader`` (the LaTeX reader) is at the
    subscript that names the element."""
    if len(arguments) != 1 or not isinstance(arguments[0], sp.Symbol) or not reader.at("char", "_"):
        raise reader.error("softmax is read as softmax(z)_i: the element i of the softmax of a vector z")
    reader.take()
    vector = arguments[0].name
    # z was read as a name, with the doubt that a letter written z_i elsewhere may be the vector: here it is; the
    # doubt stays when the claim also writes z alone outside a softmax
    outside = re.sub(r"softmax\}?\s*\((?:[^()]*)\)", " ", reader.text)
    if not re.search(rf"(?<![A-Za-z\\]){vector}(?![A-Za-z_])", outside):
        reader.namespace.doubts[:] = [d for d in reader.namespace.doubts
                                      if not d.startswith(f"{vector} is also written")]
    _, indices = reader.subscript(vector)
    if len(indices) != 1:
        raise reader.error("softmax(z)_i takes one index")
    (index,) = indices
    summed = reader.namespace.name("k" if str(index) != "k" else "j")
    upper = reader.implicit_upper_limit(summed)
    entries = reader.namespace
    return sp.exp(entries.indexed(vector, [index])) / sp.Sum(sp.exp(entries.indexed(vector, [summed])),
                                                             (summed, 1, upper))
