r"""Inequalities in notes: bounds (``\le``, ``<``, ``\ge``, ``>``) checked by the sign of their difference.

A bound ``a \le b`` holds where ``b - a \ge 0``. It is decided in this order, precision first:

1. a *symbolic reason*: the difference (or its factored or simplified form) is non-negative by SymPy's
   assumptions (a square, a sum of squares of real terms, a quotient of positive names);
2. *random points at 30 digits* (:func:`symml.checker.probe.probe` on ``d = |d|``, which holds exactly where
   ``d \ge 0``), first with the notes' assumptions only (names of unknown sign take both signs); where that fails,
   with every name whose sign the notes do not declare taken positive, at two scales (the domain of most bounds
   in ML notes: variances, rates, counts; the report says so);
3. a bound is *wrong* only when it fails at **every** point of the declared domain (names of unknown sign taking
   both signs), each failure confirmed at 60 digits: a reversed or mis-scaled bound fails everywhere; a true
   bound whose domain the notes give in words (``x \in [0, 1]``, ``t < 0``) fails only in part, and is then
   unchecked with that reason.

A bound that follows a condition (``C - \alpha_i - \mu_i = 0`` then ``\alpha_i \le C``) is checked where the
condition holds: the condition is solved for a name the bound shares with it and substituted.

A row that bounds one name by a number (``\alpha_i \ge 0``, ``\sigma > 0``) is a *domain condition*: an
assumption, not a claim, and later bounds are sampled inside it.

>>> import sympy as sp
>>> a, b = sp.symbols("a b", real=True)
>>> check_bound((a + b)**2, 2*(a**2 + b**2), "≤").holds
True
>>> check_bound(a**2 + b**2, 2*a*b - 1, "≤").holds
False
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.budget import SIMPLIFY_SECONDS, SOLVE_SECONDS, within
from symml.checker.failures import SYMPY_FAILURES
from symml.checker.jensen import concave_log, divergence
from symml.checker.probe import ProbeResult, probe
from symml.checker.verdict import Counterexample, Verdict, VerdictKind
from symml.errors import BudgetExceededError

__all__ = ["BOUNDS", "Bound", "check_bound", "domain_condition"]

#: The bound relations as the readers write them: relation -> (direction, strict). ``a \le b`` means
#: ``direction * (b - a) >= 0`` with direction 1.
BOUNDS = {"≤": (1, False), "<": (1, True), "≥": (-1, False), ">": (-1, True)}
#: How many random points must agree for each regime, per point asked of an equality: a bound is weaker
#: evidence at a point than an identity (it can fail on a small region), so it is probed at more of them.
_POINTS_PER_POINT = 3
#: The positive domain given to names whose sign the notes do not declare, at two scales: a bound that holds for
#: large values only (y (w x + b) >= 1) fails at small ones.
_POSITIVE = (("0", "1"), ("0", "8"))


@dataclass(frozen=True)
class Bound:
    """The result for one bound: ``holds`` True (holds), False (wrong, with a counterexample) or None
    (unchecked); ``note`` says why, ``verdict`` carries the method, points and counterexample."""

    holds: bool | None
    note: str
    verdict: Verdict | None = None


def domain_condition(left: Any, right: Any, relation: str) -> tuple[Any, tuple[str, str]] | None:
    """``(name, (low, high))`` when the bound confines one name to an interval with a numeric end
    (``\\alpha_i \\ge 0``, ``0 < p``, ``\\sigma > 0``): the interval sampled inside (a half-line is cut at a
    few units), else None."""
    direction, _ = BOUNDS[relation]
    for name, number, sign in ((left, right, direction), (right, left, -direction)):
        if isinstance(name, (sp.Symbol, sp.Indexed)) and isinstance(number, sp.Number) and number.is_finite \
                and not name.is_integer:
            # sign 1: name <= number; sign -1: name >= number
            low, high = (number - 4, number) if sign == 1 else (number, number + 4)
            return name, (str(low), str(high))
    return None


def check_bound(left: Any, right: Any, relation: str, *, conditions: Sequence[tuple[Any, str]] = (),
                points: int = 8, seed: int = 0, ranges: Mapping[str, tuple[Any, Any]] | None = None,
                **_: Any) -> Bound:
    """Check ``left relation right`` (see the module docstring); ``conditions`` are the equations imposed
    before it (``(expression, label)`` meaning ``expression = 0``, latest last)."""
    direction, strict = BOUNDS[relation]
    left, right = _as_scalar(left), _as_scalar(right)
    if left is None or right is None:
        return Bound(None, "a bound between matrices is not checked")
    difference = direction * (sp.sympify(right) - sp.sympify(left))
    larger, smaller = (right, left) if direction == 1 else (left, right)
    jensen = concave_log(larger, smaller, points=points, seed=seed, ranges=ranges) or divergence(difference)
    if jensen:
        return Bound(True, f"the bound holds by {jensen}", Verdict(VerdictKind.EQUIVALENT, left, right, method=jensen))
    found = _sign_of(difference, strict, points * _POINTS_PER_POINT, seed, dict(ranges or {}))
    if found.holds is not False:
        return _as_bound(found, left, right, "")
    for condition, label in reversed(list(conditions)[-2:]):
        for symbol, solution in _where_condition_holds(difference, condition):
            substituted = difference.xreplace({symbol: solution})
            under = _sign_of(substituted, strict, points * _POINTS_PER_POINT, seed, dict(ranges or {}))
            if under.holds is not False or under.everywhere:
                return _as_bound(under, left, right, f" where {label} holds", (symbol, solution))
    return _as_bound(found, left, right, "")


def _as_scalar(side: Any) -> Any:
    """A side as a scalar: a 1 x 1 matrix (``u^T v``) as its only entry (a trace), another matrix as None."""
    if not (getattr(side, "is_Matrix", False) or isinstance(side, sp.MatrixExpr)):
        return side
    if tuple(side.shape) != (1, 1):
        return None
    return side[0, 0] if isinstance(side, sp.MatrixBase) else sp.Trace(side)


@dataclass(frozen=True)
class _Sign:
    holds: bool | None           # True: non-negative at every point; False: negative somewhere; None: no answer
    everywhere: bool = False     # negative at every point of the declared domain (a wrong bound)
    proved: str = ""             # the symbolic reason, if any
    assumed: tuple[str, ...] = ()
    result: ProbeResult | None = None
    difference: Any = None
    reason: str = ""


def _sign_of(difference: Any, strict: bool, points: int, seed: int, ranges: dict) -> _Sign:
    if difference.atoms(AppliedUndef):  # p(x), E_q(...): a bound on an unknown function is not sampled
        return _Sign(None, reason="it holds functions the notes do not define")
    if _identically_zero(difference):
        return _Sign(None if strict else True, proved="" if strict else "the sides are equal",
                     reason="the sides are equal, so a strict bound fails" if strict else "")
    reason = _nonnegative(difference, strict)
    if reason:
        return _Sign(True, proved=reason, difference=difference)
    general = _probe_sign(difference, points, seed, ranges)
    if general.reason and not general.agreed:
        return _Sign(None, reason=general.reason)
    if general.counterexample is None:
        return _Sign(True, result=general, difference=difference)
    # |a + b| >= |a| + |b| is about signs: taking the names positive would make it trivially true
    unsigned = [] if difference.has(sp.Abs, sp.sign, sp.Heaviside) else _unsigned_names(difference, ranges)
    assumed = tuple(f"{name} > 0" for name in unsigned)
    scales = [{**ranges, **{name: scale for name in unsigned}} for scale in _POSITIVE] if unsigned else [ranges]
    probed = [_probe_sign(difference, points, seed, scale) for scale in scales] if unsigned else [general]
    failed = next((found for found in probed if found.counterexample is not None), None)
    if failed is None and all(found.agreed for found in probed):
        reason = _nonnegative(_positive_names(difference), strict)
        return _Sign(True, proved=reason, assumed=assumed, result=probed[-1], difference=difference)
    if failed is None:
        return _Sign(None, reason=next((found.reason for found in probed if found.reason), general.reason))
    # wrong only when strictly negative at every point of the declared domain, names of unknown sign taking both
    # signs (e^t < 1 holds for t < 0, which the prose may say; a point where the sides are equal, as for
    # |a + b| >= |a| + |b| at a, b > 0, is not a failure): sign(-d) = 1 at every point
    everywhere = _strictly_negative_everywhere(difference, points, seed, ranges)
    return _Sign(False, everywhere=everywhere, result=general, difference=difference)


def _probe_sign(difference: Any, points: int, seed: int, ranges: dict) -> ProbeResult:
    """Random points where ``difference >= 0`` (it then equals its absolute value); a point where it is
    negative is a counterexample, confirmed at 60 digits by the probe."""
    try:
        return within(2 * SIMPLIFY_SECONDS, "the random probe of a bound", probe, difference, sp.Abs(difference),
                      points=points, seed=seed, ranges=ranges)
    except BudgetExceededError as error:
        return ProbeResult(0, None, (), reason=str(error))


def _strictly_negative_everywhere(difference: Any, points: int, seed: int, ranges: dict) -> bool:
    try:
        found = within(2 * SIMPLIFY_SECONDS, "the random probe of a bound", probe, sp.sign(-difference),
                       sp.Integer(1), points=points, seed=seed, ranges=ranges)
    except BudgetExceededError:
        return False
    return found.counterexample is None and found.agreed > 0


def _identically_zero(difference: Any) -> bool:
    try:
        return within(SIMPLIFY_SECONDS, "expand", lambda d: sp.expand(d.doit()) == 0, difference)
    except BudgetExceededError:
        return False
    except SYMPY_FAILURES:
        return False


def _nonnegative(difference: Any, strict: bool) -> str:
    """Why ``difference`` is (strictly) non-negative by SymPy's assumptions, or ""."""
    def forms(d: Any) -> list[tuple[str, Any]]:
        done = d.doit()
        return [("as written", done), ("factored", sp.factor(done)), ("simplified", sp.simplify(done))]
    try:
        for how, form in within(SIMPLIFY_SECONDS, "a symbolic sign", forms, difference):
            sign = form.is_positive if strict else form.is_nonnegative
            if sign:
                return f"the difference {sp.sstr(form)} is {'positive' if strict else 'non-negative'} ({how})"
    except BudgetExceededError:
        return ""
    except SYMPY_FAILURES:
        return ""
    return ""


def _unsigned_names(difference: Any, ranges: Mapping[str, Any]) -> list[str]:
    """The names (and data, as ``x[i]``) whose sign no assumption or range fixes, as the sampler names them."""
    names = []
    for atom in sorted(difference.free_symbols | difference.atoms(sp.Indexed), key=sp.default_sort_key):
        if isinstance(atom, sp.Indexed):
            name = f"{atom.base.label}[i]"
        elif isinstance(atom, sp.Symbol) and not atom.is_integer:
            name = str(atom)
        else:
            continue
        if atom.is_integer or atom.is_positive or atom.is_nonnegative or atom.is_negative or name in ranges:
            continue
        if isinstance(atom, sp.Symbol) and atom in {i.base.label for i in difference.atoms(sp.Indexed)}:
            continue
        names.append(name)
    return sorted(set(names))


def _positive_names(difference: Any) -> Any:
    """``difference`` with every name of unknown sign made positive (for the symbolic reason in that domain)."""
    return difference.xreplace({s: sp.Symbol(s.name, positive=True) for s in difference.free_symbols
                                if isinstance(s, sp.Symbol) and s.is_positive is None and not s.is_integer})


def _where_condition_holds(difference: Any, condition: Any) -> list[tuple[Any, Any]]:
    """The solutions ``(name, value)`` of the condition ``condition = 0`` for each name it shares with
    ``difference``."""
    shared = sorted((s for s in condition.free_symbols & difference.free_symbols
                     if isinstance(s, sp.Symbol) and not s.is_integer), key=str)
    found: list[tuple[Any, Any]] = []
    for symbol in shared:
        try:
            solutions = within(SOLVE_SECONDS, f"solve for {symbol}", sp.solve, condition, symbol)
        except BudgetExceededError:
            continue
        except SYMPY_FAILURES:
            continue
        found.extend((symbol, s) for s in solutions[:2] if not s.has(symbol))
    return found


def _as_bound(sign: _Sign, left: Any, right: Any, where: str, solved: tuple[Any, Any] | None = None) -> Bound:
    assumed = f" (taking {', '.join(sign.assumed)}: the notes do not declare the sign)" if sign.assumed else ""
    if sign.holds is None:
        return Bound(None, f"the bound is not checked: {sign.reason or 'no point could be evaluated'}")
    if sign.holds and sign.proved:
        verdict = Verdict(VerdictKind.EQUIVALENT, left, right, method=sign.proved)
        return Bound(True, f"the bound holds{where}{assumed}: {sign.proved}", verdict)
    result = sign.result
    assert result is not None
    if sign.holds:
        verdict = Verdict(VerdictKind.NUMERICALLY_EQUIVALENT, left, right, method="random points at 30 digits",
                          points=result.agreed, assumptions=result.assumptions)
        return Bound(True, f"the bound holds at {result.agreed} random points{where}{assumed} (evidence, not a "
                     "proof)", verdict)
    counterexample = _sides_at(left, right, result.counterexample, solved)
    verdict = Verdict(VerdictKind.NOT_EQUIVALENT, left, right, method="random points at 30 digits",
                      points=result.agreed + 1, assumptions=result.assumptions, counterexample=counterexample)
    if sign.everywhere:
        return Bound(False, f"the bound fails at every random point{where}{assumed}", verdict)
    return Bound(None, f"the bound holds at some points and fails at others{where}: it depends on a domain the "
                 "notes do not declare", verdict)


def _sides_at(left: Any, right: Any, found: Counterexample | None,
              solved: tuple[Any, Any] | None = None) -> Counterexample | None:
    """The counterexample of the sign probe, with both sides of the bound evaluated there; under a condition
    solved for a name, that name takes its solution there (and a name the bound no longer depends on, 1)."""
    if found is None:
        return None
    values = list(found.values)
    if solved is not None:
        symbol, solution = solved
        given = {name for name, _ in values}
        spare = sorted((s for s in (sp.sympify(left) - sp.sympify(right) + solution).free_symbols
                        if s not in given and s != symbol), key=str)
        values.extend((s, sp.Integer(1)) for s in spare)
        values.append((symbol, solution.xreplace(dict(values))))
    point = dict(values)
    try:
        sides = [sp.N(sp.sympify(side).xreplace(point).doit().xreplace(point), 30) for side in (left, right)]
    except SYMPY_FAILURES:
        return found
    if not all(side.is_number for side in sides):
        return found
    return Counterexample(tuple(values), sides[0], sides[1], sides[0] - sides[1])
