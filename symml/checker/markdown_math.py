r"""Display math as Markdown left it: the LaTeX a renderer changed before the notes reached symml, restored.

Markdown reads the math of a ``.md`` file as text first, so notes that render well can hold LaTeX the author never
wrote:

- ``**\pi**``: the source's ``\boldsymbol\pi`` (or ``**`` meant as bold) that Markdown turned into bold, read as
  the bold name ``\boldsymbol{\pi}``; ``\mathbb{E_**Z**}`` is the expectation ``\mathbb{E}_{Z}``;
- a comma glued to a factor (``\tfrac12,\alpha^\top K\alpha``): the thin space ``\,`` whose backslash Markdown ate
  (``\,`` is an escaped comma in CommonMark). Only a comma at the top level of a right-hand side, followed by a
  name or a command and by no other relation, is read so, and the row carries the guess (never reported wrong);
- ``\boxed{...}``: the box drawn around a result, whose closing brace may be on a row the claim does not reach;
- a blockquote's ``>`` at the start of each line (a result set apart as a quote, ``> $$ w_n = ... $$``): Markdown's,
  not the math's (:func:`without_blockquotes`, on the whole text, keeps lines and columns);
- kramdown's escapes (Jekyll blogs write ``\mathbb{E}\_{p(x \| t)}``, ``\theta^\*`` so that Markdown leaves the math
  alone): ``\_`` and ``\*`` are ``_`` and ``*`` (neither means anything else in math), and ``\|`` is the bar ``|``
  when it is the only one inside a pair of brackets (``p(x \| t)``: a conditional; ``\|w\|`` stays a norm).

>>> restore(r"p(X|**\pi**) = \tfrac12,\alpha^\top K \alpha")
('p(X|{\\boldsymbol{\\pi}}) = \\tfrac12 \\, \\alpha^\\top K \\alpha', ["read ',' as the thin space \\, that Markdown removed"])
>>> restore(r"\boxed{ L(\alpha) = \sum_i \alpha_i")[0]
'L(\\alpha) = \\sum_i \\alpha_i'
>>> restore(r"\mathbb{E}\_{p(x \| t)}[\theta^\*] = \|w\|")[0]
'\\mathbb{E}_{p(x | t)}[\\theta^*] = \\|w\\|'
"""
from __future__ import annotations

import re
from itertools import accumulate

__all__ = ["restore", "without_blockquotes"]

#: ``**x**``, ``**\pi**``: a name Markdown made bold.
_BOLD = re.compile(r"\*\*\s*(\\?[A-Za-z]+)\s*\*\*")
#: ``\mathbb{E_Z}``: the law's subscript written inside the font.
_EXPECTATION_INSIDE_FONT = re.compile(r"\\mathbb\s*\{\s*E\s*_\s*(\{[^{}]*\}|\*\*\\?[A-Za-z]+\*\*|\\?[A-Za-z]+)\s*\}")
_BOXED = re.compile(r"\\boxed\s*\{")
#: kramdown's escapes of ``_`` and ``*``, and a lone escaped bar inside brackets (a conditional, not a norm).
_ESCAPED = re.compile(r"\\([_*])")
_ESCAPED_BAR = re.compile(r"(\([^()|]*)\\\|([^()|]*\))")
_RELATION = re.compile(r"[=<>]|\\(?:neq?|leq?|geq?|approx|propto|coloneqq|triangleq|equiv|in|sim)(?![A-Za-z])")
#: What may follow a comma that stands for ``\,``: a name or a command that starts a factor (not an ellipsis).
_FACTOR_AFTER = re.compile(r"\s*(?:[A-Za-z]|\\(?!(?:[lc]?dots|ldots|quad|qquad|text|mbox|forall)(?![A-Za-z]))[A-Za-z]+)")
THIN_SPACE_GUESS = "read ',' as the thin space \\, that Markdown removed"


#: The markers of a (nested) blockquote at the start of a line.
_BLOCKQUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.M)


def without_blockquotes(text: str) -> str:
    r"""Markdown text with the blockquote markers at the starts of its lines blanked (same lines and columns).

    >>> without_blockquotes("> $$\n> a = b\n> $$")
    '  $$\n  a = b\n  $$'
    """
    return _BLOCKQUOTE.sub(lambda match: " " * len(match.group()), text)


def restore(row: str) -> tuple[str, list[str]]:
    """The row with Markdown's changes undone (see the module), and the guesses that took."""
    row = _ESCAPED_BAR.sub(r"\1|\2", _ESCAPED.sub(r"\1", row))
    row = _EXPECTATION_INSIDE_FONT.sub(r"\\mathbb{E}_{\1}", row)
    row = _BOLD.sub(r"{\\boldsymbol{\1}}", row)
    row = _unboxed(row).strip()
    return _thin_spaces(row)


def _unboxed(row: str) -> str:
    """``\\boxed{a = b}`` -> ``a = b`` (its closing brace dropped too when the row holds it)."""
    match = _BOXED.search(row)
    while match is not None:
        depth, end = 1, None
        for position in range(match.end(), len(row)):
            depth += {"{": 1, "}": -1}.get(row[position], 0)
            if depth == 0:
                end = position
                break
        row = row[:match.start()] + (row[match.end():] if end is None else row[match.end():end] + row[end + 1:])
        match = _BOXED.search(row)
    return row


def _thin_spaces(row: str) -> tuple[str, list[str]]:
    """Commas at the top level of a right-hand side, followed by a factor and by no other relation: ``\\,``."""
    relations = [position for position in _top_level(row) if _RELATION.match(row, position)]
    commas = [position for position in _top_level(row) if row[position] == "," and row[position - 1:position] != "\\"
              and relations and relations[0] < position and relations[-1] < position
              and _FACTOR_AFTER.match(row, position + 1)]
    if not commas:
        return row, []
    pieces = [row[start + 1:end] for start, end in zip([-1, *commas], [*commas, len(row)])]
    return " \\, ".join(piece.strip() for piece in pieces), [THIN_SPACE_GUESS]


def _top_level(row: str) -> list[int]:
    """The positions of ``row`` outside every bracket and brace."""
    depths = accumulate(1 if character in "([{" else -1 if character in ")]}" else 0 for character in row)
    return [position for position, (character, depth) in enumerate(zip(row, depths))
            if depth == 0 and character not in ")]}"]
