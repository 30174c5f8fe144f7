r"""Shapes of a notes file's letters, inferred from all its rows at once.

Notes rarely declare their matrices: they write ``x^\top (I + W^\top W) x`` on one row and ``W^\top (t - \mu)`` on
the next, and the rows share one namespace. Read with every letter a number, a row that transposes or inverts
something only holds for numbers (a guess), so it stays undecided. Here, as :mod:`symml.checker.shape_inference`
does for one typed claim, the shapes are inferred by unification, but over the file:

1. The rows whose reading as numbers took a guess about a transpose or a matrix function are grouped by the
   names they share (each group one topic of the notes); a group's names are matrices where a guess was about
   them, else a number or a matrix, whichever fits (a capital letter preferably a matrix, a small one a vector).
2. Each hypothesis is read on every row of the group and on every other row that writes one of its names, with
   the same fresh sizes for a name wherever it appears: a symbol is one shape across the file. The cheapest
   hypothesis under which every such row reads without a guess and unifies wins; ``I`` beside matrices is the
   identity of the size it needs.
3. When no hypothesis fits every row (the rows disagree, or one of them is not read at matrix level), the group
   keeps its reading as numbers: its rows stay undecided, never decided on a guessed shape.

>>> from symml.checker.notes import notes_namespace
>>> text = r"$$ x^\top (I + W^\top W) x = x^\top x + (Wx)^\top (Wx) $$"
>>> namespace = notes_namespace(text)
>>> shapes = declare_file_shapes(text, "md", namespace)
>>> {name: shapes[name].shape for name in sorted(shapes)}
{'I': (d, d), 'W': (n, d), 'x': (d, 1)}
"""
from __future__ import annotations

import copy
import itertools
import re
from typing import Any, Iterable

import sympy as sp

from symml.checker.failures import SYMPY_FAILURES
from symml.checker.shape_inference import (CONVENTIONALLY_SYMMETRIC, _Conflict, _fits_notation, _Sizes,
                                           guessed_matrices, matrix_hypotheses, shape_candidates)
from symml.checker.vocabulary import SCALAR_READINGS, Namespace
from symml.errors import SymmlError

__all__ = ["declare_file_shapes", "definite_file_matrices"]

#: Names given to the free sizes, in order (a name the notes write is skipped).
_SIZE_NAMES = ("d", "n", "k", "m", "p", "q", "r", "s")
#: How many hypotheses a group may try: each reads every row of the group.
_MAX_HYPOTHESES = 24
#: How many rows a group may have: a longer one is a whole file of matrix algebra, left to declarations.
_MAX_ROWS = 40
_IDENTITY = "I"


def declare_file_shapes(text: str, kind: str, namespace: Namespace) -> dict[str, Any]:
    """Infer the shapes of the letters the rows of ``text`` transpose or invert (see the module docstring), put
    their matrix symbols in ``namespace`` (its known names, with the inference said in ``assumed``) and return
    them by name; nothing when the notes declare their own matrices."""
    if any(isinstance(value, sp.MatrixExpr) for value in namespace.known.values()):
        return {}
    rows = _claims(text, kind)
    readings = [(row, _read(row, namespace, {})) for row in rows]
    readings = [(row, reading) for row, reading in readings if reading is not None]
    inferred: dict[str, Any] = {}
    for group in _groups(readings, namespace):
        shapes = _group_shapes(group, readings, namespace)
        if shapes:
            inferred.update(shapes)
    if not inferred:
        return {}
    _name_sizes(inferred, namespace)
    namespace.known.update(inferred)
    namespace.assumed.append("shapes inferred from the rows: " + ", ".join(
        f"{name} ({' x '.join(map(str, m.shape))})" for name, m in inferred.items()))
    return inferred


def definite_file_matrices(inferred: dict[str, Any]) -> list[Any]:
    """The inferred square matrices that notation makes symmetric positive definite (Sigma, Lambda, K)."""
    return [m for name, m in inferred.items() if name in CONVENTIONALLY_SYMMETRIC
            and isinstance(m, sp.MatrixSymbol) and m.shape[0] == m.shape[1]]


def _claims(text: str, kind: str) -> list[str]:
    """The claims of the display rows, as the notes checker reads them (declarations left out)."""
    from symml.checker.markdown_math import restore
    from symml.checker.notes import _claim_of, _declaration, display_rows  # the checker calls this module

    claims = []
    for block in display_rows(text, kind):
        for _, row in block:
            claim = restore(_claim_of(row)[0])[0]
            if claim and not _declaration(claim):
                claims.append(claim)
    return claims


def _read(row: str, namespace: Namespace, names: dict[str, Any]) -> tuple[list[Any], list[str]] | None:
    """The sides of one row read in a scratch copy of ``namespace`` with ``names`` known, and its guesses; None
    when the row is not read."""
    from symml.checker.parse_latex import parse_latex  # the reader imports the checker's modules

    scratch = _scratch(namespace)
    scratch.known.update(names)
    try:
        sides = parse_latex(row, scratch)
    except SymmlError:
        return None
    except SYMPY_FAILURES:
        return None
    return [side for _, side in sides], list(scratch.doubts)


def _scratch(namespace: Namespace) -> Namespace:
    scratch = copy.copy(namespace)
    for attribute, value in vars(namespace).items():
        if isinstance(value, (dict, list, set)):
            setattr(scratch, attribute, copy.copy(value))
    scratch.doubts = []
    return scratch


def _guessing(doubts: Iterable[str]) -> bool:
    return any(doubt.startswith(SCALAR_READINGS) for doubt in doubts)


def _candidates(sides: list[Any], namespace: Namespace) -> list[str]:
    """The names of a row that may be matrices: not written with an index elsewhere (data), not sizes."""
    return [name for name in shape_candidates(*sides) if name not in namespace.vectors
            and name not in namespace.upper_limits and name not in namespace.assumptions]


def _groups(readings: list[tuple[str, Any]], namespace: Namespace) -> list[tuple[set[str], set[str]]]:
    """The guessing rows grouped by shared names: (the names that must be matrices, every candidate name)."""
    groups: list[tuple[set[str], set[str]]] = []
    for _, (sides, doubts) in readings:
        if not _guessing(doubts):
            continue
        candidates = set(_candidates(sides, namespace))
        must = guessed_matrices(doubts, candidates)
        if not must:
            continue
        joined = [group for group in groups if group[1] & candidates]
        for group in joined:
            groups.remove(group)
            must |= group[0]
            candidates |= group[1]
        groups.append((must, candidates))
    return groups


def _group_shapes(group: tuple[set[str], set[str]], readings: list[tuple[str, Any]],
                  namespace: Namespace) -> dict[str, Any] | None:
    """The cheapest shapes of the group's names under which every row writing one of them reads and unifies."""
    must, candidates = group
    rows = [row for row, (sides, _) in readings if candidates & set(_candidates(sides, namespace))]
    candidates = candidates.union(*(_candidates(sides, namespace) for row, (sides, _) in readings if row in rows))
    if len(rows) > _MAX_ROWS:
        return None
    identity = namespace.known.get(_IDENTITY) == 1
    families: dict[str, set[str]] = {}  # x, x_1, x_p: one letter, one kind (vectors or numbers together)
    for name in sorted(candidates - must):
        families.setdefault(re.split(r"[_^]", name)[0], set()).add(name)
    for as_matrices in matrix_hypotheses(must, dict(sorted(families.items())), _MAX_HYPOTHESES):
        shapes = _unified(rows, as_matrices, identity, namespace)
        if shapes is not None:
            return shapes
    return None


def _unified(rows: list[str], as_matrices: set[str], identity: bool, namespace: Namespace) -> dict[str, Any] | None:
    """The matrices (with fresh sizes, unified over every row) when each row reads without a guess; else None."""
    fresh: dict[str, Any] = {name: sp.MatrixSymbol(name, sp.Dummy(f"rows_{name}", integer=True, positive=True),
                                                   sp.Dummy(f"columns_{name}", integer=True, positive=True))
                             for name in sorted(as_matrices)}
    if identity:
        fresh[_IDENTITY] = sp.Identity(sp.Dummy("size_I", integer=True, positive=True))
    sizes = _Sizes()
    for row in rows:
        reading = _read(row, namespace, fresh)
        if reading is None or _guessing(reading[1]):
            return None
        sides = reading[0]
        try:
            shapes = [sizes.shape(side) for side in sides]
            for shape in shapes[1:]:
                sizes.equal_shapes(shapes[0], shape)
        except _Conflict:
            return None
    try:
        for name, matrix in fresh.items():
            if name[:1].islower():  # a small letter is a column vector unless a row says otherwise
                sizes.prefer_one(matrix.shape[1])
    except _Conflict:
        return None
    found = {name: tuple(sizes.find(size) for size in matrix.shape) for name, matrix in fresh.items()}
    if not all(_fits_notation(name, list(shape)) for name, shape in found.items() if name != _IDENTITY):
        return None
    return {name: _Unnamed(shape, name == _IDENTITY) for name, shape in found.items()}


class _Unnamed:
    """A matrix whose sizes are unified but not yet named."""

    def __init__(self, shape: tuple, identity: bool) -> None:
        self.shape, self.identity = shape, identity


def _name_sizes(inferred: dict[str, Any], namespace: Namespace) -> None:
    """Replace each unnamed matrix by its symbol, its free sizes named d, n, k, ... (names the notes write skipped)."""
    taken = set(namespace.letters) | set(namespace.known) | set(namespace.upper_limits)
    pool = itertools.chain((name for name in _SIZE_NAMES if name not in taken),
                           (f"d_{count}" for count in itertools.count(1) if f"d_{count}" not in taken))
    named: dict[Any, Any] = {}
    for name in sorted(inferred, key=lambda name: (name[:1].islower(), name)):
        unnamed = inferred[name]
        shape = []
        for size in unnamed.shape:
            if size not in named:
                named[size] = size if isinstance(size, sp.Integer) else sp.Symbol(next(pool), integer=True,
                                                                                  positive=True)
            shape.append(named[size])
        inferred[name] = sp.Identity(shape[0]) if unnamed.identity else sp.MatrixSymbol(name, *shape)
