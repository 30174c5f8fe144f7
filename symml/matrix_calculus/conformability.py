"""Conformability of a matrix expression, checked before it is differentiated.

SymPy builds ``X*y`` for X of shape (n, d) and y of shape (n, 1), and ``X*w + w`` for an (n, 1) plus a (d, 1),
without complaint when the sizes are symbols: it cannot prove d ≠ n. Differentiated as written, such a typo gives
a confident wrong answer (a gradient of 0 with respect to w). Sizes written as different symbols or different
numbers are taken to differ, and the product or sum is refused with the shapes named. A side of size 1 is allowed
to mismatch: a 1 x 1 product inside a longer one (``wᵀw X``) acts as a scalar, and
:func:`with_scalar_factors` makes it one: SymPy gives ``wᵀw X`` the shape (1, d) of its ends, not X's.

>>> import sympy as sp
>>> n, d = sp.symbols("n d", integer=True, positive=True)
>>> X, y = sp.MatrixSymbol("X", n, d), sp.MatrixSymbol("y", n, 1)
>>> check_conformable(X * y)
Traceback (most recent call last):
...
symml.errors.ShapeError: X*y multiplies a (n, d) matrix by a (n, 1) one: the inner sizes d and n differ
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.errors import ParameterError, ShapeError
from symml.matrix_calculus.dag import distinct_nodes

__all__ = ["check_conformable", "check_distinct_names", "with_scalar_factors"]


def check_conformable(expr: Any) -> None:
    """A ShapeError naming the first product or sum in ``expr`` whose sizes do not match."""
    for node in distinct_nodes(expr):  # each distinct node once: a tree walk of a deep composition grows like k²
        if isinstance(node, sp.MatMul):
            factors = [f for f in node.args if isinstance(f, sp.MatrixExpr)]
            for left, right in zip(factors, factors[1:]):
                inner = (left.shape[1], right.shape[0])
                if _differ(*inner):
                    raise ShapeError(f"{node} multiplies a {_shape(left)} matrix by a {_shape(right)} one: the inner "
                                     f"sizes {inner[0]} and {inner[1]} differ")
        elif isinstance(node, sp.Function) and not isinstance(node, sp.MatrixExpr):
            _check_scalar_function_of_matrices(node)
        elif isinstance(node, (sp.MatAdd, sp.HadamardProduct)):
            terms = [t for t in node.args if isinstance(t, sp.MatrixExpr)]
            for term in terms[1:]:
                if any(_differ(a, b) for a, b in zip(terms[0].shape, term.shape)):
                    what = "adds" if isinstance(node, sp.MatAdd) else "multiplies entrywise"
                    raise ShapeError(f"{node} {what} a {_shape(terms[0])} and a {_shape(term)} matrix: their shapes "
                                     "differ")


def _check_scalar_function_of_matrices(application: sp.Function) -> None:
    """SymPy builds ``exp(X*w)`` for an (n, 1) product as one opaque scalar; numpy users mean exp entrywise. Taken
    as written it cannot be differentiated, and ``symml.sum`` of it would be the thing itself: name the fix."""
    from symml.matrix_calculus.expressions import elementwise_name

    matrix = next((a for a in application.args if isinstance(a, sp.MatrixExpr) and a.shape != (1, 1)), None)
    if matrix is None:
        return
    name = elementwise_name(application.func(sp.Dummy())) if len(application.args) == 1 else None
    fix = (f"for the function applied to each entry write symml.{name}({matrix}) (as numpy's np.{name}), and "
           f"symml.sum(...) to add the entries up" if name else
           "symml applies exp, log, sigmoid, softplus, tanh, abs, relu, sqrt and power entrywise (symml.exp, ...)")
    raise ShapeError(f"{application} applies SymPy's scalar function {application.func} to the {_shape(matrix)} "
                     f"matrix {matrix}; {fix}")


def check_distinct_names(expr: Any) -> None:
    """A ParameterError when one name is both a size and a matrix of ``expr`` (a hidden size h beside a state
    vector h: numpy() would take two arguments named h)."""
    matrices = [node for node in distinct_nodes(expr) if isinstance(node, sp.MatrixSymbol)]
    sizes = {s.name for matrix in matrices for dim in matrix.shape for s in sp.sympify(dim).free_symbols}
    named = {matrix.name for matrix in matrices}
    clash = sorted(sizes & named)
    if clash:
        raise ParameterError(f"the name {clash[0]!r} is both a size and a matrix of {expr}: rename one "
                             f"(e.g. symml.dims(\"H\") for the size)")


def _differ(a: Any, b: Any) -> bool:
    return a != b and a != 1 and b != 1


def _shape(matrix: Any) -> str:
    return f"({matrix.shape[0]}, {matrix.shape[1]})"


def _one_by_one_run(factors: list, start: int) -> int | None:
    """The end of the shortest run of factors from ``start`` whose product is 1 x 1 (aᵀ b, or one 1 x 1 factor)."""
    if factors[start].shape[0] != 1:
        return None
    for end in range(start, len(factors)):
        if end > start and factors[end - 1].shape[1] != factors[end].shape[0]:
            return None
        if factors[end].shape[1] == 1:
            return end
    return None


def _misplaced_runs(factors: list) -> list[tuple[int, int]]:
    """The 1 x 1 runs of a product that sit where their neighbours need another size: scalars written first or
    between matrices (``logsumexp(z) 1``, ``wᵀw X``), not those that close a product (``X v wᵀ w``)."""
    runs, start = [], 0
    while start < len(factors):
        end = _one_by_one_run(factors, start)
        if end is None:
            start += 1
            continue
        before = start > 0 and factors[start - 1].shape[1] != 1
        after = end + 1 < len(factors) and factors[end + 1].shape[0] != 1
        if before or after:
            runs.append((start, end))
        start = end + 1
    return runs


def _factors(product: sp.MatMul) -> list:
    """The matrix factors of a product, a power of a non-square factor written out: SymPy merges (wᵀw) w into
    wᵀ w², a power of a vector, which only the 1 x 1 reading makes sense of."""
    factors: list = []
    for factor in product.as_coeff_matrices()[1]:
        base, exponent = (factor.base, factor.exp) if isinstance(factor, sp.MatPow) else (factor, sp.S.One)
        repeat = exponent.is_Integer and exponent > 1 and base.shape[0] != base.shape[1]
        factors.extend([base] * int(exponent) if repeat else [factor])
    return factors


def _scalar_factors(product: sp.MatMul) -> Any:
    from symml.matrix_calculus.algebra import Scalar

    coefficient = product.as_coeff_matrices()[0]
    factors = _factors(product)
    runs = _misplaced_runs(factors)
    if not runs:
        return product
    # a 1 x 1 matrix is its own transpose: aᵀ is written a
    scalars = [Scalar(sp.MatMul(*factors[a:b + 1]) if b > a else
                      factors[a].arg if isinstance(factors[a], sp.Transpose) else factors[a]) for a, b in runs]
    inside = {k for a, b in runs for k in range(a, b + 1)}
    rest = [f for k, f in enumerate(factors) if k not in inside]
    return sp.MatMul(sp.Mul(coefficient, *scalars), *rest)


def with_scalar_factors(expr: Any) -> Any:
    """``expr`` with each 1 x 1 run of a product that stands for a scalar written as a scalar factor.

    >>> d = sp.Symbol("d", integer=True, positive=True)
    >>> z, u = sp.MatrixSymbol("z", d, 1), sp.MatrixSymbol("u", d, 1)
    >>> with_scalar_factors(z.T * u * z).shape
    (d, 1)
    """
    def misplaced(node: Any) -> bool:
        return isinstance(node, sp.MatMul) and bool(_misplaced_runs(_factors(node)))

    nodes = list(distinct_nodes(expr))
    if any(misplaced(node) for node in nodes):
        expr = expr.replace(misplaced, _scalar_factors)
    if any(_takes_one_by_one(node) for node in nodes):
        expr = expr.replace(_takes_one_by_one, _with_scalar_arguments)
    return expr


def _takes_one_by_one(node: Any) -> bool:
    """A scalar function of a 1 x 1 matrix expression as SymPy builds it, exp(-(x - y)ᵀ(x - y)/2)."""
    from symml.matrix_calculus.algebra import SCALAR_ATOMS

    return isinstance(node, sp.Expr) and not isinstance(node, (sp.MatrixExpr, *SCALAR_ATOMS)) and \
        any(isinstance(arg, sp.MatrixExpr) and tuple(arg.shape) == (1, 1) for arg in node.args)


def _with_scalar_arguments(node: Any) -> Any:
    from symml.matrix_calculus.algebra import Scalar

    return node.func(*(Scalar(arg) if isinstance(arg, sp.MatrixExpr) else arg for arg in node.args))
