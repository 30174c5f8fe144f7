"""Test helpers: evaluate an MLE derivation's estimators on data with plain NumPy, and an independent numeric MLE.

Independent of symml's own NumPy export: statistics are reduced here with numpy from their records, and the
numeric maximum comes from scipy.stats log-densities and scipy.optimize, never from SymPy.
"""
from __future__ import annotations

import numpy as np
import sympy as sp
from scipy import optimize

_REDUCE = {"mean": np.mean, "min": np.min, "max": np.max, "median": np.median}


def statistic_values(problem, data: np.ndarray, fixed: dict) -> dict:
    """{statistic symbol: value} for the problem's statistics, in order (later ones may use earlier ones)."""
    values: dict = {}
    known = {p: fixed[p.name] for p in problem.fixed if p.name in fixed}
    for statistic in problem.statistics:
        summand = statistic.summand.subs(values).subs(known)
        function = sp.lambdify(problem.observation, summand, "numpy")
        values[statistic.symbol] = float(_REDUCE[statistic.reduction](np.broadcast_to(function(data), data.shape)))
    return values


def evaluate(expr: sp.Expr, problem, data: np.ndarray, fixed: dict, unknowns: dict | None = None) -> float:
    """An expression in statistics, data sums, fixed and (optionally) unknown parameters, at the data."""
    values = statistic_values(problem, data, fixed)
    known = {p: fixed[p.name] for p in problem.fixed if p.name in fixed}
    substitutions = {**values, **known, **(unknowns or {}), problem.sample_size: data.size}
    expr = expr.subs(substitutions)
    for total in expr.atoms(sp.Sum):
        (index, _, _), summand = total.limits[0], total.function
        indexed = next(iter(summand.atoms(sp.Indexed)))
        plain = sp.Dummy("x")
        function = sp.lambdify(plain, summand.subs(indexed, plain), "numpy")
        expr = expr.subs(total, float(np.sum(np.broadcast_to(function(data), data.shape))))
    return float(expr)


def estimates(derivation, data: np.ndarray, **fixed: float) -> dict:
    """{parameter name: value} of the derived closed-form estimators on ``data``."""
    problem = derivation.problem
    return {p.name: evaluate(v, problem, data, fixed) for p, v in problem.estimators.items()}


def numeric_mle(negative_loglik, start) -> np.ndarray:
    """Minimise a negative log-likelihood with Nelder-Mead to tight tolerances (from a start away from it)."""
    start = np.atleast_1d(np.asarray(start, dtype=float))
    # fatol is absolute: scale it to the log-likelihood, whose size grows with n, or it can never be met.
    fatol = 1e-15 * max(1.0, abs(negative_loglik(start)))
    result = optimize.minimize(negative_loglik, start, method="Nelder-Mead",
                               options={"xatol": 1e-11, "fatol": fatol, "maxiter": 20000, "maxfev": 40000})
    return result.x


def relative_gap(a: float, b: float) -> float:
    return abs(a - b) / max(abs(a), abs(b), 1e-12)
