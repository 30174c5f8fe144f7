"""A norm of the unknown beside a smooth strictly convex term: the subgradient condition at matrix level.

``minimise s(W) + c‖W‖`` (c > 0; ‖W‖ Euclidean for a vector, Frobenius for a matrix) is not differentiable at
W = 0, where the subdifferential of the norm is the unit ball; elsewhere it is {W/‖W‖} (Rockafellar, Convex
Analysis, Thm 23.8; Parikh & Boyd, Proximal Algorithms, 6.5.1). The condition 0 ∈ ∇s(W) + c ∂‖W‖ splits:

- W = 0 holds when 0 ∈ ∇s(0) + c·(unit ball), i.e. ‖∇s(0)‖ ≤ c;
- W ≠ 0: ∇s(W) + (c/r) W = 0 with r = ‖W‖ > 0 held as a scalar. That is the stationarity of s + (c/2r)‖W‖², solved
  for W(r) by the core's matrix rules; then ‖W(r)‖² = r² is a scalar equation for r, whose positive root r̂ gives
  the minimiser W(r̂).

With s strictly convex the minimiser is unique, so exactly one regime holds. For s = ½‖W − v‖² this is the
block soft-threshold (1 − c/‖v‖)v for ‖v‖ > c and 0 otherwise; nothing here knows that formula, it falls out of
the two regimes. What the rules cannot reduce (‖W(r)‖ = r with no closed root: least squares beside the norm, a
secular equation) is refused, naming the equation.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp
from sympy.matrices.expressions import MatAdd

from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.errors import UnsupportedOperationError
from symml.operations import numpy_function, verify
from symml.render.printer import latex

__all__ = ["NormKinkProblem", "norm_of_unknown", "norm_kink_optimum"]


@dataclass(frozen=True)
class NormKinkProblem:
    """``s(W) + c‖W‖`` minimised (or its negation maximised), its two subgradient regimes solved.

    Attributes:
        title: one line describing the problem.
        objective: the objective as given.
        wrt: the unknown vector or matrix.
        smooth: s, the smooth part of the minimised objective.
        weight: c > 0, the norm's coefficient in the minimised objective.
        slope_at_zero: ∇s(0), whose norm decides the regime.
        nonzero: the minimiser where ‖∇s(0)‖ > c.
        maximise: whether the objective is maximised.
    """

    title: str
    objective: Any
    wrt: sp.MatrixSymbol
    smooth: Any
    weight: sp.Expr
    slope_at_zero: Any
    nonzero: Any
    maximise: bool


def norm_of_unknown(objective: Any, W: sp.MatrixSymbol) -> Any:
    """The node ‖W‖ = (WᵀW)^½ or (tr WᵀW)^½ in ``objective``, or None when the objective holds no norm of W."""
    from symml.matrix_calculus.algebra import to_scalar
    from symml.matrix_calculus.expressions import sq_norm

    square = to_scalar(sq_norm(W))
    found = [node for node in sp.preorder_traversal(objective)
             if isinstance(node, sp.HadamardPower) and node.exp == sp.S.Half and to_scalar(node.base) == square]
    return found[0] if found else None


def _split(minimised: Any, W: sp.MatrixSymbol, norm: Any) -> tuple[Any, sp.Expr]:
    """(s, c) with ``minimised = s + c‖W‖``, c free of W and positive; refused otherwise."""
    from symml.matrix_calculus.algebra import to_scalar
    from symml.optimize.matrix_problems import _refuse_norm_kink
    from symml.optimize.signs import sign_given

    terms = minimised.args if isinstance(minimised, MatAdd) else (minimised,)
    held = [t for t in terms if t.has(norm)]
    weight = to_scalar(held[0].xreplace({norm: sp.Identity(1)})) if len(held) == 1 else None
    if weight is None or weight.has(W) or sign_given(weight) != 1:
        raise UnsupportedOperationError(
            f"the norm of {W} enters the objective other than as c‖{W}‖ with a constant c > 0 beside a smooth part "
            "(a concave or coupled kink): the subgradient condition is not reduced at matrix level; minimise it "
            "numerically (scipy.optimize)")
    rest = [t for t in terms if t is not held[0]]
    if not rest:
        raise UnsupportedOperationError(f"c‖{W}‖ alone is minimised at {W} = 0; nothing to derive")
    smooth = MatAdd(*rest) if len(rest) > 1 else rest[0]
    _refuse_norm_kink(smooth, W)  # a second kink (‖W − a‖ beside ‖W‖) is not reduced here
    return smooth, weight


def _strictly_convex(smooth: Any, W: sp.MatrixSymbol) -> None:
    from symml.matrix_calculus.derivatives import hessian
    from symml.optimize.matrix_problems import _definite_terms

    if _definite_terms(hessian(smooth, W).result) != "definite":
        raise UnsupportedOperationError(
            f"the smooth part beside the norm of {W} is not shown strictly convex (its Hessian is not a positive "
            "combination of Gram matrices and the identity with the identity among them): the two subgradient "
            "regimes need not single out the minimiser; minimise it numerically (scipy.optimize)")


def _scalars_out_of_trace(trace: sp.Trace) -> sp.Expr:
    scalars = [f for f in trace.arg.args if not isinstance(f, sp.MatrixExpr)]
    matrices = [f for f in trace.arg.args if isinstance(f, sp.MatrixExpr)]
    return sp.Mul(*scalars) * sp.Trace(sp.MatMul(*matrices)) if scalars else trace


def _is_square(product: sp.Expr) -> bool:
    """Whether a 1 x 1 product or trace is AᵀA (tr AᵀA): a squared norm, positive for non-zero data."""
    inner = product.args[0]
    return isinstance(inner, sp.MatMul) and len(inner.args) == 2 and inner.args[0] == inner.args[1].T


def _coefficients_simplified(expr: Any) -> Any:
    """The scalar factor of each product over one denominator: 1/(λ/(√(vᵀv) − λ) + 1) v reads (√(vᵀv) − λ)/√(vᵀv) v."""
    def simplified(product: sp.MatMul) -> Any:
        scalars = [f for f in product.args if not isinstance(f, sp.MatrixExpr)]
        matrices = [f for f in product.args if isinstance(f, sp.MatrixExpr)]
        return sp.MatMul(sp.factor_terms(sp.cancel(sp.Mul(*scalars))), *matrices) if scalars else product

    return expr.replace(lambda e: isinstance(e, sp.MatMul), simplified)


def norm_kink_optimum(objective: Any, W: sp.MatrixSymbol, maximise: bool) -> Derivation:
    """The optimum of ``objective`` = s(W) ± c‖W‖ over W by the subgradient condition (see the module docstring)."""
    from symml.budget import SOLVE_SECONDS, within
    from symml.matrix_calculus.algebra import Scalar, tidy
    from symml.matrix_calculus.derivatives import gradient
    from symml.matrix_calculus.stationary import _estimate_symbol
    from symml.optimize.matrix_kkt import _scalar, _solve_for
    from symml.optimize.matrix_problems import _convexity_step
    from symml.optimize.signs import sign_given

    minimised = tidy(-objective) if maximise else objective
    norm = norm_of_unknown(minimised, W)
    smooth, weight = _split(minimised, W, norm)
    _strictly_convex(smooth, W)
    zero = sp.ZeroMatrix(*W.shape)
    slope_at_zero = tidy(tidy(gradient(smooth, W).result).xreplace({W: zero}).doit())
    r = sp.Symbol("r", positive=True)
    stationarity = tidy(gradient(smooth + weight / (2 * r) * norm.base, W).result)
    w_of_r = _solve_for(stationarity, W)
    equation = _scalar(norm.base.xreplace({W: w_of_r})).replace(
        lambda e: isinstance(e, sp.Trace) and isinstance(e.arg, sp.MatMul), _scalars_out_of_trace) - r**2
    # the squares of data (vᵀv, tr VᵀV) as positive names while solving (non-zero data, said in the assumptions),
    # other products of data as real ones
    frozen = {a: sp.Dummy(positive=_is_square(a)) if _is_square(a) else sp.Dummy(real=True)
              for a in equation.atoms(Scalar, sp.Trace) if not a.has(r)}
    back = {v: k for k, v in frozen.items()}
    # over one denominator: the roots of the numerator where the denominator does not vanish (solve's own check
    # of each root by simplify cost 0.7 s of the 1.4 s of the group-lasso prox)
    numerator, denominator = sp.fraction(sp.together(equation.xreplace(frozen)))
    found = [] if numerator.atoms(Scalar, sp.Trace) else \
        within(SOLVE_SECONDS, "solve of ‖W(r)‖ = r for the norm r", sp.solve, numerator, r, check=False)
    roots = [sp.factor(root).xreplace(back) for root in found if not root.has(r) and root != 0
             and sign_given(root.xreplace(frozen)) != -1 and sp.cancel(denominator.subs(r, root)) != 0]
    if len(roots) != 1:
        raise UnsupportedOperationError(
            f"the regime {W} ≠ 0 leaves the scalar equation ‖{W}(r)‖² = r² for r = ‖{W}‖, "
            f"{sp.Eq(equation, 0)}, with {len(roots)} admissible closed-form roots, not one: it is not reduced; "
            "minimise it numerically (scipy.optimize)")
    (norm_hat,) = roots
    nonzero = _coefficients_simplified(tidy(w_of_r.xreplace({r: norm_hat}).doit()))
    slope_norm = sp.sqrt(_scalar(slope_at_zero.T * slope_at_zero)) if W.shape[1] == 1 else \
        sp.sqrt(_scalar(sp.Trace(slope_at_zero.T * slope_at_zero)))
    at_zero, away = sp.Le(slope_norm, weight), sp.Gt(slope_norm, weight)
    gradient_s = tidy(gradient(smooth, W).result)
    norm_scalar = sp.sqrt(_scalar(norm.base))
    steps = [
        Step("Objective: a smooth part plus a norm", sp.Eq(sp.Symbol("f"), smooth + weight * norm, evaluate=False),
             ("the objective negated, so that the problem is a minimisation; " if maximise else "")
             + f"the norm is not differentiable at ${latex(W)} = 0$"),
        Step("Subgradient condition", sp.Eq(MatAdd(gradient_s, sp.MatMul(weight / norm_scalar, W)), zero,
                                            evaluate=False),
             f"at the minimum 0 lies in the subdifferential (Rockafellar, Convex Analysis, Thm 23.8): for "
             f"${latex(W)} \\neq 0$ the norm's is its gradient ${latex(W)}/\\|{latex(W)}\\|$, as written here; at "
             f"${latex(W)} = 0$ it is the unit ball B"),
        Step(f"Regime {W} = 0", (sp.Eq(sp.MatrixSymbol("g", *W.shape), slope_at_zero, evaluate=False), at_zero),
             f"with g = ∇s(0) the gradient of the smooth part at zero, $0 \\in g + {latex(weight)} B$ exactly when the gradient at zero is no longer than "
             f"${latex(weight)}$"),
        Step(f"Regime {W} ≠ 0, with r = ‖{W}‖", (sp.Eq(stationarity, zero, evaluate=False),
                                                  sp.Eq(W, w_of_r, evaluate=False)),
             f"the subgradient is the gradient ${latex(W)}/r$; with r held fixed the condition is linear in "
             f"${latex(W)}$"),
        Step("The norm of that point is r", (sp.Eq(equation + r**2, r**2), sp.Eq(r, norm_hat)),
             "a scalar equation for r; its root is the norm of the minimiser, admissible when positive"),
        Step("Result", (sp.Eq(_estimate_symbol(W), nonzero, evaluate=False), away,
                        sp.Eq(_estimate_symbol(W), zero, evaluate=False), at_zero),
             "the smooth part is strictly convex, so the minimiser is unique and exactly one regime holds"),
        *_convexity_step(smooth, W, False),
    ]
    cases = ((f"{W} ≠ 0", nonzero, away), (f"{W} = 0", zero, at_zero))
    title = f"{'Maximise' if maximise else 'Minimise'} ${latex(objective)}$"
    problem = NormKinkProblem(title, objective, W, smooth, weight, slope_at_zero, nonzero, maximise)
    return Derivation(problem=problem, steps=tuple(steps), result=cases,
                      summary=tuple(sp.Eq(_estimate_symbol(W), s, evaluate=False) for _, s, _ in cases),
                      assumptions=("the data vectors are non-zero (vᵀv > 0)",),
                      remarks=(f"Two regimes of the subgradient condition: {W} = 0 while the gradient of the smooth "
                               f"part at zero is within the norm's weight, otherwise the closed form above; numpy() "
                               "picks the regime that holds for the data.",))


@numpy_function.register(NormKinkProblem)
def _numpy_norm_kink(problem: NormKinkProblem, derivation: Derivation, **options: Any) -> Callable[..., np.ndarray]:
    from symml.optimize.matrix_kkt import _export

    W = problem.wrt
    slope = _export(problem.slope_at_zero, W)
    nonzero = _export(problem.nonzero, W)
    parameters = sorted(problem.weight.free_symbols, key=lambda s: s.name)
    weight = sp.lambdify(parameters, problem.weight, modules="numpy")
    vector = W.shape[1] == 1

    def optimum(**data: Any) -> np.ndarray:
        g = slope(**data)
        largest = float(np.max(np.abs(g)))  # ‖g‖ scaled by its largest entry: gᵀg under- or overflows at 1e∓200
        length = largest * float(np.sqrt(np.sum((g / largest) ** 2))) if 0 < largest < np.inf else largest
        if length <= float(weight(*[data[p.name] for p in parameters])):
            value = np.zeros_like(g)
        else:
            value = nonzero(**data)
        return value.ravel() if vector else value

    return optimum


@verify.register(NormKinkProblem)
def _verify_norm_kink(problem: NormKinkProblem, derivation: Derivation, *, seed: int = 0,
                      tolerance: float = 1e-6) -> Verification:
    """SLSQP on the epigraph form (minimise s(W) + c t subject to t ≥ ‖W‖: the objective smooth, so the kink at 0
    does not stall it; t² ≥ ‖W‖² would, its gradient vanishing there) from a fixed start, on random data of size 5,
    once with the drawn parameters a tenth as large and once ten times as large (both regimes, for a shrinkage)."""
    from scipy.optimize import minimize

    from symml.matrix_calculus.numpy_export import numpy_function as export
    from symml.matrix_calculus.stationary import _signature
    from symml.testing import random_matrix

    rng = np.random.default_rng(seed)
    W = problem.wrt
    inputs, parameters = _signature(problem.smooth + problem.weight * sp.Identity(1), W)
    shape = tuple(int(s) if s.is_Integer else 5 for s in W.shape)
    sizes = dict(zip(W.shape, shape))
    data = {m.name: random_matrix(m, tuple(int(sizes.get(s, s if s.is_Integer else 5)) for s in m.shape), rng)
            for m in inputs}
    smooth = export(problem.smooth, [*inputs, W], parameters=parameters)
    weight = sp.lambdify(parameters, problem.weight, modules="numpy")
    size = int(np.prod(shape))
    comparisons = []
    for scale in (0.1, 10.0):
        values = {**data, **{p.name: scale * float(rng.uniform(0.5, 2.0)) for p in parameters}}
        c = float(weight(*[values[p.name] for p in parameters]))

        def epigraph(z: np.ndarray) -> float:
            s = float(np.asarray(smooth(**values, **{W.name: z[:-1].reshape(shape)})).ravel()[0])
            return s + c * z[-1]

        # 100 iterations at most: at a minimum W = 0 the constraint's gradient is undefined and SLSQP runs to its
        # limit (2000 iterations: 4 s), its iterate within 1e-7 of 0 long before
        found = minimize(epigraph, np.r_[np.full(size, 0.1), 1.0], method="SLSQP",
                         constraints=[{"type": "ineq", "fun": lambda z: z[-1] - np.sqrt(z[:-1] @ z[:-1])}],
                         options={"ftol": 1e-15, "maxiter": 100})
        derived = np.asarray(derivation.numpy()(**values), dtype=float).ravel()
        comparisons += [Comparison(f"{W.name}[{i}] (weight x{scale:g})", float(a), float(b), relative_error(a, b, 1.0))
                        for i, (a, b) in enumerate(zip(derived, found.x[:-1]))]
    return Verification.from_comparisons(comparisons, method="scipy.optimize.minimize (SLSQP on the epigraph form "
                                         "t ≥ ‖W‖) from a fixed start", tolerance=tolerance, seed=seed)
