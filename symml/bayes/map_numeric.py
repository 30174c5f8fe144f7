"""``numpy()`` of a MAP estimate: ``est(x=data, a=2.0, b=3.0)`` -> ``{"p": mode}``.

The statistics are reduced from the data once, then the closed form is evaluated. Without a closed form the log
posterior is maximised numerically on its support (bounded Brent, scipy.optimize.minimize_scalar; BFGS over several
parameters). A closed form that falls outside the support for the data at hand (a Beta prior with a < 1 and a
sample of all ones: (k + a − 1)/(n + a + b − 2) > 1) is not the mode: the log posterior is monotone on the support
then, and the mode is the end it increases towards (where the density may be unbounded: p = 1).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import sympy as sp
from scipy import optimize

from symml.bayes.map import MAPProblem
from symml.bayes.numeric import SampleKernel, named_values, sample_of, statistic_values, taking_the_sample_first
from symml.mle.numeric import SampleFunction
from symml.operations import numpy_function

__all__ = ["map_estimator"]


def map_estimator(problem: MAPProblem) -> Callable[..., dict[str, float]]:
    """The MAP estimate as a NumPy function of the data and the other symbols, by name."""
    if len(problem.parameters) > 1:
        return _closed_forms(problem) if problem.estimates else _numeric_joint_mode(problem)
    theta, x = problem.parameter, problem.observation
    derived = {problem.sample_size, theta} | {s.symbol for s in problem.statistics}
    closed = SampleFunction.of(problem.estimates[theta]) if theta in problem.estimates else None
    kernel = SampleKernel.of(problem.log_kernel, problem.kernel.table)
    ends = (SampleFunction.of(problem.support.inf), SampleFunction.of(problem.support.sup))
    needed = ((set(closed.arguments) if closed is not None else kernel.arguments) | set(ends[0].arguments)
              | set(ends[1].arguments)
              | {s for st in problem.statistics for s in st.summand.free_symbols}) - derived - {x}

    def numeric_mode(values: dict) -> float:
        low, high = float(ends[0](values)), float(ends[1](values))
        low, high = max(low, -1e6), min(high, 1e6)
        found = optimize.minimize_scalar(lambda t: -float(kernel({**values, theta: t})), bounds=(low, high),
                                         method="bounded", options={"xatol": 1e-12})
        return float(found.x)

    def boundary_mode(values: dict) -> float:
        """The closed form's stationary point lies off the support, so the log posterior is monotone there and the
        mode is the end Brent's maximiser approaches (where the density may be unbounded: not evaluated there)."""
        found, ends_now = numeric_mode(values), [float(end(values)) for end in ends]
        nearest = min(ends_now, key=lambda end: abs(end - found))
        return nearest if np.isfinite(nearest) else found

    def closed_mode(values: dict, closed: SampleFunction) -> float:
        with np.errstate(divide="ignore", invalid="ignore"):  # a zero denominator: no stationary point at all
            value = float(closed(values))
        inside = np.isfinite(value) and float(ends[0](values)) <= value <= float(ends[1](values))
        return value if inside else boundary_mode(values)

    def estimate(**given: Any) -> dict[str, float]:
        sample = sample_of(given, x, problem.kernel)
        values = statistic_values(problem.statistics, x, problem.sample_size, sample,
                                  named_values(needed, given, "the MAP estimate"))
        values[x] = sample  # for the sums over it that no statistic carries
        value = closed_mode(values, closed) if closed is not None else numeric_mode(values)
        return {theta.name: value}

    return estimate


def _closed_forms(problem: MAPProblem) -> Callable[..., dict[str, float]]:
    """Several parameters' estimates, each a closed form (the constrained MAP)."""
    x = problem.observation
    formulas = {p.name: SampleFunction.of(e) for p, e in problem.estimates.items()}
    derived = {problem.sample_size} | {s.symbol for s in problem.statistics}
    needed = ({a for f in formulas.values() for a in f.arguments}
              | {s for st in problem.statistics for s in st.summand.free_symbols}) - derived - {x}

    on_simplex = bool(problem.kernel.equalities)

    def estimate(**given: Any) -> dict[str, float]:
        values = statistic_values(problem.statistics, x, problem.sample_size, sample_of(given, x, problem.kernel),
                                  named_values(needed, given, "the MAP estimate"))
        found = {name: float(f(values)) for name, f in formulas.items()}
        if on_simplex and min(found.values()) <= 0:
            return _mode_on_a_face(problem, values, frozenset(p for p in problem.parameters if found[p.name] <= 0))
        return found

    return estimate


def _mode_on_a_face(problem: MAPProblem, values: dict, dropped: frozenset) -> dict[str, float]:
    """The stationary point of the Lagrangian lies off the simplex (a Dirichlet with α_k < 1 and no observation of
    value k: p̂_k < 0): the log posterior grows without bound as those p_k → 0, so the mode lies on the face where
    they are 0, and the others maximise the log posterior's remaining terms on that face (BFGS over a softmax
    parametrisation, which stays on it)."""
    kept = [p for p in problem.parameters if p not in dropped]
    rest = sp.Add(*(t for t in sp.Add.make_args(sp.expand(problem.log_kernel)) if not t.has(*dropped)))
    kernel = SampleFunction.of(rest)

    def on_face(u: np.ndarray) -> np.ndarray:
        exponents = np.append(u, 0.0)
        weights = np.exp(exponents - exponents.max())
        return weights / weights.sum()

    def negative(u: np.ndarray) -> float:
        value = float(kernel({**values, **dict(zip(kept, on_face(u)))}))
        return -value if np.isfinite(value) else 1e300

    start = np.zeros(len(kept) - 1)  # one value left: the face is the vertex p = 1
    best = optimize.minimize(negative, start, method="BFGS", options={"gtol": 1e-11}).x if start.size else start
    return {p.name: float(v) for p, v in zip(kept, on_face(best))} | {p.name: 0.0 for p in dropped}


def _numeric_joint_mode(problem: MAPProblem) -> Callable[..., dict[str, float]]:
    """Several parameters without a closed-form mode: the log posterior maximised by BFGS, a parameter on a half
    line (low, oo) through log(theta - low) so that every step stays inside the support."""
    x, parameters = problem.observation, problem.parameters
    kernel = SampleFunction.of(problem.log_kernel)
    lows = [problem.kernel.support_of(p).inf for p in parameters]
    logged = [not (low.is_infinite or low.free_symbols) for low in lows]
    derived = {problem.sample_size, *parameters} | {s.symbol for s in problem.statistics}
    needed = (set(kernel.arguments) | {s for st in problem.statistics for s in st.summand.free_symbols}) - derived - {x}

    def at(u: np.ndarray) -> dict:
        return {p: float(low) + np.exp(v) if log else v for p, low, log, v in zip(parameters, lows, logged, u)}

    def estimate(**given: Any) -> dict[str, float]:
        values = statistic_values(problem.statistics, x, problem.sample_size, sample_of(given, x, problem.kernel),
                                  named_values(needed, given, "the MAP estimate"))

        def negative(u: np.ndarray) -> float:
            value = float(kernel({**values, **at(u)}))
            return -value if np.isfinite(value) else 1e300

        found = optimize.minimize(negative, np.zeros(len(parameters)), method="BFGS", options={"gtol": 1e-11})
        return {p.name: float(v) for p, v in at(found.x).items()}

    return estimate


@numpy_function.register(MAPProblem)
def _(problem: MAPProblem, derivation: Any, **options: Any) -> Callable[..., dict[str, float]]:
    return taking_the_sample_first(map_estimator(problem), problem.observation)
