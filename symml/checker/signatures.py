r"""Signatures of functions written before their definitions: ``g:\mathbb{R} \mapsto \mathbb{R}``,
``f: \mathbb{R}^d \to \mathbb{R}``. A signature declares a function's domain and codomain; it is not a claim, and a
definition written after it on the same row (``g:\mathbb{R} \mapsto \mathbb{R} \; g(x) = \frac{1}{1+e^{-x}}``) is
read without it. The notes split rows at ``\to`` (an implication arrow), so a row may also hold only the signature's
name and domain (``f: \mathbb{R}^d``) or start with the codomain (``\mathbb{R} \; f(x) = ...``).

>>> without_signature(r"g:\mathbb{R} \mapsto \mathbb{R} g(x) = \frac{1}{1+e^{-x}}")
'g(x) = \\frac{1}{1+e^{-x}}'
>>> bool(SIGNATURE.fullmatch(r"f: \mathbb{R}^d")), without_signature(r"\mathbb{R} f(x) = x^2")
(True, 'f(x) = x^2')
"""
from __future__ import annotations

import re

__all__ = ["SIGNATURE", "without_signature"]

#: A set of numbers: ``\mathbb{R}``, ``\mathbb{R}^d``, ``\mathbb{R}^{n \times d}``, ``\mathbb R_+``.
_SET = r"\\mathbb\s*\{?\s*[RNZQC]\s*\}?(?:\s*[\^_]\s*(?:\{[^{}]*\}|[\w+]))*"
_NAME = r"(?:\\[A-Za-z]+|[A-Za-z])(?:_\{?\w+\}?)?"
_ARROW = r"\\(?:mapsto|to|rightarrow|longrightarrow)(?![A-Za-z])"
#: A whole signature, or its first half (name and domain) when the row was split at the arrow.
SIGNATURE = re.compile(rf"\s*{_NAME}\s*:\s*{_SET}(?:\s*{_ARROW}\s*{_SET})?\s*")
#: A signature, or the codomain left of it, at the start of a row that goes on with a definition.
_LEADING = re.compile(rf"\s*(?:{_NAME}\s*:\s*{_SET}\s*{_ARROW}\s*)?{_SET}(?:\s*\\[,;:!]|\s*\\q?quad|\s)*(?=[A-Za-z\\])")


def without_signature(row: str) -> str:
    """``row`` without a signature (or a codomain) in front of what it defines."""
    match = _LEADING.match(row)
    return row[match.end():] if match is not None and match.end() < len(row) else row
