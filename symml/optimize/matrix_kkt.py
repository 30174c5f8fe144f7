"""Inequality constraints on a vector unknown, by the KKT conditions at matrix level.

- One scalar inequality g(w) <= 0 (a half-space aᵀw <= b, a ball wᵀw <= ρ): complementary slackness μ g = 0 gives
  two active sets. Inactive (μ = 0): the unconstrained minimiser w₀, which holds when g(w₀) <= 0. Active
  (g = 0): w(μ) from the stationarity of the Lagrangian, substituted into g = 0, a scalar equation for μ; it holds
  when μ >= 0. Projection onto a half-space: w₀ when aᵀw₀ <= b, else w₀ − (aᵀw₀ − b) a / aᵀa.
- Elementwise non-negativity w >= 0 of a separable objective (Hessian c I): the problem splits into one scalar
  problem per entry, minimise c t²/2 + s_i t subject to t >= 0 with s = ∇f(0), solved by the scalar KKT engine:
  w_i = −s_i / c where s_i <= 0 (inactive), 0 where s_i >= 0 (active).

``numpy()`` evaluates the case whose condition holds for the data; ``verify()`` compares with SLSQP (the
inequality as a constraint) from a fixed start.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.optimize.ball_quadratic import minimum_on_ball
from symml.errors import UnsupportedOperationError
from symml.operations import numpy_function, verify
from symml.render.printer import latex

__all__ = ["MatrixKKTProblem", "one_inequality", "nonnegative"]


@dataclass(frozen=True)
class MatrixKKTProblem:
    """A vector unknown under one inequality, its KKT cases solved.

    Attributes:
        title: one line describing the problem.
        objective: the objective as given.
        wrt: the vector unknown.
        residual: g in g(w) <= 0 (a 1 x 1 expression), or the vector g for elementwise constraints.
        maximise: whether the objective is maximised.
        cases: (active set in words, solution, condition on the data) per case, inactive first; for elementwise
            constraints the solution is a scalar formula in ``entry`` applied to each entry of ``entries``.
        entry: the scalar symbol of an elementwise formula, else None.
        entries: the vector the elementwise formula is applied to, else None.
        secular: (μ, g(w(μ))) when the active constraint's equation for its multiplier has no closed root (the
            trust-region subproblem's ‖(B + 2μI)⁻¹g‖² = Δ²): the active case is w(μ) at its numeric root.
        quadratic: (H, g, r²) when the minimised objective is gᵀw + ½wᵀHw + const and the constraint wᵀw ≤ r²:
            numpy() solves it for any symmetric H, the hard case included (:mod:`symml.optimize.ball_quadratic`).
    """

    title: str
    objective: Any
    wrt: sp.MatrixSymbol
    residual: Any
    maximise: bool
    cases: tuple
    entry: Any = None
    entries: Any = None
    secular: Any = None
    quadratic: Any = None


def _scalar(expr: Any) -> sp.Expr:
    from symml.matrix_calculus.algebra import tidy, to_scalar

    return to_scalar(tidy(tidy(expr.doit()).expand()))


def _solve_for(G: Any, W: sp.MatrixSymbol) -> Any:
    from symml.optimize.matrix_solve import solve_linear_matrix_equation

    solved = solve_linear_matrix_equation(G, W)
    if solved.solution is None or solved.kind not in ("unique", ""):
        raise UnsupportedOperationError(f"the stationarity condition cannot be solved uniquely for {W}: "
                                        f"{solved.reason or solved.kind}")
    return solved.solution


def _sign_part(expr: sp.Expr, facts: list) -> sp.Expr:
    """An expression with the sign of ``expr``: its factors known to be positive dropped, no division."""
    from symml.optimize.signs import sign_given

    numerator, denominator = sp.fraction(sp.factor_terms(sp.together(expr)))
    factors = [*sp.Mul.make_args(numerator), *sp.Mul.make_args(denominator)]
    return sp.Mul(*[f for f in factors if sign_given(f, facts) != 1])


def _vector_facts(*exprs: Any) -> list:
    """vᵀv > 0 for every vector in the problem (non-zero data vectors, said in the assumptions)."""
    from symml.matrix_calculus.algebra import to_scalar

    vectors = {m for e in exprs for m in e.atoms(sp.MatrixSymbol) if m.shape[1] == 1}
    return [to_scalar(m.T * m) for m in sorted(vectors, key=lambda m: m.name)]


def _squared_ball(residual: Any, W: sp.MatrixSymbol) -> Any:
    """WᵀW − r² for ‖W‖ − r (r ≥ 0 free of W), else None: ‖p‖ ≤ Δ written as pᵀp ≤ Δ²."""
    from symml.matrix_calculus.algebra import to_scalar
    from symml.optimize.norm_subgradient import norm_of_unknown
    from symml.optimize.signs import sign_given

    norm = norm_of_unknown(residual, W)
    if norm is None:
        return None
    radius = to_scalar(norm) - to_scalar(residual)
    if radius.has(W) or sign_given(radius) not in (0, 1):
        return None
    return W.T * W - radius**2 * sp.Identity(1)


def one_inequality(objective: Any, W: sp.MatrixSymbol, residual: Any, maximise: bool) -> Derivation:
    """The optimum of ``objective`` over W subject to residual(W) <= 0 (a 1 x 1 expression), by its two KKT cases."""
    from symml.budget import SOLVE_SECONDS, within
    from symml.matrix_calculus.algebra import tidy
    from symml.matrix_calculus.derivatives import gradient
    from symml.optimize.lagrange import _condition, multipliers
    from symml.optimize.matrix_problems import _convexity_step
    from symml.optimize.signs import sign_given

    ball = _squared_ball(residual, W)
    if ball is not None:
        from dataclasses import replace

        derived = one_inequality(objective, W, ball, maximise)
        squared = Step("Square the norm constraint", sp.LessThan(_scalar(ball), 0, evaluate=False),
                       f"a norm and a radius r ≥ 0 are both non-negative, so ‖${latex(W)}$‖ ≤ r exactly when "
                       f"${latex(W)}^\\top {latex(W)}$ ≤ r²: the same feasible set, and the squared norm is "
                       "differentiable at 0")
        return replace(derived, steps=(squared, *derived.steps))
    minimised = -objective if maximise else objective
    facts = _vector_facts(objective, residual)
    # positive whatever W is (W'W counted only as >= 0, so that W = 0 is not excluded): no W is feasible
    if sign_given(_scalar(residual), [f for f in facts if not f.has(W)] + [_scalar(W.T * W) + 1]) == 1 and \
            sign_given(_scalar(residual).subs(_scalar(W.T * W), 0), [f for f in facts if not f.has(W)]) == 1:
        from symml.errors import InfeasibleError

        raise InfeasibleError(f"the constraint {residual} <= 0 cannot hold: its left side is positive for "
                              f"every {W}")
    (mu,) = multipliers("mu", 1, [objective, residual])
    mu = sp.Symbol(mu.name, nonnegative=True)
    L = minimised + mu * residual
    free = _solve_for(tidy(gradient(minimised, W).result), W)
    inactive = _condition(sp.Le(_sign_part(_scalar(residual.xreplace({W: free})), facts), 0), facts)
    w_of_mu = _solve_for(tidy(gradient(L, W).result), W)
    equation = _scalar(residual.xreplace({W: w_of_mu}))
    # μ is declared non-negative, so the solve runs on a real stand-in: a negative root means the constraint
    # never binds (min ‖x‖² on aᵀx ≤ 1: μ = −2/aᵀa), and the unconstrained minimiser is the answer
    real_mu = sp.Symbol(mu.name, real=True)
    found = [r for r in within(SOLVE_SECONDS, "solve of the active constraint for its multiplier", sp.solve,
                               equation.xreplace({mu: real_mu}), real_mu) if not r.has(W)]
    roots = [r for r in found if sign_given(r, facts) != -1]
    if not found and equation.has(mu):
        return _secular(objective, W, residual, maximise, mu, L, free, inactive, w_of_mu, equation)
    if len(roots) != 1 and not (len(found) == 1 and not roots):
        raise UnsupportedOperationError(f"the active constraint gives {len(roots)} admissible multipliers, not one")
    (mu_hat,) = roots or found
    active_point = tidy(w_of_mu.xreplace({mu: mu_hat}).doit())
    active = _condition(sp.Ge(_sign_part(mu_hat, facts), 0), facts) if roots else sp.false
    shown_g = sp.LessThan(_scalar(residual), 0, evaluate=False)
    steps = [Step("Lagrangian", sp.Eq(sp.Function("L")(W, mu), _scalar(minimised) + mu * _scalar(residual), evaluate=False),
                  ("the objective is negated, so that the problem is a minimisation; " if maximise else "")
                  + "one multiplier μ ≥ 0 for the inequality g ≤ 0"),
             Step("KKT conditions", (sp.Eq(tidy(gradient(L, W).result), sp.ZeroMatrix(*W.shape), evaluate=False),
                                     shown_g, sp.GreaterThan(mu, 0, evaluate=False), sp.Eq(mu * _scalar(residual), 0, evaluate=False)),
                  "stationarity, primal and dual feasibility, complementary slackness (B&V 5.5.3): μ = 0 "
                  "(inactive) or g = 0 (active)"),
             Step("Active set: none", sp.Eq(W, free, evaluate=False),
                  f"μ = 0: the unconstrained minimiser; it holds when it is feasible: ${latex(inactive)}$"),
             Step("Active set: the constraint, multiplier from g = 0", (sp.Eq(W, w_of_mu, evaluate=False),
                                                                      sp.Eq(equation, 0), sp.Eq(mu, mu_hat)),
                  "stationarity gives w in terms of μ; substituted into the active constraint it is a scalar "
                  "equation for μ"),
             Step("Active set: the constraint", sp.Eq(W, active_point, evaluate=False),
                  f"it holds when the multiplier is non-negative: ${latex(active)}$"),
             *_convexity_step(objective, W, maximise)]
    cases = (("none", free, inactive), ("the constraint", active_point, active))
    title = (f"{'Maximise' if maximise else 'Minimise'} ${latex(objective)}$ subject to "
             f"${latex(shown_g)}$")
    problem = MatrixKKTProblem(title, objective, W, residual, maximise, cases)
    return Derivation(problem=problem, steps=tuple(steps), result=cases,
                      summary=tuple(sp.Eq(W, s, evaluate=False) for _, s, _ in cases),
                      assumptions=("the data vectors are non-zero (vᵀv > 0)",),
                      remarks=("Two active sets: the unconstrained minimiser where it is feasible, otherwise the "
                               "constraint binds; numpy() picks the case that holds for the data.",))


def _secular(objective: Any, W: sp.MatrixSymbol, residual: Any, maximise: bool, mu: sp.Symbol, L: Any, free: Any,
             inactive: Any, w_of_mu: Any, equation: sp.Expr) -> Derivation:
    """The active case left with its multiplier's equation (no closed root): the equation shown, its root found
    numerically by numpy() (a bracketed, safeguarded 1-D solve on μ ≥ 0)."""
    from symml.matrix_calculus.algebra import tidy
    from symml.matrix_calculus.derivatives import gradient
    from symml.optimize.matrix_problems import _convexity_step

    shown_g = sp.LessThan(_scalar(residual), 0, evaluate=False)
    steps = [Step("Lagrangian", sp.Eq(sp.Function("L")(W, mu), _scalar(L), evaluate=False),
                  ("the objective is negated, so that the problem is a minimisation; " if maximise else "")
                  + "one multiplier μ ≥ 0 for the inequality g ≤ 0"),
             Step("KKT conditions", (sp.Eq(tidy(gradient(L, W).result), sp.ZeroMatrix(*W.shape), evaluate=False),
                                     shown_g, sp.GreaterThan(mu, 0, evaluate=False),
                                     sp.Eq(mu * _scalar(residual), 0, evaluate=False)),
                  "stationarity, primal and dual feasibility, complementary slackness (B&V 5.5.3): μ = 0 "
                  "(inactive) or g = 0 (active)"),
             Step("Active set: none", sp.Eq(W, free, evaluate=False),
                  f"μ = 0: the unconstrained minimiser; it holds when it is feasible: ${latex(inactive)}$"),
             Step("Active set: the constraint", sp.Eq(W, w_of_mu, evaluate=False),
                  "stationarity gives w in terms of μ > 0; it holds when the unconstrained minimiser is infeasible"),
             Step("No closed form: the secular equation", sp.Eq(equation, 0),
                  "the active constraint with w(μ) substituted, an equation in μ alone with no closed-form root; "
                  "for a positive definite Hessian its left side decreases in μ ≥ 0 (each eigencomponent of w(μ) "
                  "shrinks), so it has one root where the inactive case is infeasible"),
             *_convexity_step(objective, W, maximise)]
    cases = (("none", free, inactive), ("the constraint", w_of_mu, sp.Not(inactive)))
    title = f"{'Maximise' if maximise else 'Minimise'} ${latex(objective)}$ subject to ${latex(shown_g)}$"
    quadratic = _quadratic_on_ball(-objective if maximise else objective, W, residual)
    if quadratic is not None:
        steps += _global_conditions(W, mu, *quadratic)
    problem = MatrixKKTProblem(title, objective, W, residual, maximise, cases,
                               secular=(mu, residual.xreplace({W: w_of_mu})), quadratic=quadratic)
    hessian = ("the objective's Hessian is positive definite (an indefinite one, the trust region's hard case, is "
               "not covered: its KKT point need not be the minimum)",) if quadratic is None else ()
    how = ("the eigenvalues of H (numpy.linalg.eigh): the Newton step where H ≻ 0 and it fits, else the secular "
           "root on ν = 2μ > max(0, −λ₁) by Brent's method, else the hard case") if quadratic is not None else (
        "the unconstrained minimiser where it is feasible, otherwise the root of the secular equation on μ ≥ 0, "
        "bracketed by doubling and refined by Brent's method, and w(μ) there")
    return Derivation(problem=problem, steps=tuple(steps), result=cases,
                      summary=tuple(sp.Eq(W, s, evaluate=False) for _, s, _ in cases) + (sp.Eq(equation, 0),),
                      assumptions=("the data vectors are non-zero (vᵀv > 0)",) + hessian,
                      remarks=(f"No closed form for the multiplier ${latex(mu)}$ of the active constraint: numpy() "
                               f"takes {how}.",))


def _quadratic_on_ball(minimised: Any, W: sp.MatrixSymbol, residual: Any) -> tuple | None:
    """(H, g, r²) for a minimised gᵀw + ½wᵀHw + const on wᵀw − r² ≤ 0 (its gradient Hw + g affine in w), else None."""
    from symml.matrix_calculus.algebra import tidy
    from symml.matrix_calculus.derivatives import gradient, jacobian

    if _scalar(residual - W.T * W).has(W):
        return None
    gradient_w = tidy(gradient(minimised, W).result)
    H = tidy(jacobian(gradient_w, W).result)
    if H.has(W):
        return None
    g = tidy(gradient_w.xreplace({W: sp.ZeroMatrix(*W.shape)}).doit())
    return H, g, -_scalar(residual.xreplace({W: sp.ZeroMatrix(*W.shape)}).doit())


def _global_conditions(W: sp.MatrixSymbol, mu: sp.Symbol, H: Any, g: Any, r2: sp.Expr) -> list[Step]:
    """The global optimality of a KKT point for a quadratic on a ball, for any symmetric Hessian, and the hard case."""
    lowest, tau = sp.Symbol("lambda_1", real=True), sp.Symbol("tau", real=True)
    z = sp.MatrixSymbol("z", *W.shape)
    shifted = H + 2 * mu * sp.Identity(W.shape[0])
    return [
        Step("Global minimum for any symmetric Hessian", sp.GreaterThan(mu, sp.Max(0, -lowest / 2), evaluate=False),
             f"one quadratic constraint has no duality gap (S-lemma; Moré–Sorensen): a KKT point is the global "
             f"minimum exactly when ${latex(shifted)} \\succeq 0$, i.e. 2μ ≥ −λ₁ with λ₁ the smallest eigenvalue of "
             f"${latex(H)}$; on that range the secular equation's left side decreases in μ"),
        Step("The hard case", sp.Eq(W, tau * z - sp.MatrixSymbol("P", W.shape[0], W.shape[0]) * g, evaluate=False),
             f"when ${latex(g)}$ is orthogonal to the eigenvectors of λ₁ < 0 and ‖(H − λ₁I)⁺g‖ ≤ r the secular "
             f"equation has no root above −λ₁/2: μ = −λ₁/2, P = (H − λ₁I)⁺ the pseudo-inverse, z a unit "
             f"eigenvector of λ₁ and τ = ±√(r² − ‖Pg‖²) with r² = ${latex(r2)}$, so that the constraint binds"),
    ]


def _secular_root(equation: Callable[[float], float]) -> float:
    """The root μ ≥ 0 of a decreasing equation positive at 0: an upper end found by doubling, then brentq."""
    from scipy.optimize import brentq

    high = 1.0
    for _ in range(200):
        if equation(high) < 0:
            return float(brentq(equation, 0.0, high, xtol=1e-14, rtol=4 * np.finfo(float).eps))
        high *= 2.0
    raise UnsupportedOperationError("the secular equation has no root on μ ≥ 0: the constraint cannot bind")


def nonnegative(objective: Any, W: sp.MatrixSymbol, maximise: bool) -> Derivation:
    """The optimum over W >= 0 (elementwise) of a separable objective, entry by entry."""
    from symml.matrix_calculus.algebra import tidy
    from symml.matrix_calculus.derivatives import gradient, hessian
    from symml.optimize.lagrange import kkt_cases

    minimised = -objective if maximise else objective
    curvature = _identity_multiple(hessian(minimised, W).result)
    if curvature is None:
        raise UnsupportedOperationError("W >= 0 elementwise is solved for separable objectives (Hessian c I): "
                                        "the entries do not decouple here")
    slope = tidy(gradient(minimised, W).result.xreplace({W: sp.ZeroMatrix(*W.shape)}).doit())
    t, s = sp.Symbol("t", real=True), sp.Symbol("s_i", real=True)
    found = kkt_cases(curvature * t**2 / 2 + s * t, (t,), (), (sp.Le(-t, 0, evaluate=False),))
    formula = sp.Piecewise(*[(c.solution[t], sp.And(*c.conditions)) for c in found[:-1]],
                           (found[-1].solution[t], True))
    steps = [Step("The objective is separable", sp.Eq(sp.MatrixSymbol("H", *W.shape[:1] * 2),
                                                      curvature * sp.Identity(W.shape[0]), evaluate=False),
                  f"its Hessian is a positive multiple of the identity, so it is (c/2)‖w‖² + sᵀw + const with "
                  "s = ∇f(0), a sum of one term per entry, and the constraints are per entry too"),
             Step("The gradient at zero", sp.Eq(sp.MatrixSymbol("s", *W.shape), slope, evaluate=False),
                  "the linear coefficients s_i"),
             *[Step(f"Per entry, active set: {'none' if not c.active else 'w_i = 0'}", sp.Eq(t, c.solution[t]),
                    "minimise c t²/2 + s_i t subject to t ≥ 0 by the KKT conditions; it holds when "
                    + (" and ".join(f"${latex(x)}$" for x in c.conditions) or "always")) for c in found],
             Step("Result, entry by entry", sp.Eq(sp.Symbol("w_i"), formula, evaluate=False),
                  "the entries where the unconstrained minimiser is negative are clipped to the bound (active)")]
    cases = tuple(("none" if not c.active else "w_i = 0", c.solution[t], sp.And(*c.conditions)) for c in found)
    title = f"{'Maximise' if maximise else 'Minimise'} ${latex(objective)}$ subject to ${latex(W)} \\geq 0$"
    problem = MatrixKKTProblem(title, objective, W, -W, maximise, cases, entry=s, entries=slope)
    return Derivation(problem=problem, steps=tuple(steps), result=formula,
                      summary=(sp.Eq(sp.Symbol("w_i"), formula, evaluate=False),))


def _identity_multiple(H: Any) -> sp.Expr | None:
    """c when H = c I with c > 0, else None."""
    from symml.optimize.signs import sign_given

    if isinstance(H, sp.Identity):  # its args are its size, not scalar factors: ½‖x − v‖² had c = n
        return sp.S.One
    coefficient, rest = (H.as_coeff_mmul() if isinstance(H, sp.MatMul) else (sp.S.One, H))
    scalars = [f for f in getattr(rest, "args", ()) if not isinstance(f, sp.MatrixExpr)]
    matrices = [f for f in getattr(rest, "args", (rest,)) if isinstance(f, sp.MatrixExpr)] \
        if isinstance(rest, sp.MatMul) else [rest]
    c = coefficient * sp.Mul(*scalars)
    if len(matrices) == 1 and isinstance(matrices[0], sp.Identity) and sign_given(c) == 1:
        return c
    return None


# --- numpy() and verify() -------------------------------------------------------------------------------------
def _export(expr: Any, W: sp.MatrixSymbol) -> Callable[..., np.ndarray]:
    """``expr`` as a NumPy function of its inputs by name (W among them when it appears)."""
    from symml.matrix_calculus.numpy_export import numpy_function as export
    from symml.matrix_calculus.stationary import _signature

    inputs, parameters = _signature(expr, W)
    inputs = [*inputs, W] if expr.has(W) else inputs
    function = export(expr, inputs, parameters=parameters)
    names = {m.name for m in inputs} | {p.name for p in parameters}
    return lambda **data: np.asarray(function(**{k: v for k, v in data.items() if k in names}), dtype=float)


def _zero_unknown(problem: MatrixKKTProblem) -> Callable[..., np.ndarray]:
    """W = 0 (the unconstrained minimum of ‖W‖²), its size read off a data array that shares a dimension with W:
    a zero matrix of symbolic size is no function of the inputs, so it cannot be exported by itself."""
    W = problem.wrt
    sharing = [(m, axis) for m in sorted(problem.residual.atoms(sp.MatrixSymbol) | problem.objective.atoms(
        sp.MatrixSymbol), key=lambda m: m.name) if m != W for axis, size in enumerate(m.shape) if size == W.shape[0]]
    if not sharing and not W.shape[0].is_Integer:
        raise UnsupportedOperationError(f"the size of {W.name} = 0 cannot be read off the data")

    def zero(**data: Any) -> np.ndarray:
        rows = int(W.shape[0]) if W.shape[0].is_Integer else np.shape(data[sharing[0][0].name])[sharing[0][1]]
        return np.zeros((rows, W.shape[1] if W.shape[1].is_Integer else 1))

    return zero


@numpy_function.register(MatrixKKTProblem)
def _numpy_kkt(problem: MatrixKKTProblem, derivation: Derivation, **options: Any) -> Callable[..., np.ndarray]:
    W = problem.wrt
    if problem.entry is not None:
        slope = _export(problem.entries, W)
        formula = derivation.result
        parameters = sorted(formula.free_symbols - {problem.entry}, key=lambda p: p.name)
        entrywise = sp.lambdify([problem.entry, *parameters], formula, modules="numpy")
        return lambda **data: np.asarray(entrywise(slope(**data).ravel(), *[data[p.name] for p in parameters]),
                                         dtype=float)
    (_, free, _), (_, bound, _) = problem.cases
    inactive = _export(free, W) if not isinstance(free, sp.ZeroMatrix) else _zero_unknown(problem)
    active = _export(bound, W)
    residual = _export(problem.residual, W)
    secular = _export(problem.secular[1], W) if problem.secular is not None else None
    quadratic = [_export(part if isinstance(part, sp.MatrixExpr) else part * sp.Identity(1), W)
                 for part in problem.quadratic] if problem.quadratic is not None else None

    def optimum(**data: Any) -> np.ndarray:
        if quadratic is not None:  # −H⁻¹g may be feasible and a saddle for an indefinite H: the eigenvalues decide
            H, g, r2 = (np.asarray(part(**data), dtype=float) for part in quadratic)
            return minimum_on_ball(H, g.ravel(), float(r2.ravel()[0]))
        candidate = inactive(**data).ravel()
        feasible = float(residual(**data, **{W.name: candidate}).ravel()[0]) <= 0.0
        if feasible:
            return candidate
        if secular is None:
            return active(**data).ravel()
        mu = problem.secular[0].name
        root = _secular_root(lambda m: float(secular(**data, **{mu: m}).ravel()[0]))
        return active(**data, **{mu: root}).ravel()

    return optimum


@verify.register(MatrixKKTProblem)
def _verify_kkt(problem: MatrixKKTProblem, derivation: Derivation, *, seed: int = 0, tolerance: float = 1e-6,
                data: dict | None = None) -> Verification:
    """SLSQP with the inequality from 0.1 everywhere (not the answer) on random data of size 5 (or ``data``)."""
    from scipy.optimize import minimize

    from symml.matrix_calculus.numpy_export import numpy_function as export
    from symml.matrix_calculus.stationary import _signature
    from symml.testing import random_spd

    rng = np.random.default_rng(seed)
    W = problem.wrt
    inputs, parameters = _signature(problem.objective + 0 * sp.Identity(1), W)
    more = _signature(problem.residual if problem.residual.shape == (1, 1) else problem.residual.T * problem.residual,
                      W)
    inputs = sorted(set(inputs) | set(more[0]), key=lambda m: m.name)
    parameters = sorted(set(parameters) | set(more[1]), key=lambda p: p.name)
    if data is None:
        # a user's numeric sizes; a symmetric matrix (a Hessian B) positive definite
        data = {m.name: random_spd(rng, int(m.shape[0]) if m.shape[0].is_Integer else 5) if m.T == m else
                rng.standard_normal(tuple(5 if not s.is_Integer else int(s) for s in m.shape))
                for m in inputs}
        data = {k: v.squeeze(-1) if v.shape[1] == 1 else v for k, v in data.items()}
        data.update({p.name: float(rng.uniform(0.5, 2.0)) for p in parameters})
    objective = export(problem.objective, [*inputs, W], parameters=parameters)
    residual = export(problem.residual, [*inputs, W], parameters=parameters)
    sign = -1.0 if problem.maximise else 1.0
    derived = np.asarray(derivation.numpy()(**data), dtype=float).ravel()
    found = minimize(lambda v: sign * float(np.asarray(objective(**data, **{W.name: v})).ravel()[0]),
                     np.full(derived.size, 0.1), method="SLSQP",
                     constraints=[{"type": "ineq", "fun": lambda v: -np.asarray(residual(**data, **{W.name: v})).ravel()}],
                     options={"ftol": 1e-15, "maxiter": 2000})
    comparisons = [Comparison(f"{W.name}[{i}]", float(a), float(b), relative_error(a, b, 1.0))
                   for i, (a, b) in enumerate(zip(derived, found.x))]
    return Verification.from_comparisons(comparisons, method="scipy.optimize.minimize (SLSQP with the inequality) "
                                         "from 0.1 everywhere", tolerance=tolerance, seed=seed)
