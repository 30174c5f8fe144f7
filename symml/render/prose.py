"""Prose in step titles and justifications: plain text with optional ``$...$`` inline math.

Each renderer treats the two parts differently (LaTeX escapes the text, plain text unwraps the math), so
the splitting lives here once.

>>> list(split_math("positive on $(0, \\\\infty)$, so log is defined"))
[('text', 'positive on '), ('math', '(0, \\\\infty)'), ('text', ', so log is defined')]
"""
from __future__ import annotations

import re
from typing import Iterator

from symml.render.unicode_math import readable

__all__ = ["split_math", "latex_prose", "plain_prose"]

_INLINE_MATH = re.compile(r"\$([^$]+)\$")
_LATEX_SPECIALS = {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
                   "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}


def split_math(prose: str) -> Iterator[tuple[str, str]]:
    """Yield ("text", ...) and ("math", ...) pieces of a prose string in order."""
    position = 0
    for match in _INLINE_MATH.finditer(prose):
        if match.start() > position:
            yield "text", prose[position:match.start()]
        yield "math", match.group(1)
        position = match.end()
    if position < len(prose):
        yield "text", prose[position:]


def latex_prose(prose: str) -> str:
    """The prose with its text escaped for LaTeX and its inline math kept."""
    return "".join(
        f"${piece}$" if kind == "math" else "".join(_LATEX_SPECIALS.get(c, c) for c in piece)
        for kind, piece in split_math(prose)
    )


def plain_prose(prose: str) -> str:
    """The prose for a terminal: inline math written with Unicode symbols, without its dollar signs.

    >>> plain_prose("positive on $(0, \\infty)$")
    'positive on (0, ∞)'
    """
    return "".join(readable(piece) if kind == "math" else piece for kind, piece in split_math(prose))
