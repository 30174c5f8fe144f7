"""Is a user's log-density a density? It must be real on its support and integrate to one over it.

A log-density that is complex somewhere on its support (``log(x - mu)`` on all reals), or whose integral diverges,
is not a density; one whose normalising constant depends on the parameters (``-theta*x`` on [0, oo), without
``log(theta)``) has a likelihood whose maximum estimates nothing. Both are refused with a ModelError that names
the problem, before the engine looks for a maximum (which would otherwise report a flat or monotone likelihood). A
constant factor (a forgotten ``1/sqrt(2*pi)``) moves no maximum: such a density is accepted, and a remark says what
it integrates to.

How: at two parameter values read from the parameters' assumptions, the log-density is evaluated at points spread
over the support (complex anywhere there: an error), then ``exp(log f)`` is integrated over the support by mpmath's
tanh-sinh quadrature, under a budget. A quadrature that does not settle (a divergent integral) is handed to SymPy's
``integrate`` at those values, under a budget; when neither decides, a remark says the check was not possible.
A discrete support infinite on one side or both (``Range(0, oo)``, the integers) is checked the same way with a sum
for the integral: terms that do not vanish far out diverge; terms whose ratio stays below 1 there sum by
``mpmath.nsum``; slower decay (1/k²) is handed to SymPy's ``summation``. A finite support is only checked for
complex values: a pmf over a few points may be normalised by a constraint among its parameters (p₁ + p₂ + p₃ = 1)
that no probe value honours. sympy.stats distributions are normalised by construction.

>>> import sympy as sp
>>> from symml.model import Model
>>> x, theta = sp.Symbol("x", real=True), sp.Symbol("theta", positive=True)
>>> check_density(Model(sp.log(theta) - theta*x, x, sp.Interval(0, sp.oo)))
()
>>> check_density(Model(-theta*x, x, sp.Interval(0, sp.oo)))
Traceback (most recent call last):
...
symml.errors.ModelError: the density exp(-theta*x) does not integrate to 1 over the support Interval(0, oo) (it integrates to 0.769231 at theta = 13/10 and to 1.42857 at theta = 7/10): its normalising constant depends on the estimated parameters; subtract the log of its integral from the log-density
>>> k = sp.Symbol("k", integer=True, nonnegative=True)
>>> check_density(Model(sp.log(theta) - theta*k, k, sp.Range(0, sp.oo)))
Traceback (most recent call last):
...
symml.errors.ModelError: the density theta*exp(-k*theta) does not sum to 1 over the support Range(0, oo, 1) (it sums to 1.78702 at theta = 13/10 and to 1.3905 at theta = 7/10): its normalising constant depends on the estimated parameters; subtract the log of its sum from the log-density
"""
from __future__ import annotations

import functools
import itertools
import math
from typing import Any, Callable, Sequence

import sympy as sp

from symml.budget import within
from symml.errors import BudgetExceededError, ModelError
from symml.model import Model

__all__ = ["check_density", "finite_total", "probe_values", "total_probability", "unstated_ranges"]

#: Budget of each integral of the density (numeric, then symbolic when the numeric one does not settle).
DENSITY_INTEGRAL_SECONDS = 5.0

# Relative accuracy a quadrature must report to be believed; values this close count as equal.
_SETTLED = 1e-8
# Below this, an imaginary part (relative to the real part) is rounding.
_REAL = 1e-12
# A finite support longer than this is not added up term by term.
_LONGEST_SUMMED_SUPPORT = 10_000
# A log-density below this (in floats) adds nothing a quadrature at _SETTLED can see.
_NEGLIGIBLE_LOG_DENSITY = -1000.0


@functools.lru_cache(maxsize=128)  # a model derived again (other wrt, a notebook re-run) is not integrated again
def check_density(model: Model, wrt: tuple[sp.Symbol, ...] | None = None, normalised: bool = False) -> tuple[str, ...]:
    """Raise ModelError unless ``model``'s density is real on its support and integrates there to a constant that
    does not depend on the estimated parameters; return remarks for the derivation (a constant other than 1, or
    undecided).

    Args:
        model: a user's :class:`~symml.model.Model`; sympy.stats models are not checked, finite supports only for
            complex values (see the module).
        wrt: the estimated parameters (default all): a normalising constant may depend on the others, which the
            likelihood holds fixed.
        normalised: the constant must be 1 (a ModelError otherwise): an expectation under a density that integrates
            to c is c times the expectation under the law, where a maximum of the likelihood is not moved by c.

    >>> x = sp.Symbol("x", real=True)
    >>> check_density(Model(-x**2/2, x, sp.Interval(-sp.oo, sp.oo)), normalised=True)
    Traceback (most recent call last):
    ...
    symml.errors.ModelError: the density exp(-x**2/2) integrates to 2.50663 over the support Interval(-oo, oo), not to 1: an expectation, an entropy or a divergence needs the normalised density (a truncated density's normaliser is the probability of its support: subtract the log of the integral from the log-density)
    """
    probed = _probed(model, wrt)
    if probed is None:
        return ()
    discrete, _, real, complex_at = probed
    support = model.support
    total = "sum" if discrete else "integrate"
    if not real:
        if complex_at is None:
            return ()
        values, point, value = complex_at
        raise ModelError(
            f"the log-density {model.logpdf} is complex on the support {support}: at x = {point:g} ({_named(values)}) "
            f"it is {complex(value):.6g}, and at every other parameter value tried somewhere on the support; a "
            "log-density is the real logarithm of a positive density"
        )
    if discrete and support.inf.is_finite and support.sup.is_finite:  # a finite support: see the module
        return ()
    integrals = [_total(model, tuple(values.items())) for values in real]
    density = sp.exp(model.log_density_on_support)
    settled = [value for value in integrals if value is not None]
    if len(settled) < len(integrals):
        return (f"Whether the density {total}s to 1 over the support could not be checked within its budget.",)
    first = settled[0]
    if len(settled) == 2 and abs(first - settled[1]) > _SETTLED * max(abs(first), abs(settled[1])):
        raise ModelError(
            f"the density {density} does not {total} to 1 over the support {support} (it {total}s to {first:g} "
            f"at {_named(real[0])} and to {settled[1]:g} at {_named(real[1])}): its normalising constant "
            f"depends on the {'' if normalised else 'estimated '}parameters; subtract the log of its "
            f"{'sum' if discrete else 'integral'} from the log-density" + _typed_as_the_density(model, real[0], discrete)
        )
    if abs(first - 1.0) > _SETTLED and normalised:
        raise ModelError(
            f"the density {density} {total}s to {first:g} over the support {support}"
            f"{' at ' + _named(real[0]) if real[0] else ''}, not to 1: an expectation, an entropy or a "
            "divergence needs the normalised density (a truncated density's normaliser is the probability of its "
            f"support: subtract the log of the {'sum' if discrete else 'integral'} from the log-density)"
        )
    if abs(first - 1.0) > _SETTLED:
        return (f"The density {total}s to {first:.6g} over the support, not to 1, at the parameter values tried: "
                "a constant factor does not move the maximum, so the estimators are those of the normalised density "
                f"(its log-likelihood values differ by n log({first:.6g})).",)
    return ()


def unstated_ranges(model: Model, wrt: tuple[sp.Symbol, ...]) -> tuple[sp.Symbol, ...]:
    """The estimated parameters of ``model`` declared only real whose values are not all admissible: the
    log-density is complex on the support at a value tried for them and real at another (a chi shape ``k`` with
    ``log Γ(k/2)``). A numeric maximiser of the likelihood may then land where the density is not a density, and
    must be checked there (:func:`total_probability`).

    >>> x, k = sp.Symbol("x", positive=True), sp.Symbol("k", real=True)
    >>> unstated_ranges(Model((k - 1)*sp.log(x) - x - sp.loggamma(k), x, sp.Interval(0, sp.oo)), (k,))
    (k,)
    """
    probed = _probed(model, wrt)
    if probed is None or probed[3] is None or not probed[2]:
        return ()
    return tuple(p for p in wrt if p.is_real and not (p.is_integer or p.is_nonnegative or p.is_nonpositive))


def total_probability(model: Model, values: dict[sp.Symbol, float]) -> float | None:
    """What ``model``'s density integrates (sums) to over its support at the parameter ``values``; None when
    undecided within the budgets. Raises ModelError where it is complex on the support or the integral diverges:
    those values are outside the parameter space."""
    discrete = _discrete(model.support)
    support = model.support.subs(values)
    log_density = _mpmath_log_density(model)
    if log_density is None:
        return None
    arguments = _mpmath_arguments(model, values)
    low, high = float(support.inf), float(support.sup)
    found = _complex_point(log_density, arguments, _support_points(support, low, high) if discrete else _spread(low, high))
    if found is not None:
        raise ModelError(f"the log-density is complex at x = {found[0]:g} ({_named(values)})")
    return _total(model, tuple(values.items()))


def finite_total(density: sp.Expr, x: sp.Symbol, support: sp.Set,
                 values: dict[sp.Symbol, Any] | None = None) -> sp.Expr | None:
    """The total of a pmf over a finite support: Σ_v f(v) over the support's points, the parameters at ``values``
    first where given (they may fix the support's ends: Range(0, n + 1) at n = 3). A pmf over a few points may be
    normalised only by a constraint among its parameters (p₁ + p₂ + p₃ = 1), which :func:`check_density` cannot see
    at probe values; this total is that constraint, or decides at given values.

    Args:
        density: the pmf f(x), an expression in ``x`` and the parameters.
        x: the variable of the pmf.
        support: its support: a FiniteSet of points, or a Range (at most 10,000 points).
        values: {parameter: value} put in before summing (default: none).

    Returns:
        The total, or None for an infinite support, or a Range whose ends are not integers or that is longer.

    >>> p, q = sp.symbols("p q", positive=True)
    >>> k = sp.Symbol("k", integer=True)
    >>> finite_total(p**k * q**(1 - k), k, sp.FiniteSet(0, 1))
    p + q
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> finite_total(sp.binomial(n, k) / 2**n, k, sp.Range(0, n + 1), {n: 3})
    1
    """
    values = {p: sp.sympify(v) for p, v in (values or {}).items()}
    if isinstance(support, sp.FiniteSet):
        points = [point.xreplace(values) for point in support.args]
    else:
        try:
            low, high = (sp.sympify(end).xreplace(values) for end in (support.inf, support.sup))
        except (NotImplementedError, ValueError, AttributeError):
            return None
        if not (low.is_Integer and high.is_Integer) or high - low > _LONGEST_SUMMED_SUPPORT:
            return None
        points = [sp.Integer(k) for k in range(int(low), int(high) + 1, _step(support))]
    at = density.xreplace(values)
    return sp.Add(*(at.xreplace({x: point}) for point in points))


@functools.lru_cache(maxsize=256)
def _total(model: Model, values: tuple[tuple[sp.Symbol, Any], ...]) -> float | None:
    """What the density integrates (sums) to over its support at the parameter ``values`` ((parameter, value)
    pairs); None when undecided within the budgets. One table for every check of a model: the MLE's and an
    expectation's (``normalised=True``) ask for the same totals, and each quadrature may cost up to its budget."""
    at = dict(values)
    log_density = _mpmath_log_density(model)
    if log_density is None:
        return None
    low, high = (float(sp.sympify(end).subs(at)) for end in (model.support.inf, model.support.sup))
    density = sp.exp(model.log_density_on_support)
    return (_sum if _discrete(model.support) else _integral)(model, density, log_density,
                                                             _mpmath_arguments(model, at), low, high, at)


def _mpmath_arguments(model: Model, values: dict) -> list:
    """The parameters' ``values`` as mpmath numbers, in the model's order (an exact rational kept exact)."""
    import mpmath

    return [mpmath.mpf(v.p) / v.q if isinstance(v, sp.Rational) else mpmath.mpf(float(v))
            for v in (values[p] for p in model.parameters)]


@functools.lru_cache(maxsize=128)
def _probed(model: Model, wrt: tuple[sp.Symbol, ...] | None) -> tuple | None:
    """The probe values (see the module) at which the log-density is real on the support (at most two) and the first
    at which it is complex (values, point, value); whether the support is discrete and the mpmath log-density. None
    for a model not checked (see the module)."""
    support = model.support
    discrete = _discrete(support)
    if model.random_variable is not None or not (isinstance(support, sp.Interval) or discrete):
        return None
    estimated = model.parameters if wrt is None else wrt
    probes = _probe_values(model, estimated)
    log_density = _mpmath_log_density(model) if probes else None
    if log_density is None:
        return None
    # A value where the log-density is complex may lie outside the parameter space (Zeta: a <= 1); the density is
    # wrong only when it is complex on the support at every value tried. The fixed parameters take their first value,
    # then, where that gave no real log-density, every value (Stan's skew double exponential: τ(1 − τ) with τ = 23/10)
    real: list[dict] = []
    complex_at: tuple[dict, float, Any] | None = None
    widened = [] if len(estimated) == len(model.parameters) else \
        [values for values in _probe_values(model, model.parameters) if values not in probes]
    for values in [*probes, *widened]:
        if real and values in widened:
            break
        low, high = (float(sp.sympify(end).subs(values)) for end in (support.inf, support.sup))
        arguments = _mpmath_arguments(model, values)
        points = _support_points(support.subs(values), low, high) if discrete else _spread(low, high)
        found = _complex_point(log_density, arguments, points)
        if found is None:
            real.append(values)
            if len(real) == 2:
                break
        elif complex_at is None:
            complex_at = (values, *found)
    return discrete, log_density, real, complex_at


@functools.lru_cache(maxsize=128)
def _float_log_density(model: Model) -> Callable[..., float] | None:
    """The log-density in floats (−inf where it underflows, nan where it is not a number), or None where it cannot
    be written in NumPy and SciPy."""
    import numpy as np

    try:
        function = sp.lambdify([model.data, *model.parameters], model.log_density_on_support, ["scipy", "numpy"])
    except (TypeError, NameError, SyntaxError, KeyError):
        return None

    def log_density(*arguments: float) -> float:
        with np.errstate(all="ignore"):
            try:
                value = complex(function(*arguments))
            except (ArithmeticError, TypeError, ValueError):
                return math.nan
        return value.real if value.imag == 0 else math.nan
    return log_density


@functools.lru_cache(maxsize=128)
def _mpmath_log_density(model: Model) -> Callable[..., Any] | None:
    try:
        return sp.lambdify([model.data, *model.parameters], model.log_density_on_support, "mpmath")
    except (TypeError, NameError, SyntaxError):  # a function mpmath lacks
        return None


def _named(values: dict) -> str:
    return ", ".join(f"{p} = {v}" for p, v in values.items())


def _probe_values(model: Model, wrt: Sequence[sp.Symbol]) -> list[dict[sp.Symbol, sp.Rational]]:
    """Combinations of exact parameter values, from the assumptions, at which the support is a proper interval;
    the fixed parameters take their first value, the estimated ones (``wrt``) vary."""
    choices = [_candidates(p, j)[:None if p in wrt else 1] for j, p in enumerate(model.parameters)]
    found = []
    for combination in itertools.product(*choices):
        values = dict(zip(model.parameters, combination))
        low, high = (sp.sympify(end).subs(values) for end in (model.support.inf, model.support.sup))
        if low.is_comparable is not False and high.is_comparable is not False and bool(low < high):
            found.append(values)
    return found


def probe_values(parameters: Sequence[sp.Symbol]) -> dict[sp.Symbol, sp.Rational]:
    """One exact value for each parameter, from its assumptions (the first of the values the density check tries).

    >>> probe_values(sp.symbols("theta k", positive=True))
    {theta: 13/10, k: 9/5}
    """
    return {p: _candidates(p, j)[0] for j, p in enumerate(parameters)}


def _candidates(parameter: sp.Symbol, position: int) -> list[sp.Rational]:
    if parameter.is_integer:
        return [sp.Integer(3 + position), sp.Integer(5 + position), sp.Integer(10)]
    if parameter.is_positive or parameter.is_nonnegative:
        return [sp.Rational(13, 10) + sp.Rational(position, 2), sp.Rational(7, 10) + position,
                sp.Rational(5, 2) + position, sp.Rational(3, 10)]
    return [sp.Rational(2, 5) + position, sp.Rational(-3, 10) + 2 * position, sp.Integer(2 + 2 * position),
            sp.Rational(1, 10) + sp.Rational(position, 10)]


def _spread(low: float, high: float) -> list[float]:
    """Points across [low, high], which may be infinite at either end."""
    steps = [0.01, 0.3, 1.0, 3.0, 30.0]
    if math.isfinite(low) and math.isfinite(high):
        return [low + (high - low) * t for t in (0.02, 0.2, 0.4, 0.6, 0.8, 0.98)]
    if math.isfinite(low):
        return [low + s for s in steps]
    if math.isfinite(high):
        return [high - s for s in steps]
    return [s for s in steps] + [-s for s in steps]


def _discrete(support: sp.Set) -> bool:
    return isinstance(support, (sp.Range, sp.FiniteSet)) or support in (sp.S.Naturals, sp.S.Naturals0, sp.S.Integers)


def _step(support: sp.Set) -> int:
    return int(support.step) if isinstance(support, sp.Range) else 1


def _support_points(support: sp.Set, low: float, high: float) -> list[float]:
    """Points of a discrete support: a finite one's (at most 50), else the first few and some far out."""
    if isinstance(support, sp.FiniteSet):
        return [float(v) for v in list(support)[:50]]
    step = _step(support)
    offsets = [0, 1, 2, 3, 5, 10, 30, 100]
    if math.isfinite(low):
        return [low + step * k for k in offsets if low + step * k <= high]
    if math.isfinite(high):
        return [high - step * k for k in offsets]
    return [float(k) for k in offsets] + [-float(k) for k in offsets[1:]]


def _complex_point(log_density: Callable[..., Any], arguments: Sequence, points: Sequence[float]) -> tuple | None:
    """A point of the support where the log-density is complex, and its value there; None if there is none."""
    import mpmath

    for point in points:
        try:
            value = log_density(mpmath.mpf(point), *arguments)
        except (ValueError, ZeroDivisionError, TypeError, OverflowError):
            continue
        if isinstance(value, mpmath.mpc) and abs(value.imag) > _REAL * max(1.0, abs(value.real)):
            return point, value
    return None


def _integral(model: Model, density: sp.Expr, log_density: Callable[..., Any], arguments: Sequence, low: float,
              high: float, values: dict) -> float | None:
    """The integral of the density over the support at ``values``; None when undecided within the budgets."""
    import mpmath

    in_floats = _float_log_density(model)
    values_in_floats = [float(a) for a in arguments]

    def integrand(t: Any) -> Any:
        # far in a tail where the log-density is below −1000 in floats the density is nothing against the
        # tolerance; mpmath would form e^{e^{77000}} exactly there (a Moyal density at t = −1e5: no answer in 300 s)
        if in_floats is not None and in_floats(float(t), *values_in_floats) < _NEGLIGIBLE_LOG_DENSITY:
            return mpmath.mpf(0)
        return mpmath.exp(log_density(t, *arguments))

    # split where the log-density was probed: each rule then settles on a density that crowds an end (PyMC's
    # LogitNormal on (0, 1): Gauss–Legendre over the whole interval missed by 3e-10 and SymPy took 5 s per probe)
    # and where its cases change (a skew double exponential's kink at μ: unsplit, the rules settled 1e-8 apart and
    # two parameter values' integrals looked different)
    inner = {*_spread(low, high), *_kinks_at(model, values)}
    cuts = [mpmath.mpf(low), *(mpmath.mpf(t) for t in sorted(inner) if low < t < high), mpmath.mpf(high)]

    def quadrature(method: str) -> Any:
        return mpmath.quad(integrand, cuts, method=method)

    # Two rules that agree on a convergent integral; on a divergent one each returns a large number of its own.
    try:
        rules = [within(DENSITY_INTEGRAL_SECONDS, "the integral of the density over its support", quadrature, method)
                 for method in ("tanh-sinh", "gauss-legendre")]
    except (BudgetExceededError, ValueError, ZeroDivisionError, TypeError, OverflowError):
        rules = []
    if rules and all(isinstance(v, mpmath.mpf) and mpmath.isfinite(v) for v in rules) and (
            abs(rules[0] - rules[1]) <= _SETTLED * abs(rules[0])):
        return float(rules[0])
    return _exactly(model, density, values, discrete=False)


@functools.lru_cache(maxsize=128)
def _kinks(model: Model) -> tuple[sp.Expr, ...]:
    """Where a case of the log-density or an |·| in it changes (:func:`~symml.probability.case_split.case_changes`),
    in terms of the parameters; none where they are not found."""
    from symml.probability.case_split import case_changes

    return tuple(case_changes(model.log_density_on_support, model.data) or ())


def _kinks_at(model: Model, values: dict) -> list[float]:
    at = (kink.xreplace(values) for kink in _kinks(model))
    return [float(kink) for kink in at if kink.is_real and kink.is_number]


def _exactly(model: Model, density: sp.Expr, values: dict, discrete: bool) -> float | None:
    """The integral (sum) of the density over the support at ``values`` by SymPy, under the budget; None when
    undecided. Raises ModelError when it is infinite."""
    total, unevaluated, verb, what = (sp.summation, sp.Sum, "sum", "probability mass function") if discrete else (
        sp.integrate, sp.Integral, "integrate", "probability density")
    try:
        exact = within(DENSITY_INTEGRAL_SECONDS, f"the {verb} of the density over its support", total,
                       density.subs(values), (model.data, model.support.inf.subs(values), model.support.sup.subs(values)))
    except (BudgetExceededError, ValueError, TypeError, NotImplementedError):
        return None
    if exact.has(unevaluated) or exact.free_symbols:
        return None
    # a real value may be written with logs of negatives (a Bradford's c = −3/10: log(−7 log 7 + ...) + iπ terms that
    # cancel): the number decides
    if exact.has(sp.nan):
        return None
    number = complex(sp.N(exact)) if exact.is_finite is not False else complex("inf")
    if not math.isfinite(number.real) or abs(number.imag) > _REAL * max(1.0, abs(number.real)):
        raise ModelError(f"the density {density} does not {verb} to 1 over the support {model.support} (it "
                         f"{verb}s to {exact} at {_named(values)}): it is not a {what}"
                         + _typed_as_the_density(model, values, discrete))
    return number.real


def _typed_as_the_density(model: Model, values: dict, discrete: bool) -> str:
    """A hint when the expression given as the log-density is itself a density (sums or integrates to 1 at
    ``values``): symml.Model(r"\\frac{1}{\\theta} e^{-x/\\theta}") was read as log f, and the message only said
    exp(exp(−x/θ)/θ) was no density."""
    total = sp.summation if discrete else sp.integrate
    try:
        exact = within(DENSITY_INTEGRAL_SECONDS, "the integral of the expression given as the log-density", total,
                       model.log_density_on_support.subs(values),
                       (model.data, model.support.inf.subs(values), model.support.sup.subs(values)))
        itself = complex(sp.N(exact))
    except (BudgetExceededError, ValueError, TypeError, NotImplementedError):
        return ""
    if abs(itself - 1) > _SETTLED:
        return ""
    return (f"; the expression given, {model.logpdf}, is itself a density (it {'sum' if discrete else 'integrate'}s "
            "to 1): symml.Model takes the log-density, so pass its log")


def _sum(model: Model, density: sp.Expr, log_density: Callable[..., Any], arguments: Sequence, low: float,
         high: float, values: dict) -> float | None:
    """The sum of the pmf over an infinite discrete support at ``values``; None when undecided within the budgets.
    Raises ModelError when the terms do not vanish far out, or SymPy finds the sum infinite."""
    import mpmath

    step = _step(model.support)
    ends = [(low, step)] if math.isfinite(low) else [(high, -step)] if math.isfinite(high) else [(0.0, 1), (0.0, -1)]

    def log_term(start: float, direction: int, k: Any) -> Any:
        return mpmath.re(log_density(start + direction * k, *arguments))

    geometric = True
    for start, direction in ends:
        try:
            near, far, next_to_far = (log_term(start, direction, k) for k in (10**3, 10**5, 10**5 + 1))
        except (ValueError, ZeroDivisionError, TypeError, OverflowError):
            return None
        if far >= near or far > 0:
            raise ModelError(f"the density {density} does not sum to 1 over the support {model.support}: at "
                             f"{_named(values)} its terms do not vanish (log-density {float(near):.6g} at "
                             f"{start + direction * 10**3:g} and {float(far):.6g} at {start + direction * 10**5:g}), "
                             "so the sum diverges: it is not a probability mass function")
        geometric = geometric and next_to_far - far < -1e-3  # the ratio test: terms shrink by a fixed factor
    if geometric or step != 1:
        def series() -> Any:
            return mpmath.fsum(mpmath.nsum(lambda k: mpmath.exp(log_term(start, direction, k)),
                                           [0 if direction == ends[0][1] else 1, mpmath.inf])
                               for start, direction in ends)
        try:
            return float(within(DENSITY_INTEGRAL_SECONDS, "the sum of the density over its support", series))
        except (BudgetExceededError, ValueError, ZeroDivisionError, TypeError, OverflowError):
            return None
    return _exactly(model, density, values, discrete=True)
