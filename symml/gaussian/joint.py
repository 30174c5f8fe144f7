"""A jointly Gaussian vector x = (x_a, x_b) given by its blocks, and the inverse of a 2 x 2 block matrix.

The inverse is not looked up: M X = I is written block by block and the two block equations of one block column
are solved at matrix level by the solving core (Bishop PRML 2.76–2.79 are its result, the Schur complement):

.. math:: M_{ba} X_{aa} + M_{bb} X_{ba} = 0 \\;\\Rightarrow\\; X_{ba} = -M_{bb}^{-1} M_{ba} X_{aa}, \\qquad
          M_{aa} X_{aa} + M_{ab} X_{ba} = I \\;\\Rightarrow\\; X_{aa} = (M_{aa} - M_{ab} M_{bb}^{-1} M_{ba})^{-1}.

>>> import symml
>>> d_a, d_b = symml.dims("d_a d_b")
>>> joint = JointGaussian.blocks(d_a, d_b)
>>> joint.cov_ab.shape
(d_a, d_b)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from symml.budget import SOLVE_SECONDS, within
from symml.derivation import Step
from symml.errors import ModelError, ShapeError
from symml.gaussian.completing_square import HALF, simplified
from symml.matrix_calculus.expressions import matrix, vector
from symml.optimize.matrix_solve import solve_linear_matrix_equation
from symml.render.printer import latex

__all__ = ["JointGaussian", "BlockInverse", "block_inverse", "check_blocks"]


def check_blocks(record: Any, vectors: tuple[str, str], shapes: Callable[[Any, Any], dict[str, tuple]]) -> None:
    """Refuse a record whose two ``vectors`` are not vector symbols, or whose blocks do not have the ``shapes``
    (given the two vectors' sizes), with a ShapeError naming the field."""
    for name in vectors:
        part = getattr(record, name)
        if not isinstance(part, sp.MatrixSymbol) or part.shape[1] != 1:
            raise ShapeError(f"{name} must be a vector symbol (symml.vector), not {part!r}")
    for name, shape in shapes(*(getattr(record, v).shape[0] for v in vectors)).items():
        block = getattr(record, name)
        if not isinstance(block, MatrixExpr) or block.shape != shape:
            got = getattr(block, "shape", type(block).__name__)
            raise ShapeError(f"{name} must be a matrix expression of shape {shape}, got {got}")


@dataclass(frozen=True)
class JointGaussian:
    """x = (x_a, x_b) ~ N((μ_a, μ_b), [[Σ_aa, Σ_ab], [Σ_abᵀ, Σ_bb]]), every block a matrix expression.

    Attributes:
        x_a, x_b: the two parts, vector symbols of shapes (d_a, 1) and (d_b, 1).
        mean_a, mean_b: their means, shapes (d_a, 1) and (d_b, 1).
        cov_aa, cov_ab, cov_bb: the covariance blocks, shapes (d_a, d_a), (d_a, d_b), (d_b, d_b); Σ_ba = Σ_abᵀ.
    """

    x_a: sp.MatrixSymbol
    x_b: sp.MatrixSymbol
    mean_a: MatrixExpr
    mean_b: MatrixExpr
    cov_aa: MatrixExpr
    cov_ab: MatrixExpr
    cov_bb: MatrixExpr

    def __post_init__(self) -> None:
        check_blocks(self, ("x_a", "x_b"), lambda d_a, d_b: {
            "mean_a": (d_a, 1), "mean_b": (d_b, 1), "cov_aa": (d_a, d_a), "cov_ab": (d_a, d_b), "cov_bb": (d_b, d_b)})

    @classmethod
    def blocks(cls, d_a: Any, d_b: Any, a: str = "a", b: str = "b") -> "JointGaussian":
        """The joint with symbols named as in PRML 2.3: x_a, μ_a, Σ_aa (symmetric), Σ_ab, Σ_bb (symmetric), ..."""
        return cls(vector(f"x_{a}", d_a), vector(f"x_{b}", d_b), vector(f"mu_{a}", d_a), vector(f"mu_{b}", d_b),
                   matrix(f"Sigma_{a}{a}", d_a, d_a, symmetric=True), matrix(f"Sigma_{a}{b}", d_a, d_b),
                   matrix(f"Sigma_{b}{b}", d_b, d_b, symmetric=True))

    def part(self, x: Any) -> str:
        """"a" or "b": which part ``x`` is; a ModelError for anything else."""
        if x == self.x_a:
            return "a"
        if x == self.x_b:
            return "b"
        raise ModelError(f"{x!r} is not a part of the joint Gaussian: give {self.x_a.name} or {self.x_b.name}")

    def swapped(self) -> "JointGaussian":
        """The same joint with the parts in the other order (x_b, x_a)."""
        return JointGaussian(self.x_b, self.x_a, self.mean_b, self.mean_a, self.cov_bb, self.cov_ab.T, self.cov_aa)

    @property
    def inputs(self) -> list:
        """The matrix symbols the blocks are made of, by name."""
        blocks = (self.mean_a, self.mean_b, self.cov_aa, self.cov_ab, self.cov_bb)
        return sorted({s for block in blocks for s in block.atoms(sp.MatrixSymbol)}, key=lambda s: s.name)

    @property
    def labels(self) -> tuple[str, str]:
        """The labels of the parts ("a", "b" for x_a, x_b), as the block names use them."""
        return self.x_a.name.removeprefix("x_"), self.x_b.name.removeprefix("x_")

    def precision_blocks(self) -> tuple[sp.MatrixSymbol, sp.MatrixSymbol, sp.MatrixSymbol]:
        """Symbols Λ_aa, Λ_ab, Λ_bb for the blocks of Λ = Σ⁻¹ (Λ_ba = Λ_abᵀ: Λ is symmetric)."""
        a, b = self.labels
        d_a, d_b = self.x_a.shape[0], self.x_b.shape[0]
        return (matrix(f"Lambda_{a}{a}", d_a, d_a, symmetric=True), matrix(f"Lambda_{a}{b}", d_a, d_b),
                matrix(f"Lambda_{b}{b}", d_b, d_b, symmetric=True))

    def log_density_in_precision(self) -> MatrixExpr:
        """−½ (x − μ)ᵀ Λ (x − μ) written in the blocks of Λ (the normaliser, free of x, left out)."""
        P_aa, P_ab, P_bb = self.precision_blocks()
        u, v = self.x_a - self.mean_a, self.x_b - self.mean_b
        return -HALF * (u.T @ P_aa @ u + u.T @ P_ab @ v + v.T @ P_ab.T @ u + v.T @ P_bb @ v)


@dataclass(frozen=True)
class BlockInverse:
    """The first block column of X = M⁻¹: X_aa and X_ba, with the steps that solved M X = I for them."""

    upper: MatrixExpr
    lower: MatrixExpr
    steps: tuple[Step, ...]
    condition: str


def block_inverse(M_aa: Any, M_ab: Any, M_bb: Any, X_aa: sp.MatrixSymbol, X_ba: sp.MatrixSymbol,
                  of: str) -> BlockInverse:
    """Solve [[M_aa, M_ab], [M_abᵀ, M_bb]] X = I for the blocks X_aa, X_ba of X's first block column.

    ``of`` names M in the steps ("\\Sigma").
    """
    lower_equation = simplified(M_ab.T @ X_aa + M_bb @ X_ba)
    lower = within(SOLVE_SECONDS, f"solving a block equation for {X_ba.name}", solve_linear_matrix_equation,
                   lower_equation, X_ba)
    if lower.solution is None:
        raise ModelError(f"the block equation for {X_ba.name} has no unique solution: {lower.reason}")
    identity = sp.Identity(X_aa.shape[0])
    upper_equation = simplified(M_aa @ X_aa + M_ab @ lower.solution - identity)
    upper = within(SOLVE_SECONDS, f"solving a block equation for {X_aa.name}", solve_linear_matrix_equation,
                   upper_equation, X_aa)
    if upper.solution is None:
        raise ModelError(f"the block equation for {X_aa.name} has no unique solution: {upper.reason}")
    zero = sp.ZeroMatrix(*X_ba.shape)
    steps = (
        Step(f"Invert ${of}$ block by block",
             (sp.Eq(simplified(M_ab.T @ X_aa + M_bb @ X_ba), zero, evaluate=False),
              sp.Eq(simplified(M_aa @ X_aa + M_ab @ X_ba), identity, evaluate=False)),
             f"the first block column of ${of}\\,{of}^{{-1}} = I$"),
        Step(f"Solve for ${latex(X_ba)}$", sp.Eq(X_ba, lower.solution, evaluate=False),
             lower.condition or "the equation is linear in the unknown"),
        Step(f"Substitute and solve for ${latex(X_aa)}$", sp.Eq(X_aa, upper.solution, evaluate=False),
             (upper.condition + ": the Schur complement") if upper.condition else "the Schur complement"),
    )
    return BlockInverse(upper.solution, simplified(lower.solution.xreplace({X_aa: upper.solution})), steps,
                        "; ".join(c for c in (lower.condition, upper.condition) if c))
