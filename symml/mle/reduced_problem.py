"""A numeric MLE whose equations read the sample only through a few statistics, solved as the small fixed problem
it is (:class:`ReducedProblem`).

Where the stationarity equations, the profiled parameters and the (separated) log-likelihood depend on the data
only through means of functions of the observations (the Gamma shape: mean x and mean log x; Beta: mean log x and
mean log(1 − x)), the work after those statistics does not grow with the sample: at n = 10 the generic solver's
~20 evaluations through dictionaries of symbols, a multi-start search with local maximisations, a finite-difference
Hessian and the density on a grid of 2001 points cost 10x scipy's own ``fit``. Here the same problem is solved in
Python floats, with everything it evaluates derived by the engine and compiled once:

- Newton's method on the stationarity equations with their Jacobian (derived by differentiation), in log
  coordinates (every unknown is positive), from the method-of-moments guess on a few observations (from 1 on a
  larger sample, where the guess's statistics would be another pass over it);
- the second-order condition from the derived Hessian of the mean log-likelihood in every estimated parameter at
  the root (strictly negative definite: a Cholesky factorisation of its negative);
- the global check on the reduced problem: the profile log-likelihood at a grid of factors 10^-2..10^2 of the root
  in each unknown (65 points for one unknown, 13^2 for two, 7^3 for three), in one vectorised call: none may be
  higher than the root's;
- the density on the support proven once, symbolically, instead of evaluated on a grid per call: the log-density
  is ``c_0(θ) + Σ_j c_j(θ) g_j(x)`` where each statistic is the mean of ``g_j`` (the log-likelihood is linear in
  them); each ``g_j`` is shown real and finite on the open support (SymPy's ``continuous_domain``) when the
  estimator is built, so the log-density is real (the density positive) wherever every ``c_j`` is finite at the
  estimate, and finite at every observation wherever every statistic is finite.

Every ``polygamma(1, .)`` the engine derived is evaluated by the scalar trigamma of symml.mle.numeric_trigamma
(SciPy's Hurwitz zeta costs twice as much a call). A sample of one repeated value (one observation, or ties only)
whose estimate is not certified, or runs off to 1e8 or beyond, is refused with UnboundedError where the profile
log-likelihood is shown rising without bound along the unknowns (:meth:`ReducedProblem.refuse_if_rising`).

Whatever is not certified (a statistic or value not finite, Newton not converging, a grid point higher than the
root, a Hessian not negative definite) returns None: the generic solver then decides, with its own checks and error
messages. Nothing here is specific to a family: any model whose likelihood reduces to such statistics takes this path.

>>> from derivations import build
>>> import numpy as np
>>> problem = build("mle.gamma_shape").problem
>>> from symml.mle.numeric_solver import NumericSolver
>>> reduced = NumericSolver(problem).reduced
>>> values = {problem.sample_size: 4.0}
>>> [round(v, 10) for v in reduced.solve(np.array([1.0, 2.0, 3.5, 0.7]), values)]  # scipy: gamma.fit(x, floc=0)
[2.78040282, 0.6473882083]
"""
from __future__ import annotations

import math
import operator
from itertools import repeat
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import sympy as sp

from symml.budget import within
from symml.errors import BudgetExceededError, UnboundedError, UnsupportedOperationError
from symml.mle.newton import newton_root, newton_system
from symml.mle.problem import MLEProblem
from symml.mle.sample_function import SampleFunction
from symml.mle.sample_data import few_first
from symml.mle.statistic_plan import StatisticPlan, Values

__all__ = ["ReducedProblem", "FEW"]

#: Points per unknown of the global check's grid, by the number of unknowns (65 to a few hundred in all)
_GRID_POINTS = {1: 65, 2: 13, 3: 7}

#: Up to this many observations the statistics are means of Python floats (math.fsum of the summand compiled for
#: the math module: ~1 us at n = 10, where a lambdified NumPy summand and its reduction cost ~5 us)
FEW = 64

_FLOAT = np.dtype(float)

#: The least rise of the profile log-likelihood per factor 10 of the unknowns that shows it unbounded on a sample
#: of one repeated value (a density concentrating at a point rises like log(scale) / 2: 1.15 a decade)
_RISE_PER_DECADE = 0.5

#: An estimate this large on a sample of one repeated value is looked at again (a root at rounding level)
_FAR = 1e8

#: SymPy functions of one argument that are the math module's function of that name
_MATH_FUNCTIONS = frozenset({"log", "exp", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "atan"})

#: CPU seconds for proving the statistics' summands real and finite on the support, once per estimator
_PROOF_SECONDS = 2.0


class ReducedProblem:
    """The estimate from the statistics alone, certified or None (see the module docstring).

    Built by :meth:`of` from the solver's symbolic pieces; :meth:`solve` per sample.
    """

    def __init__(self, problem: MLEProblem, unknowns: tuple[sp.Symbol, ...], profiles: dict[sp.Symbol, sp.Expr],
                 residuals: list[sp.Expr], mean_log_likelihood: sp.Expr, statistics: list[sp.Symbol]):
        from symml.mle.numeric_solver import _with_zeta  # the digamma and zeta ufuncs; that module imports this one

        self.problem, self.unknowns = problem, unknowns
        wrt = tuple(problem.wrt)
        # The Hessian in log coordinates of the positive parameters (t d/dt twice), products distributed so that
        # t^2 (k/t^2 - 2 xbar/t^3) is k - 2 xbar/t: finite at every scale of the data, where d²/dθ² alone is ~1e400
        free = [(lambda e, a=a: a * sp.diff(e, a)) if a.is_positive else (lambda e, a=a: sp.diff(e, a)) for a in wrt]
        distribute = {"log": False, "multinomial": False, "power_exp": False, "power_base": False}
        hessian = [sp.expand(free[j](free[i](mean_log_likelihood)), **distribute)
                   for i in range(len(wrt)) for j in range(i, len(wrt))]
        coefficients = [sp.diff(mean_log_likelihood, s) for s in statistics]
        # everything at the root, in the unknowns: the profiled parameters, the log-likelihood, its coefficients
        # of the statistics and its Hessian in every estimated parameter
        at_root = [profiles[p] if p in profiles else p for p in wrt] + [
            e.subs(profiles) for e in [mean_log_likelihood, *coefficients, *hessian]]
        jacobian = [sp.diff(r, u) for r in residuals for u in unknowns]
        profile_likelihood = mean_log_likelihood.subs(profiles)
        symbols = set().union(*(sp.sympify(e).free_symbols for e in [*at_root, *residuals, *jacobian]))
        self._constants = tuple(sorted(symbols - set(unknowns), key=lambda s: s.name))
        get = operator.itemgetter(*self._constants)
        self._read: Callable[[Mapping], tuple] = (lambda v: (get(v),)) if len(self._constants) == 1 else get
        arguments = (*unknowns, *self._constants)
        self._step = _scalar([_with_zeta(e, scalar=True) for e in [*residuals, *jacobian]], arguments)
        self._at_root = _scalar([_with_zeta(e, scalar=True) for e in at_root], arguments)
        self._grid = SampleFunction.of(_with_zeta(profile_likelihood), leading=arguments).function
        self._size, self._coefficients = len(wrt), len(coefficients)
        self._spaces = [(bool(p.is_positive), bool(p.is_nonnegative)) for p in wrt]
        guesses = problem.initial_guess
        self._guesses = [SampleFunction.of(guesses[u], scalar=True) if u in guesses else None for u in unknowns]
        # The method-of-moments guess saves Newton steps (~2.5 us each) at the price of its statistics: worth it
        # for a few observations, not where a statistic is a pass over a large sample (there Newton starts from 1)
        self.plan = StatisticPlan(problem, set(self._constants))
        self._few = _FewObservations.of(problem, {*self._constants, *(a for g in self._guesses if g for a in g.arguments)})
        # On the thin path the constants and the guesses' arguments are read by position from the few observations'
        # statistics (a dictionary keyed by SymPy symbols costs a Python-level hash per look-up, ~0.2 us each)
        self._few_constants = self._few.reader(self._constants) if self._few else None
        self._few_guesses = [self._few.reader(g.arguments) if g and self._few else None for g in self._guesses]
        points = _GRID_POINTS[len(unknowns)]
        factors = 10.0 ** np.linspace(-2.0, 2.0, points)
        self._axes = [factors.reshape([points if k == axis else 1 for k in range(len(unknowns))])
                      for axis in range(len(unknowns))]

    @classmethod
    def of(cls, problem: MLEProblem, unknowns: Sequence[sp.Symbol], profiles: Mapping[sp.Symbol, sp.Expr],
           residuals: Sequence[sp.Expr], log_likelihood: sp.Expr) -> "ReducedProblem | None":
        """The reduced problem, or None where the problem does not reduce to statistics in this way.

        Args:
            problem: the MLE problem.
            unknowns: the parameters left to solve for (each must be positive).
            profiles: the other estimated parameters as expressions in the unknowns and statistics.
            residuals: the stationarity equations (expressions equal to 0) in the unknowns, one per unknown.
            log_likelihood: the separated log-likelihood, its sums written as n times statistics.
        """
        unknowns = tuple(unknowns)
        if not 1 <= len(unknowns) <= max(_GRID_POINTS) or len(residuals) != len(unknowns):
            return None
        if not all(u.is_positive for u in unknowns) or set(profiles) | set(unknowns) != set(problem.wrt):
            return None
        n = problem.sample_size
        mean = sp.Add(*[term / n for term in sp.Add.make_args(sp.sympify(log_likelihood))])
        profiles = {p: sp.sympify(e) for p, e in profiles.items()}
        pieces = [mean, *residuals, *profiles.values()]
        if any(sp.sympify(e).has(sp.Sum) for e in pieces):
            return None
        by_symbol = {s.symbol: s for s in problem.statistics}
        statistics = sorted(mean.free_symbols & set(by_symbol), key=lambda s: s.name)
        allowed = {*unknowns, *by_symbol, *problem.fixed, n}
        if any(sp.sympify(e).free_symbols - allowed for e in [*residuals, *profiles.values()]) or (
                mean.free_symbols - allowed - set(profiles)):
            return None
        used = set().union(*(sp.sympify(e).free_symbols for e in pieces)) & set(by_symbol)
        if any(by_symbol[s].reduction not in ("mean", "sum") for s in used):
            return None
        # linear in the statistics: the log-density is c_0 + sum_j c_j g_j(x), c_j free of the data
        if any(sp.diff(mean, s, 2) != 0 or sp.diff(mean, s).free_symbols & set(by_symbol) for s in statistics):
            return None
        if not _real_on_support(problem, [by_symbol[s].summand for s in statistics]):
            return None
        try:
            return cls(problem, unknowns, profiles, list(residuals), mean, statistics)
        except UnsupportedOperationError:
            return None

    def solve(self, sample: np.ndarray, values: Values) -> list[float] | None:
        """The estimates (in the order of ``problem.wrt``) from the sample's statistics, certified; None where
        they are not (the generic solver then decides). ``values``: the fixed parameters and n; the statistics
        computed here are not added to it."""
        values = dict(values)  # a sample handed over is reduced by the generic solver its own way, as before
        if sample.size > FEW or self._few is None or not self._few.complete(sample.tolist(), values):
            self.plan.complete(sample, values)
        estimates = self._solved(values)
        if estimates is None or max(estimates) >= _FAR:  # a root at rounding level, certified or not
            self.refuse_if_rising(sample, values)
        return estimates

    def estimate(self, observations: list[float], values: Values) -> list[float] | None:
        """:meth:`solve` for a few observations, finite and inside the open support, as Python floats (the
        estimator's thin path, :func:`thin_estimator`)."""
        statistics = self._few.means(observations, values) if self._few is not None else None
        if statistics is None:
            return None
        try:
            constants = self._few_constants(statistics, values)  # type: ignore[misc]
        except (KeyError, TypeError):
            return None
        guessed = [None if read is None else _or_none(read, statistics, values) for read in self._few_guesses]
        return self._certified(constants, guessed)

    def thin(self, plain: Callable[..., dict[str, float]]) -> Callable[..., dict[str, float]]:
        """The estimator taking a few observations straight to :meth:`estimate` (:func:`few_first`; NumPy's
        validation and support check cost ~7 us of a ~20 us estimate at n = 10); ``plain``, the full estimator,
        takes every other call and every sample whose estimate this path does not certify."""
        return few_first(self.problem, lambda observations, sample, values: self.estimate(observations, values),
                         plain, FEW)

    def _solved(self, values: Values) -> list[float] | None:
        try:
            constants = tuple(map(float, self._read(values)))
        except (KeyError, TypeError):
            return None
        return self._certified(constants, self._guessed(values))

    def _guessed(self, values: Values) -> list[tuple[float, ...] | None]:
        """The arguments of each unknown's guess from ``values`` (None: no guess, or an argument missing)."""
        try:
            return [tuple(float(values[a]) for a in g.arguments) if g else None for g in self._guesses]
        except (KeyError, TypeError):
            return [None] * len(self._guesses)

    def _certified(self, constants: tuple[float, ...], guessed: list[tuple[float, ...] | None]) -> list[float] | None:
        """The estimates from the constants (statistics, fixed values, n, in the order of ``_constants``) and the
        guesses' arguments, certified, or None."""
        if not all(map(math.isfinite, constants)):
            return None
        try:
            root = self._root(guessed, constants)
            if root is None:
                return None
            at_root = [float(v) for v in self._at_root(*root, *constants)]
        except (ArithmeticError, ValueError):  # the math module's domain errors: outside the parameter space
            return None
        if not all(map(math.isfinite, at_root)):
            return None
        size = self._size
        estimates = at_root[:size]
        if not all(v > 0 if positive else v >= 0 or not nonnegative
                   for v, (positive, nonnegative) in zip(estimates, self._spaces)):
            return None
        likelihood = at_root[size]
        if not _negative_definite(at_root[size + 1 + self._coefficients:], size):
            return None
        return estimates if self._highest_on_grid(root, constants, likelihood) else None

    def refuse_if_rising(self, sample: np.ndarray, values: Values, end: Sequence[float] | None = None) -> None:
        """UnboundedError where every observation of ``sample`` is the same (one observation, or all equal) and
        the profile log-likelihood rises by at least :data:`_RISE_PER_DECADE` at every factor 10 along the ray of
        the unknowns scaled together, over 8 factors of 10 up to 1e-2 of ``end`` (a point a solver went to; by
        default where Newton's method goes, or 1e10 in each unknown where it goes nowhere): the model
        concentrates at that value as they grow (a Gamma or Beta with the mean held: the density there, and so
        the likelihood, without bound) and no maximum exists. Elsewhere nothing is decided here. ``values``: with
        the sample's statistics."""
        if end is not None and max(end) < _FAR or not sample.size or sample.min() != sample.max():
            return
        try:
            constants = tuple(map(float, self._read(values)))
            if end is None and all(map(math.isfinite, constants)):
                end = self._root(self._guessed(values), constants)
        except (KeyError, TypeError, ArithmeticError, ValueError):
            return
        end = end if end is not None else [1e10] * len(self.unknowns)
        scales = 10.0 ** np.arange(-10.0, -1.0)
        with np.errstate(all="ignore"):
            rays = [np.asarray(t * scales) for t in end]
            profile = np.asarray(self._grid(*rays, *constants), dtype=complex).real
        rises = np.diff(profile)
        if not (np.all(np.isfinite(profile)) and np.all(rises >= _RISE_PER_DECADE)):
            return
        unknowns = f"{', '.join(map(str, self.unknowns))} grow together" if len(self.unknowns) > 1 else \
            f"{self.unknowns[0]} grows"
        raise UnboundedError(
            f"the maximum-likelihood estimate does not exist for this sample: every observation equals "
            f"{float(sample.flat[0]):g}, and the log-likelihood per observation keeps rising (by "
            f"{float(np.min(rises)):.3g} or more for each factor 10) as {unknowns}, the model concentrating at that "
            "value: the likelihood has no maximum")

    def _root(self, guessed: list[tuple[float, ...] | None], constants: tuple[float, ...]) -> list[float] | None:
        start = []
        for guess, arguments in zip(self._guesses, guessed):
            try:  # in Python floats (NumPy scalars would warn): the mean squared at 1e200 overflows, 1 starts
                value = guess.function(*arguments) if guess and arguments is not None else 1.0
            except (ArithmeticError, ValueError):
                value = 1.0
            start.append(value if math.isfinite(value) and value > 0 else 1.0)
        step = self._step
        if len(start) == 1:
            root = newton_root(step, start[0], positive=True, args=constants)
            return None if root is None else [root]
        return newton_system(lambda t: step(*t, *constants), start)

    def _highest_on_grid(self, root: list[float], constants: tuple[float, ...], likelihood: float) -> bool:
        """Whether no point of the grid of factors 10^-2..10^2 of the root has a higher profile log-likelihood
        (beyond rounding); points where it is not a real number never do."""
        axes = [value * axis for value, axis in zip(root, self._axes)]
        grid = np.asarray(self._grid(*axes, *constants))
        tolerance = 1e-10 * (abs(likelihood) + 1.0)
        if grid.dtype == _FLOAT and grid.max() <= likelihood + tolerance:  # one reduction (a nan: the full check)
            return True
        higher = grid.real > likelihood + tolerance
        if np.iscomplexobj(grid):
            higher &= grid.imag == 0
        return not bool(np.any(higher))


class _FewObservations:
    """The statistics a reduced problem needs, for a few observations: each the exactly rounded mean (or sum) of
    its summand over the observations as Python floats, in the problem's order (a centred moment after the mean it
    uses)."""

    def __init__(self, statistics: list[tuple[sp.Symbol, str, Callable[..., float] | None, tuple[sp.Symbol, ...]]]):
        self.statistics = statistics  # symbol, reduction, summand (None: the observation), its further arguments
        self.symbols = [symbol for symbol, *_ in statistics]
        # each further argument by position: an earlier statistic's index, or None and the symbol read from values
        self._compiled = [(reduction == "mean", summand, [self._source(a) for a in further])
                          for _, reduction, summand, further in statistics]

    def _source(self, symbol: sp.Symbol) -> tuple[int | None, sp.Symbol]:
        return (self.symbols.index(symbol) if symbol in self.symbols else None), symbol

    def reader(self, symbols: Sequence[sp.Symbol]) -> Callable[[list[float], Values], tuple[float, ...]]:
        """``read(statistics, values)``: the values of ``symbols`` as floats, statistics by position in the list
        :meth:`means` returns, the others from ``values`` (KeyError where one is missing)."""
        sources = [self._source(s) for s in symbols]
        if not sources:
            return lambda statistics, values: ()
        if all(k is not None for k, _ in sources):  # statistics only (Gamma, Beta): one C call
            get = operator.itemgetter(*[k for k, _ in sources])
            return (lambda statistics, values: (get(statistics),)) if len(sources) == 1 else (
                lambda statistics, values: get(statistics))
        return lambda statistics, values: tuple(statistics[k] if k is not None else float(values[s])
                                                for k, s in sources)

    @classmethod
    def of(cls, problem: MLEProblem, needed: set[sp.Symbol]) -> "_FewObservations | None":
        """None where a needed statistic is not a mean or sum (an order statistic: the plan reduces it)."""
        plan = StatisticPlan(problem, needed)
        by_symbol = {s.symbol: s for s in problem.statistics}
        chosen = [by_symbol[reducer.symbol] for reducer in plan.reducers]
        if any(s.reduction not in ("mean", "sum") for s in chosen):
            return None
        try:
            return cls([(s.symbol, s.reduction, *_summand(s.summand, problem.observation)) for s in chosen])
        except UnsupportedOperationError:
            return None

    def means(self, observations: list[float], values: Values) -> list[float] | None:
        """The statistics of ``observations`` as Python floats, in order; None where a summand leaves the math
        module's domain or range (log 0 on the edge of the support: the plan's NumPy reductions give -inf)."""
        computed: list[float] = []
        size = len(observations)
        try:
            for mean, summand, further in self._compiled:
                if summand is None:  # the observation itself
                    total = math.fsum(observations)
                elif not further:
                    total = math.fsum(map(summand, observations))
                else:
                    arguments = [repeat(computed[k] if k is not None else values[a]) for k, a in further]
                    total = math.fsum(map(summand, observations, *arguments))
                computed.append(total / size if mean else total)
        except (ArithmeticError, ValueError, TypeError, KeyError):
            return None
        return computed

    def complete(self, observations: list[float], values: Values) -> bool:
        """``values`` plus the statistics of ``observations`` (:meth:`means`); False (values unchanged) where
        :meth:`means` gives none."""
        computed = self.means(observations, values)
        if computed is None:
            return False
        # NumPy scalars, as the plan's: 1/0 in the generic solver's guesses is inf, not ZeroDivisionError
        values.update(zip(self.symbols, map(np.float64, computed)))
        return True


def _or_none(read: Callable[[list[float], Values], tuple[float, ...]], statistics: list[float],
             values: Values) -> tuple[float, ...] | None:
    try:
        return read(statistics, values)
    except (KeyError, TypeError):
        return None


def _summand(summand: sp.Expr, observation: sp.Symbol) -> tuple[Callable[..., float] | None, tuple[sp.Symbol, ...]]:
    """A statistic's summand as a function of Python floats and its arguments after the observation: None for the
    observation itself, the math module's own function where it is one applied to the observation (log x: mapped
    in C, ~0.5 us of a Gamma shape's ~30 us at n = 10, where the compiled wrapper costs a Python call each)."""
    if summand == observation:
        return None, ()
    name = type(summand).__name__
    if isinstance(summand, sp.Function) and summand.args == (observation,) and name in _MATH_FUNCTIONS:
        return getattr(math, name), ()
    compiled = SampleFunction.of(summand, leading=(observation,), scalar=True)
    return compiled.function, compiled.arguments[1:]


def _scalar(exprs: list[sp.Expr], arguments: tuple[sp.Symbol, ...]) -> Callable[..., Any]:
    """One function of Python floats (math first) returning every expression, common subexpressions once."""
    return SampleFunction.of(sp.Tuple(*exprs), leading=arguments, scalar=True, cse=True).function


def _negative_definite(upper: list[float], size: int) -> bool:
    """Whether the symmetric matrix given by its upper triangle (row by row) is negative definite: a Cholesky
    factorisation of its negative, scaled to a unit diagonal (the Gamma's d²/dθ² is ~1e-16 of d²/dk² at θ ~ 1e8),
    with every pivot above rounding (a flat or rising direction: the generic solver's checks decide)."""
    if size <= 2:  # the common cases written out (a 2x2 loop costs as much as a Newton step at n = 10)
        a, b, c = (-upper[0], 0.0, 1.0) if size == 1 else (-upper[0], -upper[1], -upper[2])
        return a > 0.0 and c > 0.0 and a * c - b * b > 1e-12 * (a * c)
    rows, k = [[0.0] * size for _ in range(size)], 0
    for i in range(size):
        for j in range(i, size):
            rows[i][j] = rows[j][i] = -upper[k]
            k += 1
    if not all(rows[i][i] > 0.0 for i in range(size)):
        return False
    scales = [math.sqrt(rows[i][i]) for i in range(size)]
    rows = [[value / (scales[i] * scales[j]) for j, value in enumerate(row)] for i, row in enumerate(rows)]
    for j in range(size):
        pivot = rows[j][j] - sum(rows[j][m] ** 2 for m in range(j))
        if not pivot > 1e-12:
            return False
        rows[j][j] = math.sqrt(pivot)
        for i in range(j + 1, size):
            rows[i][j] = (rows[i][j] - sum(rows[i][m] * rows[j][m] for m in range(j))) / rows[j][j]
    return True


def _real_on_support(problem: MLEProblem, summands: list[sp.Expr]) -> bool:
    """Whether each summand is real and finite on the open interval of a support free of parameters (SymPy's
    ``continuous_domain``, within a budget): proven once, it stands for the per-call density check."""
    from sympy.calculus.util import continuous_domain

    support = problem.support
    if not isinstance(support, sp.Interval) or support.free_symbols:
        return False
    inside = sp.Interval.open(support.start, support.end)
    real = sp.Dummy("x", real=True)
    for summand in summands:
        g = sp.sympify(summand).xreplace({problem.observation: real})
        if g.free_symbols - {real}:
            return False
        try:
            domain = within(_PROOF_SECONDS, "the domain of a statistic's summand", continuous_domain, g, real, inside)
        except (BudgetExceededError, NotImplementedError, ValueError, TypeError):
            return False
        if inside.is_subset(domain) is not True:
            return False
    return True
