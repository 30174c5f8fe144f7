"""W >= 0 with one affine equality aᵀW = b, for a separable objective: a threshold found from the KKT conditions.

The Euclidean projection onto the probability simplex, argmin ½‖x − v‖² s.t. 𝟏ᵀx = 1, x ≥ 0 (Duchi et al. 2008;
Condat 2016), is the model. With the Hessian c I the objective is (c/2)‖w‖² + sᵀw + const, s = ∇f(0). The
equality's multiplier ν enters every entry's stationarity the same way, so for fixed ν the problem splits into
one scalar problem per entry, min c t²/2 + (sᵢ + ν aᵢ) t s.t. t ≥ 0, solved by the scalar KKT engine:
wᵢ(ν) = max(−(sᵢ + ν aᵢ)/c, 0). The equality then reads Σ aᵢ wᵢ(ν) = b, the threshold equation: piecewise linear
and non-increasing in ν (each term's slope is −aᵢ²/c or 0), with no closed root in general (which entries are
clipped depends on ν). numpy() solves it by bisection on a bracket found by doubling, then evaluates w(ν).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.derivation import Derivation, Step
from symml.errors import InfeasibleError, UnsupportedOperationError
from symml.operations import numpy_function, verify
from symml.render.printer import latex

__all__ = ["ThresholdProblem", "nonnegative_with_equality"]


@dataclass(frozen=True)
class ThresholdProblem:
    """The optimum over W >= 0 with aᵀW = b of a separable objective.

    Attributes:
        title: one line describing the problem.
        objective: the objective as given.
        wrt: the vector unknown.
        row: the vector a of the equality aᵀW = b.
        level: b.
        maximise: whether the objective is maximised.
        entry: the scalar formula's symbols (sᵢ, aᵢ, ν): wᵢ = formula(sᵢ, aᵢ, ν).
        formula: the entrywise optimum for a given ν.
        slope: s = ∇f(0), the vector the formula is applied to.
    """

    title: str
    objective: Any
    wrt: sp.MatrixSymbol
    row: Any
    level: Any
    maximise: bool
    entry: tuple
    formula: sp.Expr
    slope: Any


def nonnegative_with_equality(objective: Any, W: sp.MatrixSymbol, lhs: Any, rhs: Any, maximise: bool) -> Derivation:
    """The optimum of a separable objective over W >= 0 with the equality ``lhs = rhs`` (lhs = aᵀW, 1 x 1)."""
    from symml.matrix_calculus.algebra import tidy, to_scalar
    from symml.matrix_calculus.derivatives import gradient, hessian
    from symml.optimize.lagrange import kkt_cases
    from symml.optimize.matrix_kkt import _identity_multiple

    minimised = -objective if maximise else objective
    curvature = _identity_multiple(hessian(minimised, W).result)
    row = tidy(gradient(lhs, W).result)
    if curvature is None or row.has(W) or tidy(lhs - row.T * W).has(W):
        raise UnsupportedOperationError("W >= 0 with an equality is solved for a separable objective (Hessian c I) "
                                        "and an affine equality aᵀW = b; minimise it numerically otherwise")
    level = to_scalar(rhs) - to_scalar(tidy((lhs - row.T * W).doit()))
    slope = tidy(gradient(minimised, W).result.xreplace({W: sp.ZeroMatrix(*W.shape)}).doit())
    t, s, a = sp.Symbol("t", real=True), sp.Symbol("s_i", real=True), sp.Symbol("a_i", real=True)
    nu = sp.Symbol("nu", real=True)
    found = kkt_cases(curvature * t**2 / 2 + (s + nu * a) * t, (t,), (), (sp.Le(-t, 0, evaluate=False),))
    formula = sp.Piecewise(*[(c.solution[t], sp.And(*c.conditions)) for c in found[:-1]],
                           (found[-1].solution[t], True))
    if isinstance(row, sp.OneMatrix):  # 𝟏ᵀw = b: every aᵢ is 1 (the simplex: wᵢ = max(vᵢ − ν, 0))
        formula, found = formula.subs(a, 1), [replace(c, solution={k: v.subs(a, 1) for k, v in c.solution.items()},
                                                      conditions=tuple(x.subs(a, 1) for x in c.conditions))
                                              for c in found]
    w_i = sp.Function(f"{W.name}_i")(nu)
    steps = [
        Step("Lagrangian", sp.Eq(sp.Function("L")(W, nu, sp.Symbol("mu")),
                                 sp.Symbol("f") + nu * (to_scalar(lhs) - to_scalar(rhs))
                                 - to_scalar(sp.MatrixSymbol("mu", *W.shape).T * W), evaluate=False),
             ("the objective f negated, so that the problem is a minimisation; " if maximise else "")
             + f"a multiplier ν for the equality and μ ≥ 0 for ${latex(W)} \\geq 0$"),
        Step("The objective is separable", sp.Eq(sp.MatrixSymbol("H", *W.shape[:1] * 2),
                                                 curvature * sp.Identity(W.shape[0]), evaluate=False),
             "its Hessian is a positive multiple of the identity, so it is (c/2)‖w‖² + sᵀw + const with s = ∇f(0); "
             "ν enters each entry's stationarity as ν aᵢ, so for fixed ν the problem splits entry by entry"),
        Step("The gradient at zero and the row", (sp.Eq(sp.MatrixSymbol("s", *W.shape), slope, evaluate=False),
                                                  sp.Eq(sp.MatrixSymbol("a", *W.shape), row, evaluate=False)),
             "the linear coefficients sᵢ and the equality's row aᵢ"),
        *[Step(f"Per entry, active set: {'none' if not c.active else 'w_i = 0'}", sp.Eq(t, c.solution[t]),
               "minimise c t²/2 + (sᵢ + ν aᵢ) t subject to t ≥ 0 by the KKT conditions; it holds when "
               + (" and ".join(f"${latex(x)}$" for x in c.conditions) or "always")) for c in found],
        Step("Each entry given the multiplier", sp.Eq(w_i, formula, evaluate=False),
             "the entries below the threshold are clipped to 0"),
        Step("No closed form: the threshold equation",
             sp.Eq(sp.Sum(w_i if isinstance(row, sp.OneMatrix) else a * w_i, (sp.Symbol("i"), 1, W.shape[0])), level),
             "the equality with wᵢ(ν) substituted: piecewise linear and non-increasing in ν (each term's slope "
             "is −aᵢ²/c or 0); which entries are clipped depends on ν, so its root has no closed form"),
    ]
    title = (f"{'Maximise' if maximise else 'Minimise'} ${latex(objective)}$ subject to ${latex(lhs)} = "
             f"{latex(rhs)}$ and ${latex(W)} \\geq 0$")
    problem = ThresholdProblem(title, objective, W, row, level, maximise, (s, a, nu), formula, slope)
    return Derivation(problem=problem, steps=tuple(steps), result=formula, summary=(sp.Eq(w_i, formula),),
                      remarks=("No closed form for the threshold ν: numpy() finds the root of the threshold "
                               "equation by bisection on a bracket found by doubling, then clips each entry.",))


def _threshold(equation: Callable[[float], float]) -> float:
    """The root of a non-increasing piecewise-linear function: a bracket by doubling, then bisection to the
    last bit (exact on the linear piece that holds the root)."""
    low, high = -1.0, 1.0
    for _ in range(1100):
        if equation(low) >= 0 >= equation(high):
            break
        low, high = 2 * low, 2 * high
    else:
        raise InfeasibleError("the threshold equation has no root: no feasible point (aᵀw = b has no w ≥ 0)")
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        low, high = (middle, high) if equation(middle) > 0 else (low, middle)
    return (low + high) / 2


@numpy_function.register(ThresholdProblem)
def _numpy_threshold(problem: ThresholdProblem, derivation: Derivation, **options: Any) -> Callable[..., Any]:
    from symml.optimize.matrix_kkt import _export

    s, a, nu = problem.entry
    parameters = sorted(problem.formula.free_symbols - {s, a, nu} | problem.level.free_symbols,
                        key=lambda p: p.name)
    entrywise = sp.lambdify([s, a, nu, *parameters], problem.formula, modules="numpy")
    level = sp.lambdify(parameters, problem.level, modules="numpy")
    slope = _export(problem.slope, problem.wrt)
    row = None if isinstance(problem.row, sp.OneMatrix) else _export(problem.row, problem.wrt)

    def optimum(**data: Any) -> np.ndarray:
        values = [data[p.name] for p in parameters]
        s0 = slope(**data).ravel()
        a0 = np.ones_like(s0) if row is None else row(**data).ravel()
        b = float(level(*values))
        root = _threshold(lambda m: float(a0 @ np.asarray(entrywise(s0, a0, m, *values), dtype=float)) - b)
        return np.asarray(entrywise(s0, a0, root, *values), dtype=float)

    return optimum


@verify.register(ThresholdProblem)
def _verify_threshold(problem: ThresholdProblem, derivation: Derivation, *, seed: int = 0,
                      tolerance: float = 1e-6, data: dict | None = None) -> Any:
    """SLSQP with the equality and the bounds W >= 0, from the uniform point (not the answer), on random data."""
    from scipy.optimize import minimize

    from symml.derivation import Comparison, Verification, relative_error
    from symml.matrix_calculus.numpy_export import numpy_function as export
    from symml.matrix_calculus.stationary import _signature

    rng = np.random.default_rng(seed)
    W = problem.wrt
    size = int(W.shape[0]) if W.shape[0].is_Integer else 5
    inputs, parameters = _signature(problem.objective + 0 * sp.Identity(1), W)
    more = _signature(problem.row.T * W, W) if not isinstance(problem.row, sp.OneMatrix) else ([], [])
    inputs = sorted(set(inputs) | set(more[0]), key=lambda m: m.name)
    parameters = sorted(set(parameters) | set(more[1]) | problem.level.free_symbols, key=lambda p: p.name)
    if data is None:
        data = {m.name: rng.standard_normal(size) if m.shape[1] == 1 else rng.standard_normal((size, size))
                for m in inputs}
        data.update({p.name: float(rng.uniform(0.5, 2.0)) for p in parameters})
    objective = export(problem.objective, [*inputs, W], parameters=parameters)
    row = np.ones(size) if isinstance(problem.row, sp.OneMatrix) else np.asarray(
        export(problem.row, inputs, parameters=parameters)(**{m.name: data[m.name] for m in inputs},
                                                          **{p.name: data[p.name] for p in parameters})).ravel()
    level = float(sp.lambdify(parameters, problem.level)(*[data[p.name] for p in parameters]))
    sign = -1.0 if problem.maximise else 1.0
    derived = np.asarray(derivation.numpy()(**data), dtype=float).ravel()
    found = minimize(lambda v: sign * float(np.asarray(objective(**data, **{W.name: v})).ravel()[0]),
                     np.full(size, level / row.sum()), method="SLSQP", bounds=[(0, None)] * size,
                     constraints=[{"type": "eq", "fun": lambda v: row @ v - level}],
                     options={"ftol": 1e-15, "maxiter": 1000})
    comparisons = [Comparison(f"{W.name}[{i}]", float(x), float(y), relative_error(x, y, 1.0))
                   for i, (x, y) in enumerate(zip(derived, found.x))]
    return Verification.from_comparisons(comparisons, method="scipy.optimize.minimize (SLSQP with the equality and "
                                         "the bounds) from the uniform point", tolerance=tolerance, seed=seed)
