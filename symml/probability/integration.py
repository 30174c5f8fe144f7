"""One integral (or sum) of an expectation over the support, prepared so that SymPy can finish it.

Two preparations, both exact:

- **Split at kinks.** An |s x + c| is resolved on each side of its root (a Laplace density); a max or min of
  two terms whose difference is linear in x is such a kink, max(a, b) = (a + b + |a − b|)/2 (a ReLU).
- **Change of variables u = e^{s x + c}** when that exponential sits inside another function (the Gumbel's
  e^{-e^{-(x-μ)/b}}): with x = (log u − c)/s and dx = du/(s u) the integrand becomes a power of u times e^{-u}
  (a Gamma integral), which SymPy evaluates at once, where it spends seconds on the original or fails.

>>> import sympy as sp, sympy.stats as st
>>> from symml.probability.law import as_law
>>> mu, b = sp.Symbol("mu", real=True), sp.Symbol("b", positive=True)
>>> law = as_law(st.Gumbel("X", b, mu))
>>> value, condition, how = evaluate(law, sp.exp(-law.variable / b))
>>> sp.simplify(value), how
(exp(-mu/b), 'substituting $u = \\\\exp\\\\left(- \\\\frac{x - \\\\mu}{b}\\\\right)$')
"""
from __future__ import annotations

from typing import Callable

import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, within
from symml.checker.failures import SYMPY_FAILURES
from symml.errors import BudgetExceededError
from symml.probability.case_split import increasing_order, split_at_cases
from symml.probability.law import Law
from symml.render.printer import latex

#: What a budgeted limit of a tail raises where it is undecided: SymPy fails on some tails (a Piecewise: TypeError)
#: as it runs out of budget on others
LIMIT_FAILURES: tuple[type[BaseException], ...] = (BudgetExceededError, *SYMPY_FAILURES)

__all__ = ["LIMIT_FAILURES", "divergent_value", "evaluate", "is_closed", "linear_in", "reflected", "simplified", "stretched_exponential"]


def is_closed(value: sp.Expr) -> bool:
    """Whether ``value`` holds no unevaluated Integral or Sum, nor a Meijer G or hypergeometric function (what
    SymPy returns for an integral it cannot write in elementary terms: no closed form a person would use, and
    NumPy cannot evaluate it), nor an unevaluated derivative (a Wald's E[log X] as ∂/∂ν of the Bessel function
    I_ν(λ/μ) at ν = ±1/2, from differentiating its E[X^s] in s: SciPy's printer crashed on it)."""
    return not value.has(sp.Integral, sp.Sum, sp.meijerg, sp.hyper, sp.Derivative, sp.Subs)


def simplified(value: sp.Expr, seconds: float = SIMPLIFY_SECONDS) -> sp.Expr:
    """``simplify`` under a budget; past it, or where simplify brings in an exponential that may overflow, the value
    as it is (still correct, only longer)."""
    if not is_closed(value):
        return value
    try:
        value = within(seconds, "erf and erfc summed away", _complementary_errors_cancelled, value)
        candidate = within(seconds, "simplify of an expectation", sp.simplify, value)
        candidate = within(seconds, "Beta functions through Gamma functions", _beta_ratios_cancelled, candidate)
    except BudgetExceededError:
        return value
    return value if _may_overflow(candidate) and not _may_overflow(value) else candidate


def _beta_ratios_cancelled(value: sp.Expr) -> sp.Expr:
    """Beta functions written through Gamma functions and their ratios cancelled, where that is shorter: simplify
    leaves a Beta law's mean from its normaliser as B(a + 1, b)/B(a, b), which is a/(a + b) (PRML eq. 2.15;
    the variance ab/((a + b)²(a + b + 1)), eq. 2.16, from 11 operations to 7)."""
    if not value.has(sp.beta):
        return value
    candidate = sp.factor(sp.gammasimp(value.rewrite(sp.gamma)))
    return candidate if sp.count_ops(candidate) < sp.count_ops(value) and not candidate.has(sp.gamma) else value


def _complementary_errors_cancelled(value: sp.Expr) -> sp.Expr:
    """erf(z) and erfc(z) of one argument summed away through erfc = 1 − erf, which simplify does not know: SymPy's
    Gaussian integral over the real line gave a log-normal's E[X] as (3 − erf(b/√2) − erfc(b/√2)) e^{b²/2}/2. Kept
    only where the pair cancels: 1 − erf(z) for a lone erfc loses every digit in its tail."""
    for complement in value.atoms(sp.erfc):
        error = sp.erf(complement.args[0])
        if error not in value.atoms(sp.erf):
            continue
        candidate = sp.expand(value.xreplace({complement: 1 - error}))
        if not candidate.has(error):
            value = candidate
    return value


def _may_overflow(value: sp.Expr) -> bool:
    """Whether an exponential in ``value`` has an argument not known to be ≤ 0. Simplify gathered E[ρ(X − c)]'s
    Gaussian tails e^{−(c ± 1 − μ)²/(2σ²)} over a common e^{+((c + 1 − μ)² + (c − 1 − μ)²)/(2σ²)}: inf · 0 = nan in
    floating point at σ = 0.01."""
    return any(e.args[0].is_nonpositive is not True for e in value.atoms(sp.exp))


_TRIGONOMETRIC = (sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc)


def reflected(value: sp.Expr) -> sp.Expr:
    """ψ(z) whose argument falls as a positive parameter grows, as ψ(1 − z) − π cot(πz) (the reflection formula),
    kept when the simplified result holds no trigonometric function.

    SymPy's integrals of powers such as (1 + x²/ν)^s come out in ψ(1/2 − ν/2), ψ(1 − ν/2) and π/sin(πν): exact by
    analytic continuation, but each term has a pole at every integer ν (0/0 in floating point, the Student t's
    entropy nan at ν = 3). Reflected, the poles cancel: ψ((ν + 1)/2) − ψ(ν/2)."""
    def falling(f: sp.Basic) -> bool:
        return isinstance(f, sp.polygamma) and f.args[0] == 0 and any(
            s.is_positive and sp.diff(f.args[1], s).is_negative for s in f.args[1].free_symbols)

    if not value.has(*_TRIGONOMETRIC) or not any(falling(f) for f in value.atoms(sp.polygamma)):
        return value
    rewritten = value.replace(falling, lambda f: sp.polygamma(0, 1 - f.args[1]) - sp.pi * sp.cot(sp.pi * f.args[1]))
    candidate = simplified(rewritten)
    return value if candidate.has(*_TRIGONOMETRIC) else candidate


def divergent_value(law: Law, h: sp.Expr, seconds: float = 2.0) -> sp.Expr | None:
    """oo, −oo or nan (undefined) when E[h(X)] of a continuous law does not converge absolutely; None when that is
    not shown. A tail where x·h(x)f(x) tends to a non-zero limit behaves like c/x, whose integral diverges (the
    Cauchy's mean: ∞ − ∞, which quadrature would report as the location)."""
    x, (lower, upper) = law.variable, law.limits
    if law.discrete:
        return None
    signs = []
    for end in (upper, lower):
        if end.is_finite:
            continue
        tail_sign = _sign_of_tail_limit(sp.Abs(x) * h * law.density, x, end, seconds)
        if tail_sign is None:
            return None
        if tail_sign:
            signs.append(tail_sign)
    if not signs:
        return None
    return sp.oo * signs[0] if len(set(signs)) == 1 else sp.nan


def _sign_of_tail_limit(integrand: sp.Expr, x: sp.Symbol, end: sp.Expr, seconds: float) -> int | None:
    """The sign (1, −1) of the integrand's limit at ``end``, 0 where it is zero or has no sign; None where SymPy
    cannot say. A non-zero limit is confirmed at a point of the parameters: with them symbolic SymPy's limit of
    y log²(1 + (y − μ)/λ) α(1 + (y − μ)/λ)^{−α−1}/λ (Stan's Pareto type 2) is ∞, though it is 0 for every α > 0, and
    the Fisher information came out infinite."""
    def limit_at(point: dict) -> sp.Expr:
        return within(seconds, "the tail of an expectation's integrand", sp.limit, integrand.xreplace(point), x, end)

    try:
        tail = limit_at({})
    except LIMIT_FAILURES:
        return None
    if tail.is_zero is not False or not (tail.is_extended_positive or tail.is_extended_negative):
        return 0
    try:
        at_a_point = limit_at(_probe_point(integrand.free_symbols - {x}))
    except LIMIT_FAILURES:
        at_a_point = tail
    if at_a_point.is_zero:
        return 0
    return 1 if tail.is_extended_positive else -1


def _probe_point(symbols: set) -> dict:
    """Values of ``symbols`` that respect their signs: −7/10 for a negative symbol, 2 for an integer, else 7/10."""
    return {s: sp.Rational(-7, 10) if s.is_negative else (2 if s.is_integer else sp.Rational(7, 10)) for s in symbols}


def evaluate(law: Law, h: sp.Expr) -> tuple[sp.Expr | None, sp.Basic | None, str]:
    """The integral or sum of h f over the support, SymPy's convergence condition (or None), and how it was
    prepared ("" when integrated as posed); the value is None when SymPy finds no closed form."""
    x = law.variable
    signed = law.signed()
    integrand = (h * law.density).subs(x, signed)
    lower, upper = law.limits
    if law.discrete:
        integrand, lower, upper, said = _indicator_range(integrand, signed, lower, upper)
        # p·Piecewise((q/p, |1 − p| < 1), (Σ ..., True)) from a geometric tail: its cases brought to the top
        value, condition = _first_branch(sp.piecewise_fold(sp.Sum(integrand, (signed, lower, upper)).doit()))
        return value, condition, said
    by_terms = _over_density_terms(law, h)
    if by_terms is not None:
        return by_terms
    return _evaluate_continuous(integrand, signed, lower, upper)


def _indicator_range(integrand: sp.Expr, x: sp.Symbol, lower: sp.Expr, upper: sp.Expr) -> tuple:
    """A summand that is zero outside an interval of x written as the one condition of its Piecewise (1{x >= 1}
    p(x)): (that piece, the limits moved to the integers of the interval, the sentence saying so); the summand and
    limits as they are otherwise. SymPy's summation leaves such a Piecewise unevaluated: the sum of 1{x >= 1} λˣe^{−λ}/x!
    over the naturals had no closed form."""
    unchanged = integrand, lower, upper, ""
    pieces = [piece for piece in integrand.atoms(sp.Piecewise) if piece.has(x)]
    if len(pieces) != 1 or len(pieces[0].args) != 2 or pieces[0].args[1] != (sp.S.Zero, sp.true):
        return unchanged
    (piecewise,) = pieces
    kept, condition = piecewise.args[0]
    if condition.free_symbols != {x}:
        return unchanged
    interval = condition.as_set()
    if not isinstance(interval, sp.Interval) or not (interval.inf.is_number and interval.sup.is_number):
        return unchanged
    low, high = interval.inf, interval.sup
    first = low + 1 if interval.left_open and low.is_integer else sp.ceiling(low)
    last = high - 1 if interval.right_open and high.is_integer else sp.floor(high)
    said = f"the indicator ${latex(condition)}$ keeps the integers from ${latex(first)}$ to ${latex(last)}$"
    return integrand.xreplace({piecewise: kept}), sp.Max(lower, first), sp.Min(upper, last), said


def _over_density_terms(law: Law, h: sp.Expr) -> tuple | None:
    """∫ h Σₖ cₖ gₖ = Σₖ cₖ ∫ h gₖ over a density that is a sum of terms (a mixture's weighted components), with
    each cₖ free of x taken out of its integral; None where the density is one term or has a polynomial term, or where a term's integral
    has no closed form or is not finite (the terms of a convergent integral may diverge one by one: the whole is
    then integrated as it is). SymPy integrates a two-component Gaussian mixture's E[X] whole in 1.5 s to a page of
    erf terms, and each component in 0.05 s to its mean."""
    x, signed = law.variable, law.signed()
    coefficient, rest = law.density.as_independent(x, as_Add=False)
    terms = sp.Add.make_args(sp.expand(rest, deep=False, power_exp=False, power_base=False, log=False,
                                       multinomial=False))
    components = [term.as_independent(x, as_Add=False) for term in terms]
    if len(terms) < 2 or any(component.is_polynomial(x) for _, component in components):
        return None  # one term, or a polynomial piece (1 − x of a Beta(1, 2)): integrated whole at once
    total, conditions, hows = sp.S.Zero, [], []
    for weight, component in components:
        value, condition, how = _evaluate_continuous((h * component).subs(x, signed), signed, *law.limits)
        if value is None or not is_closed(value) or value.has(sp.oo, -sp.oo, sp.zoo, sp.nan):
            return None
        total += weight * value
        conditions.extend([condition] if condition is not None else [])
        hows.append(how)
    said = "the integral split over the terms of the density (linearity), each weight taken out of its integral"
    return (coefficient * total, sp.And(*conditions) if conditions else None,
            "; ".join(dict.fromkeys([said, *(h for h in hows if h)])))


def _evaluate_continuous(integrand: sp.Expr, signed: sp.Symbol, lower: sp.Expr, upper: sp.Expr) -> tuple:
    """The integral of a continuous law's integrand over [lower, upper]: by cases, at kinks, or as posed."""
    cases = split_at_cases(integrand, signed, lower, upper)
    if cases is not None:
        return _by_intervals(*cases, signed)
    integrand, said = _extremes_as_kinks(integrand, signed)
    if said:
        value, condition, how = _evaluate_kinked(integrand, signed, lower, upper)
        return value, condition, "; ".join(h for h in (said, how) if h)
    return _evaluate_kinked(integrand, signed, lower, upper)


def _by_intervals(pieces: list, said: str, x: sp.Symbol) -> tuple:
    """The sum of the integrals of each case over its interval (see :func:`split_at_cases`)."""
    total, conditions, hows = sp.S.Zero, [], [said]
    for piece, a, b in pieces:
        value, condition, how = _by_parts_or_integrated(piece, x, a, b)
        if value is None:
            return None, None, ""
        total += value
        hows.append(how)
        conditions.extend([condition] if condition is not None else [])
    return total, sp.And(*conditions) if conditions else None, "; ".join(dict.fromkeys(h for h in hows if h))


def _evaluate_kinked(integrand: sp.Expr, signed: sp.Symbol, lower: sp.Expr, upper: sp.Expr) -> tuple:
    """The integral of a continuous law's integrand over [lower, upper], its kinks and indicators resolved."""
    restricted = _indicator_limits(integrand, signed, lower, upper)
    if restricted is not None:
        integrand, lower, upper, said = restricted
        # a tail of a density from a finite t: without the Meijer G route SymPy finds erf(...) 3x faster (measured
        # on a normal), and the general route remains when that fails
        value, condition, how = _integrate(integrand, signed, lower, upper, meijerg=False)
        if value is None:
            value, condition, how = _integrate(integrand, signed, lower, upper)
        return value, condition, "; ".join(h for h in (said, how) if h)
    unordered = unordered_kinks(integrand, signed) or _kink_against_an_end(integrand, signed, lower, upper)
    if unordered is not None:
        return _by_cases(integrand, signed, lower, upper, *unordered)
    return _integrate(integrand, signed, lower, upper)


def _extremes_as_kinks(integrand: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, str]:
    """Each max(a, b) as (a + b + |a − b|)/2 and min(a, b) as (a + b − |a − b|)/2 where a − b is linear in x (the
    kink the splitting below resolves), and the sentence saying so ("" when there is none)."""
    def rewritable(e: sp.Basic) -> bool:
        return isinstance(e, (sp.Max, sp.Min)) and len(e.args) == 2 and e.has(x) and linear_in(e.args[0] - e.args[1], x)

    found = [e for e in integrand.atoms(sp.Max, sp.Min) if rewritable(e)]
    if not found:
        return integrand, ""
    sign = {sp.Max: 1, sp.Min: -1}
    rewritten = integrand.xreplace({e: (e.args[0] + e.args[1] + sign[type(e)] * sp.Abs(e.args[0] - e.args[1])) / 2
                                    for e in found})
    return rewritten, "$\\max(a, b) = (a + b + |a - b|)/2$" if any(isinstance(e, sp.Max) for e in found) \
        else "$\\min(a, b) = (a + b - |a - b|)/2$"


def _kink_against_an_end(integrand: sp.Expr, x: sp.Symbol, lower: sp.Expr, upper: sp.Expr) -> tuple | None:
    """(end, root) for one kink |s x + c| on a half-line whose root may lie on either side of the finite end (a
    Laplace q against an Exponential p: |x − μ| on x > 0 with μ of either sign), for the split into two cases."""
    kinks = [k for k in integrand.atoms(sp.Abs) if k.has(x) and linear_in(k.args[0], x)]
    ends = [end for end in (lower, upper) if end.is_finite]
    if len(kinks) != 1 or len(ends) != 1:
        return None
    root = sp.solve(kinks[0].args[0], x)[0]
    return (ends[0], root) if increasing_order([ends[0], root]) is None else None


def _indicator_limits(integrand: sp.Expr, x: sp.Symbol, lower: sp.Expr, upper: sp.Expr) -> tuple | None:
    """An indicator θ(s x + c) (a Heaviside step, s of known sign) as a limit: the integral over x ≥ r for s > 0,
    x ≤ r for s < 0, with r = −c/s assumed inside the support (said); None without exactly one such step."""
    steps = [h for h in integrand.atoms(sp.Heaviside) if h.args[0].has(x)]
    if len(steps) != 1 or not linear_in(steps[0].args[0], x):
        return None
    slope = sp.diff(steps[0].args[0], x)
    if slope.is_positive is None and slope.is_negative is None:
        return None
    root = sp.solve(steps[0].args[0], x)[0]
    side = "\\ge" if slope.is_positive else "\\le"
    said = (f"the indicator ${latex(steps[0])}$ keeps $x {side} {latex(root)}$"
            + ("" if (lower == -sp.oo and upper == sp.oo) else f", taken inside the support ${latex(lower)} \\le "
               f"{latex(root)} \\le {latex(upper)}$"))
    restricted = integrand.xreplace({steps[0]: sp.S.One})
    return (restricted, root, upper, said) if slope.is_positive else (restricted, lower, root, said)


def _integrate(integrand: sp.Expr, x: sp.Symbol, lower: sp.Expr, upper: sp.Expr, **options: bool) -> tuple:
    folded = _folded_kink(integrand, x, lower, upper)
    if folded is not None:
        return _by_folding(x, lower, upper, *folded, **options)
    total, conditions, hows = sp.S.Zero, [], []
    pieces = _split_at_kinks(integrand, x, lower, upper)
    for piece, a, b in pieces:
        if len(pieces) > 1:  # (δ − x) x^{k−1} e^{−x/l} on [0, δ]: two incomplete Gamma integrals, 6x faster expanded
            piece = sp.expand(piece)
        piece, variable, a, b, how = _changed_variables(piece, x, a, b)
        piece, constants = _constants_as_symbols(piece, variable)
        value, condition = _integrated(piece, variable, a, b, **options)
        if value is None and how and "meijerg" not in options:
            # after u = e^{-x}, ∫ log(1 + u)/(1 + u)² du comes back as an unevaluated Meijer G; by parts it is 1
            value, condition = _integrated(piece, variable, a, b, meijerg=False)
        if value is None:
            return None, None, ""
        value, condition = (e if e is None else e.xreplace(constants) for e in (value, condition))
        total += value
        hows.append(how)
        if condition is not None:
            conditions.append(condition)
    return total, sp.And(*conditions) if conditions else None, "; ".join(dict.fromkeys(h for h in hows if h))


def _constants_as_symbols(integrand: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, dict]:
    """The integrand with each function of the parameters alone (log(1 + c), Γ(a)) as a symbol of its sign, and
    {symbol: function} to put them back. SymPy 1.14's Risch integrator treats log(1 + c) as part of the field it
    integrates in and drops terms: a Bradford's ∫₀¹ c x/((1 + c x) log(1 + c)) dx came back as 1/log(1 + c),
    missing −1/c; with the log a symbol the integrand is a rational function and the value right."""
    found: dict[sp.Expr, sp.Dummy] = {}

    def visit(e: sp.Basic) -> None:
        if isinstance(e, sp.Function) and e.free_symbols and not e.has(x):
            if e not in found:
                sign = {"positive": True} if e.is_positive else {"negative": True} if e.is_negative else \
                    {"real": True} if e.is_extended_real and e.is_finite else {}
                found[e] = sp.Dummy("k", **sign)
            return
        for argument in e.args:
            visit(argument)

    visit(integrand)
    return integrand.xreplace(found), {symbol: e for e, symbol in found.items()}


def _folded_kink(integrand: sp.Expr, x: sp.Symbol, lower: sp.Expr, upper: sp.Expr) -> tuple | None:
    """(A k + B, −2 A k, a, b) for an integrand A |k| + B with one kink k = s x + c (s of known sign, its root r
    inside the support, A and B free of it), k taken with the sign it has right of r, and (a, b) the side of r left of
    it, or right of it when only that side is bounded (then +2 A k). The integral is the whole support's of A k + B
    (a moment, found at once) plus the one side's: half the half-line integrals (each a Meijer G integral of 0.7 s
    on a normal, two incomplete Gamma integrals on a gamma)."""
    kinks = [k for k in integrand.atoms(sp.Abs) if k.has(x) and linear_in(k.args[0], x)]
    if len(kinks) != 1:
        return None
    slope = sp.diff(kinks[0].args[0], x)
    if slope.is_positive is None and slope.is_negative is None:
        return None
    root = sp.solve(kinks[0].args[0], x)[0]
    if not ((lower == -sp.oo or (root - lower).is_nonnegative) and (upper == sp.oo or (upper - root).is_nonnegative)):
        return None
    magnitude = sp.Dummy("k")
    linear = integrand.xreplace({kinks[0]: magnitude})
    a, b = sp.diff(linear, magnitude), linear.subs(magnitude, 0)
    if a.has(magnitude, sp.Abs) or b.has(sp.Abs):
        return None
    right = kinks[0].args[0] if slope.is_positive else -kinks[0].args[0]  # |k| on x ≥ r
    if lower.is_finite or not upper.is_finite:
        return a * right + b, -2 * a * right, lower, root
    return -a * right + b, 2 * a * right, root, upper


def _by_folding(x: sp.Symbol, lower: sp.Expr, upper: sp.Expr, whole: sp.Expr, side: sp.Expr, a: sp.Expr,
                b: sp.Expr, **options: bool) -> tuple:
    """∫ (A k + B) over the support plus ∫_a^b of the side's correction (see :func:`_folded_kink`)."""
    found = [_by_parts_or_integrated(integrand, x, start, end, **options)
             for integrand, start, end in ((whole, lower, upper), (side, a, b))]
    if any(value is None for value, _, _ in found):
        return None, None, ""
    conditions = [condition for _, condition, _ in found if condition is not None]
    how = "; ".join(dict.fromkeys(h for _, _, h in found if h))
    return (found[0][0] + found[1][0], sp.And(*conditions) if conditions else None,
            "the kink folded: the whole support, and one side" + (f" ({how})" if how else ""))


def _by_parts_or_integrated(integrand: sp.Expr, x: sp.Symbol, a: sp.Expr, b: sp.Expr, **options: bool) -> tuple:
    """∫_a^b by parts (:func:`_by_parts`) where that applies, else integrated expanded, as a piece of a split
    integral (two incomplete Gamma integrals on a gamma's [0, δ])."""
    parts = _by_parts(integrand, x, a, b)
    return (parts, None, "by parts") if parts is not None else _integrate(sp.expand(integrand), x, a, b, **options)


def _by_parts(integrand: sp.Expr, x: sp.Symbol, a: sp.Expr, b: sp.Expr) -> sp.Expr | None:
    """∫_a^b p(x) R(x) dx for a polynomial p and an R whose log-derivative R'/R is a polynomial (a normal or a
    Laplace density): p R = (P R)' + β R for a polynomial P and a constant β found by undetermined coefficients, so

    .. math:: \\int_a^b p R \\, dx = \\big[P R\\big]_a^b + \\beta \\int_a^b R \\, dx

    one integral of R (an error function) instead of one Meijer G integral per power of x (0.7 s each on a half-line
    of a normal); None when p R is not of that form, P does not exist, or P R does not vanish at an infinite end."""
    p = sp.Mul(*(f for f in sp.Mul.make_args(integrand) if f.is_polynomial(x)))
    rest = integrand / p
    if not rest.has(x):
        return None
    numerator, denominator = sp.fraction(sp.cancel(sp.diff(rest, x) / rest))
    if not numerator.is_polynomial(x) or denominator.has(x):
        # a pole of R'/R (a gamma density's x^{k−1}): the mass of R is an incomplete Gamma function, no cheaper than
        # the two such integrals of the expanded piece (measured: 1.6 s against 1.1 s on [0, δ])
        return None
    coefficients = sp.symbols(f"c0:{sp.degree(p, x) + 1}", cls=sp.Dummy)
    beta = sp.Dummy("beta")
    primitive = sp.Add(*(c * x**j for j, c in enumerate(coefficients)))
    identity = sp.expand((p - sp.diff(primitive, x) - beta) * denominator - primitive * numerator)
    solution = sp.solve(sp.Poly(identity, x).coeffs(), [*coefficients, beta], dict=True)
    if len(solution) != 1:
        return None
    unknowns = {*coefficients, beta}
    primitive, beta = (e.xreplace(solution[0]).xreplace({c: 0 for c in unknowns}) for e in (primitive, beta))
    boundary = primitive * rest
    ends = []
    for end, direction in ((b, "-"), (a, "+")):
        try:
            value = sp.limit(boundary, x, end, direction) if sp.sympify(end).is_infinite else boundary.subs(x, end)
        except LIMIT_FAILURES:  # "depends on the sign of −sign(1 − τ)": a parameter's sign SymPy does not know
            return None
        if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or (sp.sympify(end).is_infinite and value != 0):
            return None
        ends.append(value)
    mass = sp.S.Zero
    if beta != 0:
        # the mass of R on (a, b): an erf without the Meijer G route 3x faster, which remains for the rest
        mass, _ = _integrated(rest, x, a, b, meijerg=False)
        if mass is None:
            mass, _ = _integrated(rest, x, a, b)
    return None if mass is None else ends[0] - ends[1] + beta * mass


def _by_cases(integrand: sp.Expr, x: sp.Symbol, lower: sp.Expr, upper: sp.Expr, first: sp.Expr,
              second: sp.Expr) -> tuple:
    """Two kinks at r1, r2 of unknown order: integrate with r2 = r1 + δ and with r1 = r2 + δ (δ > 0, so the
    order is known), then write the result with |r2 − r1| when both cases agree, else as a Piecewise."""
    delta = sp.Dummy("delta", positive=True)
    moving = [s for s in sorted((second - first).free_symbols, key=sp.default_sort_key) if s.is_real and not (
        lower.has(s) or upper.has(s))]
    if not moving:
        return None, None, ""
    symbol = moving[0]
    cases = []
    for gap in (second - first, first - second):
        solved = sp.solve(sp.Eq(gap, delta), symbol)
        if len(solved) != 1:
            return None, None, ""
        value, condition, how = _integrate(integrand.subs(symbol, solved[0]), x, lower, upper)
        if value is None:
            return None, None, ""
        cases.append((sp.expand(value), condition, how))
    (above, condition, how), (below, _, _) = cases
    back = sp.solve(sp.Eq(second - first, delta), symbol)[0]
    distance = sp.Abs(second - first)
    if sp.simplify(above.subs(symbol, back) - below.subs(symbol, sp.solve(sp.Eq(first - second, delta), symbol)[0])) == 0:
        value = above.subs(symbol, back).subs(delta, distance) if above.has(delta) else above
    else:
        value = sp.Piecewise((above.subs(delta, second - first), sp.Ge(second, first)),
                             (below.subs(delta, first - second), True))
    return value, condition, (how + "; " if how else "") + "split at both kinks, in either order"


def _changed_variables(integrand: sp.Expr, x: sp.Symbol, lower: sp.Expr, upper: sp.Expr) -> tuple:
    """(integrand, variable, lower, upper, how): u = e^{s x + c} when that exponential sits inside another
    function of x (a Gumbel's e^{-e^{-x}}, a logistic's 1/(1 + e^{-x})²), u = a x^p for a Weibull's e^{-a x^p},
    else the integral as posed."""
    stretched = stretched_exponential(integrand, x, lower, upper)
    if stretched is not None:
        return _power_changed(integrand, x, *stretched)
    if _through_its_log(integrand, x, lower, upper):
        return _log_changed(integrand, x)
    exponentials = [e for e in integrand.atoms(sp.exp) if e.has(x)]
    nested = [e for e in exponentials if linear_in(e.args[0], x) and any(
        outer is not e and e in outer.atoms(sp.exp) - {outer} for outer in exponentials)]
    # the only exponential of x inside a sum (1 + e^{-x}: a logistic density, a softplus), the others linear in x
    # (an e^{tx}: powers of u)
    linear = all(linear_in(e.args[0], x) for e in exponentials)
    alone = [e for e in exponentials if linear and any(e in sum_.args for sum_ in integrand.atoms(sp.Add))]
    if len({sp.diff(e.args[0], x) for e in alone}) == 1:  # e^{-x/s} and e^{(μ−x)/s}: one a constant times the other
        alone = sorted(alone, key=sp.default_sort_key)[:1]
    inner = nested or alone
    if len(inner) != 1:
        return integrand, x, lower, upper, ""
    exponent = inner[0].args[0]
    slope = sp.diff(exponent, x)
    if slope.is_positive is None and slope.is_negative is None:
        return integrand, x, lower, upper, ""
    u = sp.Dummy("u", positive=True)
    back = (sp.log(u) - exponent.subs(x, 0)) / slope
    changed = _powers_of(integrand.subs(x, back) / (slope * u), u)
    a, b = (sp.exp(exponent.subs(x, limit)) if limit.is_finite else sp.exp(slope * limit) for limit in (lower, upper))
    if slope.is_negative:
        a, b, changed = b, a, -changed
    return changed, u, a, b, f"substituting $u = {latex(inner[0])}$"


def stretched_exponential(integrand: sp.Expr, x: sp.Symbol, lower: sp.Expr, upper: sp.Expr) -> tuple | None:
    """(a, p) for the one factor e^{-a x^p} (a > 0, p > 0 not an integer: a Weibull's e^{-(x/λ)^k}) of an integral
    over x > 0, else None."""
    if lower != 0 or upper != sp.oo:
        return None
    found = []
    for e in integrand.atoms(sp.exp):
        exponent = sp.expand_power_base(e.args[0], force=True)
        if not exponent.is_Mul and not exponent.is_Pow:
            continue
        coefficient, power = exponent.as_independent(x, as_Add=False)
        base, p = power.as_base_exp()
        if base == x and p.is_positive and p.is_integer is not True and (-coefficient).is_positive:
            found.append((-coefficient, p))
    return found[0] if len(found) == 1 else None


def _power_changed(integrand: sp.Expr, x: sp.Symbol, a: sp.Expr, p: sp.Expr) -> tuple:
    """u = a x^p on (0, ∞): x = (u/a)^{1/p}, dx = x du/(p u); the factor e^{-a x^p} becomes e^{-u} (a Gamma
    integral), every power x^r a power u^{r/p}."""
    u = sp.Dummy("u", positive=True)
    back = (u / a) ** (1 / p)
    changed = sp.powsimp(sp.expand_power_base(sp.expand_log(
        integrand.subs(x, back) * back / (p * u), force=True), force=True), force=True)
    # u^{(k−1)/k + 1/k} as u^1: SymPy's convergence condition then reads as simply as the exponent
    changed = changed.replace(lambda e: e.is_Pow and e.base == u, lambda e: u ** sp.cancel(e.exp))
    return changed, u, sp.S.Zero, sp.oo, f"substituting $u = {latex(a * x**p)}$"


def _through_its_log(integrand: sp.Expr, x: sp.Symbol, lower: sp.Expr, upper: sp.Expr) -> bool:
    """Whether an integral over x > 0 sees x only through log x and powers x^r (factors of a product), with some
    log x: a log-normal's x^k e^{-(log x - μ)²/(2σ²)}/x, whose moments SymPy left unevaluated (E[X²]) or took 8 s
    over (E[X])."""
    if lower != 0 or upper != sp.oo or not any(f.args[0] == x for f in integrand.atoms(sp.log)):
        return False

    def seen_through_logs_and_powers(e: sp.Basic) -> bool:
        if isinstance(e, sp.log) and e.args[0] == x:
            return True
        if e == x:
            return False  # x alone, outside a product, log or power (x + 1, e^{-x})
        if e.is_Mul:
            return all(f == x or seen_through_logs_and_powers(f) for f in e.args)
        if e.is_Pow and e.base == x:
            return not e.exp.has(x)
        return all(seen_through_logs_and_powers(a) for a in e.args)

    return seen_through_logs_and_powers(integrand)


def _log_changed(integrand: sp.Expr, x: sp.Symbol) -> tuple:
    """u = log x on (0, ∞): x = e^u, dx = e^u du, every x^r an e^{r u}; a Gaussian in log x becomes a Gaussian
    integral over the real line, which SymPy evaluates at once."""
    u = sp.Dummy("u", real=True)
    logs = {f: u for f in integrand.atoms(sp.log) if f.args[0] == x}
    powers = {p: sp.exp(p.exp * u) for p in integrand.atoms(sp.Pow) if p.base == x}
    changed = integrand.xreplace({**logs, **powers}).xreplace({x: sp.exp(u)}) * sp.exp(u)
    return sp.powsimp(changed, combine="exp"), u, -sp.oo, sp.oo, f"substituting $u = {latex(sp.log(x))}$"


def _powers_of(expr: sp.Expr, u: sp.Symbol) -> sp.Expr:
    """Every e^{c log u + r} written u^c e^r, so that SymPy sees the Gamma integral."""
    def split(arg: sp.Expr) -> sp.Expr:
        arg = sp.expand(arg)
        power = sp.Add(*(term / sp.log(u) for term in sp.Add.make_args(arg) if not (term / sp.log(u)).has(u)))
        rest = arg - power * sp.log(u)
        return u**sp.expand(power) * sp.exp(rest) if power != 0 else sp.exp(rest)

    return expr.replace(lambda e: isinstance(e, sp.exp), lambda e: split(e.args[0]))


def linear_in(expr: sp.Expr, x: sp.Symbol) -> bool:
    """Whether expr = s x + c with s free of x and nonzero."""
    return expr.has(x) and expr.is_polynomial(x) and sp.degree(expr, x) == 1


def _integrated(integrand: sp.Expr, x: sp.Symbol, a: sp.Expr, b: sp.Expr,
                **options: bool) -> tuple[sp.Expr | None, sp.Basic | None]:
    """SymPy's integral of ``integrand`` over (a, b) as :func:`_first_branch` reads it; (None, None) where SymPy
    fails on it: its Risch integrator raised PolynomialError ("... is not an element of K[t, 1/t]") on the squared
    score of a Gaussian mixture's weight, which has no closed form and is left to quadrature like any other."""
    try:
        return _first_branch(sp.integrate(integrand, (x, a, b), **options))
    except SYMPY_FAILURES:
        return None, None


def _first_branch(value: sp.Expr) -> tuple[sp.Expr | None, sp.Basic | None]:
    """A Piecewise's first branch and its condition (SymPy's convergence condition); None if unevaluated. A branch
    that holds only on an equation (``Eq(c, 0)``: SymPy puts the value at c = 0 first for a Bradford's
    ∫₀¹ (1 + c x)^{s-1} dx) is a special case, not the generic value, and is passed over."""
    value = _without_polar_numbers(value)
    if value is None:
        return None, None
    value = _without_lerch_transcendents(value)
    if value is None:
        return None, None
    if isinstance(value, sp.Piecewise):
        generic = [(branch, condition) for branch, condition in value.args if not _on_an_equation(condition)]
        if not generic:
            return None, None
        branch, condition = generic[0]
        return (branch, None if condition == sp.true else condition) if _usable(branch) else (None, None)
    return (value, None) if _usable(value) else (None, None)


def _without_polar_numbers(value: sp.Expr) -> sp.Expr | None:
    """``value`` with its polar numbers made ordinary, or None where that would change it.

    The Meijer G route leaves polar numbers (a Maxwell's entropy with a real scale: polar_lift(s)), which NumPy
    cannot evaluate. On a function's branch cut the polar number names a branch, which the ordinary number does not:
    a Gompertz's E[X] came back as log(c e^{iπ}) − Ei(c e^{iπ}) (real), and read as log(−c) − Ei(−c) it gained an
    iπ (Ei(−c) is the principal value, the mean of the two sides of the cut). So a log of a polar number is
    expanded (log c + iπ) and an Ei of one rewritten by E₁ first (SymPy's own rules for the branches), and the
    result is compared with the polar value at a probe point: where they differ the value is no value."""
    if not value.has(sp.exp_polar, sp.polar_lift):
        return value
    def on_a_branch(kind: type[sp.Basic]) -> Callable[[sp.Basic], bool]:
        return lambda e: isinstance(e, kind) and e.args[0].has(sp.exp_polar, sp.polar_lift)

    ordinary = value.replace(on_a_branch(sp.log), sp.expand_log).replace(
        on_a_branch(sp.Ei), lambda e: e.rewrite(sp.expint))
    ordinary = ordinary.replace(lambda e: isinstance(e, sp.polar_lift), lambda e: e.args[0]).replace(
        lambda e: isinstance(e, sp.exp_polar), lambda e: sp.exp(e.args[0]))
    return ordinary if _agree_at_a_probe(value, ordinary) else None


def _without_lerch_transcendents(value: sp.Expr) -> sp.Expr | None:
    """``value`` with each Lerch transcendent Φ(z, s, a) expanded by SymPy's own rules (into logs, polylogarithms,
    ζ and η values: Φ(−1, 2, 1) = π²/12, Φ(−1, 1, 1) = log 2) and η written by ζ, η(s) = (1 − 2^{1−s}) ζ(s);
    None where a Φ or polylogarithm remains, which NumPy and SciPy cannot evaluate (a half-logistic's E[X²] came
    back as 4Φ(−1, 2, 1) − log²4)."""
    if not value.has(sp.lerchphi):
        return value
    expanded = value.replace(lambda e: isinstance(e, sp.lerchphi), sp.expand_func).replace(
        lambda e: isinstance(e, sp.dirichlet_eta), lambda e: e.rewrite(sp.zeta))
    return None if expanded.has(sp.lerchphi, sp.polylog) else expanded


def _agree_at_a_probe(value: sp.Expr, ordinary: sp.Expr) -> bool:
    """Whether two forms of one value agree at a point that respects the symbols' signs (or cannot be evaluated
    there: then nothing is known against the ordinary form)."""
    point = _probe_point(value.free_symbols)
    polar, plain = (sp.N(sp.piecewise_fold(v).xreplace(point), 30) for v in (value, ordinary))
    if isinstance(polar, sp.Piecewise) or isinstance(plain, sp.Piecewise) or not (polar.is_number and plain.is_number):
        return True
    if polar.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return True
    return abs(complex(polar) - complex(plain)) <= 1e-12 * max(1.0, abs(complex(polar)))


def _usable(value: sp.Expr) -> bool:
    """Closed, and a number or ±∞ as a whole: an ∞ inside a sum (a Lomax's E[X] came back as c/(c² − c) − ∞c/(c − 1),
    an infinite limit of a divergent primitive with the sign of c unknown) is no value."""
    return is_closed(value) and not value.has(sp.nan) and (
        value in (sp.oo, -sp.oo) or not value.has(sp.oo, -sp.oo, sp.zoo))


def _on_an_equation(condition: sp.Basic) -> bool:
    """Whether ``condition`` holds only where some equation between the parameters does (a set of measure zero)."""
    if isinstance(condition, sp.Eq):
        return True
    if isinstance(condition, sp.And):
        return any(_on_an_equation(c) for c in condition.args)
    if isinstance(condition, sp.Or):
        return all(_on_an_equation(c) for c in condition.args)
    return False


def _split_at_kinks(integrand: sp.Expr, x: sp.Symbol, lower: sp.Expr, upper: sp.Expr) -> list[tuple]:
    """[(integrand, a, b)]: every |s x + c| (s of known sign) resolved on each interval between the roots, when the
    roots' order is known; else the integral as posed."""
    kinks = [k for k in integrand.atoms(sp.Abs) if k.has(x) and linear_in(k.args[0], x)]
    slopes = [sp.diff(k.args[0], x) for k in kinks]
    if not kinks or any(s.is_positive is None and s.is_negative is None for s in slopes):
        return [(integrand, lower, upper)]
    roots = [sp.solve(k.args[0], x)[0] for k in kinks]
    inside = all((lower == -sp.oo or (r - lower).is_nonnegative) and (upper == sp.oo or (upper - r).is_nonnegative)
                 for r in roots)
    order = increasing_order(roots) if inside else None
    if order is None:
        return [(integrand, lower, upper)]
    points = [lower, *(roots[i] for i in order), upper]
    pieces = []
    for region in range(len(points) - 1):
        below = set(order[:region])  # the kinks whose root lies at or below this interval
        signs = {k: (1 if j in below else -1) * (1 if slope.is_positive else -1) * k.args[0]
                 for j, (k, slope) in enumerate(zip(kinks, slopes))}
        pieces.append((integrand.xreplace(signs), points[region], points[region + 1]))
    return pieces


def unordered_kinks(integrand: sp.Expr, x: sp.Symbol) -> tuple[sp.Expr, sp.Expr] | None:
    """The roots of two kinks |s x + c| whose order depends on the parameters (a Laplace p against a Laplace q)."""
    kinks = [k for k in integrand.atoms(sp.Abs) if k.has(x) and linear_in(k.args[0], x)]
    if len(kinks) != 2:
        return None
    roots = [sp.solve(k.args[0], x)[0] for k in kinks]
    return (roots[0], roots[1]) if increasing_order(roots) is None else None
