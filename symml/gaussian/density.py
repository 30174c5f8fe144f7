"""A Gaussian density at matrix level, N(variable | mean, precision⁻¹), as a likelihood or a prior.

The variable is a vector symbol (shape (n, 1)), or a data matrix whose N rows are i.i.d. draws (shape (N, d), with
a (d, 1) mean): then the log-density is the sum over the rows, written with the ones vector 1 as a trace,

.. math:: \\log p(X) = \\tfrac N2 \\log\\det P - \\tfrac{Nd}2 \\log 2\\pi
          - \\tfrac12 \\operatorname{tr}\\left((X - 1\\mu^\\top) P (X - 1\\mu^\\top)^\\top\\right).

A scalar precision (β) stands for βI.

>>> import sympy as sp, symml
>>> N, M = symml.dims("N M")
>>> Phi, t, w = symml.matrix("Phi", N, M), symml.vector("t", N), symml.vector("w", M)
>>> Gaussian(t, Phi @ w, sp.Symbol("beta", positive=True)).precision
beta*I
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from symml.errors import ModelError, ShapeError
from symml.gaussian.completing_square import HALF, scalar
from symml.matrix_calculus.expressions import logdet, trace

__all__ = ["Gaussian"]


@dataclass(frozen=True)
class Gaussian:
    """N(variable | mean, precision⁻¹).

    Attributes:
        variable: a vector symbol (n, 1), or an (N, d) data matrix symbol of i.i.d. rows; a scalar symbol is
            taken as the 1 x 1 matrix symbol of its name.
        mean: shape (n, 1) (or (d, 1) for rows), a matrix expression; 0 for the zero vector. A 1 x 1 (or scalar)
            mean of an n x 1 variable makes it n rows of one value each: n scalar observations.
        precision: shape (n, n) (or (d, d)), a matrix expression, or a positive scalar meaning that times I.
    """

    variable: sp.MatrixSymbol
    mean: Any
    precision: Any
    #: how the record was read from a user's log-density (steps a derivation may show first), when it was
    reading: tuple = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.variable, sp.Symbol):  # a scalar observation is a 1 x 1 one
            object.__setattr__(self, "variable", sp.MatrixSymbol(self.variable.name, 1, 1))
        if not isinstance(self.variable, sp.MatrixSymbol):
            raise ShapeError(f"the variable of a Gaussian must be a vector or matrix symbol, not {self.variable!r}")
        mean = self.mean
        if (self.variable.shape[0] != 1 and self.variable.shape[1] == 1 and mean != 0
                and isinstance(mean, (int, float, sp.Expr)) and not isinstance(mean, MatrixExpr)):
            mean = scalar(mean)  # one mean for every entry of an n x 1 column: n i.i.d. rows of one value each
        object.__setattr__(self, "mean", mean)
        d = self.dimension
        mean = sp.ZeroMatrix(d, 1) if isinstance(self.mean, int) and self.mean == 0 else self.mean
        if d == 1 and isinstance(mean, (int, float, sp.Expr)) and not isinstance(mean, MatrixExpr):
            mean = scalar(mean)  # the scalar mean of a scalar variable
        precision = self.precision
        if not isinstance(precision, MatrixExpr):
            if not isinstance(precision, (int, float, sp.Expr)):  # never sympify a string: that would evaluate it
                raise ModelError(f"the precision of {self.variable.name} must be a matrix expression or a scalar "
                                 f"expression, not {type(precision).__name__}")
            precision = sp.sympify(precision) * sp.Identity(d)
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "precision", precision)
        if not isinstance(mean, MatrixExpr) or mean.shape != (d, 1):
            raise ShapeError(f"the mean of {self.variable.name} must have shape ({d}, 1), got "
                             f"{getattr(mean, 'shape', type(mean).__name__)}")
        if precision.shape != (d, d):
            raise ShapeError(f"the precision of {self.variable.name} must have shape ({d}, {d}), got {precision.shape}")

    @property
    def rows(self) -> bool:
        """Whether the variable is a data matrix of i.i.d. rows (not a single vector): (N, d) with d > 1, or an n x 1
        column whose mean is 1 x 1 (n scalar observations, PRML 2.3.6 written with matrices)."""
        rows, columns = self.variable.shape
        return columns != 1 or (rows != 1 and getattr(self.mean, "shape", None) == (1, 1))

    @property
    def dimension(self) -> Any:
        """The dimension of one draw: n for a vector, d for an (N, d) matrix of rows."""
        return self.variable.shape[1] if self.rows else self.variable.shape[0]

    def _logdet_precision(self) -> MatrixExpr:
        """log det of the precision; of c I it is d log c (the determinant of a scaled identity)."""
        coefficient, matrices = self.precision.as_coeff_matrices() if isinstance(self.precision, sp.MatMul) else (
            sp.S.One, [self.precision])
        if len(matrices) == 1 and isinstance(matrices[0], sp.Identity):
            return scalar(self.dimension * sp.log(coefficient))
        return logdet(self.precision)

    def log_density(self) -> MatrixExpr:
        """log N(variable | mean, precision⁻¹) with its normaliser, a 1 x 1 matrix expression."""
        count, d = (self.variable.shape[0], self.dimension) if self.rows else (1, self.dimension)
        normaliser = HALF * count * self._logdet_precision() - scalar(HALF * count * d * sp.log(2 * sp.pi))
        if self.rows:
            residual = self.variable - sp.OneMatrix(count, 1) @ self.mean.T
            return normaliser - HALF * trace(residual @ self.precision @ residual.T)
        residual = self.variable - self.mean
        return normaliser - HALF * (residual.T @ self.precision @ residual)
