r"""Shapes a claim implies about its letters, when nobody declared them.

``\nabla_w \|Xw - y\|^2 = 2X^T(Xw - y)`` says what its letters are: X is transposed, so a matrix; w is what a
scalar is differentiated by, and X multiplies it; y is subtracted from Xw, so it has Xw's shape. Read with every
letter a number, the claim only holds for numbers (the transposes are guesses), so it stays undecided. Here the
shapes are inferred by unification:

1. The letters that the reading as numbers had to guess about (transposed, inverted, under ``\operatorname{tr}``
   or ``\det``) are matrices; every other letter of the claim is a number or a matrix, whichever fits
   (a capital letter preferably a matrix, a small one preferably a number).
2. Each hypothesis is read again with its matrices given fresh sizes, and the sizes are unified over the
   expression: a product matches inner sizes, a sum and the two sides of the claim equal shapes, a transpose
   swaps them, a trace, determinant, inverse or power needs a square, a gradient a 1 x 1 function and has the
   variable's shape. The cheapest hypothesis whose sizes unify, with no matrix 1 x 1, wins.
3. Sizes left free are named (n, d, k, ...; a small letter's column is 1, a vector); the claim is then checked
   with matrix symbols of those shapes.

When no hypothesis unifies, nothing is inferred and the claim stays undecided: it is never called wrong on a
guessed shape.

>>> import sympy as sp
>>> from symml.checker.claims import check
>>> shapes = inferred_matrices(lambda names: check_sides(r"\nabla_w \|Xw - y\|^2 = 2X^T(Xw - y)", names),
...                            ["X", "w", "y"], {"X"})
>>> {name: m.shape for name, m in shapes.items()}
{'X': (n, d), 'w': (d, 1), 'y': (n, 1)}
"""
from __future__ import annotations

import dataclasses
import itertools
import re
from typing import Any, Callable, Iterable, Iterator, Mapping

import sympy as sp

from symml.checker.failures import SYMPY_FAILURES
from symml.checker.vocabulary import INDEX_LETTERS, SCALAR_READINGS
from symml.errors import SymmlError

__all__ = ["inferred_namespace", "with_inferred_shapes", "conventionally_definite", "inferred_matrices", "sizes_unknown",
           "guessed_matrices", "shape_candidates", "check_sides", "matrix_hypotheses"]

#: Names of sizes, in the order they are given to the free sizes of the inferred matrices.
_SIZE_NAMES = ("n", "d", "k", "m", "p", "q", "r", "s")
#: How many readings the search may try: each is a parse of the claim.
_MAX_READINGS = 48
#: Matrices that notation makes symmetric positive definite: covariances, precisions, kernels.
CONVENTIONALLY_SYMMETRIC = frozenset({"Sigma", "Lambda", "K"})

Reader = Callable[[Mapping[str, Any]], "tuple[Any, Any, list[str]]"]


def inferred_namespace(claim: tuple, left: Any, right: Any, doubts: Iterable[str],
                       given: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The caller's names with matrices of the shapes a one-string LaTeX claim implies, when reading it with its
    letters as numbers took a guess about a transpose or a matrix function; None otherwise."""
    if len(claim) != 1 or not isinstance(claim[0], str) or not any(
            doubt.startswith(SCALAR_READINGS) for doubt in doubts):
        return None
    candidates = shape_candidates(left, right, known=given)
    shapes = inferred_matrices(lambda names: check_sides(claim[0], names), candidates,
                               guessed_matrices(doubts, candidates), given)
    return None if shapes is None else {**(given or {}), **shapes}


def conventionally_definite(names: Mapping[str, Any], given: Mapping[str, Any] | None) -> list[Any]:
    """The inferred square matrices that notation makes symmetric positive definite (Sigma, Lambda, K)."""
    return [matrix for name, matrix in names.items() if name not in (given or {}) and name in CONVENTIONALLY_SYMMETRIC
            and isinstance(matrix, sp.MatrixSymbol) and matrix.shape[0] == matrix.shape[1]]


def with_inferred_shapes(verdict: Any, names: Mapping[str, Any], given: Mapping[str, Any] | None) -> Any:
    """The verdict with a note saying which shapes were inferred (the reader's check of what was assumed)."""
    inferred = [f"{name} ({' x '.join(map(str, matrix.shape))})" for name, matrix in names.items()
                if name not in (given or {})]
    definite = [str(m.name) for m in conventionally_definite(names, given)]
    note = "shapes inferred from the claim: " + ", ".join(inferred) + (
        f"; {', '.join(definite)} symmetric positive definite (notation)" if definite else "")
    return dataclasses.replace(verdict, notes=(*verdict.notes, note))


def check_sides(claim: str, names: Mapping[str, Any]) -> tuple[Any, Any, list[str]]:
    """The two sides of one LaTeX claim read with ``names`` known, and the guesses the reading took."""
    from symml.checker.claims import _read_sides, namespace_for  # claims use this module

    namespace = namespace_for((claim,), names)
    left, right = _read_sides((claim,), namespace)
    return left, right, namespace.doubts


def guessed_matrices(doubts: Iterable[str], candidates: Iterable[str]) -> set[str]:
    """The candidate names that a reading as numbers guessed about: transposed, inverted, traced as numbers."""
    scalar_readings = [doubt for doubt in doubts if doubt.startswith(SCALAR_READINGS)]
    return {name for name in candidates
            if any(re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", doubt)
                   for doubt in scalar_readings)}


def shape_candidates(*sides: Any, known: Mapping[str, Any] | None = None) -> list[str]:
    """The names of the sides that may stand for matrices: real symbols that are not indices, sizes or names
    the caller gave, in a stable order (capital letters first, then by name)."""
    names = {str(s) for side in sides if isinstance(side, sp.Basic) for s in side.free_symbols
             if isinstance(s, sp.Symbol) and not isinstance(s, sp.Dummy) and not s.is_integer}
    names -= set(known or {}) | set(INDEX_LETTERS)
    return sorted(names, key=lambda name: (not name[:1].isupper(), name))


def inferred_matrices(read: Reader, candidates: Iterable[str], matrices: set[str],
                      known: Mapping[str, Any] | None = None) -> dict[str, sp.MatrixSymbol] | None:
    """Matrix symbols for the names of a claim, of the shapes the claim implies; None when none fit.

    Args:
        read: reads the claim with given names known -> (left, right, doubts).
        candidates: the names that may be matrices.
        matrices: the names that must be (a reading as numbers guessed about them).
        known: the names the caller gave (used as they are, never renamed).
    """
    if not matrices:
        return None
    soft = {name: {name} for name in candidates if name not in matrices}
    for as_matrices in matrix_hypotheses(matrices, soft, _MAX_READINGS):
        shapes = _unified_shapes(read, as_matrices, known or {})
        if shapes is not None and _reads_at(read, {**(known or {}), **shapes}):
            return shapes
    return None


def matrix_hypotheses(matrices: set[str], soft: Mapping[str, set[str]], limit: int) -> Iterator[set[str]]:
    """The sets of names to read as matrices, cheapest first (at most ``limit``): ``matrices`` always, and each
    group of names in ``soft`` as the notation of its key prefers (a capital letter a matrix), then with one, two,
    ... groups read the other way."""
    keys = list(soft)
    tried = 0
    for cost in range(len(keys) + 1):
        for flipped in itertools.combinations(keys, cost):
            if tried >= limit:
                return
            tried += 1
            yield set(matrices).union(*(names for key, names in soft.items()
                                        if _prefers_matrix(key) != (key in flipped)))


def sizes_unknown(matrix: Any) -> bool:
    """Whether a matrix's sizes are still being inferred (each a fresh size or 1): it may be 1 x 1."""
    return all(isinstance(size, sp.Dummy) or size == 1 for size in matrix.shape)


def _reads_at(read: Reader, names: Mapping[str, Any]) -> bool:
    """Whether the claim reads at the named shapes, without a guess and with sides of one shape: the first
    reading let sums of a number and a matrix of unknown sizes pass as 1 x 1 (see :func:`sizes_unknown`)."""
    try:
        left, right, doubts = read(names)
    except SymmlError:
        return False
    except SYMPY_FAILURES:
        return False
    shapes = [getattr(side, "shape", (1, 1)) if isinstance(side, sp.MatrixExpr) else (1, 1) for side in (left, right)]
    return shapes[0] == shapes[1] and not any(doubt.startswith(SCALAR_READINGS) for doubt in doubts)


def _prefers_matrix(name: str) -> bool:
    """Notation: capital letters (X, A, Sigma) are matrices, small ones (w, y, lambda) numbers or vectors."""
    return name[:1].isupper()


def _unified_shapes(read: Reader, as_matrices: set[str], known: Mapping[str, Any]) -> dict[str, Any] | None:
    fresh = {name: sp.MatrixSymbol(name, sp.Dummy(f"rows_{name}", integer=True, positive=True),
                                   sp.Dummy(f"columns_{name}", integer=True, positive=True))
             for name in sorted(as_matrices)}
    try:
        left, right, doubts = read({**known, **fresh})
    except SymmlError:
        return None
    except SYMPY_FAILURES:
        return None
    if any(doubt.startswith(SCALAR_READINGS) for doubt in doubts):
        return None
    sizes = _Sizes()
    try:
        sizes.equal_shapes(sizes.shape(left), sizes.shape(right))
        for name, matrix in fresh.items():
            if name[:1].islower():  # a small letter is a column vector, unless the claim says otherwise
                sizes.prefer_one(matrix.shape[1])
    except _Conflict:
        return None
    if not all(_fits_notation(name, [sizes.find(size) for size in matrix.shape]) for name, matrix in fresh.items()):
        return None
    return _named(fresh, sizes, taken=set(known) | {str(s) for side in (left, right) if isinstance(side, sp.Basic)
                                                    for s in side.free_symbols})


def _named(fresh: dict[str, sp.MatrixSymbol], sizes: "_Sizes", taken: set[str]) -> dict[str, Any]:
    """The matrices at sizes named n, d, k, ... (a size unified with 1 is 1), names the claim uses skipped."""
    pool = (name for name in _SIZE_NAMES if name not in taken)
    named: dict[Any, Any] = {}
    result = {}
    for name, matrix in sorted(fresh.items(), key=lambda item: (item[0][:1].islower(), item[0])):
        shape = []
        for size in matrix.shape:
            root = sizes.find(size)
            if root not in named:
                named[root] = root if isinstance(root, sp.Integer) else sp.Symbol(next(pool), integer=True,
                                                                                  positive=True)
            shape.append(named[root])
        result[name] = sp.MatrixSymbol(name, *shape)
    return result


def _fits_notation(name: str, shape: list[Any]) -> bool:
    """A capital letter is a matrix (no size 1), a small one a column vector or a matrix (rows not 1): else the
    reading made the letter a number or a row in disguise, which the notation does not say."""
    return 1 not in shape if name[:1].isupper() else shape[0] != 1


class _Conflict(Exception):
    """Two sizes the claim needs equal cannot be (1 and 2), or a shape where a number is needed."""


class _Sizes:
    """Union-find over sizes: fresh size symbols and integers."""

    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, size: Any) -> Any:
        size = sp.sympify(size)
        while self.parent.get(size, size) != size:
            size = self.parent[size]
        return size

    def unify(self, a: Any, b: Any) -> None:
        a, b = self.find(a), self.find(b)
        if a == b:
            return
        if isinstance(a, sp.Integer) and isinstance(b, sp.Integer):
            raise _Conflict(f"{a} != {b}")
        if not isinstance(a, sp.Dummy) and not isinstance(b, sp.Dummy):
            raise _Conflict(f"{a} != {b}")  # two sizes the caller named differently
        if isinstance(a, sp.Dummy):
            self.parent[a] = b
        else:
            self.parent[b] = a

    def prefer_one(self, size: Any) -> None:
        if isinstance(self.find(size), sp.Dummy):
            self.unify(size, 1)

    def equal_shapes(self, a: tuple | None, b: tuple | None) -> None:
        a, b = a or (1, 1), b or (1, 1)  # a number compares with a 1 x 1 matrix
        self.unify(a[0], b[0])
        self.unify(a[1], b[1])

    def number(self, shape: tuple | None) -> None:
        """A value used as a number (a factor of a scalar expression, the function of a gradient): 1 x 1."""
        self.equal_shapes(shape, None)

    def shape(self, node: Any) -> tuple | None:
        """The shape of ``node`` (None for a number), unifying the sizes its parts need."""
        if not isinstance(node, sp.Basic):
            return None
        if isinstance(node, sp.MatrixExpr):
            return self._matrix_shape(node)
        if isinstance(node, (sp.Trace, sp.Determinant)):
            self.square(self.shape(node.arg))
            return None
        if isinstance(node, sp.Derivative):
            self.number(self.shape(node.expr))
            variable, order = node.variable_count[0]
            if not isinstance(variable, sp.MatrixExpr):
                return None
            if order == 1:
                return variable.shape
            self.unify(variable.shape[1], 1)  # the Hessian of a function of a vector
            return (variable.shape[0], variable.shape[0])
        if isinstance(node, sp.core.function.AppliedUndef):  # f(x) of a vector x: a number, whatever x is
            for arg in node.args:
                self.shape(arg)
            return None
        for arg in node.args:
            self.number(self.shape(arg))
        return None

    def square(self, shape: Any) -> Any:
        if shape is not None:
            self.unify(shape[0], shape[1])
        return shape

    def _matrix_shape(self, node: sp.MatrixExpr) -> tuple:
        if isinstance(node, sp.MatrixSymbol):
            return node.shape
        if isinstance(node, sp.Transpose):
            rows, columns = self._shape_of_matrix(node.arg)
            return (columns, rows)
        if isinstance(node, sp.Inverse):
            return self.square(self._shape_of_matrix(node.arg))
        if isinstance(node, sp.MatPow):
            self.number(self.shape(node.exp))
            return self.square(self._shape_of_matrix(node.base))
        if isinstance(node, sp.MatMul):
            shape = None
            for factor in node.args:
                factor_shape = self.shape(factor)
                if factor_shape is None:
                    continue
                if shape is not None:
                    self.unify(shape[1], factor_shape[0])
                shape = factor_shape if shape is None else (shape[0], factor_shape[1])
            return shape if shape is not None else node.shape
        if isinstance(node, (sp.MatAdd, sp.HadamardProduct)):
            shapes = [self._shape_of_matrix(term) for term in node.args]
            for shape in shapes[1:]:
                self.equal_shapes(shapes[0], shape)
            return shapes[0]
        matrix_args = [arg for arg in node.args if isinstance(arg, sp.MatrixExpr)]
        if len(matrix_args) == 1 and matrix_args[0].shape == node.shape:  # elementwise functions keep the shape
            return self._shape_of_matrix(matrix_args[0])
        for arg in node.args:
            self.shape(arg)
        return node.shape

    def _shape_of_matrix(self, node: Any) -> tuple:
        shape = self.shape(node)
        return shape if shape is not None else (sp.Integer(1), sp.Integer(1))
