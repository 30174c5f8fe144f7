r"""Matrices and cases written out: ``\begin{pmatrix} a & b \\ c & d \end{pmatrix}`` and ``\begin{cases} 1 & z > 0
\\ 0 & \text{otherwise} \end{cases}``.

A ``pmatrix``/``bmatrix``/``matrix`` (also ``vmatrix`` for a determinant) is an explicit matrix; ``cases`` is a
piecewise value, its conditions read as relations (a row without one, "otherwise", is the default). The notes
checker splits display math into rows at ``\\`` and drops ``&``: inside these environments both are first
replaced, character for character, by ``@@`` and ``#`` (:func:`protect_environments`), which the reader takes as
the row and column separators.

>>> from symml.checker.parse_latex import parse_latex
>>> parse_latex(r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}")[0][1]
Matrix([
[a, b],
[c, d]])
>>> parse_latex(r"\begin{cases} 1 & z > 0 \\ 0 & \text{otherwise} \end{cases}")[0][1]
Piecewise((1, z > 0), (0, True))
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp

__all__ = ["read_environment", "protect_environments", "ENVIRONMENTS"]

#: The environments read: matrices (by their delimiters) and cases.
ENVIRONMENTS = {"pmatrix", "bmatrix", "Bmatrix", "matrix", "vmatrix", "Vmatrix", "smallmatrix", "cases"}
_PROTECTED = re.compile(r"(\\begin\{(" + "|".join(sorted(ENVIRONMENTS)) + r")\})(.*?)(\\end\{\2\})", re.S)
_ROW = (("cmd", "\\"),)
_COLUMN = (("char", "&"), ("char", "#"))
_BOLD = {("cmd", "mathbf"), ("cmd", "boldsymbol"), ("cmd", "bm"), ("cmd", "bf")}


def protect_environments(text: str) -> str:
    """``text`` with ``\\\\`` and ``&`` inside matrices and cases replaced by ``@@`` and ``#`` (same length, so
    line numbers and positions are kept)."""
    return _PROTECTED.sub(lambda m: m.group(1) + m.group(3).replace("\\\\", "@@").replace("&", "#") + m.group(4),
                          text)


def read_environment(reader: Any) -> Any:
    """After ``\\begin``: the environment's value (an explicit matrix, a determinant, or a Piecewise)."""
    name = reader.word()
    if name not in ENVIRONMENTS:
        raise reader.error(f"the environment {name} is not read")
    rows = _cells(reader, name)
    if name == "cases":
        pieces = []
        for cells in rows:
            value = reader.sub_reader(cells[0]).expression()
            condition = _condition(reader, cells[1] if len(cells) > 1 else [])
            pieces.append((value, condition))
        return sp.Piecewise(*pieces)
    values = [[reader.sub_reader(cell).expression() for cell in cells] for cells in rows]
    if any(_a_block(cell, value) for cells, row in zip(rows, values) for cell, value in zip(cells, row)):
        raise reader.error("a block matrix (an entry is a bold vector or matrix) is not read as a matrix of numbers")
    if len({len(cells) for cells in values}) != 1:
        raise reader.error("the rows of the matrix have different lengths")
    matrix = sp.ImmutableMatrix(values)
    return matrix.det() if name in ("vmatrix", "Vmatrix") else matrix


def _a_block(tokens: list[tuple[str, str]], value: Any) -> bool:
    """Whether a cell is a bold name alone (``\\mathbf{x}_a``, ``\\boldsymbol{\\Sigma}_{ab}``): by the notes' convention
    a vector or a matrix, so the matrix it sits in is a block matrix, never a matrix of numbers."""
    return bool(tokens) and tokens[0] in _BOLD and isinstance(value, (sp.Symbol, sp.Indexed))


def _cells(reader: Any, name: str) -> list[list[list[tuple[str, str]]]]:
    """The tokens of each cell, row by row, up to ``\\end{name}``."""
    rows: list[list[list[tuple[str, str]]]] = [[[]]]
    depth = 0
    while True:
        token = reader.take()
        if token[0] == "end":
            raise reader.error(f"\\begin{{{name}}} without its \\end")
        if token == ("cmd", "begin"):
            depth += 1
        if token == ("cmd", "end"):
            if depth == 0:
                reader.word()
                break
            depth -= 1
        if depth == 0 and (token in _ROW or (token == ("char", "@") and reader.peek() == ("char", "@"))):
            if token == ("char", "@"):
                reader.take()
            rows.append([[]])
        elif depth == 0 and token in _COLUMN:
            rows[-1].append([])
        else:
            rows[-1][-1].append(token)
    return [cells for cells in rows if any(cells)]


def _condition(reader: Any, tokens: list[tuple[str, str]]) -> Any:
    """The condition of a case: a relation (``z > 0``, ``x \\le 1``) or a chain of them (``0 < x < \\theta``, each
    neighbouring pair holding: Hogg's support of a uniform); none ("otherwise", dropped text) is True."""
    tokens = _without_text(tokens)
    if not tokens:
        return sp.true
    sides = reader.sub_reader(tokens).chain()
    relations = {">": sp.StrictGreaterThan, "<": sp.StrictLessThan, "≥": sp.GreaterThan, "≤": sp.LessThan}
    if len(sides) < 2 or any(relation not in relations for relation, _ in sides[1:]):
        raise reader.error("a case's condition must be a relation or a chain of them (z > 0, 0 < x \\le 1)")
    return sp.And(*(relations[relation](left, right) for (_, left), (relation, right) in zip(sides, sides[1:])))


def _without_text(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The tokens without ``\\text{...}`` groups ("if", "otherwise") and commas."""
    kept, index = [], 0
    while index < len(tokens):
        if tokens[index] in (("cmd", "text"), ("cmd", "textrm"), ("cmd", "mbox")) and \
                tokens[index + 1:index + 2] == [("char", "{")]:
            index = tokens.index(("char", "}"), index) + 1
            continue
        if tokens[index] != ("char", ","):
            kept.append(tokens[index])
        index += 1
    return kept
