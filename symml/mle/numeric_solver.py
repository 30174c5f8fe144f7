"""Maximum-likelihood estimates where the engine found no closed form (:class:`NumericSolver`): profiles,
root finding on the stationarity equations, or a maximisation of the mean log-likelihood.
"""
from __future__ import annotations

import functools
import math
from typing import Any, Callable, Sequence

import numpy as np
import sympy as sp
from sympy.utilities.lambdify import implemented_function

from symml.errors import DataError, UnsupportedOperationError
from symml.mle.problem import MLEProblem
from symml.mle.few_observations import FEW, FewObservations
from symml.mle.newton import newton_root
from symml.mle.reduced_problem import ReducedProblem
from symml.mle.sample_function import SampleFunction
from symml.mle.boundary_search import maximum_on_the_parameter_space
from symml.mle.monotone_likelihood import refuse_if_monotone
from symml.mle.self_checks import _FEW as _FEW_STARTS, SCREENED, OutsideParameterSpace, SelfChecks
from symml.mle.statistic_plan import KNOWN, StatisticPlan, Values, evaluate

__all__ = ["NumericSolver", "NEWTON_SUBSAMPLE"]

#: The size of the subsample whose root starts Newton's method on a sample four times larger or more
NEWTON_SUBSAMPLE = 1 << 15


class NumericSolver(SelfChecks):
    """Estimates for a problem without a closed form. A stationarity equation ``Eq(theta, expression in the
    others)`` profiles theta out (as do the closed forms in ``problem.estimators``); what remains is solved by
    root finding (brentq for one equation in one unknown, whatever data sums it keeps; hybr for a square system
    in statistics) and otherwise by maximising the mean log-likelihood in the unknowns left."""

    def __init__(self, problem: MLEProblem):
        from symml.mle.scaled_sums import ScaledSums, reads_data  # imported here: it imports symml.mle.numeric

        self.problem = problem
        self._recent: dict = {}  # the last sample's evaluations at values of the unknowns, by those values
        # (purpose, profiled) -> the symbols it wants and the purposes an evaluation of them serves
        self._covered: dict[tuple[str, bool], tuple[frozenset, frozenset]] = {}
        self._waiting: dict[frozenset, bool] = {}  # whether a set of sums waits for the profiled parameters
        unsolved = [p for p in problem.wrt if p not in problem.estimators]
        profiles = {
            e.lhs: e.rhs for e in problem.stationarity if e.lhs in unsolved and not sp.sympify(e.rhs).has(e.lhs)
        }
        self.unknowns = tuple(p for p in unsolved if p not in profiles)
        # whether each unknown is positive (SymPy's assumption look-up costs ~0.4 us each time it is asked)
        self.positive = tuple(bool(u.is_positive) for u in self.unknowns)
        closed = {**problem.estimators, **profiles}
        residuals = [
            sp.sympify(e.lhs - e.rhs).subs(closed) for e in problem.stationarity if e.lhs not in profiles
        ]
        total = self._separated_log_likelihood(problem)
        # Newton's derivative of the one equation in one unknown, from the equation itself
        slopes = [sp.diff(residuals[0], self.unknowns[0])] if len(residuals) == len(self.unknowns) == 1 else []
        if any(slope.has(sp.DiracDelta) for slope in slopes):  # a kink or jump in the equation: brentq alone
            slopes = []
        # One set of sums for the equations, their slopes, the profiles and the log-likelihood: x^beta is computed
        # once per evaluation for all of them, and sums of the data alone once per sample.
        self.sums = ScaledSums(residuals + slopes + list(closed.values()) + [total], problem.observation,
                               problem.sample_size, problem.wrt)
        data_sums = any(reads_data(e) for e in residuals + list(closed.values()))
        square = bool(residuals) and len(residuals) == len(self.unknowns)
        self.by_roots = square and (len(self.unknowns) == 1 or not data_sums)
        self.residuals = self._compiled([self.sums.for_sign(r) for r in residuals]) if self.by_roots else None
        self.by_roots = self.residuals is not None
        # The equation and its slope scaled alike (a Newton step is their ratio); None: brentq alone
        pair = self.sums.for_ratio(residuals[0], slopes[0]) if slopes and self.by_roots else None
        # one compiled function for both, their common subexpressions computed once
        self.newton = self._compiled([sp.Tuple(*pair)], cse=True) if pair else None
        # The whole problem in a few statistics (Gamma shape, Beta): solved and checked as that small problem
        self.reduced = ReducedProblem.of(problem, self.unknowns, closed, residuals, total) if square else None
        self.profiled = {p: SampleFunction.of(self.sums.for_value(e)) for p, e in closed.items()}
        # sums whose summands hold a profiled parameter (the log-likelihood's Σ(x − m)²/(2s²) with s profiled)
        self._after_profiled = self.sums.needing(set(closed))
        self.likelihood = SampleFunction.of(self.sums.for_value(total / problem.sample_size))
        self._total, self._closed = total, closed
        # A start costs passes over the data (moments, a median); growing a bracket for one equation free of data
        # sums costs only scalar evaluations, so there the generic start 1 is cheaper than the guess.
        scalar_root = self.by_roots and len(self.unknowns) == 1 and not data_sums
        guesses = {} if scalar_root else problem.initial_guess
        self.guesses = {p: SampleFunction.of(guesses[p]) for p in self.unknowns if p in guesses}
        used = [*(self.residuals or ()), *(self.newton or ()), *self.profiled.values(), self.likelihood,
                *self.sums.functions()]
        # common subexpressions once (the Student-t's x - mu four times, its scaled |x - mu| twice: 14 -> 10 us on
        # 10 observations x 17 points)
        self.log_density = SampleFunction.of(problem.log_density, leading=(problem.observation,), cse=True)
        self._wanted = {purpose: frozenset(a for f in functions for a in f.arguments) for purpose, functions in [
            ("residuals", self.residuals or ()), ("newton", self.newton or ()), ("likelihood", [self.likelihood]),
            ("profiled", self.profiled.values())]}
        self.plan = StatisticPlan(problem, {a for f in used for a in f.arguments} | {problem.observation})
        # The statistics only the start needs (the Student-t location's median: a partition of the whole sample)
        # are those of the screening subsample on a large sample: a start needs no more precision than that
        self.start_plan = StatisticPlan(problem, {a for f in self.guesses.values() for a in f.arguments})
        # The log split over products and powers: finite where the density's factors under- or overflow separately
        # (x^(k - 1) and theta^k at x ~ 1e-300); a term is undefined only where neither form is a real number.
        self.split_log_density = SampleFunction.of(sp.expand_log(problem.log_density, force=True),
                                                   leading=(problem.observation,))
        # None where NumPy has no derivative of a special function in it (zeta): BFGS then differences numerically
        self.scores = self._compiled([sp.diff(problem.log_density, u) for u in self.unknowns], problem.observation)
        # One unknown on a few observations: the same derived pieces in Python floats, certified or None
        self.concave = problem.concave_profile and len(self.unknowns) == 1
        self.few = FewObservations.of(self, pair, concave=self.concave)
        unknowns = ", ".join(map(str, self.unknowns))
        start = "the method-of-moments guess" if self.guesses else "1"
        if self.by_roots and len(self.unknowns) == 1:
            how = (f"brentq on the stationarity equation in {unknowns}, bracketed by growing an interval from {start}"
                   if self.newton is None else
                   f"Newton's method on the stationarity equation in {unknowns} with its derived slope, from {start} "
                   "(safeguarded by bisection; brentq on a bracket grown from there where it does not converge)")
            if self.sums.symbols:
                how += " (its sums over the sample evaluated vectorised, shifted against overflow)"
        elif self.by_roots:
            how = f"scipy.optimize.root (hybr) on the stationarity equations in {unknowns}, from {start}"
        else:
            gradient = "score as gradient" if self.scores is not None else "gradient by finite differences"
            how = f"scipy.optimize.minimize (BFGS, {gradient}) of the negative mean log-likelihood in {unknowns}, from {start}"
        profiled = [str(p) for p in problem.wrt if p in closed]
        if profiled:
            how += f"; {', '.join(profiled)} from the closed form given {unknowns}"
        global_check = (
            f"the profile log-likelihood in {unknowns} is proven strictly concave for every sample (when the "
            "estimator is built), so a root is its one maximum and no other start is tried; "
            if self.concave else
            "the log-likelihood is not known to be concave, so the estimate is compared with a multi-start search "
            "(the log-likelihood at starts spread over the parameter range and the sample's quantiles, and on up "
            f"to {_FEW_STARTS} observations the observations themselves, a local "
            f"maximisation from each better one, the best kept; past {SCREENED} observations the starts are screened "
            "on a fixed random subsample of that size, and only those within three standard errors of the estimate "
            "there are evaluated on the whole sample); ")
        self.method = (
            f"numeric (no closed form): {how}. Checked on every sample: {global_check}"
            "it must give a real, finite log-density at every observation and a density that is nowhere negative on "
            "the support (on a grid of 2001 points, or, where SymPy proves the log-density real on the support for "
            "every parameter value in its domain, each estimate in its domain)"
            + ("" if self.concave else ", and the second-order condition (a finite-difference Hessian) is evaluated "
               "at it")
        )
        if self.few is not None:
            self.method += (
                f". First, on up to {FEW} observations: the same equation, slope, profiles and log-likelihood as loops "
                "over the observations in Python floats (the same shift against overflow)" + (
                    "" if self.concave else ", the same multi-start candidates and Hessian points, the estimate kept "
                    "where none is higher and the Hessian is not positive") + "; otherwise the above"
            )
        if self.reduced is not None:
            self.method += (
                ". First, as the equations read the sample only through its statistics: Newton's method on them in "
                "Python floats with the derived Jacobian, from the method-of-moments guess, the estimate kept where "
                "the derived Hessian is negative definite there, no point of a grid of factors 1e-2..1e2 of it has "
                "a higher profile log-likelihood, and the density is positive on the support (each statistic's "
                "summand proven real there once); otherwise the above"
            )

    @staticmethod
    def _separated_log_likelihood(problem: MLEProblem) -> sp.Expr:
        """The log-likelihood with the parameters out of the sums (:func:`symml.mle.likelihood.separate`): its sums
        of the data alone are summed once per sample, so where the log-density factors into parameters times
        functions of the data (Gamma, Beta) it costs O(1) per evaluation; the others (Weibull's x^beta) one pass."""
        from symml.mle.likelihood import separate
        from symml.mle.statistics import StatisticTable

        index = sp.Dummy("i", integer=True)
        table = StatisticTable(problem.observation, sp.IndexedBase(sp.Dummy("x"))[index], problem.sample_size,
                               problem.support)
        total = separate(problem.log_density, problem.observation, problem.wrt, table).with_sums
        # A sum the problem already has as a mean statistic is n times that statistic: no second pass for it
        means = {s.summand: s.symbol for s in problem.statistics if s.reduction == "mean"}
        observation = {table.indexed: problem.observation}

        def mean_of(e: sp.Basic) -> sp.Expr | None:  # a sum of multiples of such summands too (Beta's log x + log(1 - x))
            terms = [t.as_coeff_Mul() for t in sp.Add.make_args(e.function.xreplace(observation))]
            if not all(summand in means for _, summand in terms):
                return None
            return problem.sample_size * sp.Add(*[coefficient * means[summand] for coefficient, summand in terms])

        return total.replace(lambda e: isinstance(e, sp.Sum) and mean_of(e) is not None, mean_of)

    @staticmethod
    def _compiled(exprs: Sequence[sp.Expr], observation: sp.Symbol | None = None,
                  cse: bool = False) -> list[SampleFunction] | None:
        leading = (observation,) if observation is not None else ()
        try:
            return [SampleFunction.of(_with_zeta(e), leading=leading, cse=cse) for e in exprs]
        except UnsupportedOperationError:
            return None

    def __call__(self, sample: np.ndarray, values: Values) -> list[float]:
        try:
            with np.errstate(all="ignore"):  # inf and nan are answers in the checks (SelfChecks), not warnings
                return self._solve(np.asarray(sample, dtype=float), values)  # lambdified terms of it: floats
        finally:
            self._recent, self._screening = {}, None  # no sample's arrays kept past the call

    def _solve(self, sample: np.ndarray, values: Values) -> list[float]:
        if self.few is not None and sample.size <= FEW:
            estimates = self.few.estimate(sample.tolist(), sample, values)
            if estimates is not None:
                return estimates
        if self.reduced is not None:
            estimates = self.reduced.solve(sample, values)
            if estimates is not None:
                self._check_admissible(values, estimates)
                return estimates
        self.plan.complete(sample, values)
        self.sums.prepare(sample, values)
        start = self._valid_start(sample, values, self._start(sample, values))
        try:
            solution = self._root(sample, values, start) if self.by_roots else None
            if solution is None:
                solution = self._maximise(sample, values, start)
        except DataError as failure:
            # An observation where the log-density is infinite for some parameters is the clearer reason; a point
            # where it is infinite at every observation is itself at fault (beta_proportion's default start μ = 1:
            # Γ((1 − μ)κ) at a pole), and the other starts are tried
            for tried in [start, *self._candidates(sample, start)]:
                if sample.size < 2 or np.isfinite(self._terms(sample, values, tried, split=True)).any():
                    self._check_terms(sample, values, tried, "a point the solver tried", undefined_too=False)
            solution, improved = self._best_of_starts(sample, values, start)
            if not improved:
                refuse_if_monotone(self, sample, values, start)  # no stationary point at all: say so
                raise failure
        if not self.concave:  # a strictly concave profile has no other maximum
            solution, _ = self._best_of_starts(sample, values, solution)
        refuse_if_monotone(self, sample, values, start, end=solution)  # a "root" run off where the score rounds to 0
        try:
            self._check_terms(sample, values, solution, "the estimate")
            self._check_density_on_support(sample, values, solution)
        except OutsideParameterSpace:
            # calculus does not apply at an edge: the maximum over the valid interval, inside or at an end
            solution = maximum_on_the_parameter_space(self, sample, values, start)
            if solution is None:
                raise
        else:
            if not self.concave:
                self._check_maximum(sample, values, solution)
        if self.reduced is not None:  # a solution run off to rounding level on a sample of one repeated value
            self.reduced.refuse_if_rising(sample, values, [float(u) for u in solution])
        final = self._at(sample, values, solution, profiled=True)
        estimates = [float(final[p]) for p in self.problem.wrt]
        self._check_admissible(values, estimates)
        return estimates

    def _at(self, sample: np.ndarray, values: Values, unknowns: np.ndarray | Sequence[float], profiled: bool,
            purpose: str = "profiled") -> Values:
        """The values with the unknowns set, their statistics and sums computed and, ``profiled``, the profiled
        parameters evaluated. ``purpose``: what the caller evaluates ("residuals", "newton", "likelihood", or only
        the profiled parameters): only the sums that needs are computed."""
        point = (tuple(float(u) for u in unknowns), profiled)
        recent = self._recent_for(values)
        for covered, at in recent.get(point, ()):
            if purpose in covered:  # the self-checks return to the estimate several times, for several purposes
                return dict(at)
        # the symbols wanted and the purposes an evaluation of them serves, made once per purpose: the same set
        # object every time, so its hash (a Python-level hash of each SymPy symbol in it) is computed once
        wanted, covered = self._wanted_for(purpose, profiled)
        at = self._evaluated(sample, values, unknowns, profiled, wanted)
        recent.setdefault(point, []).append((covered, at))
        return dict(at)

    def _recent_for(self, values: Values) -> dict:
        """What was evaluated on these values (the current sample's) so far in this call, by point."""
        if self._recent.get("values") is not values:
            self._recent = {"values": values}
        return self._recent

    def _wanted_for(self, purpose: str, profiled: bool) -> tuple[frozenset, frozenset]:
        key = (purpose, profiled)
        if key not in self._covered:
            wanted = self._wanted[purpose] | (self._wanted["profiled"] if profiled else frozenset())
            served = frozenset(name for name, needs in self._wanted.items() if needs <= wanted)
            known = {w: (w, c) for w, c in self._covered.values()}  # one set object for equal sets
            self._covered[key] = known.get(wanted, (wanted, served))
        return self._covered[key]

    def _evaluated(self, sample: np.ndarray, values: Values, unknowns: np.ndarray | Sequence[float],
                   profiled: bool, wanted: frozenset) -> Values:
        at = dict(values)
        at.update(zip(self.unknowns, unknowns))
        self.plan.complete(sample, at)
        if profiled and self._waits_for_profiled(wanted):
            # the profiled parameters from their own sums first; then every sum at once, so one shift serves all
            first = self.sums.evaluate(dict(at), self._wanted["profiled"])
            at.update((parameter, evaluate(formula, first, parameter)) for parameter, formula in self.profiled.items())
        self.sums.evaluate(at, wanted)
        for parameter, formula in self.profiled.items() if profiled else ():
            at[parameter] = evaluate(formula, at, parameter)
        return at

    def _waits_for_profiled(self, wanted: frozenset) -> bool:
        """Whether a sum in ``wanted`` holds a profiled parameter (computed once per set: a few sets per solver)."""
        waits = self._waiting.get(wanted)
        if waits is None:
            waits = self._waiting[wanted] = bool(wanted & self._after_profiled)
        return waits

    def _start(self, sample: np.ndarray, values: Values) -> np.ndarray:
        at = values
        if self.guesses and sample.size > SCREENED:  # the whole sample's statistics kept, the others subsampled
            at = self.start_plan.complete(self._screening_sample(sample), {k: v for k, v in values.items() if k is not KNOWN})
        elif self.guesses:
            self.start_plan.complete(sample, values)
        start = []
        for unknown, positive in zip(self.unknowns, self.positive):
            guess = float(evaluate(self.guesses[unknown], at, unknown)) if unknown in self.guesses else math.nan
            if not math.isfinite(guess) or (positive and guess <= 0):
                guess = 1.0  # an unusable method-of-moments guess (e.g. a moment that does not exist)
            start.append(guess)
        return np.array(start)

    def _to_free(self, theta: np.ndarray) -> np.ndarray:
        return np.array([math.log(t) if positive else t for positive, t in zip(self.positive, theta)])

    def _from_free(self, z: np.ndarray | Sequence[float]) -> np.ndarray:
        return np.array([math.exp(min(t, 700.0)) if positive else t for positive, t in zip(self.positive, z)])

    def _residual(self, sample: np.ndarray, values: Values, theta: np.ndarray | Sequence[float]) -> np.ndarray:
        at = self._at(sample, values, theta, profiled=False, purpose="residuals")
        return np.array([float(r(at)) for r in self.residuals or ()])

    def _with_slope(self, sample: np.ndarray, values: Values) -> Callable[[float], tuple[float, float]]:
        """The equation and its slope at t for Newton's method: the sums it needs evaluated in place in one values
        map (no copy, no look-up of earlier points: each step is a new point), where no statistic changes with
        the unknown (else through :meth:`_at`, which completes them)."""
        (pair,), wanted = self.newton, self._wanted_for("newton", False)[0]  # type: ignore[misc]
        if not self._statistics_fixed:
            def completed(t: float) -> tuple[float, float]:
                value, slope = pair(self._at(sample, values, [t], profiled=False, purpose="newton"))
                return float(value), float(slope)

            return completed
        at, unknown, evaluate = dict(values), self.unknowns[0], self.sums.evaluate

        def value_and_slope(t: float) -> tuple[float, float]:
            # a NumPy float, as _at makes it: 0.0 ** -1 is inf (a step outside the domain, which Newton's bracket
            # handles), where a Python float raises ZeroDivisionError
            at[unknown] = np.float64(t)
            value, slope = pair(evaluate(at, wanted))
            return float(value), float(slope)

        return value_and_slope

    def _subsample_root(self, sample: np.ndarray, values: Values, start: float, positive: bool) -> float:
        """On a large sample, the root of the equation on a systematic subsample (every k-th observation) of
        :data:`NEWTON_SUBSAMPLE`: there a Newton step costs a fraction of a pass, and from its root, within the
        subsample's sampling error of the whole sample's, quadratic convergence needs about three passes over
        the whole sample. ``start`` itself on a smaller sample, or where Newton does not converge on the subsample."""
        if sample.size < 4 * NEWTON_SUBSAMPLE:
            return start
        subsample = sample[:: sample.size // NEWTON_SUBSAMPLE]
        statistics = {reducer.symbol for reducer in self.plan.reducers}
        at = {k: v for k, v in values.items() if k is not KNOWN and k not in statistics}
        at[self.problem.sample_size] = np.float64(subsample.size)
        self.sums.prepare(subsample, self.plan.complete(subsample, at))
        root = newton_root(self._with_slope(subsample, at), start, positive)
        return start if root is None else root

    def _root(self, sample: np.ndarray, values: Values, start: np.ndarray) -> np.ndarray | None:
        root = self._any_root(sample, values, start)
        return None if root is not None and self._at_the_boundary(sample, values, root, start) else root

    def _at_the_boundary(self, sample: np.ndarray, values: Values, root: np.ndarray, start: np.ndarray) -> bool:
        """Whether a root of one positive unknown is the boundary 0 reached in rounding, not a stationary point:
        the open domain's coordinate is log t, and a root 1e8 times nearer 0 than the start is kept only where the
        mean log-likelihood is flat in log t there (the zero-truncated Poisson's equation cleared of λ(e^λ − 1) fell
        to λ = 6.8e-17, where ℓ/n rises as (k̄ − 1) log λ)."""
        if len(self.unknowns) != 1:
            return False
        (unknown,), (t,), (t0,) = self.unknowns, root, start
        if not (unknown.is_positive and 0 < t < 1e-8 * t0):
            return False
        h = 1e-3
        below, above = self._mean_log_likelihoods(sample, values, [root * math.exp(-h), root * math.exp(h)])
        return not abs(above - below) / (2 * h) <= 1e-6 * (1 + abs(below))

    def _any_root(self, sample: np.ndarray, values: Values, start: np.ndarray) -> np.ndarray | None:
        from scipy import optimize

        if len(self.unknowns) == 1:
            positive = self.positive[0]
            if self.newton is not None:
                first = self._subsample_root(sample, values, float(start[0]), positive)
                root = newton_root(self._with_slope(sample, values), first, positive)
                if root is not None:
                    return np.array([root])
            f = lambda t: self._residual(sample, values, [t])[0]  # noqa: E731
            bracket = _bracket(f, float(start[0]), positive)
            if bracket is None:
                return None
            try:
                return np.array([optimize.brentq(f, *bracket, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)])
            except RuntimeError:  # not converged in 500 steps: a pole, not a root, changes the sign there
                return None
        result = optimize.root(
            lambda z: self._residual(sample, values, self._from_free(z)), self._to_free(start), method="hybr", tol=1e-14
        )
        solution = self._from_free(result.x)
        residual = self._residual(sample, values, solution)
        # hybr reports "not making good progress" once it stalls at rounding level: accept a near-zero residual
        # (statistics are means, so residuals are per-observation sized) rather than fall back to maximising
        converged = result.success or bool(np.max(np.abs(residual)) <= 1e-10)
        return solution if converged and np.all(np.isfinite(residual)) else None

    def _maximise(self, sample: np.ndarray, values: Values, start: np.ndarray) -> np.ndarray:
        from scipy import optimize

        observation = self.problem.observation
        n = sample.size

        def negative_mean_log_likelihood(z: np.ndarray) -> tuple[float, np.ndarray]:
            theta = self._from_free(z)
            at = {**self._at(sample, values, theta, profiled=True), observation: sample}
            value = -float(np.sum(np.broadcast_to(self.log_density(at), sample.shape))) / n
            scores = [float(np.sum(np.broadcast_to(s(at), sample.shape))) / n for s in self.scores or ()]
            chain = [t if positive else 1.0 for positive, t in zip(self.positive, theta)]
            gradient = -np.array(scores) * np.array(chain)
            if not (math.isfinite(value) and np.all(np.isfinite(gradient))):
                return math.inf, np.zeros_like(z)
            return value, gradient

        def value_only(z: np.ndarray) -> float:
            return -self._mean_log_likelihood(sample, values, self._from_free(z))

        if self.scores is None:
            result = optimize.minimize(value_only, self._to_free(start), method="BFGS", options={"gtol": 1e-8})
            tolerance = 1e-5  # a finite-difference gradient is noisier
        else:
            result = optimize.minimize(
                negative_mean_log_likelihood, self._to_free(start), jac=True, method="BFGS", options={"gtol": 1e-11}
            )
            tolerance = 1e-6
        steepest = float(np.max(np.abs(result.jac))) if np.all(np.isfinite(result.jac)) else math.inf
        if not np.isfinite(result.fun) or steepest > tolerance:
            raise DataError(
                f"the numeric maximisation of the log-likelihood in {', '.join(map(str, self.unknowns))} did not "
                f"converge on this sample: it stopped where the score is {steepest:.3g}, not 0 ({result.message})"
            )
        return self._from_free(result.x)


def _with_zeta(expr: sp.Expr, scalar: bool = False) -> sp.Expr:
    """``polygamma(m, z)`` as the ufunc of its order: ``digamma(z)`` for m = 0 (Beta's stationarity equations),
    ``(-1)^(m+1) m! zeta(m+1, z)`` for m >= 1 (trigamma in Newton's slope for a Gamma shape). SciPy's
    ``polygamma`` is a Python function around those costing ~25 us a call; the ufuncs ~1 us. ``scalar``: for a
    function of Python floats, m = 1 by :func:`symml.mle.numeric_trigamma.trigamma` (~0.5-1 us, zeta ~1.75 us)
    and every value a Python float."""
    digamma, scalar_digamma, scalar_trigamma = _implemented_polygammas()

    def of_order(e: sp.polygamma) -> sp.Expr:
        if e.args[0] == 0:
            return scalar_digamma(e.args[1]) if scalar else digamma(e.args[1])
        return scalar_trigamma(e.args[1]) if scalar and e.args[0] == 1 else e.rewrite(sp.zeta)

    return sp.sympify(expr).replace(lambda e: isinstance(e, sp.polygamma) and e.args[0].is_Integer and e.args[0] >= 0,
                                    of_order)


@functools.cache
def _implemented_polygammas() -> tuple[Any, Any, Any]:
    """digamma (SciPy's psi), digamma for a Python float (psi's NumPy scalar as a float: the arithmetic after it,
    Newton's loop too, in floats at ~1/5 of NumPy scalars' cost) and trigamma (symml.mle.numeric_trigamma) as SymPy
    functions, made once: each ``implemented_function`` call makes a new function, and copies of one would not be
    shared by ``cse``."""
    from scipy.special import psi

    from symml.mle.numeric_trigamma import trigamma

    # SymPy writes digamma(z) back as polygamma(0, z) whenever the node is rebuilt: a function of its own
    return (implemented_function("digamma", psi), implemented_function("scalar_digamma", lambda z: float(psi(z))),
            implemented_function("trigamma", trigamma))


def _bracket(f: Callable[[float], float], guess: float, positive: bool) -> tuple[float, float] | None:
    """An interval around ``guess`` where ``f`` changes sign, grown geometrically; None if there is none."""
    at_guess = f(guess)
    if not math.isfinite(at_guess):
        return None
    if at_guess == 0.0:
        return guess, guess
    width = max(abs(guess), 1.0)
    previous = {"below": guess, "above": guess}
    for k in range(1, 80):
        for side in ("below", "above"):
            if positive:
                point = guess / 2.0**k if side == "below" else guess * 2.0**k
            else:
                point = guess - width * (2.0**k - 1) if side == "below" else guess + width * (2.0**k - 1)
            value = f(point)
            if math.isfinite(value) and (value > 0) != (at_guess > 0):
                return (point, previous[side]) if side == "below" else (previous[side], point)
            if math.isfinite(value):
                previous[side] = point
    return None
