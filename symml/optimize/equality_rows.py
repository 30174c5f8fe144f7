"""Several scalar equality constraints on a vector unknown, one scalar multiplier each, at matrix level.

``minimise f(w) subject to a_jᵀw = b_j, j = 1..k`` (each constraint one row: a budget 𝟏ᵀw = 1, a target return
μᵀw = r): the Lagrangian f + Σ ν_j (a_jᵀw − b_j) is stationary at w(ν), solved by the core's matrix rules; the
constraints at w(ν) are k scalar equations, linear in ν for a quadratic f, whose coefficients are 1 x 1 products
of the data (𝟏ᵀΣ⁻¹𝟏, 𝟏ᵀΣ⁻¹μ, μᵀΣ⁻¹μ for Markowitz). They are solved with the products held as names, and ν
substituted back (Boyd & Vandenberghe 10.1.1, the KKT system of an equality-constrained QP, eliminated block by
block; Markowitz's two-fund frontier, Merton 1972). Cost independent of the dimension.
"""
from __future__ import annotations

from typing import Any, Sequence

import sympy as sp

from symml.derivation import Derivation, Step
from symml.errors import UnsupportedOperationError
from symml.render.printer import latex

__all__ = ["equality_rows"]


def equality_rows(objective: Any, W: sp.MatrixSymbol, pairs: Sequence[tuple[Any, Any]], maximise: bool) -> Derivation:
    """The optimum of ``objective`` over the vector W subject to lhs_j = rhs_j, each a 1 x 1 expression."""
    from symml.budget import SOLVE_SECONDS, within
    from symml.matrix_calculus.algebra import Scalar, tidy
    from symml.matrix_calculus.derivatives import gradient
    from symml.matrix_calculus.stationary import _estimate_symbol
    from symml.optimize.lagrange import multipliers
    from symml.optimize.matrix_kkt import _scalar, _solve_for
    from symml.optimize.matrix_problems import AffineProblem, _convexity_step, scalars_unwrapped
    from symml.optimize.norm_subgradient import _coefficients_simplified

    if any(tuple(lhs.shape) != (1, 1) for lhs, _ in pairs):
        raise UnsupportedOperationError("several equality constraints on a vector unknown are solved when each is one "
                                        "row (aᵀw = b); stack a system A w = b with them into one constraint")
    nus = multipliers("nu", len(pairs), [objective, *(side for pair in pairs for side in pair)])
    residuals = [lhs - rhs for lhs, rhs in pairs]
    minimised = -objective if maximise else objective
    lagrangian = minimised + sp.MatAdd(*(nu * h for nu, h in zip(nus, residuals)))
    w_of_nu = _solve_for(tidy(gradient(lagrangian, W).result), W)
    equations = [_scalar(h.xreplace({W: w_of_nu})) for h in residuals]
    # the 1 x 1 products of data as names while solving (the equations are then polynomial in ν), a product and
    # its transpose one name (𝟏ᵀΣ⁻¹μ = μᵀΣ⁻¹𝟏 for a symmetric Σ, and the system's determinant then cancels)
    frozen: dict = {}
    for a in sorted({a for e in equations for a in e.atoms(Scalar)}, key=str):
        frozen[a] = frozen.get(Scalar(tidy(a.args[0].T))) or sp.Dummy(real=True)
    back = {v: k for k, v in reversed(frozen.items())}
    found = within(SOLVE_SECONDS, "solve of the constraints for their multipliers", sp.solve,
                   [e.xreplace(frozen) for e in equations], list(nus), dict=True)
    if len(found) != 1 or set(found[0]) != set(nus):
        raise UnsupportedOperationError(f"the constraints at w(ν) give {len(found)} solutions for the multipliers "
                                        f"{', '.join(map(str, nus))}, not one: the rows may be dependent")
    nu_hat = {nu: sp.factor(value).xreplace(back) for nu, value in found[0].items()}
    # expanded first: the textbook's combination of Σ⁻¹𝟏 and Σ⁻¹μ, not ½Σ⁻¹(2a𝟏 + 2bμ)
    solution = _coefficients_simplified(scalars_unwrapped(tidy(w_of_nu.expand().xreplace(nu_hat).doit())))
    rows = " and ".join(f"${latex(lhs)} = {latex(rhs)}$" for lhs, rhs in pairs)
    steps = [Step("Lagrangian", sp.Eq(sp.Function("L")(W, *nus), _scalar(lagrangian), evaluate=False),
                  "one scalar multiplier per constraint row"
                  + ("; the objective is negated, so that the problem is a minimisation" if maximise else "")),
             Step("Stationarity, solved for the unknown given the multipliers", sp.Eq(W, w_of_nu, evaluate=False),
                  "the gradient of the Lagrangian in the unknown vanishes; linear in it"),
             Step("Substitute into the constraints", tuple(sp.Eq(e, 0) for e in equations),
                  "block elimination: one scalar equation per constraint, in the multipliers only, with 1 x 1 "
                  "products of the data as coefficients"),
             Step("Solve for the multipliers", tuple(sp.Eq(nu, value) for nu, value in nu_hat.items()),
                  "a linear system of the size of the number of constraints, solved in closed form; unique when the "
                  "constraint rows are linearly independent"),
             Step("Result", sp.Eq(_estimate_symbol(W), solution, evaluate=False), "the multipliers substituted back"),
             *_convexity_step(objective, W, maximise)]
    title = f"{'Maximise' if maximise else 'Minimise'} ${latex(objective)}$ subject to {rows}"
    (lhs, rhs), *more = pairs
    problem = AffineProblem(title, objective, W, lhs, rhs, solution, maximise, more=tuple(more))
    return Derivation(problem=problem, steps=tuple(steps), result=solution,
                      summary=(sp.Eq(_estimate_symbol(W), solution, evaluate=False),),
                      assumptions=("the constraint rows are linearly independent (the multipliers' system is "
                                   "non-singular)",))
