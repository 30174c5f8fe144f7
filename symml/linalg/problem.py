"""The record a linear-algebra derivation carries, its inputs, and the helpers every factorisation shares.

``result`` of a linear-algebra derivation is a dict of named SymPy matrices or scalars (``{"Q": ..., "R": ...}``);
``numpy()`` evaluates all of them at values of the matrix's free symbols; ``verify()`` (in
:mod:`symml.linalg.verification`) checks them against numpy.linalg on the same matrix.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Callable, Sequence, TypeVar, cast

import numpy as np
import sympy as sp

from symml.budget import within
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError, ShapeError
from symml.render.printer import latex

__all__ = ["LinalgProblem", "as_matrix", "tidy", "finish", "numeric_result", "budgeted"]

F = TypeVar("F", bound=Callable[..., Any])

#: Budget of one whole linear-algebra derivation (closed forms of cubic and quartic roots can be huge).
DERIVE_SECONDS = 20.0


def budgeted(what: str) -> Callable[[F], F]:
    """Run the decorated derivation within DERIVE_SECONDS; past it, BudgetExceededError names ``what``."""
    def decorate(function: F) -> F:
        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            return within(DERIVE_SECONDS, what, function, *args, **kwargs)

        return cast(F, run)

    return decorate

#: Budget for simplifying one entry; past it the entry is kept as computed.
TIDY_SECONDS = 2.0
NUMBER_SECONDS = 0.1


@dataclass(frozen=True)
class LinalgProblem:
    """A linear-algebra derivation on one small explicit or symbolic matrix.

    Attributes:
        title: one line describing the problem.
        kind: "eigen", "diagonalize", "spectral", "lu", "qr", "svd", "projection", "norms", "determinant" or
            "inverse".
        matrix: the matrix (an explicit SymPy Matrix, entries numbers or symbols).
        rank: the truncation rank of an SVD's reconstruction error (None otherwise).
    """

    title: str
    kind: str
    matrix: sp.ImmutableMatrix
    rank: int | None = None


def as_matrix(A: Any, what: str, *, square: bool = False) -> sp.ImmutableMatrix:
    """A as an explicit SymPy matrix (from a Matrix or nested lists); symbolic shapes are refused."""
    if isinstance(A, sp.MatrixSymbol) or (isinstance(A, sp.MatrixExpr) and not isinstance(A, sp.MatrixBase)):
        raise ShapeError(f"the {what} needs an explicit matrix (sympy.Matrix of numbers or symbols), not the "
                         f"matrix expression {A} of shape {A.shape}")
    try:
        M = sp.ImmutableMatrix(A)
    except (TypeError, ValueError, sp.SympifyError):
        raise ShapeError(f"the {what} needs a matrix (sympy.Matrix or nested lists), not {A!r}") from None
    if M.rows == 0 or M.cols == 0:
        raise ShapeError(f"the {what} needs a non-empty matrix")
    if square and M.rows != M.cols:
        raise ShapeError(f"the {what} needs a square matrix; this one has shape {M.shape}")
    # floats become exact rationals, so that the steps are exact and comparisons with 0 are decisive
    return M.applyfunc(lambda a: sp.nsimplify(a, rational=True) if isinstance(a, sp.Float) else a)


def tidy(expr: Any) -> Any:
    """expr simplified (entrywise for matrices) within a small budget, else as it is."""
    def simplify(e: Any) -> Any:
        if not isinstance(e, sp.Expr) or e.is_Rational:
            return e
        if e.free_symbols:  # √((a − b)²) = |a − b| needs the square factored first
            e = e.replace(lambda t: t.is_Pow and t.exp == sp.S.Half, lambda t: sp.sqrt(sp.factor(t.base)))
            return sp.factor_terms(sp.simplify(e))
        if e.atoms(sp.Function) or any(p.exp.is_Rational and p.exp.q > 2 for p in e.atoms(sp.Pow)):
            # roots of cubics (cube roots, or cos of arccos): simplify costs 0.1-0.3 s each and gains nothing
            return sp.expand(e)
        try:  # a small number: square roots to rationalise, briefly
            return within(NUMBER_SECONDS, "simplifying a number", sp.simplify, e)
        except BudgetExceededError:
            return sp.expand(e)

    try:
        if isinstance(expr, sp.MatrixBase):
            return sp.ImmutableMatrix(within(TIDY_SECONDS * max(1, len(expr)), "simplifying a matrix",
                                             expr.applyfunc, simplify))
        return within(TIDY_SECONDS, "simplifying an entry", simplify, sp.sympify(expr))
    except BudgetExceededError:
        return expr


def _symbol_assumptions(A: sp.MatrixBase) -> list[str]:
    symbols = sorted(A.free_symbols, key=lambda s: s.name)
    return [f"entries ${', '.join(latex(s) for s in symbols)}$ are real"] if symbols else []


def finish(kind: str, A: sp.MatrixBase, steps: list[Step], result: dict, summary: list, *, what: str,
           assumptions: Sequence[str] = (), remarks: Sequence[str] = (), rank: int | None = None) -> Derivation:
    """The Derivation of a linear-algebra result: a LinalgProblem, the steps, the named results."""
    problem = LinalgProblem(title=f"{what} of {sp.sstr(A.tolist())}", kind=kind, matrix=sp.ImmutableMatrix(A), rank=rank)
    return Derivation(problem=problem, steps=tuple(steps), result=result, summary=tuple(summary),
                      assumptions=tuple(_symbol_assumptions(A) + list(assumptions)), remarks=tuple(remarks))


def numeric_result(problem: LinalgProblem, result: dict) -> Callable[..., dict[str, Any]]:
    """A function of the matrix's free symbols (by name) returning each named result as a NumPy value."""
    symbols = sorted(problem.matrix.free_symbols, key=lambda s: s.name)
    compiled = {name: sp.lambdify(symbols, value, modules="numpy") for name, value in result.items()}

    def evaluate(**values: Any) -> dict[str, Any]:
        args = [values[s.name] for s in symbols]
        out = {}
        for name, function in compiled.items():
            value = function(*args)
            out[name] = np.array(value, dtype=complex if np.iscomplexobj(value) else float)
        return out

    return evaluate
