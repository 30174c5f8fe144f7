"""Inline LaTeX -> readable Unicode, for the math inside prose when a derivation is printed in a terminal.

Covers what symml's own prose uses (Greek letters, accents, sums, fractions, relations, transposes, sets),
not LaTeX at large; an unknown command loses only its backslash.

>>> readable(r"x \\in \\left(-\\infty, \\infty\\right)")
'x ∈ (-∞, ∞)'
>>> readable(r"\\hat{\\mu} = \\frac{1}{n} \\sum_{i=1}^{n} x_{i}")
'μ̂ = (1)/(n) Σ_(i=1)^n x_i'
>>> readable(r"\\overline{\\log x} \\leq \\log \\bar{x}")
'mean(log x) ≤ log x̄'
"""
from __future__ import annotations

import re
import unicodedata

__all__ = ["readable"]

_SYMBOLS = {
    "infty": "∞", "in": "∈", "notin": "∉", "dots": "…", "ldots": "…", "cdots": "⋯", "times": "×", "cdot": "·",
    "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "to": "→",
    "rightarrow": "→", "Rightarrow": "⇒", "cap": "∩", "cup": "∪", "wedge": "∧", "vee": "∨", "nabla": "∇",
    "partial": "∂", "sum": "Σ", "prod": "∏", "odot": "⊙", "otimes": "⊗", "pm": "±", "sim": "~", "top": "ᵀ",
    "{": "{", "}": "}", ",": " ", ";": " ", "quad": "  ", "qquad": "    ", "lambda": "λ", "Lambda": "Λ",
}
_DROPPED = ("left", "right", "big", "Big", "bigg", "Bigg", "displaystyle", "limits")
_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ"}
_ACCENTS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "dot": "\u0307", "vec": "\u20d7"}
_GROUP = r"\{([^{}]*)\}"


def _greek(name: str) -> str | None:
    case = "CAPITAL" if name[0].isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    except KeyError:
        return None


def _command(match: re.Match[str]) -> str:
    name = match.group(1)
    if name in _SYMBOLS:
        return _SYMBOLS[name]
    if name in _DROPPED:
        return ""
    return _greek(name) or name


def _innermost_groups(tex: str) -> str:
    # Brace groups are rewritten from the inside out, so each pattern sees contents without braces.
    tex = re.sub(r"\\frac" + _GROUP + _GROUP, r"(\1)/(\2)", tex)
    tex = re.sub(r"\\sqrt" + _GROUP, r"√(\1)", tex)
    tex = re.sub(r"\\overline" + _GROUP, r"mean(\1)", tex)
    tex = re.sub(r"\\mathbb" + _GROUP, lambda m: _BLACKBOARD.get(m.group(1), m.group(1)), tex)
    tex = re.sub(r"\\(?:mathrm|operatorname|mathbf|boldsymbol|text|mathit)" + _GROUP, r"\1", tex)
    tex = re.sub(r"\\(" + "|".join(_ACCENTS) + r")" + _GROUP, lambda m: m.group(2) + _ACCENTS[m.group(1)], tex)
    tex = re.sub(r"\^\{\\top\}", r"\\top", tex)
    tex = re.sub(r"([_^])\{([^{}\s\\]|\\[A-Za-z]+|\([^{}()]*\))\}", r"\1\2", tex)
    return re.sub(r"([_^])\{([^{}]*)\}", r"\1(\2)", tex)


def readable(tex: str) -> str:
    """The inline LaTeX ``tex`` written with Unicode symbols for a terminal."""
    previous = None
    while previous != tex:
        previous, tex = tex, _innermost_groups(tex)
    tex = re.sub(r"\\([A-Za-z]+|[{},;])", _command, tex)
    return re.sub(r"\s{2,}", " ", tex).strip()
