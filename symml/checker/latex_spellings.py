r"""One spelling for LaTeX that notes write in several ways, made before the claim is read.

- Unicode characters typed in the math (``∑_j``, ``∂C``, ``a − b``, ``σ^2``): the commands they stand for.
- Both scripts on one base, in either order: TeX attaches ``^`` and ``_`` to the same base, so ``\sigma^2_\varepsilon``
  is ``\sigma_\varepsilon^2``, ``a^L_j`` is ``a_j^L`` and ``x^T_i`` is ``x_i^T`` (the reader reads subscripts
  first).
- Decorations that leave the value as written: struck-out terms (``\cancel{x}``, ``\bcancel``, ``\xcancel``, and
  ``\cancelto{0}{x}``, whose ``x`` stays: that it vanishes is a claim of the notes, not part of the row) and colours
  (``\color{red}{x}``, ``\color{red} x``, ``\textcolor{red}{x}``), and the bold of plain TeX (``{\bf w}``).

>>> from symml.checker.latex_tokens import tokenize
>>> respelled(tokenize(r"\sigma^2_i"))
[('cmd', 'sigma'), ('char', '_'), ('letter', 'i'), ('char', '^'), ('num', '2')]
>>> unicode_as_latex("∑_j (y_j − a_j)^2")
'\\sum _j (y_j - a_j)^2'
"""
from __future__ import annotations

from typing import Callable

from symml.checker.latex_tokens import NAMED, TRANSPARENT

__all__ = ["respelled", "unicode_as_latex"]

_Token = tuple[str, str]

#: Unicode characters of typed mathematics and the LaTeX they stand for.
UNICODE = {"∑": r"\sum ", "∏": r"\prod ", "∂": r"\partial ", "−": "-", "·": r"\cdot ", "×": r"\times ",
           "≤": r"\le ", "≥": r"\ge ", "≠": r"\ne ", "∞": r"\infty ", "∈": r"\in ", "√": r"\sqrt ", "∇": r"\nabla ",
           "α": r"\alpha ", "β": r"\beta ", "γ": r"\gamma ", "δ": r"\delta ", "ε": r"\varepsilon ",
           "η": r"\eta ", "θ": r"\theta ", "λ": r"\lambda ", "μ": r"\mu ", "π": r"\pi ", "ρ": r"\rho ",
           "σ": r"\sigma ", "τ": r"\tau ", "φ": r"\phi ", "ω": r"\omega ", "Σ": r"\Sigma ", "𝔼": r"\mathbb{E}"}
#: Commands that strike a term out or colour it: the term is read as written.
_STRUCK = {"cancel", "bcancel", "xcancel"}
#: Font switches of plain TeX, ``{\bf w}``: bold, like ``\mathbf{w}``, which the reader reads through.
_FONT_SWITCHES = {"bf", "boldmath"}
#: Commands whose first braced argument is an annotation (the value a term cancels to, a colour), not math.
_ANNOTATED = {"cancelto", "color", "textcolor"}


def unicode_as_latex(text: str) -> str:
    """``text`` with the Unicode characters of typed mathematics written as LaTeX commands."""
    return "".join(UNICODE.get(character, character) for character in text)


def respelled(tokens: list[_Token], doubt: Callable[[str], None] = lambda reason: None) -> list[_Token]:
    """The tokens with decorations dropped and every ``^a_b`` written ``_b^a`` (see the module docstring);
    ``doubt`` is told of a term the notes cancel to a value."""
    tokens = _undecorated(tokens, doubt)
    position = 0
    while position < len(tokens):
        if tokens[position] == ("char", "^"):
            superscript_end = _script_end(tokens, position + 1)
            if superscript_end is not None and superscript_end < len(tokens) \
                    and tokens[superscript_end] == ("char", "_"):
                subscript_end = _script_end(tokens, superscript_end + 1)
                if subscript_end is not None:
                    superscript = tokens[position:superscript_end]
                    tokens[position:subscript_end] = tokens[superscript_end:subscript_end] + superscript
                    position = subscript_end
                    continue
        position += 1
    return tokens


def _undecorated(tokens: list[_Token], doubt: Callable[[str], None]) -> list[_Token]:
    kept: list[_Token] = []
    position = 0
    while position < len(tokens):
        kind, value = tokens[position]
        if kind == "cmd" and (value in _STRUCK or value in _FONT_SWITCHES):
            position += 1
        elif kind == "cmd" and value in _ANNOTATED and position + 1 < len(tokens) \
                and tokens[position + 1] == ("char", "{"):
            end = _group_end(tokens, position + 1)
            if value == "cancelto":
                doubt("a term cancelled to a value: the notes take it to vanish, symml reads it as written")
            position = end if end is not None else position + 1
        else:
            kept.append(tokens[position])
            position += 1
    return kept


def _script_end(tokens: list[_Token], start: int) -> int | None:
    """Where the script that starts at ``start`` ends (one letter, digit or command, a braced group, or a command
    with a braced argument such as ``\\mathrm{T}``); None for a script whose end is a guess (``x^ab``, ``x^23``)."""
    if start >= len(tokens):
        return None
    kind, value = tokens[start]
    if tokens[start] == ("char", "{"):
        return _group_end(tokens, start)
    if kind == "cmd" and value in NAMED | TRANSPARENT and start + 1 < len(tokens) \
            and tokens[start + 1] == ("char", "{"):
        return _group_end(tokens, start + 1)
    if kind in ("letter", "cmd") or (kind == "num" and len(value) == 1):
        return start + 1
    return None


def _group_end(tokens: list[_Token], start: int) -> int | None:
    """The position after the brace that closes the group opening at ``start``."""
    depth = 0
    for position in range(start, len(tokens)):
        if tokens[position] == ("char", "{"):
            depth += 1
        elif tokens[position] == ("char", "}"):
            depth -= 1
            if depth == 0:
                return position + 1
    return None
