"""One unknown whose stationarity equation keeps sums over the data (the Weibull shape, the Student-t location),
solved for a few observations in Python floats (:class:`FewObservations`), certified or None.

The generic solver (:class:`symml.mle.numeric_solver.NumericSolver`) evaluates its sums through NumPy and a values
map keyed by SymPy symbols: at n = 10 each evaluation costs ~7-8 us of calls around ~40 flops, and the call ~120-170
us. Here the same derived pieces run as generated loops over the observations (:mod:`symml.mle.float_sums`):

- Newton's method on the stationarity equation with its derived slope (:func:`symml.mle.newton.newton_root`),
  from the solver's own start (the method-of-moments guess or 1; a guess in order statistics of the observations,
  the median, from the observations sorted once), the sums shifted against overflow as in NumPy;
- the mean log-likelihood and the profiled parameters at the root, from the separated log-likelihood: finite there
  only if the log-density is finite at every observation;
- the solver's global check: where the profile log-likelihood is proven concave in the unknown when the estimator
  is built (:func:`symml.mle.concave_profile.profile_is_concave`) the root is its one maximum; elsewhere the
  log-likelihood at the solver's multi-start candidates (for a real unknown the sample's quantiles, each
  observation and moves of the root) and at the finite-difference Hessian's points, none of them higher than the
  root's (the candidates) and the Hessian not positive (beyond the solver's rounding allowance). Where nothing is
  profiled the root's value is taken with theirs, from one NumPy evaluation of the log-density's terms that change
  with the observation or the unknown, plus its other terms (evaluated once per value of the fixed parameters);
- the density on the support: each estimate inside the domain where SymPy proved the log-density real.

Whatever is not certified (a value not finite, Newton not converging or running off 1e8-fold from its start, a
candidate higher than the root, a Hessian above rounding) returns None: the generic solver then decides on the
same sample, with its own local searches and error messages. Nothing here names a family.
"""
from __future__ import annotations

import math
from typing import Any, Callable, cast

import numpy as np
import sympy as sp

from symml.mle.float_sums import FloatSums, sums_in_floats
from symml.mle.newton import newton_root
from symml.mle.sample_function import SampleFunction
from symml.mle.sample_reductions import median_of_sorted
from symml.mle.self_checks import _DOMAINS, places_in_a_few, starts_around

__all__ = ["FewObservations", "FEW"]

#: Up to this many observations a call takes the Python-float path (measured crossover with NumPy's per-call cost:
#: see benchmarks/bench_mle.py)
FEW = 64

#: A root this many times nearer 0, or farther out, than the start is looked at by the generic solver (a root where
#: the equation rounds to 0: symml.mle.monotone_likelihood, NumericSolver._at_the_boundary)
_FAR = 1e8


class FewObservations:
    """The estimate of a :class:`NumericSolver` with one unknown on a few observations, certified, or None.

    Built by :meth:`of`; :meth:`estimate` per sample."""

    def __init__(self, solver: Any, newton: FloatSums, at_root: FloatSums, concave: bool):
        self.solver, self.newton, self.at_root, self.concave = solver, newton, at_root, concave
        self.positive = solver.positive[0]
        # the equation and its slope (cast once: a subscripted Callable is built at run time, ~1 us a call)
        self._pair = cast(Callable[..., tuple[float, float]], newton.function)
        # the estimated parameters in the order of problem.wrt: the unknown, or the k-th profiled value
        profiled = list(solver.profiled)
        self._order = [None if p == solver.unknowns[0] else profiled.index(p) for p in solver.problem.wrt]
        # the terms of the log-density that change with the observation or the unknown as a function of both, its
        # other arguments by position in at_root's constants, and the others (the Student-t's log-gammas of nu) as
        # a function of the constants, evaluated once for each of their values; None where a profiled parameter is
        # in it (evaluated per point in floats, its profiled parameters too)
        self._log_density = None
        problem, unknown = solver.problem, solver.unknowns[0]
        terms = sp.Add.make_args(problem.log_density)
        varying = sp.Add(*[term for term in terms if term.has(problem.observation, unknown)])
        if not solver.profiled and varying.free_symbols - {problem.observation, unknown} <= set(at_root.constants):
            density = SampleFunction.of(varying, leading=(problem.observation, unknown), cse=True)
            fixed = SampleFunction.of(problem.log_density - varying, scalar=True)
            self._log_density = (density.function, [at_root.constants.index(a) for a in density.arguments[2:]],
                                 fixed.function, [at_root.constants.index(a) for a in fixed.arguments])
        self._fixed_terms: tuple[tuple[float, ...] | None, float] = (None, math.nan)  # the last constants' value
        self._start_by_order = _start_by_order(solver)
        self._domains = [(k, _DOMAINS[domain]) for k, domain in
                         ((solver.problem.wrt.index(p), domain) for p, domain in solver._domains.items())]

    @classmethod
    def of(cls, solver: Any, pair: tuple[sp.Expr, sp.Expr] | None, concave: bool) -> "FewObservations | None":
        """The path for ``solver`` (its Newton ``pair``, the equation and slope in scaled sums), or None where it
        does not apply: several unknowns, no derived slope, a statistic changing with the unknown, a sum waiting
        for a profiled parameter, admissible ranges the model does not state, or a log-density not proven real
        on the support for every parameter value in its domain (then the density check is a grid, per call)."""
        problem = solver.problem
        if (len(solver.unknowns) != 1 or pair is None or not solver._statistics_fixed or solver._after_profiled
                or problem.unstated_ranges or solver._domains is None):
            return None
        unknown = solver.unknowns[0]
        profiled = {p: solver.sums.for_value(e) for p, e in solver._closed.items()}
        mean = solver.sums.for_value(solver._total / problem.sample_size).xreplace(profiled)
        at_root = sums_in_floats(solver.sums, [mean, *profiled.values()], unknown)
        # the same constants for both, so that they share their rows (the data's subexpressions at each observation)
        newton = sums_in_floats(solver.sums, list(pair), unknown, at_root.constants) if at_root else None
        if newton is None or at_root is None or newton.constants != at_root.constants:
            return None
        return cls(solver, newton, at_root, concave)

    def estimate(self, observations: list[float], sample: np.ndarray, values: dict) -> list[float] | None:
        """The estimates (in the order of ``problem.wrt``) on ``sample`` (at most :data:`FEW` observations, also
        as Python floats: ``observations``), or None where they are not certified. ``values``: the fixed
        parameters and n; the statistics are added to it."""
        solver = self.solver
        solver.plan.complete(sample, values)
        start = self._start(observations, sample, values)
        try:
            constants = tuple(float(values[c]) for c in self.at_root.constants)
        except (KeyError, TypeError):
            return None
        prepared = self.at_root.rows(observations, constants)
        if prepared is None:
            return None
        rows, tops = prepared
        root = newton_root(self._pair, start, self.positive, args=(rows, tops, *constants))
        if root is None or not self._near(root, start):
            return None
        profiled: list[float] = []  # none where the log-density is one NumPy function: the root's value comes
        if self._log_density is None or self.concave:  # with the candidates' (finite there, or no estimate)
            likelihood, *profiled = self.at_root.function(root, rows, tops, *constants)
            if not (math.isfinite(likelihood) and all(map(math.isfinite, profiled))):
                return None  # a finite separated log-likelihood: a finite log-density at every observation
        estimates = [root if k is None else profiled[k] for k in self._order]
        if not all(inside(estimates[k]) for k, inside in self._domains):
            return None
        if not self.concave and not self._highest(observations, sample, root, rows, tops, constants):
            return None
        return estimates

    def _start(self, observations: list[float], sample: np.ndarray, values: dict) -> float:
        """The solver's start: its guess from order statistics of the observations as Python floats, sorted once
        (the Student-t's median: the statistic plan's NumPy round trip and values map cost ~2.5 us at n = 10), or
        the solver's own :meth:`_start`."""
        if self._start_by_order is None:
            return float(self.solver._start(sample, values)[0])
        guess, statistics = self._start_by_order
        listed = sorted(observations)
        try:
            start = float(guess(*(statistic(listed) for statistic in statistics)))
        except (ArithmeticError, ValueError, TypeError):  # where the plan's NumPy scalars give inf or nan
            start = math.nan
        if not math.isfinite(start) or (self.positive and start <= 0):
            return 1.0  # an unusable method-of-moments guess, as the solver's
        return start

    def _near(self, root: float, start: float) -> bool:
        """Whether the root is within :data:`_FAR` of the start (by factors for a positive unknown)."""
        if self.positive:
            return start / _FAR < root < start * _FAR
        return abs(root - start) < _FAR * max(abs(start), 1.0)

    def _highest(self, observations: list[float], sample: np.ndarray, root: float, rows: list, tops: tuple,
                 constants: tuple[float, ...]) -> bool:
        """Whether the mean log-likelihood at the root is finite, no multi-start candidate of the solver has a
        higher one and the finite-difference second derivative there is not positive beyond the solver's rounding
        allowance (the solver's own candidates, Hessian points and tolerances)."""
        candidates = starts_around(root, self.positive, None if self.positive else places_in_a_few(observations))
        steps, _, hessian = self.solver._new_hessian_points((root,))
        # the root first: its value and the others' from one function, whatever terms it leaves out
        at_root, *values = self._likelihoods(sample, [root, *candidates, *(point for (point,) in hessian[1:])],
                                             rows, tops, constants)
        tolerance = 1e-10 * (abs(at_root) + 1.0)
        scores = values[:len(candidates)]
        # a NaN (or +inf beside -inf) makes the sum NaN: then, as for a better start, the generic searches decide
        if not math.isfinite(at_root) or math.isnan(sum(scores)) or max(scores) > at_root + tolerance:
            return False
        plus, across, back, minus = values[len(candidates):]
        second = (plus - across - back + minus) / (4 * steps[0] * steps[0])
        return math.isfinite(second) and second <= 1e-6 * (abs(at_root) + 1.0) + 1e-6 * abs(second)

    def _likelihoods(self, sample: np.ndarray, points: list[float], rows: list, tops: tuple,
                     constants: tuple[float, ...]) -> list[float]:
        """The mean log-likelihood at each point: where nothing is profiled, the log-density's varying terms at every
        observation and point in one (observations x points) NumPy evaluation (~10 ufunc calls, where a loop in
        floats costs ~0.2 us an observation and point), plus the others; else the float function at each point (its
        profiled parameters too)."""
        if self._log_density is None:
            evaluate = self.at_root.function
            return [evaluate(point, rows, tops, *constants)[0] for point in points]
        function, positions, fixed, fixed_positions = self._log_density
        known, fixed_terms = self._fixed_terms
        if known != constants:
            try:
                fixed_terms = float(fixed(*(constants[k] for k in fixed_positions)))
            except (ArithmeticError, ValueError, TypeError):  # the math module's domain: no finite log-density
                fixed_terms = math.nan
            self._fixed_terms = (constants, fixed_terms)
        arguments = [sample[:, None], np.array(points), *(constants[k] for k in positions)]
        with np.errstate(all="ignore"):  # a log of 0 or of a negative number is an answer here (-inf, nan)
            terms = np.asarray(function(*arguments), dtype=float)
        if terms.shape != (sample.size, len(points)):
            terms = np.broadcast_to(terms, (sample.size, len(points)))
        size = sample.size
        return [total / size + fixed_terms for total in np.add.reduce(terms, axis=0).tolist()]


#: Order statistics of a sorted list of Python floats, by the reduction's name
_ORDER_STATISTICS: dict[str, Callable[[list[float]], float]] = {
    "median": median_of_sorted,
    "min": lambda listed: listed[0],
    "max": lambda listed: listed[-1],
}


def _start_by_order(solver: Any) -> tuple[Callable[..., Any], list[Callable[[list[float]], float]]] | None:
    """The solver's guess for its one unknown and, for each of its arguments, the order statistic of the
    observations it is, where it reads only such statistics of the observations themselves; else None."""
    guess = solver.guesses.get(solver.unknowns[0])
    reducers = {r.symbol: r for r in solver.start_plan.reducers}
    if guess is None or not all(a in reducers and reducers[a].summand is None
                                and reducers[a].reduction in _ORDER_STATISTICS for a in guess.arguments):
        return None
    return guess.function, [_ORDER_STATISTICS[reducers[a].reduction] for a in guess.arguments]
