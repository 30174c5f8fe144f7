"""An objective of higher degree in w reduced to a quadratic form on the sphere wᵀw = c, by trace algebra.

PCA as the least reconstruction error, ‖X − X w wᵀ‖²_F on wᵀw = 1, is quartic in w. Expanded at matrix level
(tr(A + B) = tr A + tr B, then each trace rotated cyclically, tr(AB) = tr(BA), until the column w closes it into
products of 1 x 1 factors) it is tr(XᵀX) − 2 wᵀXᵀXw + (wᵀXᵀXw)(wᵀw); on the constraint wᵀw is c, which leaves
(c − 2) wᵀXᵀXw plus a constant, a quadratic form whose optimum on the sphere is an eigenvector. Nothing here
knows PCA: any objective whose terms, with wᵀw replaced by c, are each one 1 x 1 product or a constant goes
through.

>>> import symml
>>> n, d = symml.dims("n d")
>>> X, w = symml.matrix("X", n, d), symml.vector("w", d)
>>> reduced = reduced_on_sphere(symml.sq_norm(X - X @ w @ w.T), w, 1)
>>> reduced.form, reduced.constant
(-w.T*X.T*X*w, Trace(X.T*X))
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.matrices.expressions import MatAdd, MatMul

from symml.derivation import Derivation, Step
from symml.render.printer import latex

__all__ = ["SphereReduction", "reduced_on_sphere", "optimum_on_sphere"]


@dataclass(frozen=True)
class SphereReduction:
    """The objective on the sphere: ``form`` (a 1 x 1 matrix expression in w) plus ``constant`` (free of w).

    Attributes:
        form: the part that moves with w, a combination of 1 x 1 products.
        constant: the rest, a scalar free of w (it does not move the optimum).
        steps: the expansion and the substitution of the constraint, shown.
    """

    form: Any
    constant: sp.Expr
    steps: tuple[Step, ...]


class _NotReducible(Exception):
    """A term that is neither a matrix product nor a trace (log det W, a function of w): no reduction."""


def _products(expr: Any) -> list[tuple[sp.Expr, list]]:
    """The terms of a 1 x 1 matrix expression as (coefficient, factors) with the products multiplied out; a trace
    contributes its terms rotated so that each starts right after its first column vector (then the product splits
    into 1 x 1 runs)."""
    from symml.matrix_calculus.expressions import Tr

    if isinstance(expr, (MatAdd, sp.Add)):
        return [term for arg in expr.args for term in _products(arg)]
    if isinstance(expr, sp.Mul) and not isinstance(expr, sp.MatrixExpr):  # c·tr(A), SymPy's Trace being a scalar
        coefficient, rest = expr.as_independent(sp.Trace, as_Add=False)
        return [(coefficient * c, factors) for c, factors in _products(rest)]
    if isinstance(expr, sp.MatPow) and expr.exp.is_Integer and expr.exp > 0:  # (wᵀw)²: a product of 1 x 1 factors
        return _products(MatMul(*[expr.base] * int(expr.exp)))
    if not isinstance(expr, (sp.MatrixExpr, sp.Trace)):
        raise _NotReducible(expr)
    coefficient, matrices = (expr.as_coeff_mmul() if isinstance(expr, MatMul) else (sp.S.One, expr))
    matrices = matrices.args if isinstance(matrices, MatMul) else (matrices,)
    if len(matrices) == 1 and isinstance(matrices[0], (Tr, sp.Trace)):
        inner = sp.expand(matrices[0].arg)
        terms = []
        for term in (inner.args if isinstance(inner, MatAdd) else (inner,)):
            scale, factors = term.as_coeff_matrices() if isinstance(term, MatMul) else (sp.S.One, [term])
            columns = [i for i, f in enumerate(factors) if f.shape[1] == 1 and f.shape[0] != 1]
            rotated = list(factors[columns[0] + 1:]) + list(factors[:columns[0] + 1]) if columns else None
            terms.append((coefficient * scale, rotated if rotated is not None else [sp.Trace(MatMul(*factors))]))
        return terms
    expanded = sp.expand(MatMul(*matrices) if len(matrices) > 1 else matrices[0])
    return [(coefficient * scale, list(factors)) for scale, factors in
            ((t.as_coeff_matrices() if isinstance(t, MatMul) else (sp.S.One, [t]))
             for t in (expanded.args if isinstance(expanded, MatAdd) else (expanded,)))]


def _scalar_of(factors: list) -> sp.Expr:
    from symml.matrix_calculus.algebra import to_scalar

    if len(factors) == 1 and isinstance(factors[0], sp.Trace):
        return factors[0]
    return to_scalar(MatMul(*factors))


def reduced_on_sphere(objective: Any, W: sp.MatrixSymbol, level: Any) -> SphereReduction | None:
    """The objective on wᵀw = ``level`` as a combination of 1 x 1 products plus a constant, or None when the
    constraint does not enter it (already a quadratic form) or a term keeps a product of two factors in w."""
    from symml.matrix_calculus.algebra import Scalar, to_scalar
    from symml.matrix_calculus.expressions import Tr

    if not objective.has(sp.Trace, Tr) and not (isinstance(objective, sp.MatrixExpr) and objective.shape == (1, 1)):
        return None
    try:
        expanded = sp.Add(*(c * _scalar_of(f) for c, f in _products(objective)))
    except _NotReducible:
        return None
    norm = to_scalar(W.T * W)
    one_point_per_sign = W.shape[0] == 1
    # at d = 1 the norm is w² and a quartic term w⁴ holds it squared: subs, not xreplace, sees (w²)²
    on_sphere = sp.expand(expanded.subs(norm, sp.sympify(level)) if one_point_per_sign
                          else expanded.xreplace({norm: sp.sympify(level)}))
    if on_sphere == sp.expand(expanded):
        return None
    holding = [a for a in on_sphere.atoms(Scalar) if a.has(W)]
    constant, moving = on_sphere.as_independent(*holding, as_Add=True) if holding else (on_sphere, sp.S.Zero)
    form_terms = []
    for term in (sp.Add.make_args(moving) if moving != 0 else ()):
        coefficient, atoms = term.as_independent(W, as_Add=False)
        if not isinstance(atoms, Scalar):  # (wᵀAw)(wᵀBw): still quartic on the sphere
            return None
        form_terms.append(coefficient * atoms.matrix)
    if not form_terms and not one_point_per_sign:
        from symml.errors import NotIdentifiableError

        raise NotIdentifiableError(f"on {latex(W)}ᵀ{latex(W)} = {level} the objective is the constant {on_sphere}: "
                                   "every feasible point is optimal, there is no single optimum")
    # d = 1 with nothing moving: the form is zero and the two points ±√c tie (optimum_on_sphere compares them)
    form = MatAdd(*form_terms).doit() if len(form_terms) > 1 else form_terms[0] if form_terms else sp.ZeroMatrix(1, 1)
    steps = (
        Step("Expand the objective (trace algebra)", sp.Eq(objective, expanded, evaluate=False),
             "tr(A + B) = tr A + tr B; each trace rotated cyclically, tr(AB) = tr(BA), until the column "
             f"${latex(W)}$ closes it: a product of 1 × 1 factors"),
        Step("Use the constraint", sp.Eq(objective, on_sphere, evaluate=False),
             f"on the feasible set ${latex(W)}^\\top {latex(W)} = {latex(level)}$; the constant "
             f"${latex(constant)}$ does not move the optimum, which is that of the quadratic form "
             f"${latex(form)}$ on the sphere"),
    )
    return SphereReduction(form, constant, steps)


def optimum_on_sphere(objective: Any, W: sp.MatrixSymbol, rhs: Any, maximise: bool) -> Derivation:
    """The optimum on wᵀw = c: of the objective as given when it is a quadratic or linear form, else of the form the
    constraint reduces it to, after the reduction's steps; numpy() and verify() keep the objective as given."""
    from dataclasses import replace

    from symml.optimize.matrix_problems import _on_sphere

    from symml.matrix_calculus.algebra import to_scalar

    level = to_scalar(rhs)  # c or c·I (1 x 1)
    reduced = None if level.has(sp.MatrixSymbol) else reduced_on_sphere(objective, W, level)
    if reduced is None:
        return _on_sphere(objective, W, rhs, maximise, None)
    if not reduced.form.has(W):
        return _at_two_points(objective, W, level, reduced, maximise)
    derived = _on_sphere(reduced.form, W, rhs, maximise, None)
    verb = "Maximise" if maximise else "Minimise"
    problem = replace(derived.problem, objective=objective,
                      title=f"{verb} ${latex(objective)}$ on ${latex(W.T * W)} = {latex(rhs)}$")
    shift = (f"On the constraint the objective is ${latex(reduced.constant)}$ plus ${latex(reduced.form)}$: its "
             f"optimal value is ${latex(reduced.constant)}$ plus that of the form.",) if reduced.constant != 0 else ()
    return Derivation(problem=problem, steps=reduced.steps + derived.steps, result=derived.result,
                      summary=derived.summary, assumptions=derived.assumptions, remarks=derived.remarks + shift)


def _at_two_points(objective: Any, W: sp.MatrixSymbol, level: Any, reduced: SphereReduction,
                   maximise: bool) -> Derivation:
    """d = 1 with an objective constant on wᵀw = c: the sphere is the two points ±√c, both optimal with the value
    of the constant (PCA on one feature: w = ±1, the value S). As an eigenproblem of the 1 x 1 form (K/c) wᵀw,
    equal to K there, numpy() and verify() treat it as at any d."""
    from symml.optimize.matrix_problems import EigenProblem

    root = sp.sqrt(level)
    estimate = sp.MatrixSymbol(f"{W.name}hat", 1, 1)
    verb = "Maximise" if maximise else "Minimise"
    value = reduced.constant
    steps = reduced.steps + (
        Step("At d = 1 the sphere is two points", (sp.Eq(W, root * sp.Identity(1), evaluate=False),
                                                    sp.Eq(W, -root * sp.Identity(1), evaluate=False)),
             f"${latex(W)}^\\top {latex(W)} = {latex(W)}^2 = {latex(level)}$ has the two roots ±√{latex(level)}; the "
             f"objective is ${latex(value)}$ at both, so both are optimal"),
        Step("Result", (sp.Eq(estimate, root * sp.Identity(1), evaluate=False),), f"(or its negative); the optimal "
             f"value is ${latex(value)}$"),
    )
    problem = EigenProblem(f"{verb} ${latex(objective)}$ on ${latex(W.T * W)} = {latex(level)}$", objective, W,
                           value / level * sp.Identity(1), level, True, None, maximise)
    return Derivation(problem=problem, steps=steps, result=steps[-1].math[0], summary=steps[-1].math,
                      remarks=(f"The optimum is determined up to sign: ±√{level} tie; numpy() returns +√{level}.",))
