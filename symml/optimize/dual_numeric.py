"""``numpy()`` and ``verify()`` of a derived dual (:class:`~symml.optimize.duality.DualProblem`).

``numpy()`` returns ``solve(**data)``: the derived dual problem solved numerically (SLSQP on -g with the derived
gradient of g and the derived dual constraints, from zero multipliers), as a dict keyed by name holding the
multipliers, the eliminated multipliers, the primal unknowns recovered from them, and ``"dual_value"``.
``verify()`` solves the primal directly (SLSQP on the primal objective and constraints, from a start of 0.1 in
every entry, never the answer) and compares the optimal values (strong duality) and the recovered primal point.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Derivation, Verification, relative_error
from symml.errors import NotIdentifiableError, ParameterError
from symml.operations import numpy_function, verify
from symml.optimize.duality import DualProblem
from symml.optimize.infimum import is_matrix_problem

__all__: list[str] = []

Values = dict[str, Any]


def _dims(problem: DualProblem) -> set:
    matrices: set = set()
    for expr in _expressions(problem):
        matrices |= expr.atoms(sp.MatrixSymbol) if isinstance(expr, sp.Basic) else set()
    return {dim for m in matrices for dim in m.shape if isinstance(dim, sp.Symbol)}


def _expressions(problem: DualProblem) -> list:
    return [problem.objective, *problem.equalities, *problem.inequalities, problem.dual_function,
            *problem.dual_equalities, *problem.dual_inequalities, *problem.recover.values(), *problem.wrt,
            *problem.multipliers]


def _callable(expr: Any, dims: set) -> Callable[[Values], np.ndarray]:
    """``expr`` as a function of a dict of values by name, returning a flat float array."""
    if is_matrix_problem(expr):
        from symml.matrix_calculus.numpy_export import numpy_function as export

        inputs = sorted(expr.atoms(sp.MatrixSymbol), key=lambda m: m.name)
        parameters = sorted((s for s in expr.free_symbols if isinstance(s, sp.Symbol) and s not in dims),
                            key=lambda s: s.name)
        function = export(expr, inputs, parameters=parameters)
        names = [m.name for m in inputs] + [p.name for p in parameters]
        return lambda values: np.asarray(function(**{k: values[k] for k in names}), dtype=float).ravel()
    symbols = sorted(sp.sympify(expr).free_symbols, key=lambda s: s.name)
    lambdified = sp.lambdify(symbols, expr, modules="numpy")
    return lambda values: np.atleast_1d(np.asarray(lambdified(*[values[s.name] for s in symbols]), dtype=float))


def _sizes(unknowns: tuple, data: Values, problem: DualProblem) -> list[tuple[Any, tuple[int, int]]]:
    """Each unknown with its numeric shape, read off the data (scalars are 1 x 1)."""
    from symml.matrix_calculus.stationary import _size_of

    inputs = sorted({m for e in _expressions(problem) if isinstance(e, sp.Basic) for m in e.atoms(sp.MatrixSymbol)
                     if m.name in data}, key=lambda m: m.name)
    return [(u, _size_of(u, inputs, data) if isinstance(u, sp.MatrixSymbol) else (1, 1)) for u in unknowns]


def _unpack(z: np.ndarray, layout: list) -> Values:
    values, start = {}, 0
    for unknown, shape in layout:
        size = shape[0] * shape[1]
        block = z[start:start + size]
        values[unknown.name] = block.reshape(shape) if isinstance(unknown, sp.MatrixSymbol) and shape[1] > 1 else (
            block if isinstance(unknown, sp.MatrixSymbol) else float(block[0]))
        start += size
    return values


def _slsqp(objective: Callable, gradient: Callable | None, layout: list, equalities: list, inequalities: list,
           start: float) -> Any:
    from scipy.optimize import minimize

    size = sum(r * c for _, (r, c) in layout)
    constraints = [{"type": "eq", "fun": f} for f in equalities] + [{"type": "ineq", "fun": f} for f in inequalities]
    found = minimize(objective, np.full(size, start), jac=gradient, method="SLSQP", constraints=constraints,
                     options={"ftol": 1e-15, "maxiter": 2000})
    # status 8 (a positive directional derivative in the line search) is SLSQP at its precision limit, at the optimum
    if not found.success and found.status != 8:
        raise NotIdentifiableError(f"SLSQP did not converge: {found.message}")
    return found


@numpy_function.register(DualProblem)
def _numpy_dual(problem: DualProblem, derivation: Derivation, **options: Any) -> Callable[..., Values]:
    from symml.optimize.infimum import _gradient

    dims = _dims(problem)
    g = _callable(problem.dual_function, dims)
    matrix = is_matrix_problem(problem.dual_function)
    gradients = [_callable(_gradient(problem.dual_function, m, matrix), dims) for m in problem.multipliers]
    equalities = [_callable(E, dims) for E in problem.dual_equalities]
    inequalities = [_callable(e, dims) for e in problem.dual_inequalities]
    recovered = {u: _callable(v, dims) for u, v in {**problem.eliminated, **problem.recover}.items()}
    slackness = _slackness_values(problem.slackness, dims) if problem.slackness is not None else None

    def solve(**data: Any) -> Values:
        missing = sorted({s.name for e in (problem.dual_function, *problem.dual_equalities, *problem.dual_inequalities)
                          for s in e.free_symbols if isinstance(s, (sp.Symbol, sp.MatrixSymbol))}
                         - {m.name for m in problem.multipliers} - {d.name for d in dims} - set(data))
        if missing:
            raise ParameterError(f"missing values for {', '.join(missing)} (pass them by name)")
        layout = _sizes(problem.multipliers, data, problem)

        def at(z: np.ndarray) -> Values:
            return {**data, **_unpack(z, layout)}

        found = _slsqp(lambda z: -float(g(at(z))[0]),
                       lambda z: -np.concatenate([gr(at(z)) for gr in gradients]),
                       layout, [lambda z, f=f: f(at(z)) for f in equalities],
                       [lambda z, f=f: f(at(z)) for f in inequalities], 0.0)
        optimum = at(found.x)
        out: Values = {m.name: optimum[m.name] for m in problem.multipliers}
        for unknown, function in recovered.items():
            value = function(optimum)
            out[unknown.name] = value if isinstance(unknown, sp.MatrixSymbol) else float(value[0])
        if slackness is not None:
            out.update(slackness({**optimum, **{u.name: out[u.name] for u in recovered}}))
        out["dual_value"] = -float(found.fun)
        return out

    return solve


def _slackness_values(recovery: Any, dims: set) -> Callable[[Values], Values]:
    """The scalar unknowns fixed by complementary slackness, averaged over the entries where every multiplier is
    positive (beyond 1e-7 of the largest, so that a multiplier at its bound to solver precision does not count);
    NaN where there is no such entry (every multiplier at a bound: the unknown is then not fixed by an equation)."""
    placeholders = list(recovery.entries)
    vectors = [_callable(recovery.entries[p], dims) for p in placeholders]
    dummies = [sp.Dummy(f"e{k}") for k in range(len(placeholders))]
    names = dict(zip(placeholders, dummies))
    scalars = sorted({s for e in (*recovery.values.values(), *recovery.positive) for s in e.xreplace(names).free_symbols
                      if not isinstance(s, sp.Dummy)}, key=lambda s: s.name)
    arguments = [*dummies, *scalars]
    positive = [sp.lambdify(arguments, e.xreplace(names), modules="numpy") for e in recovery.positive]
    values = {u.name: sp.lambdify(arguments, v.xreplace(names), modules="numpy") for u, v in recovery.values.items()}

    def evaluate(known: Values) -> Values:
        inputs = [*(f(known) for f in vectors), *(known[s.name] for s in scalars)]
        margins = [np.broadcast_to(np.asarray(f(*inputs), dtype=float), inputs[0].shape) for f in positive]
        tolerance = 1e-7 * max(1.0, *(float(np.max(np.abs(m))) for m in margins))
        where = np.all([m > tolerance for m in margins], axis=0)
        if not np.any(where):  # every multiplier at a bound: the active inequalities bound it, fix no value
            return {name: math.nan for name in values}
        return {name: float(np.mean(np.broadcast_to(f(*inputs), where.shape)[where])) for name, f in values.items()}

    return evaluate


def _random_data(problem: DualProblem, rng: np.random.Generator) -> Values:
    """Random inputs: 4 per unknown dimension, 2 per row of a vector equality (fewer than the unknowns, so it is
    feasible), 5 otherwise; symmetric matrices positive definite, scalar parameters in [0.5, 2]."""
    from symml.matrix_calculus.expressions import SymmetricMatrixSymbol
    from symml.testing import random_spd

    sizes: dict = {}
    for u in problem.wrt:
        sizes.update({dim: 4 for dim in getattr(u, "shape", ()) if isinstance(dim, sp.Symbol)})
    for h in problem.equalities:
        if isinstance(h, sp.MatrixExpr) and isinstance(h.shape[0], sp.Symbol):
            sizes.setdefault(h.shape[0], 2)
    skip = {*problem.wrt, *problem.multipliers, *problem.eliminated}
    data: Values = {}
    dims = _dims(problem)
    for expr in (problem.objective, *problem.equalities, *problem.inequalities):
        for m in expr.atoms(sp.MatrixSymbol) - skip:
            shape = tuple(int(sizes.setdefault(s, 5)) if isinstance(s, sp.Symbol) else int(s) for s in m.shape)
            data[m.name] = (random_spd(rng, shape[0]) if isinstance(m, SymmetricMatrixSymbol)
                            else rng.standard_normal(shape))
        for s in expr.free_symbols - skip - dims:
            if isinstance(s, sp.Symbol):
                data[s.name] = float(rng.uniform(0.5, 2.0))
    return {k: (v.ravel() if isinstance(v, np.ndarray) and v.ndim == 2 and v.shape[1] == 1 else v)
            for k, v in data.items()}


@verify.register(DualProblem)
def _verify_dual(problem: DualProblem, derivation: Derivation, *, seed: int = 0, tolerance: float = 1e-6,
                 data: Values | None = None) -> Verification:
    """The primal solved directly (SLSQP from 0.1 everywhere) against the derived dual solved numerically."""
    rng = np.random.default_rng(seed)
    data = dict(data) if data is not None else _random_data(problem, rng)
    dims = _dims(problem)
    f = _callable(problem.objective, dims)
    layout = _sizes(problem.wrt, data, problem)

    def at(z: np.ndarray) -> Values:
        return {**data, **_unpack(z, layout)}

    primal = _slsqp(lambda z: float(f(at(z))[0]), None, layout,
                    [lambda z, h=_callable(h, dims): h(at(z)) for h in problem.equalities],
                    [lambda z, g=_callable(g, dims): -g(at(z)) for g in problem.inequalities], 0.1)
    derived = derivation.numpy()(**data)
    comparisons = [Comparison("optimal value: dual d* against primal p*", derived["dual_value"], float(primal.fun),
                              relative_error(derived["dual_value"], float(primal.fun), 1.0))]
    point = _unpack(primal.x, layout)
    for unknown in [*problem.recover, *(problem.slackness.values if problem.slackness is not None else ())]:
        ours, theirs = np.ravel(derived[unknown.name]), np.ravel(point[unknown.name])
        comparisons += [Comparison(f"{unknown.name}[{i}] from the dual", float(a), float(b), relative_error(a, b, 1.0))
                        for i, (a, b) in enumerate(zip(ours, theirs))]
    return Verification.from_comparisons(comparisons, method="scipy.optimize.minimize (SLSQP) on the primal from 0.1 "
                                         "everywhere, against the derived dual solved by SLSQP from zero multipliers",
                                         tolerance=tolerance, seed=seed)
