r"""Plain text as students type it, rewritten into the whitelisted syntax :mod:`symml.checker.parse_text` reads.

``d/dw (y - w x)^2 = -2 x (y - w x)`` is how a claim is typed in a chat, an e-mail or a homework text box: a
derivative written ``d/dw`` (of the rest of its side), and products written by juxtaposition (``2x``,
``w x``, ``2(x - 1)``, ``(2x + x^2) e^x``, ``2ab`` where a and b also stand alone). Python's parser refuses
all of it, or worse, reads ``d/dtheta (theta - x)^2`` as d divided by a function dtheta. Only the text is
rewritten (never evaluated); what stays ambiguous (``log x``: log times x or log of x?) is left as it is, and
the reader refuses it with its usual message.

>>> as_python("d/dw (y - w x)^2 = -2 x (y - w x)")
'diff((y - w*x)^2, w) = -2*x*(y - w*x)'
>>> as_python("(a+b)^2 = a^2 + 2ab + b^2")
'(a+b)^2 = a^2 + 2*a*b + b^2'
>>> as_python("x*exp(x) + exp(x)")
'x*exp(x) + exp(x)'
"""
from __future__ import annotations

import re

from symml.checker.vocabulary import FUNCTION_NAMES

__all__ = ["as_python"]

_TOKEN = re.compile(r"\s+|\d+(?:\.\d+)?|[A-Za-z_]\w*|\*\*|==|.", re.S)
#: ``d/dx`` (or ``∂/∂x``) before what it differentiates; the variable is one name.
_DERIVATIVE = re.compile(r"(?:\bd|∂)\s*/\s*(?:d|∂)\s*([A-Za-z_]\w*)\s*")
_SIDE_END = re.compile(r"(?<![=<>!:])=(?!=)|==")
_ALONE = re.compile(r"(?<![\w.])[A-Za-z](?![\w(])")


def as_python(text: str) -> str:
    """The claim with ``d/dx`` as ``diff(..., x)`` and products by juxtaposition written with ``*``."""
    sides = [_derivatives(side) for side in _sides(text)]
    alone = set(_ALONE.findall(text))
    return "".join(_explicit_products(side, alone) if index % 2 == 0 else side for index, side in enumerate(sides))


def _sides(text: str) -> list[str]:
    """The text cut at its relations: sides at even places, the relations between them at odd places."""
    pieces, start = [], 0
    for match in _SIDE_END.finditer(text):
        pieces += [text[start:match.start()], match.group()]
        start = match.end()
    return [*pieces, text[start:]]


def _derivatives(side: str) -> str:
    """``d/dx rest`` -> ``diff(rest, x)``: a derivative applies to the rest of its side."""
    match = _DERIVATIVE.search(side)
    if match is None:
        return side
    before, variable, rest = side[:match.start()], match.group(1), side[match.end():]
    trailing = rest[len(rest.rstrip()):]
    return f"{before}diff({_derivatives(rest).strip()}, {variable}){trailing}"


def _explicit_products(side: str, alone: set[str]) -> str:
    tokens = _TOKEN.findall(side)
    out: list[str] = []
    previous, spaced = "", False
    for token in tokens:
        if token.isspace():
            spaced = True
            out.append(token)
            continue
        if _juxtaposed(previous, token, spaced):
            while out and out[-1].isspace():
                out.pop()
            out.append("*")
        if _is_name(token) and len(token) > 1 and token not in FUNCTION_NAMES and set(token) <= alone:
            token = "*".join(token)  # 2ab beside a lone a and b: their product
        out.append(token)
        previous, spaced = token, False
    return "".join(out)


def _is_name(token: str) -> bool:
    return bool(token) and (token[0].isalpha() or token[0] == "_")


def _juxtaposed(previous: str, token: str, spaced: bool) -> bool:
    """Whether two tokens side by side multiply: ``2x``, ``2(``, ``)x``, ``)(``, ``w x``, ``x (``; a function
    name before its bracket is a call, before a space and a name it is left to the reader (``log x``)."""
    if not previous:
        return False
    starts_operand = _is_name(token) or token[0].isdigit() or token == "("
    if not starts_operand:
        return False
    if previous[0].isdigit():
        return not token[0].isdigit()
    if previous in (")", "]"):
        return True
    if _is_name(previous):
        if previous in FUNCTION_NAMES or previous.split("*")[-1] in FUNCTION_NAMES:
            return False
        return spaced
    return False
