r"""Steps that are checked against what the notes imposed before them, not as identities.

:func:`symml.checker.steps.check_items` asks :func:`step_under_conditions` first; it answers for three kinds of
row and leaves every other row to the identity and implication checks (None):

- a **bound** (``\le``, ``<``, ``\ge``, ``>``): a domain condition (``\alpha_i \ge 0``) is an assumption; any
  other bound is checked by :mod:`symml.checker.inequalities`, where the latest conditions hold; a row that
  bounds an expression which holds at some points and fails at others (``y_i (w^T x_i + b) \ge 1``) is a
  constraint imposed, not a claim; ``x_1 \neq x_2`` between two names is an assumption;
- an **estimator** named with a hat (``\hat p = k/n``, ``\hat\sigma^2 = ...``) after a condition on the
  parameter it estimates (``\frac{k}{p} - \frac{n-k}{1-p} = 0``): it must solve that condition. It holds when
  it does; on the row right after the condition, an estimator that does not solve it is wrong, with a
  counterexample where the condition holds (the data, the solution, and the estimator's other value);
- a **value chosen** for a name of the condition before (``P = \sigma(z)``, then ``0.5 = \sigma(z)``): a new
  condition, not a consequence of the old one (and never wrong).

>>> import sympy as sp
>>> estimated_name(sp.Symbol("p_hat_MLE")), estimated_name(sp.Symbol("theta_MLE"))
('p', 'theta')
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import sympy as sp

from symml.budget import SOLVE_SECONDS, within
from symml.checker.decide import decide, split_sums
from symml.checker.failures import SYMPY_FAILURES
from symml.checker.implications import RECENT
from symml.checker.inequalities import BOUNDS, check_bound, domain_condition
from symml.checker.verdict import Counterexample, Verdict, VerdictKind
from symml.errors import BudgetExceededError

__all__ = ["step_under_conditions", "estimated_name", "where_condition_holds"]


def step_under_conditions(item: Any, left: Any, right: Any, math: Any, state: Any, options: dict) -> Any:
    """The check of ``item`` when it is one of the rows of the module docstring, else None. ``left`` and
    ``right`` are the item's sides with the definitions so far expanded; ``state`` is the checker's state."""
    if item.relation in BOUNDS:
        return _bound(item, left, right, math, state, options)
    if item.relation == "≠" and item.left is not None and all(isinstance(side, _NAMES) for side in (left, right)):
        StepCheck, StepStatus = _statuses()  # x_1 \neq x_2: two points assumed different
        state.value, state.value_label = right, item.label
        return StepCheck(item.label, StepStatus.GIVEN, math, "an assumption that two names differ, not a claim")
    if item.relation != "=":
        return None
    scalar = _one_by_one_as_scalar(item, left, right)
    if scalar is not None:  # w^T w = 1: a 1 x 1 matrix is a number
        from symml.checker import steps

        return steps._check_item(scalar, state, options)
    if _is_matrix(state.value if item.left is None else left) or _is_matrix(right):
        return _matrix_condition(item, left, right, math, state, options)
    if item.left is None:
        return None
    estimate = _estimator(item, left, right, math, state, options)
    if estimate is not None:
        return estimate
    return _chosen_value(item, left, right, math, state, options)


_NAMES = (sp.Symbol, sp.Indexed, sp.MatrixSymbol)


def _is_matrix(side: Any) -> bool:
    return bool(getattr(side, "is_Matrix", False)) or isinstance(side, sp.MatrixExpr)


def _statuses() -> Any:
    from symml.checker import steps  # steps dispatches here: imported when first needed

    return steps.StepCheck, steps.StepStatus


# --- bounds -------------------------------------------------------------------------------------------------

_RELATIONALS = {"≤": sp.Le, "<": sp.Lt, "≥": sp.Ge, ">": sp.Gt}


def _bound(item: Any, left: Any, right: Any, math: Any, state: Any, options: dict) -> Any:
    StepCheck, StepStatus = _statuses()
    if item.left is not None:  # shown with its own relation (the caller builds an equation)
        try:
            math = _RELATIONALS[item.relation](item.left, item.right, evaluate=False)
        except (TypeError, ValueError):
            pass
    before = left if item.left is not None else state.value
    state.value, state.value_label = right, item.label
    if before is None:
        return StepCheck(item.label, StepStatus.UNCHECKED, math, "a bound with nothing before it to compare")
    domain = domain_condition(before, right, item.relation) if item.left is not None else None
    if domain is not None:
        name, interval = domain
        key = f"{name.base.label}[i]" if isinstance(name, sp.Indexed) else str(name)
        state.domains[key] = interval
        return StepCheck(item.label, StepStatus.GIVEN, math, f"a domain condition on {name}: an assumption for "
                         "the bounds after it, not a claim")
    ranges = {**options.get("ranges", {}), **state.domains}
    recent = [(condition, label) for condition, label in state.imposed if _is_next_row(label, item.label)]
    found = check_bound(before, right, item.relation, conditions=recent, **{**options, "ranges": ranges})
    if found.holds is None and found.verdict is not None and item.left is not None:  # y_i (w x_i + b) >= 1
        return StepCheck(item.label, StepStatus.CONDITION, math, "a constraint: the bound holds at some points "
                         "and fails at others, so it is imposed on its names (or holds on a domain the notes give "
                         "in words), not derived")
    status = {True: StepStatus.HOLDS, False: StepStatus.WRONG, None: StepStatus.UNCHECKED}[found.holds]
    return StepCheck(item.label, status, math, found.note, found.verdict)


# --- estimators ---------------------------------------------------------------------------------------------

def estimated_name(symbol: Any) -> str | None:
    """The parameter an estimator's name estimates (``mu_hat`` -> ``mu``, ``p_hat_MLE`` -> ``p``, ``theta_MLE``
    -> ``theta``), else None."""
    if not isinstance(symbol, sp.Symbol):
        return None
    for mark in ("_hat", "_MLE", "_ML", "_MAP", "_mle", "_map"):
        if mark in symbol.name and (mark == "_hat" or symbol.name.endswith(mark)):
            return symbol.name.split(mark)[0] or None
    return None


def _estimator(item: Any, left: Any, right: Any, math: Any, state: Any, options: dict) -> Any:
    power = sp.Integer(1)
    if isinstance(left, sp.Pow) and left.exp.is_number and left.exp != 0:  # \hat\sigma^2 = ...
        left, power = left.base, left.exp
    name = estimated_name(left)
    if name is None or right.has(left) or not state.imposed:
        return None
    value = right ** (1 / power)
    for condition, label in reversed(state.imposed[-RECENT:]):
        parameter = next((s for s in condition.free_symbols if isinstance(s, sp.Symbol) and s.name == name), None)
        if parameter is None:
            continue
        at_estimate = condition.xreplace({parameter: value, **_other_estimates(state, name, condition)})
        verdict = decide(at_estimate, 0, **options)
        if verdict:
            return _estimate_holds(item, left, power, right, math, state, f"{_shown(item.left)} = "
                                   f"{sp.sstr(item.right)} solves the condition of {label} for {parameter}", verdict)
        if condition is state.imposed[-1][0] and _is_next_row(label, item.label) and \
                verdict.kind is VerdictKind.NOT_EQUIVALENT and not _unknowns(at_estimate) - _unknowns(value):
            return _estimate_wrong(item, math, condition, parameter, value, label, options)
        return None
    return None


def _other_estimates(state: Any, name: str, condition: Any) -> dict:
    """The estimates defined so far (mu_hat = ...), each substituted for its parameter (mu) in a condition."""
    estimates = {estimated_name(sp.Symbol(defined)): body for defined, (arguments, body) in state.definitions.items()
                 if not arguments}
    return {s: estimates[s.name] for s in condition.free_symbols
            if isinstance(s, sp.Symbol) and s.name != name and s.name in estimates}


def _estimate_holds(item: Any, left: Any, power: Any, right: Any, math: Any, state: Any, note: str,
                    verdict: Verdict) -> Any:
    StepCheck, StepStatus = _statuses()
    if power == 1 and str(left) not in state.definitions:
        state.definitions[str(left)] = ((), right)
    state.value, state.value_label = right, item.label
    return StepCheck(item.label, StepStatus.HOLDS, math, note, verdict)


def _estimate_wrong(item: Any, math: Any, condition: Any, parameter: Any, value: Any, label: str,
                    options: dict) -> Any:
    StepCheck, StepStatus = _statuses()
    for solution in _solutions(condition, parameter):
        wrong = where_condition_holds(condition, parameter, value, options, solution)
        if wrong is not None:
            return StepCheck(item.label, StepStatus.WRONG, math, f"does not solve the condition of {label} for "
                             f"{parameter}: where it holds, {parameter} = {sp.sstr(solution)}", wrong)
    return None


def where_condition_holds(condition: Any, parameter: Any, value: Any, options: dict,
                          solution: Any = None) -> Verdict | None:
    """A verdict that ``parameter = value`` is wrong, with its counterexample at a point where ``condition = 0``
    holds: the data, the solution of the condition for the parameter there, and the value claimed. None when
    the condition has no such solution (or the two agree)."""
    for solved in [solution] if solution is not None else _solutions(condition, parameter):
        verdict = decide(value, solved, **options)
        if verdict.kind is VerdictKind.NOT_EQUIVALENT and verdict.counterexample is not None:
            found = verdict.counterexample
            point = (*found.values, (parameter, found.right))
            return Verdict(VerdictKind.NOT_EQUIVALENT, value, solved, method=verdict.method, points=verdict.points,
                           assumptions=verdict.assumptions,
                           counterexample=Counterexample(point, found.left, found.right, found.difference))
    return None


def _solutions(condition: Any, symbol: Any) -> list[Any]:
    try:
        # sum_i (x_i - mu) = 0: solve finds nothing for an unknown inside a Sum, so the sums are split first
        found = within(SOLVE_SECONDS, f"solve for {symbol}", sp.solve, split_sums(condition), symbol)
    except BudgetExceededError:
        return []
    except SYMPY_FAILURES:
        return []
    return [s for s in found if not s.has(symbol)]


def _unknowns(expr: Any) -> set:
    """The parameters of an expression: names that are neither sizes, indices nor data labels."""
    labels = {i.base.label for i in expr.atoms(sp.Indexed)}
    bound = {limit[0] for total in expr.atoms(sp.Sum, sp.Product) for limit in total.limits}
    return {s for s in expr.free_symbols if isinstance(s, sp.Symbol) and not s.is_integer} - labels - bound


def _is_next_row(earlier: str, later: str) -> bool:
    first, second = (label.rsplit(" ", 1)[-1] for label in (earlier, later))
    return first.isdigit() and second.isdigit() and 0 <= int(second) - int(first) <= 3


def _shown(expr: Any) -> str:
    return sp.sstr(expr)


# --- vector equations -------------------------------------------------------------------------------------

def _matrix_condition(item: Any, left: Any, right: Any, math: Any, state: Any, options: dict) -> Any:
    """``\\nabla_v L = 2Cv - 2\\lambda v = 0`` (a vector chain set to zero) is a condition; ``Cv = \\lambda v``
    after it is that equation times a number."""
    StepCheck, StepStatus = _statuses()
    if item.left is None:
        if right != 0 or not _is_matrix(state.value) or len(getattr(state.value, "shape", ())) != 2:
            return None
        state.condition = (state.value, sp.ZeroMatrix(*state.value.shape), item.label)
        state.value, state.value_label = right, item.label
        return StepCheck(item.label, StepStatus.CONDITION, math, "a condition (the vector chain is set to zero), "
                         "imposed rather than derived")
    if state.condition is None or not _is_matrix(state.condition[0]) or not _is_matrix(left) \
            or not _is_matrix(right):
        return None
    before_left, before_right, label = state.condition
    factor = _common_factor(left - right, before_left - before_right)
    if factor is None or not decide(left - right, factor * (before_left - before_right), **options):
        return None
    state.condition = (left, right, item.label)
    state.value, state.value_label = right, item.label
    return StepCheck(item.label, StepStatus.HOLDS, math, f"the equation of {label}"
                     + ("" if factor == 1 else f" times {factor}"))


def _one_by_one_as_scalar(item: Any, left: Any, right: Any) -> Any:
    """The item with its 1 x 1 matrix sides as scalars (their trace), when it compares one with a number; else
    None."""
    if item.left is None or not any(_is_matrix(side) for side in (left, right)):
        return None
    if any(_is_matrix(side) and tuple(side.shape) != (1, 1) for side in (left, right)):
        return None
    if isinstance(item.left, sp.MatrixBase) or isinstance(item.right, sp.MatrixBase):
        return None
    scalar = [sp.Trace(side) if _is_matrix(side) else side for side in (item.left, item.right)]
    return replace(item, left=scalar[0], right=scalar[1])


def _common_factor(now: Any, before: Any) -> Any:
    """The number c with ``now = c before`` term by term (matrix parts matched), else None."""
    def terms(expr: Any) -> dict:
        found: dict = {}
        for term in (expr.args if isinstance(expr, sp.MatAdd) else (expr,)):
            coefficient, matrix = term.as_coeff_mmul() if isinstance(term, sp.MatMul) else (sp.Integer(1), term)
            found[matrix] = found.get(matrix, 0) + coefficient
        return found
    try:
        now_terms, before_terms = terms(sp.expand(now)), terms(sp.expand(before))
    except SYMPY_FAILURES:
        return None
    if set(now_terms) != set(before_terms):
        return None
    ratios = {sp.simplify(now_terms[m] / before_terms[m]) for m in now_terms}
    if len(ratios) != 1:
        return None
    (ratio,) = ratios
    return ratio if ratio.is_number and ratio != 0 else None


# --- values chosen ------------------------------------------------------------------------------------------

def _chosen_value(item: Any, left: Any, right: Any, math: Any, state: Any, options: dict) -> Any:
    """``0.5 = \\sigma(z)`` after ``P = \\sigma(z)``: the condition before with one of its names given a nonzero
    number (that its assumptions allow): a new condition."""
    if state.condition is None or not isinstance(left, sp.Expr) or not isinstance(right, sp.Expr):
        return None
    before_left, before_right, label = state.condition
    if any(_is_matrix(side) or not isinstance(side, sp.Expr) for side in (before_left, before_right)):
        return None
    before, now = before_left - before_right, left - right
    dropped = _unknowns(before) - _unknowns(now)
    if not dropped or not _unknowns(now) or not _unknowns(now) < _unknowns(before):
        return None
    for sign in (1, -1):
        rest = sp.expand(before - sign * now)
        names = rest.free_symbols
        if len(names) != 1 or not names <= dropped:
            continue
        (name,) = names
        values = _solutions(rest, name)
        if len(values) == 1 and values[0].is_number and values[0] != 0 and _allowed(name, values[0]):
            StepCheck, StepStatus = _statuses()
            state.condition = (left, right, item.label)
            state.value, state.value_label = right, item.label
            return StepCheck(item.label, StepStatus.CONDITION, math, f"the equation of {label} with the value "
                             f"{name} = {values[0]} chosen: a new condition, not a consequence")
    return None


def _allowed(name: Any, value: Any) -> bool:
    """Whether the value fits the name's assumptions (a positive name takes a positive value)."""
    return not ((name.is_positive and not value.is_positive) or (name.is_integer and not value.is_integer)
                or (name.is_real and not value.is_real))
