"""Completing the square at matrix level: a log-density quadratic in a vector x is a Gaussian, read off by calculus.

For f(x) = −½ xᵀΛx + hᵀx + c (any sum of quadratic forms in matrix symbols of symbolic size), the matrix-calculus
engine gives the Hessian ∇²f = −Λ (constant: that is what "quadratic" means) and the gradient ∇f = h − Λx; the
stationarity condition ∇f = 0, solved at matrix level by the solving core, gives the mean μ with Λμ = ∇f|ₓ₌₀. Since
the Hessian is constant, Taylor's expansion at μ is exact, f(x) = f(μ) − ½(x − μ)ᵀΛ(x − μ), and the Gaussian
integral gives the normaliser (Bishop PRML 2.71; 2.115 and 3.85 are instances)

.. math:: \\log \\int e^{f(x)}\\,dx = f(0) + \\frac{1}{2} h^\\top \\mu + \\tfrac d2 \\log 2\\pi - \\frac{1}{2} \\log\\det\\Lambda .

>>> import sympy as sp, symml
>>> d = symml.dims("d")
>>> x, m = symml.vector("x", d), symml.vector("m", d)
>>> P = symml.matrix("P", d, d, symmetric=True)
>>> square = complete_the_square(-sp.Rational(1, 2) * (x - m).T @ P @ (x - m), x)
>>> square.precision, square.mean
(P, m)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import sympy as sp
from sympy.matrices.expressions import MatrixExpr

from symml.budget import SOLVE_SECONDS, within
from symml.derivation import Step
from symml.errors import ModelError, ShapeError
from symml.matrix_calculus.algebra import factor, tidy
from symml.matrix_calculus.expressions import logdet
from symml.matrix_calculus.problem import DerivativeSymbol
from symml.optimize.matrix_solve import solve_linear_matrix_equation
from symml.render.printer import latex

__all__ = ["CompletedSquare", "complete_the_square", "scalar", "simplified", "cancelled"]

HALF = sp.Rational(1, 2)


def scalar(value: Any) -> MatrixExpr:
    """A scalar as a 1 x 1 matrix, so that it adds to quadratic forms (xᵀAx is 1 x 1)."""
    return sp.sympify(value) * sp.Identity(1)


def simplified(expr: Any) -> Any:
    """The expression with products of inverses cancelled (A A⁻¹ = I) and rebuilt without zero terms or 1·A.

    Logs are expanded (log 2π = log 2 + log π, so that the constants of several densities combine); the only logs
    here are of 2π and of positive precisions.
    """
    return tidy(sp.expand(sp.expand_log(sp.sympify(expr), force=True)).doit())


def cancelled(expr: Any) -> Any:
    """A 1 x 1 expression as one cancelled fraction (other shapes as they are): solving 1 x 1 block equations
    divides by scalars (A + B, Σ_aa − Σ_abΣ_bb⁻¹Σ_ba) that multiply a result above and below until cancelled."""
    from symml.matrix_calculus.algebra import to_scalar

    if tuple(expr.shape) != (1, 1):
        return expr
    return sp.factor_terms(sp.cancel(to_scalar(expr))) * sp.Identity(1)


@dataclass(frozen=True)
class CompletedSquare:
    """What completing the square of f(x) = −½ xᵀΛx + hᵀx + c found.

    Attributes:
        variable: x, the vector symbol (shape (d, 1)).
        precision: Λ = −∇²f, shape (d, d).
        linear: h = ∇f at x = 0, shape (d, 1); Λμ = h.
        mean: μ, the solution of the stationarity condition, shape (d, 1).
        constant: c = f(0), 1 x 1.
        log_normaliser: log ∫ exp f(x) dx = c + ½hᵀμ + (d/2) log 2π − ½ log det Λ, 1 x 1.
        steps: the steps that found them.
        condition: when the solution is unique (Λ invertible), in words.
    """

    variable: sp.MatrixSymbol
    precision: MatrixExpr
    linear: MatrixExpr
    mean: MatrixExpr
    constant: MatrixExpr
    log_normaliser: MatrixExpr
    steps: tuple[Step, ...]
    condition: str


def _one_by_one(log_density: sp.Expr, x: sp.Symbol) -> tuple[MatrixExpr, sp.MatrixSymbol]:
    """A scalar log-density in a scalar symbol x as the 1 x 1 one in the 1 x 1 symbol of its name: x² = xᵀx."""
    X = sp.MatrixSymbol(x.name, 1, 1)
    terms = []
    for term in sp.Add.make_args(sp.expand(log_density)):
        coefficient, power = term.as_independent(x, as_Add=False)
        if power == 1:
            terms.append(coefficient * sp.Identity(1))
        elif power in (x, x**2):
            terms.append(coefficient * (X if power == x else X.T @ X))
        else:
            raise ModelError(f"the log-density is not quadratic in {x}: it has the term {term}")
    return sp.MatAdd(*terms), X


def _check_input(log_density: Any, x: Any) -> None:
    if not isinstance(x, sp.MatrixSymbol) or x.shape[1] != 1:
        raise ShapeError(f"complete the square in a vector symbol (symml.vector), not {x!r}")
    if not isinstance(log_density, MatrixExpr) or log_density.shape != (1, 1):
        raise ShapeError("the log-density must be a 1 x 1 matrix expression (a sum of quadratic forms; write "
                         "scalar constants as c * Identity(1)), not " + repr(log_density))
    if x not in log_density.atoms(sp.MatrixSymbol):
        raise ModelError(f"the log-density does not depend on {x.name}: there is no square to complete")


def complete_the_square(log_density: Any, x: Any, *, name: str = "") -> CompletedSquare:
    """The Gaussian in ``x`` that ``log_density`` (quadratic in x) is the log of, up to its normaliser.

    Args:
        log_density: a 1 x 1 matrix expression, a sum of quadratic and linear forms in ``x`` and terms free of it.
        x: the vector symbol, shape (d, 1); or a scalar symbol, with a scalar log-density (read as 1 x 1).
        name: how the steps name the function (default "f").

    Raises:
        ShapeError: ``x`` is not a vector symbol or the log-density is not 1 x 1.
        ModelError: the log-density is not quadratic in ``x`` (its Hessian depends on x), or has no maximum
            in closed form.
    """
    from symml.matrix_calculus.derivatives import gradient, hessian

    if isinstance(x, sp.Symbol) and isinstance(log_density, sp.Expr):  # a scalar: its 1 x 1 form
        log_density, x = _one_by_one(log_density, x)
    _check_input(log_density, x)
    f = sp.Symbol(name or "f")
    G = simplified(gradient(log_density, x).result)
    H = simplified(hessian(log_density, x).result)
    if x in H.atoms(sp.MatrixSymbol):
        raise ModelError(f"the log-density is not quadratic in {x.name}: its Hessian {H} depends on {x.name}")
    precision = simplified(-H)
    zero = sp.ZeroMatrix(*x.shape)
    linear = simplified(G.xreplace({x: zero}))
    solved = within(SOLVE_SECONDS, f"solving the stationarity condition for {x.name}", solve_linear_matrix_equation,
                    simplified(-G), x)
    if solved.solution is None:
        raise ModelError(f"completing the square in {x.name} found no unique stationary point: {solved.reason}")
    mean = cancelled(factor(simplified(solved.solution)))
    mu = sp.MatrixSymbol(f"mu_{f}", *x.shape)
    constant = simplified(log_density.xreplace({x: zero}))
    d = x.shape[0]
    log_normaliser = (HALF * cast(MatrixExpr, factor(linear)).T @ mean
                      + simplified(constant + scalar(HALF * d * sp.log(2 * sp.pi)) - HALF * logdet(precision)))
    gradient_symbol = DerivativeSymbol("gradient", f, x, *x.shape)
    hessian_symbol = DerivativeSymbol("hessian", f, x, d, d)
    precision_symbol = sp.MatrixSymbol(f"Lambda_{f}", d, d)
    steps = (
        Step("Gradient", sp.Eq(gradient_symbol, G, evaluate=False), "derived by the differential method"),
        Step("Hessian: the precision", (sp.Eq(hessian_symbol, H, evaluate=False),
                                       sp.Eq(precision_symbol, precision, evaluate=False)),
             f"constant in ${latex(x)}$, so $\\exp {f}$ is a Gaussian kernel with precision "
             f"$\\Lambda_{{{f}}} = -\\nabla^2 {f}$"),
        Step("Stationarity: the mean", (sp.Eq(sp.MatMul(precision_symbol, mu), linear, evaluate=False),
                                        sp.Eq(mu, mean, evaluate=False)),
             f"$\\nabla {f} = h - \\Lambda_{{{f}}} {latex(x)}$ vanishes at the mean, with $h$ the gradient at "
             f"${latex(x)} = 0$; {solved.condition or 'the solution is unique'}"),
    )
    return CompletedSquare(x, precision, linear, mean, constant, log_normaliser, steps,
                           solved.condition or f"$\\Lambda_{{{f}}}$ is invertible")


def normaliser_step(square: CompletedSquare, lhs: Any, why: str = "") -> Step:
    """The step that integrates x out: f(x) = f(μ) − ½(x − μ)ᵀΛ(x − μ) exactly, then the Gaussian integral."""
    return Step("Integrate out " + square.variable.name, sp.Eq(lhs, square.log_normaliser, evaluate=False),
                why or "the Hessian is constant, so the expansion at the mean is exact: $f(x) = f(\\mu) - \\frac{1}{2} "
                       "(x - \\mu)^\\top \\Lambda (x - \\mu)$, $f(\\mu) = f(0) + \\frac{1}{2} h^\\top \\mu$, and "
                       "the Gaussian integral of $e^{-\\frac{1}{2} z^\\top \\Lambda z}$ over $z$ is "
                       "$(2\\pi)^{d/2} (\\det\\Lambda)^{-1/2}$")
