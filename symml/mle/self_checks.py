"""The checks a numeric maximum-likelihood estimate makes of itself before it is returned.

A root of the score equations or the end of a local search is not yet the maximum-likelihood estimate. The solver
(:class:`symml.mle.numeric_solver.NumericSolver`, which mixes these in) compares it with a multi-start search, since the
log-likelihood is not known to be concave; requires a real, finite log-density at every observation (else the
estimate is outside the parameter space, or an observation sits on the edge of the support) and a density that is
nowhere negative on the support near the data; and evaluates the second-order condition, a finite-difference
Hessian, at it. Each failure is a DataError that says which.
"""
from __future__ import annotations

import functools
import math
from typing import Any, Sequence, cast

import numpy as np
import sympy as sp

from symml.errors import DataError, ModelError

__all__ = ["OutsideParameterSpace", "SelfChecks", "SCREENED", "screening_sample", "quantiles_of_few",
           "places_in_a_few", "starts_around"]


# where the numeric solver finds a maximum on the boundary of the parameter space (symml.mle.boundary_search)
_SEARCHED_WHERE = ("which the numeric solver searches on a bounded support, or on an unbounded one where the sign of "
                   "the density's dominant term far out is derived (reparametrise so that every value is valid)")


class OutsideParameterSpace(DataError):
    """The estimate is where the density is negative or undefined: the maximum over valid parameters is on the
    boundary of the parameter space (:mod:`symml.mle.boundary_search` searches it for one unknown)."""

Values = dict

#: The size of the subsample that screens the multi-start search's candidates (and gives its quantiles and the
#: method-of-moments start) on a larger sample: its standard error is ~1.6% of the spread of the per-observation
#: log-likelihood differences, far below the gap between two separate maxima of clustered data.
SCREENED = 4096

#: The most (points x observations) the log-likelihood at many points is evaluated at once for: beyond, a pass
#: over the sample per point (a whole sample of 1e6 at 5 points would make temporaries of 40 MB)
_AT_ONCE_UP_TO = 1 << 16

#: The density check's grid: 2001 midpoints of [0, 1], and the largest double (the grid's ends stay finite)
_MIDPOINTS = (np.arange(2001) + 0.5) / 2001
_TOP = float(np.finfo(float).max)

#: The sample's quantiles a real unknown's multi-start candidates take
_QUANTILE_PROBABILITIES = tuple(np.linspace(0.05, 0.95, 7).tolist())

#: A positive unknown's multi-start candidates: the estimate times these; a real one's: the estimate moved by these
#: times max(|estimate|, 1), and the sample's quantiles
_FACTORS = (0.01, 0.1, 0.5, 2.0, 10.0, 100.0)
_MOVES = (-4.0, -1.0, -0.25, 0.25, 1.0, 4.0)

#: Up to this many observations the quantiles are taken in Python floats, and a real unknown's multi-start search
#: starts at each observation too
_FEW = 64


def screening_sample(sample: np.ndarray) -> np.ndarray:
    """``sample`` itself up to :data:`SCREENED` observations; beyond, that many drawn from it with replacement by a
    fixed seed (the same subsample for the same sample, whatever order its observations come in)."""
    if sample.size <= SCREENED:
        return sample
    return sample[np.random.default_rng(0).integers(0, sample.size, SCREENED)]


def _quantiles(sample: np.ndarray, probabilities: Sequence[float]) -> list[float]:
    """np.quantile's linear interpolation between order statistics from one sort: np.quantile's own dispatch costs
    more than the sort of 10 observations (or of the 4096 of the screening subsample)."""
    probabilities = tuple(np.asarray(probabilities, dtype=float).tolist())
    if sample.size <= _FEW:
        return quantiles_of_few(sample.tolist(), probabilities)
    low, high, fraction = _interpolation(sample.size, probabilities)
    ordered = np.sort(sample)
    return (ordered[low] + np.array(fraction) * (ordered[high] - ordered[low])).tolist()


def quantiles_of_few(observations: list[float], probabilities: tuple[float, ...] = _QUANTILE_PROBABILITIES
                     ) -> list[float]:
    """:func:`_quantiles` of a few observations given as Python floats, in Python floats (NumPy's dispatch costs
    more than the arithmetic on a few); by default those the multi-start candidates take."""
    low, high, fraction = _interpolation(len(observations), probabilities)
    listed = sorted(observations)
    return [listed[a] + f * (listed[b] - listed[a]) for a, b, f in zip(low, high, fraction)]


def places_in_a_few(observations: list[float]) -> list[float]:
    """Where a real unknown's multi-start candidates are put on a few observations (Python floats): the sample's
    quantiles and the observations themselves. A location's likelihood peaks at each observation, and at data 1e300
    apart with unit scale those peaks are narrower than a float step: only a point at an observation sees one (the
    Student-t location of 1e300, 3e300, 2e300, 6e300 came out 2.05e300, a quantile, where 2e300 is higher)."""
    return [*quantiles_of_few(observations), *sorted(set(observations))]


def starts_around(value: float, positive: bool, places: list[float] | None) -> list[float]:
    """One unknown's multi-start candidates around its estimate ``value``: scaled by factors where it is
    ``positive``, else moved by steps and put at ``places`` in the sample (its quantiles, and on a few observations
    the observations: where a location parameter's other maxima lie)."""
    if positive:
        return [value * f for f in _FACTORS]
    step = max(abs(value), 1.0)
    return [*cast(list, places), *(value + step * f for f in _MOVES)]


@functools.lru_cache(maxsize=64)
def _interpolation(size: int, probabilities: tuple[float, ...]) -> tuple[list[int], list[int], list[float]]:
    """The order statistics each probability's quantile lies between and its weight on the upper one, for a
    sample of ``size`` (made once per size: six NumPy calls of the quantiles' ten)."""
    position = np.array(probabilities) * (size - 1)
    low = np.floor(position).astype(int)
    return low.tolist(), np.minimum(low + 1, size - 1).tolist(), (position - low).tolist()


@functools.cache
def _random_picks(sizes: tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    """Which option of each unknown the multi-start's candidates moved together take: 4 per unknown, drawn by a
    fixed seed, the same for every sample (drawn once: a generator and its choices cost ~40 us a call at n = 10)."""
    generator = np.random.default_rng(0)
    return tuple(tuple(int(generator.choice(size)) for size in sizes) for _ in range(4 * len(sizes)))


#: Each assumption a parameter's value is checked against, where a proof of the log-density's realness rests on it
_DOMAINS: dict[str, Any] = {
    "positive": lambda v: 0.0 < v < math.inf,
    "nonnegative": lambda v: 0.0 <= v < math.inf,
    "real": math.isfinite,
}


def _domains_making_the_log_density_real(problem: Any) -> dict[sp.Symbol, str] | None:
    """The estimated parameters and the domain (positive, non-negative or real) each must lie in, where SymPy
    proves the log-density real (or -inf, +inf) at every point inside the support for all values of every
    parameter in those domains (the observation positive on a support (0, oo) or [0, oo), real on the real line;
    each parameter only as positive, non-negative or real as its symbol is: nothing else assumed). None where it
    does not: a bounded support or one holding a parameter (checked whole or near the data by the grid), a density
    negative for some parameter values ((1 + θx)/2), a query past its budget."""
    from symml.budget import SIMPLIFY_SECONDS, within
    from symml.errors import BudgetExceededError

    support, observation = problem.support, problem.observation
    if support == sp.Reals:
        inside = sp.Dummy("x", real=True)
    elif isinstance(support, sp.Interval) and support.inf == 0 and support.sup == sp.oo:
        inside = sp.Dummy("x", positive=True)
    else:
        return None
    parameters = [*problem.wrt, *problem.fixed]
    if not problem.log_density.free_symbols <= {observation, *parameters}:
        return None
    domains = {p: "positive" if p.is_positive else "nonnegative" if p.is_nonnegative else "real" if p.is_real
               else None for p in parameters}
    named = {p: domain for p, domain in domains.items() if domain is not None}
    if len(named) < len(domains):
        return None
    replaced = {observation: inside, **{p: sp.Dummy(p.name, **{domain: True}) for p, domain in named.items()}}
    try:
        real = within(SIMPLIFY_SECONDS, "the log-density's realness",
                      lambda: problem.log_density.xreplace(replaced).is_extended_real)
    except BudgetExceededError:
        return None
    # the fixed parameters' values were checked against their assumptions when given (sample_data.fixed_values)
    return {p: named[p] for p in problem.wrt} if real is True else None


def _numeric_ends(support: sp.Set) -> tuple[float | None, float | None, bool] | tuple[()]:
    """An interval's ends as floats (None: an end that is not a number, a location parameter still a symbol)
    and whether both are finite numbers; () for a set that is not an interval (a discrete support)."""
    if not isinstance(support, sp.Interval):
        return ()
    lowest, highest = support.inf, support.sup
    bounded = bool(lowest.is_finite and highest.is_finite and lowest.is_number and highest.is_number)
    return (float(lowest) if lowest.is_number else None, float(highest) if highest.is_number else None, bounded)


class SelfChecks:
    """Mixed into the numeric solver; uses its ``problem``, ``unknowns``, ``log_density``, ``split_log_density``,
    ``by_roots`` and its methods ``_at``, ``_to_free``, ``_from_free`` and ``_maximise``. Called inside the solver's
    ``np.errstate(all="ignore")`` (entered once a call: ~1.5 us each of the ~15 times a check evaluated at n = 10;
    a log of 0 or of a negative number is an answer here, inf or nan, not a warning)."""

    problem: Any
    unknowns: tuple[sp.Symbol, ...]
    positive: tuple[bool, ...]
    log_density: Any
    split_log_density: Any
    by_roots: bool
    likelihood: Any
    profiled: dict
    sums: Any
    plan: Any
    _wanted: dict
    _screening: tuple[np.ndarray, np.ndarray] | None = None  # the sample of the current call and its subsample

    def _screening_sample(self, sample: np.ndarray) -> np.ndarray:
        """:func:`screening_sample` of ``sample``, drawn once per call of the solver (which forgets it after)."""
        if self._screening is None or self._screening[0] is not sample:
            self._screening = (sample, screening_sample(sample))
        return self._screening[1]

    def _at(self, sample: np.ndarray, values: Values, unknowns: Any, profiled: bool, purpose: str = "profiled") -> Values:
        raise NotImplementedError

    def _to_free(self, theta: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _from_free(self, z: np.ndarray | Sequence[float]) -> np.ndarray:
        raise NotImplementedError

    def _maximise(self, sample: np.ndarray, values: Values, start: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _wanted_for(self, purpose: str, profiled: bool) -> tuple[frozenset, frozenset]:
        raise NotImplementedError

    def _recent_for(self, values: Values) -> dict:
        raise NotImplementedError

    def _waits_for_profiled(self, wanted: frozenset) -> bool:
        raise NotImplementedError

    def _terms(self, sample: np.ndarray, values: Values, theta: np.ndarray, points: np.ndarray | None = None,
               split: bool = False) -> np.ndarray:
        """The log-density at each observation (or at ``points``) with the unknowns at ``theta``; ``split``: the
        log split over products, where a term of the plain form is not finite."""
        at = self._at(sample, values, theta, profiled=True)
        where = sample if points is None else points
        at[self.problem.observation] = where
        terms = np.array(np.broadcast_to(self.log_density(at), where.shape), dtype=float)
        if split and not np.all(np.isfinite(terms)):
            terms = np.where(np.isfinite(terms), terms, np.broadcast_to(self.split_log_density(at), where.shape))
        return terms

    def _separated_is_finite(self, sample: np.ndarray, values: Values, theta: np.ndarray) -> bool:
        """Whether the separated log-likelihood (parameters times sums of functions of the data) is a finite real
        number at ``theta``: then so is every observation's log-density, without a pass over the data. (A sum of
        floats is finite only if every term is; a log split over a product is real only if every factor is
        positive, and then the log of the product is real too.)"""
        at = self._at(sample, values, theta, profiled=True, purpose="likelihood")
        total = complex(self.likelihood(at))
        return math.isfinite(total.real) and total.imag == 0

    def _mean_log_likelihood(self, sample: np.ndarray, values: Values, theta: np.ndarray) -> float:
        """The mean log-likelihood at ``theta``; -inf where it is not a real number (outside the parameter space).

        Through the separated log-likelihood (sums of the data alone summed once per sample) where that is a finite
        number; where it is not, the log-density at every observation decides (a term the separated form cannot
        represent, e.g. log 0 at the edge of the support)."""
        at = self._at(sample, values, theta, profiled=True, purpose="likelihood")
        total = complex(self.likelihood(at))
        if math.isfinite(total.real) and total.imag == 0:
            return total.real
        total = float(np.mean(self._terms(sample, values, theta)).real)
        return -math.inf if math.isnan(total) else total

    def _mean_log_likelihoods(self, sample: np.ndarray, values: Values, thetas: list[np.ndarray]) -> list[float]:
        """:meth:`_mean_log_likelihood` at each of ``thetas``, each point evaluated once per call of the solver
        (the multi-start search evaluates the second-order check's points ahead: the solution rarely changes):
        those not yet evaluated in one vectorised evaluation where no statistic changes with the unknowns and they
        and the sample are not too many (at n = 10 an evaluation's Python costs more than its arithmetic), else
        one at a time."""
        memo = self._recent_for(values).setdefault("mean log-likelihoods", {})
        points = [theta if type(theta) is tuple else tuple(np.asarray(theta, dtype=float).tolist()) for theta in thetas]
        missing = list(dict.fromkeys(point for point in points if point not in memo))
        at_once = len(missing) > 1 and self._statistics_fixed and len(missing) * sample.size <= _AT_ONCE_UP_TO
        if at_once:
            memo.update(zip(missing, self._mean_log_likelihoods_at_once(sample, values, missing)))
        for point in missing if not at_once else ():
            memo[point] = self._mean_log_likelihood(sample, values, np.array(point))
        return [memo[point] for point in points]

    def _mean_log_likelihoods_at_once(self, sample: np.ndarray, values: Values,
                                      points: list[tuple[float, ...]]) -> list[float]:
        """The mean log-likelihood at each of ``points`` where no statistic changes with the unknowns: the sums
        over the data of every point in one (points x observations) evaluation (:meth:`ScaledSums.evaluate_at_points`;
        none where the log-likelihood is in statistics of the data alone, Gamma and Beta), the profiled parameters
        and the separated log-likelihood from them as arrays; one at a time where a point's value is not a
        finite real number (the log-density at every observation decides, as for one point)."""
        at = dict(values)
        columns = np.array(points, dtype=float).T
        at.update(zip(self.unknowns, columns[:, :, None]))  # each unknown a column against the sample's rows
        wanted = self._wanted_for("likelihood", True)[0]
        if self._waits_for_profiled(wanted):  # the profiled parameters from their own sums first, as for one point
            first = self.sums.evaluate_at_points(dict(at), self._wanted["profiled"])
            first.update(zip(self.unknowns, columns))
            at.update((parameter, np.asarray(formula(first))[..., None])
                      for parameter, formula in self.profiled.items())
        self.sums.evaluate_at_points(at, wanted)
        at.update(zip(self.unknowns, columns))
        for parameter, formula in self.profiled.items():
            at[parameter] = formula(at)
        totals = np.asarray(self.likelihood(at))
        if totals.shape != (len(points),):  # a log-likelihood constant in the unknowns (np.broadcast_to: ~2 us)
            totals = np.broadcast_to(totals, (len(points),))
        return [float(total.real) if math.isfinite(total.real) and total.imag == 0
                else self._mean_log_likelihood(sample, values, np.array(point))
                for total, point in zip(totals.tolist(), points)]

    @functools.cached_property
    def _statistics_fixed(self) -> bool:
        """Whether no statistic of the sample changes with the unknowns: then an evaluation at other values of the
        unknowns (or at many at once) is one of the sums alone (decided once per solver)."""
        varying = {*self.unknowns, *self.profiled}
        return not any(varying.intersection(reducer.arguments()) for reducer in self.plan.reducers)

    @functools.cached_property
    def _domains(self) -> dict[sp.Symbol, str] | None:
        """:func:`_domains_making_the_log_density_real` of the problem (a SymPy query of a few ms: once per solver)."""
        return _domains_making_the_log_density_real(self.problem)

    @functools.cached_property
    def _support_ends(self) -> dict:
        """:func:`_numeric_ends` of each support met (with its fixed parameters set), read once per solver: SymPy's
        ``is_number`` and ``is_finite`` of its ends cost ~1 us each."""
        return {}

    @functools.cached_property
    def _support_symbols(self) -> frozenset:
        """The support's free symbols (a walk over its SymPy tree, ~2-5 us: read once per solver)."""
        return frozenset(self.problem.support.free_symbols)

    @functools.cached_property
    def _likelihood_reads_data(self) -> bool:
        """Whether an evaluation of the log-likelihood is a pass over the sample (decided once per solver)."""
        return self.sums.read_data(self._wanted["likelihood"])

    def _described(self, sample: np.ndarray, values: Values, theta: np.ndarray) -> str:
        at = self._at(sample, values, theta, profiled=True)
        return ", ".join(f"{p} = {float(at[p]):.6g}" for p in self.problem.wrt)

    def _valid_start(self, sample: np.ndarray, values: Values, start: np.ndarray) -> np.ndarray:
        """``start``, or where its log-likelihood is not a real number, the best candidate around it that has one."""
        if self.by_roots or math.isfinite(self._mean_log_likelihood(sample, values, start)):
            return start
        scored = [(self._mean_log_likelihood(sample, values, c), k, c) for k, c in enumerate(self._candidates(sample, start))]
        value, _, best = max(scored, key=lambda t: (t[0], -t[1]))
        return best if math.isfinite(value) else start

    def _check_terms(self, sample: np.ndarray, values: Values, theta: np.ndarray, what: str,
                     undefined_too: bool = True) -> None:
        """DataError naming the first observation where the log-density is not a real finite number at ``theta``
        (``undefined_too=False``: only where it is infinite)."""
        # a finite mean log-likelihood evaluated at theta in this call: every term is finite (the separated form
        # is, or the log-density's mean over the observations was)
        known = self._recent_for(values).get("mean log-likelihoods", {}).get(tuple(np.asarray(theta, float).tolist()))
        if (known is not None and math.isfinite(known)) or self._separated_is_finite(sample, values, theta):
            return
        terms = self._terms(sample, values, theta, split=True)
        bad = np.isinf(terms) if not undefined_too else ~np.isfinite(terms)
        if not bad.any():
            return
        first = int(np.argmax(bad))
        term, where = terms[first], f"x[{first}] = {sample[first]}"
        if math.isnan(term):
            raise OutsideParameterSpace(
                f"{what} ({self._described(sample, values, theta)}) is outside the parameter space: the density is "
                f"negative or undefined at the observation {where}; the likelihood's maximum over valid parameters is "
                f"on the boundary of the parameter space, {_SEARCHED_WHERE}"
            )
        raise DataError(
            f"the log-density is {term} at the observation {where} (at {what}, {self._described(sample, values, theta)}): "
            "the observation is on the edge of the support, where the likelihood is 0 or unbounded, so the "
            "maximum-likelihood estimate does not exist for this sample"
        )

    def _check_density_on_support(self, sample: np.ndarray, values: Values, theta: np.ndarray) -> None:
        """DataError if the density is negative (its log not real) somewhere on the support within the data's range
        widened by that range on each side: then ``theta`` is outside the parameter space even though every
        observation has a positive density. Checked on a grid of 2001 points (~30-45 us of arithmetic at every
        call), except where the log-density is proven real once for every parameter value in its domain
        (:func:`_domains_making_the_log_density_real`) and each estimated parameter is in its domain."""
        if self._domains is not None:  # the log-density proven real wherever each parameter is in its domain
            at = self._at(sample, values, theta, profiled=True)
            if all(_DOMAINS[domain](float(at[p])) for p, domain in self._domains.items()):
                return
        where = self._density_invalid_at(sample, values, theta)
        if where is not None:
            raise OutsideParameterSpace(
                f"the estimate ({self._described(sample, values, theta)}) is outside the parameter space: the density "
                f"is negative at x = {where:.6g}; the likelihood's maximum over valid parameters is on the boundary of "
                f"the parameter space, {_SEARCHED_WHERE}"
            )

    def _density_invalid_at(self, sample: np.ndarray, values: Values, theta: np.ndarray,
                            closed_ends: bool = False) -> float | None:
        """A point of the support (within the data's range widened by that range on each side, or the whole of a
        bounded support) where the density is negative at ``theta``, or None; ``closed_ends``: a bounded support's
        ends are checked too (where the density may be 0 but not negative: (1 + θx)/2 on [−1, 1] at θ = 1)."""
        support = self.problem.support  # its fixed parameters set; an unknown in it (a location) stays a symbol
        symbols = self._support_symbols
        if symbols:  # SymPy's subs costs ~20 us even with nothing to substitute
            support = support.subs({k: v for k, v in values.items() if k in symbols and np.ndim(v) == 0})
        ends = self._support_ends.get(support)
        if ends is None:
            ends = self._support_ends[support] = _numeric_ends(support)
        if not ends:
            return None  # a discrete support: the observations themselves are its points that matter
        lowest, highest, bounded = cast(tuple[float | None, float | None, bool], ends)
        if bounded:
            # a bounded support is checked whole: (1 + θx)/2 on [−1, 1] is negative near −1/θ, far from data at 0.7–1
            a, b = cast(float, lowest), cast(float, highest)
        else:
            low, high = float(np.min(sample)), float(np.max(sample))
            span = high - low
            # inside the double range (data near 1e307: the widened range would be inf), each point a convex
            # combination of the ends (b - a overflows where they are of opposite signs near the top)
            a = max(low - span, lowest, -_TOP) if lowest is not None else low
            b = min(high + span, highest, _TOP) if highest is not None else high
        points = a * (1.0 - _MIDPOINTS) + b * _MIDPOINTS  # midpoints: never a closed end of the support
        if closed_ends and bounded:
            points = np.concatenate([[a, b], points])
        invalid = np.isnan(self._terms(sample, values, theta, points, split=True))
        return float(points[int(np.argmax(invalid))]) if invalid.any() else None

    def _candidates(self, sample: np.ndarray, solution: np.ndarray) -> list[Any]:
        """Starting points spread around ``solution``: positive unknowns scaled by factors, real ones moved by
        steps and put at the sample's quantiles and, on up to 64 observations, at each observation (where a
        location parameter's other maxima lie; the quantiles of the screening subsample on a large sample: a
        partition of 1e6 observations costs more than the whole search)."""
        options = []
        quantiles: list[float] | None = None
        for positive, value in zip(self.positive, solution):
            if quantiles is None and not positive:
                quantiles = (places_in_a_few(sample.tolist()) if sample.size <= _FEW else
                             _quantiles(self._screening_sample(sample), _QUANTILE_PROBABILITIES))
            options.append(starts_around(value, positive, quantiles))
        if len(options) == 1:  # each a point of Python floats: the memo of evaluated points keys them so
            return [(float(c),) for c in options[0]]
        candidates = []
        for position, choices in enumerate(options):  # one unknown moved at a time
            for choice in choices:
                moved = np.array(solution, dtype=float)
                moved[position] = choice
                candidates.append(moved)
        picks = _random_picks(tuple(len(c) for c in options))  # and some moved together, reproducibly
        candidates += [np.array([c[k] for c, k in zip(options, row)]) for row in picks]
        return candidates

    def _best_of_starts(self, sample: np.ndarray, values: Values, solution: np.ndarray) -> tuple[np.ndarray, bool]:
        """``solution`` or a better local maximum found from the multi-start candidates; whether it is better."""
        candidates = self._candidates(sample, solution)
        promising = self._screened(sample, values, solution, candidates)
        # the second-order check's points too, where the log-likelihood at many points is one evaluation: the
        # solution rarely changes, and then the check finds its values evaluated
        ahead = self._hessian_points(values, solution)[2] if self._statistics_fixed else []
        best, (best_value, *scores) = solution, self._mean_log_likelihoods(
            sample, values, [solution, *(candidates[k] for k in promising), *ahead])[:1 + len(promising)]
        tolerance = 1e-10 * (abs(best_value) + 1.0) if math.isfinite(best_value) else 0.0
        scored = list(zip(scores, promising))
        better = sorted(((v, k) for v, k in scored if v > best_value + tolerance), reverse=True)[:3]
        for _, k in better:
            try:
                local = self._maximise(sample, values, candidates[k])
            except DataError:  # this start led nowhere; the others and the first solution remain
                continue
            value = self._mean_log_likelihood(sample, values, local)
            if value > best_value + tolerance:
                best, best_value = local, value
        return best, best is not solution

    def _screened(self, sample: np.ndarray, values: Values, solution: np.ndarray,
                  candidates: list[np.ndarray]) -> list[int]:
        """The candidates that may beat ``solution``, from the log-density of every candidate at once: those with a
        higher mean log-likelihood; on a sample larger than :data:`SCREENED`, those whose mean log-likelihood on
        the screening subsample comes within three standard errors of the solution's there (the difference of
        means is what is estimated: its standard error from the differences themselves), so that one pass of the
        whole sample is spent only on a start that can be better. All of them where the log-likelihood costs no
        pass over the data (Gamma, Beta: statistics only), or where the sample is the subsample: there screening
        costs as much as evaluating (all the starts' sums in one evaluation, or their log-densities one at a time)."""
        if not self._likelihood_reads_data or sample.size <= SCREENED:
            return list(range(len(candidates)))
        points = self._screening_sample(sample)
        terms = self._terms_of_many(sample, values, [solution, *candidates], points)
        if not np.all(np.isfinite(terms[:, 0])):
            return list(range(len(candidates)))  # the solution itself is doubtful there: every start counts
        gains = terms[:, 1:] - terms[:, :1]
        # -inf or undefined at an observation of the sample: never better than the solution
        finite = np.all(np.isfinite(gains), axis=0)
        upper = gains.mean(axis=0)
        if points.size < sample.size:
            upper += 3.0 * gains.std(axis=0) / math.sqrt(points.size)
        return [k for k in range(len(candidates)) if finite[k] and upper[k] > 0.0]

    def _terms_of_many(self, sample: np.ndarray, values: Values, thetas: list[np.ndarray],
                       points: np.ndarray) -> np.ndarray:
        """The log-density at ``points`` (rows) with the unknowns at each of ``thetas`` (columns), split over
        products where it is not finite: one lambdified call for them all where one unknown enters it with
        nothing profiled from it (at n = 10 the Python around an evaluation costs more than the arithmetic),
        else a column for each."""
        if len(self.unknowns) != 1 or self.profiled:  # each start's profiled parameters first: one at a time
            return np.column_stack([self._terms(sample, values, theta, points, split=True) for theta in thetas])
        at = self._at(sample, values, thetas[0], profiled=True)
        at[self.unknowns[0]] = np.array([theta[0] for theta in thetas])[None, :]
        at[self.problem.observation] = points[:, None]
        shape = (points.size, len(thetas))
        terms = np.array(np.broadcast_to(self.log_density(at), shape), dtype=float)
        if not np.all(np.isfinite(terms)):
            terms = np.where(np.isfinite(terms), terms, np.broadcast_to(self.split_log_density(at), shape))
        return terms

    def _hessian_points(self, values: Values,
                        solution: np.ndarray) -> tuple[list[float], list[tuple[int, int]], list[np.ndarray]]:
        """The finite-difference Hessian's steps (in the free coordinates: log of a positive unknown), its pairs of
        unknowns (i <= j), and its points: ``solution`` first, then for each pair the four corners
        (+di+dj, +di-dj, -di+dj, -di-dj)."""
        recent = self._recent_for(values)  # the multi-start search's, kept for the check
        key = ("hessian points", tuple(np.asarray(solution, dtype=float).tolist()))
        if key not in recent:
            recent[key] = self._new_hessian_points(solution)
        return recent[key]

    def _new_hessian_points(self, solution: np.ndarray) -> tuple[list[float], list[tuple[int, int]], list[Any]]:
        # Python floats: a few points, NumPy's dispatch would dominate
        z = [math.log(t) if positive else float(t) for positive, t in zip(self.positive, solution)]
        steps = [1e-4 * max(abs(t), 1.0) for t in z]
        size = len(z)
        if size == 1:  # the corners below for one unknown, written out: z + 2h, z + 0, z - 0, z - 2h
            (positive,), (t,), (h,) = self.positive, z, steps
            free = (t + (h + h), t + 0.0, t + 0.0, t - (h + h))
            return steps, [(0, 0)], [solution, *(((math.exp(min(u, 700.0)),) if positive else (u,)) for u in free)]
        pairs = [(i, j) for i in range(size) for j in range(i, size)]
        points: list[Any] = [solution]  # itself, not exp(log t) an ulp away: the multi-start search has its value
        for i, j in pairs:
            for sign_i, sign_j in ((1.0, 1.0), (1.0, -1.0), (-1.0, 1.0), (-1.0, -1.0)):
                offset = [0.0] * size
                offset[i] += sign_i * steps[i]
                offset[j] += sign_j * steps[j]
                points.append(tuple(math.exp(min(t + d, 700.0)) if positive else t + d
                                    for t, d, positive in zip(z, offset, self.positive)))  # as _from_free's
        return steps, pairs, points

    def _check_admissible(self, values: Values, estimates: list[float]) -> None:
        """DataError unless the density integrates at ``estimates`` where the model does not state which values of
        a parameter are admissible (:attr:`~symml.mle.problem.MLEProblem.unstated_ranges`): a chi shape ``k``
        declared only real has a likelihood maximum at k = -11.3, where x^(k-1) is not integrable at 0."""
        unstated = self.problem.unstated_ranges
        if not unstated:
            return
        from symml.mle.normalisation import total_probability

        at = {**{p: values[p] for p in self.problem.fixed}, **dict(zip(self.problem.wrt, estimates))}
        try:
            total_probability(self._model, at)
        except ModelError as reason:
            names = ", ".join(str(p) for p in unstated)
            raise DataError(
                f"the likelihood's maximum ({', '.join(f'{p} = {v:.6g}' for p, v in zip(self.problem.wrt, estimates))})"
                f" is outside the parameter space: {reason}. {names} is declared only real, and the density is not "
                f"a density at every real value: declare its admissible values (a positive Symbol, or "
                f"parameters=[sp.Symbol({str(unstated[0])!r}, positive=True)]) so that the solver searches only there"
            ) from None

    @functools.cached_property
    def _model(self) -> Any:
        from symml.model import Model

        problem = self.problem
        return Model(problem.log_density, problem.observation, problem.support, problem.parameters)

    def _check_maximum(self, sample: np.ndarray, values: Values, solution: np.ndarray) -> None:
        """DataError unless the finite-difference Hessian of the log-likelihood at ``solution`` (in the free
        coordinates: log of a positive unknown) is negative semi-definite up to its rounding noise."""
        steps, pairs, points = self._hessian_points(values, solution)
        f = self._mean_log_likelihoods(sample, values, points)  # every point in one evaluation where it can be
        size = len(steps)
        hessian = [[0.0] * size for _ in range(size)]  # Python floats: NumPy's dispatch costs more at size 1-3
        for k, (i, j) in enumerate(pairs):
            plus, across, back, minus = f[1 + 4 * k:5 + 4 * k]
            hessian[i][j] = hessian[j][i] = (plus - across - back + minus) / (4 * steps[i] * steps[j])
        entries = [h for row in hessian for h in row]
        if not all(map(math.isfinite, entries)):
            return  # at the edge of the valid region: nothing decided by differences here
        largest = entries[0] if size == 1 else float(np.max(np.linalg.eigvalsh(np.array(hessian))))
        noise = 1e-6 * (abs(f[0]) + 1.0) + 1e-6 * max(map(abs, entries))
        if largest > noise:
            raise DataError(
                f"the stationary point found ({self._described(sample, values, solution)}) is not a maximum of the "
                f"log-likelihood: its Hessian there has a positive eigenvalue ({largest:.3g}), and no start of the "
                "multi-start search found a better maximum"
            )
