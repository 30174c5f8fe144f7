"""Several affine inequalities on a vector unknown (w >= 0 of a coupled objective, a box l <= w <= u, Aw <= b):
the KKT conditions at matrix level, and a numeric solution, since there is no closed form in general.

With d coupled entries, which constraints are active depends on the data (up to 2^d active sets for w >= 0,
3^d for a box), and no single formula covers them: non-negative least squares min ‖Xw − y‖² s.t. w >= 0 is the
standard example (Lawson & Hanson, Solving Least Squares Problems, ch. 23). The derivation says so, and states
the KKT conditions at matrix level (Boyd & Vandenberghe 5.5.3): for constraints g_k(w) = A_k w − b_k <= 0 with
multipliers μ_k,

    ∇f(w) + Σ A_kᵀ μ_k = 0,   g_k(w) <= 0,   μ_k >= 0,   μ_k ⊙ g_k(w) = 0,

so for NNLS: 2Xᵀ(Xw − y) = μ, w ⊙ μ = 0, μ >= 0, w >= 0. The objective's gradient and Hessian are derived at
matrix level; A_kᵀμ_k is the gradient of μ_kᵀg_k. ``numpy()`` solves numerically on those derived pieces: SLSQP
(scipy.optimize) with the derived gradient and the constraints' Jacobians (affine maps, read off at the unit
vectors), from zero; then, for a quadratic objective, the active set it found is solved exactly (the KKT linear
system with the derived Hessian) and kept when its multipliers are non-negative and it is feasible.
``verify()`` checks the derived KKT conditions at numpy()'s point (multipliers by NNLS on the active rows) and
compares the point with SLSQP on the objective alone (finite differences, from 0.1 everywhere).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp
from sympy.matrices.expressions import HadamardProduct

from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.errors import InfeasibleError, UnboundedError, UnsupportedOperationError
from symml.operations import numpy_function, verify
from symml.render.printer import latex

__all__ = ["AffineInequalityProblem", "affine_inequalities"]


@dataclass(frozen=True)
class AffineInequalityProblem:
    """A vector unknown under affine inequalities g_k(w) <= 0, solved numerically on derived pieces.

    Attributes:
        title: one line describing the problem.
        objective: the objective as given.
        wrt: the vector unknown, shape (d, 1).
        maximise: whether the objective is maximised.
        residuals: each g_k (a column vector or 1 x 1), meaning g_k <= 0.
        gradient: the derived gradient of the minimised objective.
        hessian: its derived Hessian.
    """

    title: str
    objective: Any
    wrt: sp.MatrixSymbol
    maximise: bool
    residuals: tuple
    gradient: Any
    hessian: Any


def affine_inequalities(objective: Any, W: sp.MatrixSymbol, residuals: list, maximise: bool) -> Derivation:
    """The KKT conditions of minimising (maximising) ``objective`` over W subject to residuals g_k(W) <= 0.

    Raises:
        UnsupportedOperationError: W is not a column vector, or a constraint is not affine in W.
    """
    from symml.matrix_calculus.algebra import tidy
    from symml.matrix_calculus.derivatives import gradient, hessian
    from symml.optimize.duality import _affine
    from symml.optimize.lagrange import multipliers as fresh
    from symml.optimize.matrix_problems import _convexity_step

    if W.shape[1] != 1:
        raise UnsupportedOperationError(f"inequalities on a matrix unknown {W} of shape {W.shape}: give a vector")
    for g in residuals:
        if not _affine(g, [W]):
            raise UnsupportedOperationError(f"the constraint {g} <= 0 is not affine in {W}: several inequalities are "
                                            "solved when each is affine (A w <= b, bounds)")
    minimised = -objective if maximise else objective
    G, H = tidy(gradient(minimised, W).result), tidy(hessian(minimised, W).result)
    convex = _convexity_step(objective, W, maximise)
    names = fresh("mu", len(residuals), [objective, *residuals])
    mus = [sp.MatrixSymbol(m.name, g.shape[0], 1) for m, g in zip(names, residuals)]
    pulled = [tidy(gradient(m.T * g, W).result) for m, g in zip(mus, residuals)]
    stationarity = sp.Eq(sp.MatAdd(G, *pulled), sp.ZeroMatrix(*W.shape), evaluate=False)
    lagrangian = sp.MatAdd(minimised, *(m.T * g for m, g in zip(mus, residuals)))
    zero = [sp.ZeroMatrix(*g.shape) for g in residuals]
    steps = [Step("No closed form", tuple(sp.LessThan(g, z, evaluate=False) for g, z in zip(residuals, zero)),
                  f"{len(residuals)} vector inequalit{'y' if len(residuals) == 1 else 'ies'} on the coupled entries of "
                  f"${latex(W)}$: which entries are active depends on the data (up to 2^d active sets, 3^d for a "
                  "box), and no single formula covers them; the optimum is characterised by the KKT conditions "
                  "and solved numerically"),
             Step("Gradient and Hessian", (sp.Eq(sp.Symbol("∇f"), G, evaluate=False),
                                           sp.Eq(sp.MatrixSymbol("H", W.shape[0], W.shape[0]), H, evaluate=False)),
                  ("of the negated objective (a minimisation); " if maximise else "") + "derived at matrix level"),
             *convex,
             Step("Lagrangian", sp.Eq(sp.Function("L")(W, *mus), lagrangian, evaluate=False),
                  "one multiplier vector μ_k ≥ 0 per vector inequality g_k ≤ 0"),
             Step("KKT conditions at matrix level",
                  (stationarity, *(sp.GreaterThan(m, z, evaluate=False) for m, z in zip(mus, zero)),
                   *(sp.Eq(HadamardProduct(m, g), z, evaluate=False) for m, g, z in zip(mus, residuals, zero))),
                  "stationarity (A_kᵀμ_k is the gradient of μ_kᵀg_k), dual feasibility and complementary slackness "
                  "entry by entry, with primal feasibility above (B&V 5.5.3)"
                  + ("; the objective is convex and the constraints affine, so they are sufficient: a point "
                     "satisfying them is a global optimum" if convex else "")),
             Step("Numeric solution", (stationarity,),
                  "numpy() solves on the derived gradient and Hessian: SLSQP (scipy.optimize) with the constraints' "
                  "Jacobians from zero, then the active set it finds solved exactly by the KKT linear system with "
                  "the derived Hessian (kept when its multipliers are non-negative and it is feasible)")]
    title = (f"{'Maximise' if maximise else 'Minimise'} ${latex(objective)}$ subject to "
             + ", ".join(f"${latex(g)} \\leq 0$" for g in residuals))
    problem = AffineInequalityProblem(title, objective, W, maximise, tuple(residuals), G, H)
    remarks = ("No closed form: numpy() solves the KKT conditions numerically; verify() checks them at its point.",)
    assumptions = () if convex else ("the objective is convex (its Hessian is not shown positive semidefinite "
                                     "structurally; numpy() checks it on the data)",)
    return Derivation(problem=problem, steps=tuple(steps), result=stationarity, summary=steps[4].lines,
                      assumptions=assumptions, remarks=remarks)


# --- numpy() and verify() -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Pieces:
    """The problem's derived pieces as NumPy functions of (data, w)."""

    size: Callable[[dict], int]
    objective: Callable[[dict, np.ndarray], float]
    gradient: Callable[[dict, np.ndarray], np.ndarray]
    hessian: Callable[[dict, np.ndarray], np.ndarray] | None
    residual: Callable[[dict, np.ndarray], np.ndarray]


def _pieces(problem: AffineInequalityProblem) -> _Pieces:
    from symml.matrix_calculus.numpy_export import numpy_function as export
    from symml.matrix_calculus.stationary import _signature, _size_of

    W = problem.wrt
    stacked = list(problem.residuals)

    def function(expr: Any) -> Callable[[dict, np.ndarray], np.ndarray]:
        inputs, parameters = _signature(expr, W)
        exported = export(expr, [*inputs, W], parameters=parameters)  # W given even when absent: it sizes 0 and I
        names = {m.name for m in inputs} | {p.name for p in parameters}
        return lambda data, w: np.asarray(exported(**{k: v for k, v in data.items() if k in names}, **{W.name: w}),
                                          dtype=float)

    sign = -1.0 if problem.maximise else 1.0
    value = function(problem.objective)
    constant_hessian = not problem.hessian.has(W)
    all_inputs = sorted({m for e in (problem.objective, *stacked) for m in e.atoms(sp.MatrixSymbol) if m != W},
                        key=lambda m: m.name)
    gradient, hessian = function(problem.gradient), function(problem.hessian) if constant_hessian else None
    residuals = [function(g) for g in stacked]
    return _Pieces(size=lambda data: _size_of(W, all_inputs, data)[0],
                   objective=lambda data, w: sign * float(value(data, w).ravel()[0]),
                   gradient=lambda data, w: gradient(data, w).ravel(),
                   hessian=(lambda data, w: hessian(data, w).reshape(w.size, w.size)) if hessian else None,
                   residual=lambda data, w: np.concatenate([g(data, w).ravel() for g in residuals]))


def _jacobian(residual: Callable[[np.ndarray], np.ndarray], size: int) -> tuple[np.ndarray, np.ndarray]:
    """A and b of an affine map g(w) = A w − b, read off at zero and the unit vectors (exact for affine maps)."""
    at_zero = residual(np.zeros(size))
    A = np.column_stack([residual(e) - at_zero for e in np.eye(size)]) if size else np.zeros((at_zero.size, 0))
    return A, -at_zero


def _solve(pieces: _Pieces, data: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The optimum w, with A and b of the stacked constraints A w <= b."""
    from scipy.optimize import linprog, minimize

    size = pieces.size(data)
    A, b = _jacobian(lambda w: pieces.residual(data, w), size)
    scale = 1.0 + float(np.max(np.abs(b), initial=0.0))
    feasible = linprog(np.zeros(size), A_ub=A, b_ub=b, bounds=[(None, None)] * size, method="highs")
    if feasible.status == 2:
        raise InfeasibleError("the inequality constraints cannot hold together for these data (no w satisfies "
                              "A w <= b: checked by a linear program)")
    H = pieces.hessian(data, np.zeros(size)) if pieces.hessian is not None else None
    if H is not None and np.min(np.linalg.eigvalsh((H + H.T) / 2)) < -1e-9 * (1.0 + np.max(np.abs(H))):
        raise UnsupportedOperationError("the objective is not convex for these data (its Hessian has a negative "
                                        "eigenvalue): the KKT conditions do not single out its minimum")
    found = minimize(lambda w: pieces.objective(data, w), np.zeros(size),
                     jac=lambda w: pieces.gradient(data, w), method="SLSQP",
                     constraints=[{"type": "ineq", "fun": lambda w: b - A @ w, "jac": lambda w: -A}],
                     options={"ftol": 1e-15, "maxiter": 1000})
    w = found.x
    if not np.all(np.isfinite(w)) or np.max(np.abs(w), initial=0.0) > 1e8 * scale or \
            (not found.success and found.status == 9 and pieces.objective(data, w) < -1e12 * scale):
        raise UnboundedError("the objective decreases without bound on the feasible set for these data")
    if H is not None:
        w = _polish(H, pieces.gradient(data, np.zeros(size)), A, b, w, scale)
    return w, A, b


def _polish(H: np.ndarray, c: np.ndarray, A: np.ndarray, b: np.ndarray, w: np.ndarray, scale: float) -> np.ndarray:
    """The active set of ``w`` solved exactly: [[H, A_aᵀ], [A_a, 0]] [w; μ_a] = [−c; b_a] (least squares when
    singular); kept when it is feasible and its multipliers are non-negative, else ``w`` as it was."""
    tolerance = 1e-7 * scale
    active = A @ w - b >= -tolerance
    Aa, ba = A[active], b[active]
    n, m = H.shape[0], int(active.sum())
    kkt = np.block([[H, Aa.T], [Aa, np.zeros((m, m))]])
    solution = np.linalg.lstsq(kkt, np.concatenate([-c, ba]), rcond=None)[0]
    polished, mu = solution[:n], solution[n:]
    if np.all(A @ polished - b <= tolerance) and np.all(mu >= -tolerance):
        return polished
    return w


@numpy_function.register(AffineInequalityProblem)
def _numpy_inequalities(problem: AffineInequalityProblem, derivation: Derivation,
                        **options: Any) -> Callable[..., np.ndarray]:
    pieces = _pieces(problem)
    return lambda **data: _solve(pieces, data)[0]


def _random_data(problem: AffineInequalityProblem, rng: np.random.Generator) -> dict:
    """Standard normal inputs with 3 entries in the unknown (8 for other dimensions, so that a least-squares
    design is tall), scalar parameters in [0.5, 2]; the caller redraws until the constraints are feasible (a
    random box l <= w <= u is, one draw in 2^3)."""
    from symml.matrix_calculus.stationary import _signature

    W = problem.wrt
    exprs = [problem.objective, *problem.residuals]
    inputs = sorted({m for e in exprs for m in _signature(e, W)[0]}, key=lambda m: m.name)
    parameters = sorted({p for e in exprs for p in _signature(e, W)[1]}, key=lambda p: p.name)
    sizes = {W.shape[0]: 3}
    data = {m.name: rng.standard_normal(tuple(int(s) if s.is_Integer else sizes.setdefault(s, 8)
                                              for s in m.shape)) for m in inputs}
    data = {k: v[:, 0] if v.ndim == 2 and v.shape[1] == 1 else v for k, v in data.items()}
    data.update({p.name: float(rng.uniform(0.5, 2.0)) for p in parameters})
    return data


@verify.register(AffineInequalityProblem)
def _verify_inequalities(problem: AffineInequalityProblem, derivation: Derivation, *, seed: int = 0,
                         tolerance: float = 1e-6, data: dict | None = None) -> Verification:
    """The derived KKT conditions at numpy()'s point (multipliers by NNLS on its active rows), and the point
    against SLSQP on the objective alone (finite-difference gradients, from 0.1 everywhere)."""
    from scipy.optimize import minimize, nnls

    rng = np.random.default_rng(seed)
    pieces = _pieces(problem)
    for _ in range(100):
        chosen = dict(data) if data is not None else _random_data(problem, rng)
        try:
            w, A, b = _solve(pieces, chosen)
            break
        except InfeasibleError:
            if data is not None:
                raise
    else:
        raise InfeasibleError("no feasible random instance in 100 draws: pass data=")
    gradient = pieces.gradient(chosen, w)
    scale = 1.0 + float(np.max(np.abs(b), initial=0.0))
    active = A @ w - b >= -1e-7 * scale
    mu = np.zeros(len(b))
    if active.any():
        mu[active] = nnls(A[active].T, -gradient)[0]
    stationarity = float(np.max(np.abs(gradient + A.T @ mu)))
    slackness = float(np.max(np.abs(mu * (A @ w - b)), initial=0.0))
    violation = float(max(0.0, np.max(A @ w - b, initial=0.0)))
    direct = minimize(lambda v: pieces.objective(chosen, v), np.full(w.size, 0.1), method="SLSQP",
                      constraints=[{"type": "ineq", "fun": lambda v: b - A @ v}],
                      options={"ftol": 1e-15, "maxiter": 2000})
    gradient_scale = 1.0 + float(np.max(np.abs(pieces.gradient(chosen, np.zeros(w.size)))))
    comparisons = [Comparison("KKT stationarity: max |∇f + Σ A_kᵀμ_k| (μ ≥ 0 by NNLS)", stationarity, 0.0,
                              stationarity / gradient_scale),
                   Comparison("KKT complementary slackness: max |μ ⊙ g|", slackness, 0.0, slackness / gradient_scale),
                   Comparison("primal feasibility: max violation of g ≤ 0", violation, 0.0, violation / scale)]
    comparisons += [Comparison(f"{problem.wrt.name}[{i}]", float(x), float(y), relative_error(x, y, 1.0))
                    for i, (x, y) in enumerate(zip(w, direct.x))]
    return Verification.from_comparisons(comparisons, method="the derived KKT conditions at numpy()'s point, and "
                                         "scipy.optimize.minimize (SLSQP, finite differences) from 0.1 everywhere",
                                         tolerance=tolerance, seed=seed)
