r"""A sign as a superscript label: ``\hat{x}_k^-`` and ``P_k^-`` (the prior estimate and its covariance of a
Kalman filter), ``x^+`` (the posterior), ``P_k^{-}``; and the star of an optimum, ``w^*``, ``\alpha_i^*``,
``\theta^{*}``, transposed as ``w^{*\top}``.

TeX gives ``^`` one token, so ``P_k^-G^T`` is ``P_k^{-}`` times ``G^T``: the sign alone is raised. Notes use it as
a label, a name of its own (``P_k^-`` is not ``P_k``), and transpose it as ``P_k^{-T}`` once the label is in use.
Only ``e^-x`` means the power ``e^{-x}`` (see :meth:`symml.checker.parse_latex.LatexReader.superscript`); a raised
sign on a bare one-letter name before another factor (``a^-b``) is read as a label too, but as a guess.

>>> from symml.checker.parse_latex import parse_latex
>>> parse_latex(r"P_k^- = (I - K_k G) P_k^-G^T + \hat{x}_k^+")[1][1]
G*(-G*K[k] + I)*P^(-)[k] + x_hat^(+)[k]
>>> parse_latex(r"b^* = y_k - w^{*\top}x_k")
[('', b^(*)), ('=', -w^(*)*x[k] + y[k])]
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.checker.latex_tokens import TRANSPOSES, ReaderBase

__all__ = ["sign_label"]

_SIGNS = ("-", "+", "*")
#: What may follow a raised sign that closes the script: an operator, a relation, a closing bracket, the end.
_CLOSERS = {("char", c) for c in "+-=)]},|&<>*/"} | {("end", "")} \
    | {("cmd", c) for c in ("right", "cdot", "times", "quad", "qquad", "le", "ge", "leq", "geq", "neq", "ne",
                            "approx", "big", "Big", "bigg", "Bigg", "bigr", "Bigr")}


def sign_label(reader: ReaderBase, base: Any) -> Any:
    """After ``base^`` with a sign ahead that is the whole script (``^-``, ``^{+}``), or ``^{-T}`` on a base whose
    sign label is in use: the label (transposed); else None, nothing read."""
    if not isinstance(base, (sp.Symbol, sp.Indexed)) or base == sp.E:
        return None
    name = base.base.label.name if isinstance(base, sp.Indexed) else base.name
    if reader.peek() == ("char", "{") and reader.peek(1)[1] in _SIGNS and reader.peek(2) == ("char", "}"):
        sign, width, transposed = reader.peek(1)[1], 3, False
    elif reader.peek() == ("char", "{") and reader.peek(1) == ("char", "-") and reader.peek(3) == ("char", "}") \
            and [reader.peek(2)[1]] in TRANSPOSES and _in_use(reader, f"{name}^(-)", base):
        sign, width, transposed = "-", 4, True  # P_k^{-T} beside P_k^-: the label transposed, not the inverse
        reader.namespace.doubt(f"read {name}^{{-T}} as the transpose of the label {name}^-, not an inverse")
    elif reader.peek() == ("char", "{") and reader.peek(1) == ("char", "*") and reader.peek(3) == ("char", "}") \
            and [reader.peek(2)[1]] in TRANSPOSES:
        sign, width, transposed = "*", 4, True  # w^{*\top}: the optimum transposed
    elif reader.peek()[1] in _SIGNS and reader.peek()[0] == "char":
        sign, width, transposed = reader.peek()[1], 1, False
        following = reader.peek(1)
        if sign == "*":
            if following == ("char", "("):
                return None  # f^*(y): a convex conjugate, not read
        elif following == ("char", "(") and sign == "+" and isinstance(base, sp.Symbol) and hasattr(reader, "named"):
            # q_\mu^+(\mu): the updated factor, a function (a power e^{+(...)} is not written)
            reader.position += 1
            reader.namespace.doubt(f"read {name}^+(...) as a function of its argument")
            return getattr(reader, "named")(f"{name}^(+)")
        elif following not in _CLOSERS:
            if following[0] == "num" or (following == ("char", "(") and not isinstance(base, sp.Indexed)):
                return None  # x^-1, e^-(x - mu): a power (P_k^-(I - K_k G): the label P_k^- times the bracket)
            if isinstance(base, sp.Symbol) and "_" not in name and len(name) == 1:
                reader.namespace.doubt(f"read {name}^{sign} as a label, not a power of what follows it")
    else:
        return None
    reader.position += width
    label = f"{name}^({sign})"
    value = reader.namespace.indexed(label, list(base.indices)) if isinstance(base, sp.Indexed) \
        else reader.namespace.name(label)
    return sp.transpose(value) if transposed else value


def _in_use(reader: ReaderBase, label: str, base: Any) -> bool:
    return label in (reader.namespace.data if isinstance(base, sp.Indexed) else reader.namespace.known)
