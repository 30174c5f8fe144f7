r"""numpy() and verify() of an optimum whose objective sums over data written with indices (Σᵢ (yᵢ − w xᵢ)²).

The data ``x[i]``, ``y[i]`` are arrays passed by their names (``x=..., y=...``); the sizes (the ``n`` of the sums)
come from the arrays' lengths; everything else is a scalar passed by name. The closed forms are evaluated by
:func:`symml.calculus.index_arrays.evaluate` (a ``Sum`` adds along its index's axis: no Python loop over the data).
``verify()`` draws data of a few sizes, minimises the objective evaluated the same way with scipy.optimize from a
start independent of the answer, and compares.

>>> import numpy as np, sympy as sp, symml
>>> i, n = sp.Symbol("i", integer=True), sp.Symbol("n", integer=True, positive=True)
>>> x, y, w = sp.IndexedBase("x"), sp.IndexedBase("y"), sp.Symbol("w", real=True)
>>> slope = symml.derive.minimize(sp.Sum((y[i] - w * x[i]) ** 2, (i, 1, n)), wrt=w).numpy()
>>> float(slope(x=np.array([1.0, 2.0]), y=np.array([2.0, 4.0])))
2.0
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Verification, relative_error
from symml.errors import ParameterError, UnsupportedOperationError

__all__ = ["has_data_sums", "numpy_optimum", "verify_optimum"]


def has_data_sums(problem: Any) -> bool:
    """Whether the objective holds data written with indices (``x[i]`` inside a sum)."""
    return bool(sp.sympify(problem.objective).atoms(sp.Indexed))


def _names(problem: Any) -> tuple[list[str], list[str], list[str]]:
    """(the data's names, the scalars' names, the sizes' names): the unknowns are none of them."""
    from symml.calculus.index_arrays import data_and_scalars

    data, scalars, sizes = data_and_scalars(problem.objective, exclude=problem.wrt)
    return data, [s.name for s in scalars], sizes


def numpy_optimum(problem: Any) -> Callable[..., Any]:
    """The closed forms as one function of the data arrays and the scalars, by name."""
    from symml.calculus.index_arrays import evaluate, with_sizes

    if problem.left and (len(problem.wrt) != 1 or len(problem.stationarity) != 1):
        raise UnsupportedOperationError("numpy() solves stationarity equations left without a closed form over "
                                        "indexed data for one unknown only; write the data as vectors "
                                        "(symml.vector) to solve them at matrix level")
    data, scalars, sizes = _names(problem)
    single = len(problem.wrt) == 1

    def optimum(**values: Any) -> Any:
        missing = [name for name in (*data, *scalars) if name not in values]
        if missing:
            raise ParameterError(f"missing values for {', '.join(missing)} (pass them by name; data as arrays)")
        arrays = {name: np.asarray(values[name], dtype=float) for name in data}
        numbers = with_sizes({name: float(values[name]) for name in scalars}, arrays, sizes)
        if problem.left:
            return _best_stationary_point(problem, arrays, numbers)
        found = {u.name: float(evaluate(problem.solution[u], arrays, numbers)) for u in problem.wrt}
        return found[problem.wrt[0].name] if single else found

    return optimum


def _best_stationary_point(problem: Any, arrays: dict, numbers: dict) -> float:
    """The one unknown's stationarity equation solved on the arrays: Brent's method in every cell of a grid over
    its domain (every tenth point of :func:`~symml.optimize.numeric_optimum.line_grid`: each evaluation is a pass
    over the data) where the residual changes sign; of the roots, the one with the best objective, refused when the
    grid's far ends do better (symml.optimize.numeric_optimum)."""
    from symml.calculus.index_arrays import evaluate
    from symml.optimize.numeric_optimum import best_candidate, line_grid, sign_change_roots

    (unknown,), (equation,) = problem.wrt, problem.stationarity
    residual, name = equation.lhs - equation.rhs, unknown.name

    def at(expr: sp.Expr, t: float) -> float:
        with np.errstate(all="ignore"):
            return float(evaluate(expr, arrays, {**numbers, name: t}))

    grid = line_grid(unknown)[::10]
    roots = sign_change_roots(lambda t: at(residual, t), grid, np.array([at(residual, t) for t in grid]))
    values = [at(problem.objective, t) for t in roots]
    ends = [at(problem.objective, t) for t in (grid[0], grid[-1])]
    return roots[best_candidate(roots, values, problem.maximise, [unknown], ends)]


def verify_optimum(problem: Any, derivation: Any, seed: int = 0, instances: int = 3,
                   tolerance: float = 1e-6) -> Verification:
    """Random data (sizes 5 to 12) and scalars; the objective minimised by scipy.optimize on those arrays."""
    from scipy.optimize import minimize

    from symml.calculus.index_arrays import evaluate, is_order_statistic, random_data
    from symml.optimize.problem import optimum_comparisons

    rng = np.random.default_rng(seed)
    data, scalars, _ = _names(problem)
    sign = -1.0 if problem.maximise else 1.0
    wrt = list(problem.wrt)
    derived_function = derivation.numpy()
    # a quantile or median of the data: every point between two order statistics may be optimal
    flat = any(is_order_statistic(node) for value in problem.solution.values()
               for node in sp.preorder_traversal(value))
    comparisons = []
    for k in range(instances):
        size, arrays = random_data(data, rng, problem.objective)
        numbers = {s.name: float(rng.uniform(0.5, 2.0) if s.is_positive or s.is_nonnegative else
                                 rng.standard_normal()) for s in sp.sympify(problem.objective).free_symbols
                   if isinstance(s, sp.Symbol) and s.name in scalars}

        def objective(z: np.ndarray) -> float:
            point = {**numbers, **{u.name: float(v) for u, v in zip(wrt, z)}}
            return sign * float(evaluate(problem.objective, arrays, point))

        bounds = [(1e-12, None) if u.is_positive else (None, None) for u in wrt]
        found = minimize(objective, np.array([0.5 + 0.05 * j for j in range(len(wrt))]), method="L-BFGS-B",
                         bounds=bounds, options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 5000})
        derived = derived_function(**arrays, **numbers)
        if flat:
            point = [float(derived[u.name]) if isinstance(derived, dict) else float(derived) for u in wrt]
            mine, theirs = objective(np.array(point)), objective(found.x)
            comparisons.append(Comparison(f"optimal value (instance {k + 1}, n = {size})", mine, theirs,
                                          relative_error(mine, theirs, scale=1.0)))
        else:
            comparisons.extend(optimum_comparisons(wrt, derived, found.x, f"instance {k + 1}, n = {size}"))
    return Verification.from_comparisons(
        comparisons, method="scipy.optimize.minimize (L-BFGS-B) of the objective summed over random data arrays, "
        "from a fixed start independent of the derived answer" + ("; an order statistic's optimum may be attained "
                                                                  "on an interval, so the optimal values are compared"
                                                                  if flat else ""), tolerance=tolerance, seed=seed)
