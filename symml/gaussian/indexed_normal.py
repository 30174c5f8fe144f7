"""A scalar ``sympy.stats.Normal`` per element read as the vector Gaussian it states, the way SymPy accepts Bayesian
linear regression: SymPy's ``MultivariateNormal`` refuses a covariance that is a product or an inverse
(``Identity(N)/beta``: its argument check asks the product for ``is_positive_semidefinite``), but

- ``Normal("t", (Phi*w)[i, 0], 1/sqrt(beta))``, the i-th target with the i-th row of Φw as its mean, is N(t | Φw, β⁻¹I)
  over the vector t of all N targets (SymPy writes the element as Σ_k Φ_ik w_k, read back here as the product);
- ``Normal("t_new", (phi.T*w)[0, 0], 1/sqrt(beta))``, one new target, is the 1 x 1 Gaussian N(t_new | φᵀw, β⁻¹);
- ``Normal("W", 0, 1/sqrt(alpha))`` as the prior of a vector parameter w: its components i.i.d., N(w | 0, α⁻¹I).

>>> import sympy as sp, sympy.stats as st, symml
>>> N, M = symml.dims("N M")
>>> Phi, w = symml.matrix("Phi", N, M), symml.vector("w", M)
>>> beta, i = sp.Symbol("beta", positive=True), sp.Symbol("i", integer=True)
>>> record = indexed_gaussian(st.Normal("t", (Phi*w)[i, 0], 1/sp.sqrt(beta)))
>>> record.variable.shape, record.mean, record.precision
((N, 1), Phi*w, beta*I)
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices.expressions import MatrixExpr
from sympy.matrices.expressions.matexpr import MatrixElement

from symml.errors import ModelError
from symml.gaussian.density import Gaussian

__all__ = ["indexed_gaussian", "is_indexed_normal", "componentwise_prior"]


def _normal_arguments(model: Any) -> Any:
    """(mean, standard deviation) of a scalar sympy.stats Normal, or None."""
    distribution: Any = getattr(getattr(model, "pspace", None), "distribution", None)
    return distribution.args if type(distribution).__name__ == "NormalDistribution" else None


def is_indexed_normal(model: Any) -> bool:
    """Whether ``model`` is a scalar sympy.stats Normal whose mean is an element of a matrix expression."""
    arguments = _normal_arguments(model)
    return arguments is not None and arguments[0].has(MatrixElement)


def _precision(model: Any, standard_deviation: sp.Expr) -> sp.Expr:
    if standard_deviation.has(MatrixElement):
        raise ModelError(f"the standard deviation of {model} varies from element to element; a Gaussian over the "
                         "vector needs one noise precision")
    return sp.simplify(1 / standard_deviation**2)


def _element(expr: sp.Expr) -> tuple[MatrixExpr | None, Any]:
    """(E, r) with ``expr`` = E[r, 0] for a column expression E, or (None, expr) for a scalar free of elements."""
    if not expr.has(MatrixElement):
        return None, expr
    if isinstance(expr, MatrixElement):
        matrix, row, column = expr.args
        if column == 0 and matrix.shape[1] == 1:
            return matrix, row
        if row == 0 and matrix.shape[0] == 1:
            return matrix.T, column
        raise ModelError(f"{expr} is an element of a matrix, not of a vector")
    if isinstance(expr, sp.Sum) and len(expr.limits) == 1:
        return _product(expr)
    if isinstance(expr, sp.Mul):
        if _elements_in(expr) > 1:
            return _written_out_product([expr])
        coefficient, rest = expr.as_independent(MatrixElement, as_Add=False)
        matrix, row = _element(rest)
        return coefficient * matrix, row
    if isinstance(expr, sp.Add):
        products = [term for term in expr.args if _elements_in(term) > 1]
        parts = [_element(term) for term in expr.args if term not in products]
        parts += [_written_out_product(products)] if products else []
        rows = {row for matrix, row in parts if matrix is not None}
        if len(rows) != 1:
            raise ModelError(f"the terms of {expr} are elements at different positions {rows}")
        shape = next(matrix.shape for matrix, _ in parts if matrix is not None)
        return sp.MatAdd(*(matrix if matrix is not None else row * sp.OneMatrix(*shape) for matrix, row in parts)), \
            rows.pop()
    raise ModelError(f"{expr} is not read as an element of a matrix product")


def _elements_in(term: sp.Expr) -> int:
    return sum(isinstance(f, MatrixElement) for f in sp.Mul.make_args(term))


def _written_out_product(terms: list[sp.Expr]) -> tuple[MatrixExpr, Any]:
    """c Σ_k A[r, k] b[k, 0] written out term by term (SymPy expands (Phi*w)[i, 0] at numeric sizes: Phi[i, 0]*w[0, 0]
    + Phi[i, 1]*w[1, 0] + ...) as (c A b, r): one term for each column k of A, the same c, A, r and b in each."""
    found = set()
    for term in terms:
        coefficient, rest = term.as_independent(MatrixElement, as_Add=False)
        factors = sp.Mul.make_args(rest)
        vectors = [f for f in factors if isinstance(f, MatrixElement) and f.args[0].shape[1] == 1 and f.args[2] == 0]
        if len(factors) != 2 or not vectors or not all(isinstance(f, MatrixElement) for f in factors):
            raise ModelError(f"{term} is not a term of an element of a matrix times a vector")
        vector = vectors[-1]
        other = next(f for f in factors if f is not vector)
        if other in vectors:  # a[k, 0] b[k, 0]: a term of aᵀb, the row vector aᵀ's element (0, k)
            other = MatrixElement(other.args[0].T, 0, other.args[1])
        (matrix, row, column), (right, k, _) = other.args, vector.args
        if column != k:
            raise ModelError(f"{term} is not a term of an element of a matrix times a vector")
        found.add((coefficient, matrix, row, right, k))
    if len({entry[:4] for entry in found}) != 1:
        raise ModelError(f"{sp.Add(*terms)} is not one element of a matrix times a vector")
    coefficient, matrix, row, right, _ = next(iter(found))
    if {entry[4] for entry in found} != set(range(matrix.shape[1])) or matrix.shape[1] != right.shape[0]:
        raise ModelError(f"{sp.Add(*terms)} does not sum over every column of {matrix}")
    return coefficient * (matrix @ right), row


def _product(expr: sp.Sum) -> tuple[MatrixExpr, Any]:
    """Σ_k A[r, k] B[k, 0] (SymPy's element of a product) as (A B, r), each factor transposed where its index is k."""
    k, low, high = expr.limits[0]
    factors = [f for f in sp.Mul.make_args(expr.function) if isinstance(f, MatrixElement)]
    coefficient = sp.Mul(*(f for f in sp.Mul.make_args(expr.function) if not isinstance(f, MatrixElement)))
    if len(factors) != 2 or coefficient.has(k) or low != 0:
        raise ModelError(f"{expr} is not an element of a product of two matrices")
    (a, a_row, a_column), (b, b_row, b_column) = (f.args for f in factors)
    left, row = (a, a_row) if a_column == k else (a.T, a_column)
    right, column = (b, b_column) if b_row == k else (b.T, b_row)
    if column != 0 or right.shape[1] != 1 or sp.simplify(high - (left.shape[1] - 1)) != 0:
        raise ModelError(f"{expr} is not an element of a matrix times a vector")
    return coefficient * (left @ right), row


def indexed_gaussian(model: Any) -> Gaussian:
    """The likelihood N(t | E, β⁻¹I) of ``Normal("t", E[i, 0], 1/sqrt(beta))``: over the vector of all elements
    when i is a free index, over the single value (1 x 1) when E has one row."""
    mean, standard_deviation = _normal_arguments(model)
    vector, row = _element(mean)
    if vector is None:
        raise ModelError(f"the mean of {model} is not an element of a matrix expression")
    if isinstance(row, sp.Symbol):  # the i-th element: every element observed
        variable = sp.MatrixSymbol(str(model), vector.shape[0], 1)
    elif row == 0 and vector.shape[0] == 1:
        variable = sp.MatrixSymbol(str(model), 1, 1)
    else:
        raise ModelError(f"{model} observes the element {row} of {vector}; use a free index (i) for all of them")
    return Gaussian(variable, vector, _precision(model, standard_deviation))


def componentwise_prior(model: Any, parameter: sp.MatrixSymbol) -> Gaussian | None:
    """A scalar Normal prior on a vector parameter: its components i.i.d. (mean m·1, or the vector m when the mean
    is its i-th element), or None when ``model`` is no scalar Normal."""
    arguments = _normal_arguments(model)
    if arguments is None:
        return None
    mean, standard_deviation = arguments
    vector, row = _element(mean)
    if vector is None:
        vector = sp.ZeroMatrix(*parameter.shape) if mean == 0 else mean * sp.OneMatrix(*parameter.shape)
    elif not isinstance(row, sp.Symbol):
        raise ModelError(f"the prior mean {mean} of {parameter.name} must be the same for every component or the "
                         "i-th element of a vector")
    return Gaussian(parameter, vector, _precision(model, standard_deviation))
