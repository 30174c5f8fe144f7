r"""Rows that state a claim and impose a condition: ``\frac{\partial \ell}{\partial \sigma} = -n + \frac{S}{\sigma^2}
= 0``. The claim part is checked as an identity, the ``= 0`` part is the condition. When the claim fails only by a
factor that cannot vanish (``\sigma`` after "since sigma > 0 you can simplify the expression to"), the row writes
the condition rescaled, not a wrong derivative: it is unchecked, with that reason, never wrong. A factor that is a
number (2, -1) is not excused: a dropped 2 is the commonest slip.

The consequences of a condition are checked at its solutions; a solution that is complex at the point where a
consequence fails (``\sigma = \sqrt{S/n}`` at a negative S) gives no point of the condition, so no counterexample
there (:func:`real_counterexample` looks for one at other points).

>>> import sympy as sp
>>> s = sp.Symbol("s", positive=True)
>>> nonvanishing_factor(-1 / s + 1 / s**3, -1 + 1 / s**2)
s
"""
from __future__ import annotations

from typing import Any, Sequence

import sympy as sp

from symml.budget import within
from symml.checker.decide import decide, split_sums
from symml.checker.failures import SYMPY_FAILURES
from symml.checker.implications import nonvanishing_ratio
from symml.checker.verdict import VerdictKind
from symml.errors import BudgetExceededError

__all__ = ["nonvanishing_factor", "excuse_rescaled_conditions", "real_counterexample", "logs_expanded"]

#: The budget of the simplify that finds the factor between the sides.
_FACTOR_SECONDS = 1.0
#: The seeds of the random points tried for a counterexample where a solution is real (0: the caller's verdict).
_RETRY_SEEDS = (0, 1, 2, 3)


def excuse_rescaled_conditions(items: Sequence[Any], checks: Sequence[Any]) -> list[Any]:
    """The checks, where a wrong claim ``D = A`` followed on its row by ``= 0`` differs from it by a factor that
    cannot vanish made unchecked (see the module docstring)."""
    from symml.checker.steps import StepCheck, StepStatus

    result = list(checks)
    for index, (item, check) in enumerate(zip(items, checks)):
        following = items[index + 1] if index + 1 < len(items) else None
        if (check.status is not StepStatus.WRONG or item.left is None or check.verdict is None or following is None
                or following.left is not None or following.right != 0 or following.label != item.label):
            continue
        factor = nonvanishing_factor(check.verdict.left, check.verdict.right)
        if factor is not None:
            result[index] = StepCheck(check.label, StepStatus.UNCHECKED, check.math, "the sides differ by the factor "
                                      f"{factor}, which does not vanish: the row writes the condition that follows "
                                      "(= 0) rescaled, not an identity", check.verdict)
    return result


def nonvanishing_factor(left: Any, right: Any) -> Any:
    """The factor ``right / left`` when it is a product of powers of positive names (not a number) and the sides
    agree once ``left`` is multiplied by it; else None."""
    if not all(isinstance(side, sp.Expr) for side in (left, right)):
        return None
    try:
        factor = within(_FACTOR_SECONDS, "the ratio of the sides", nonvanishing_ratio, logs_expanded(right),
                        logs_expanded(left))
    except BudgetExceededError:
        return None
    except SYMPY_FAILURES:
        return None
    if factor is None or factor.is_number:
        return None
    return factor if decide(left * factor, right, points=4) else None


def real_counterexample(verdict: Any, expr: Any, symbol: Any, solution: Any, others: Sequence[Any],
                        options: dict) -> Any:
    """A verdict that ``expr`` (a consequence with ``symbol = solution`` of a condition substituted) is not zero at
    a point of the conditions: where the solution is real and the ``others`` imposed before (each ``c = 0``) do not
    fail. ``verdict`` itself, or one at other random points; None when none is found (a solution ``sigma =
    sqrt(S/n)`` at a negative S, or a point where mu is not the mean another row set it to, is no such point)."""
    if verdict or verdict.kind is not VerdictKind.NOT_EQUIVALENT:
        return None
    for seed in _RETRY_SEEDS:
        if seed:
            verdict = decide(expr, 0, **{**options, "seed": seed})
            if verdict or verdict.kind is not VerdictKind.NOT_EQUIVALENT:
                return None
        if _real_at(solution, verdict.counterexample) and not _fails_another(others, symbol, solution,
                                                                               verdict.counterexample):
            return verdict
    return None


def _fails_another(others: Sequence[Any], symbol: Any, solution: Any, counterexample: Any) -> bool:
    """Whether one of the other conditions is evaluable at the counterexample (with the solution) and not zero
    there; a condition with names the point leaves free is not (they can be chosen to satisfy it)."""
    point = dict(counterexample.point)
    try:
        point[symbol] = sp.sympify(solution).xreplace(point).doit().xreplace(point)
        for condition in others:
            there = logs_expanded(condition).xreplace(point).doit().xreplace(point)
            if there.free_symbols or there.atoms(sp.Indexed):
                continue
            if abs(sp.N(there, 30)) > 1e-12:
                return True
    except SYMPY_FAILURES:
        return True  # not confirmed a point of every condition: no counterexample
    return False


def _real_at(value: Any, counterexample: Any) -> bool:
    """Whether a value is real at a counterexample; names the point leaves free (the failing side does not depend
    on them) are set to 1, so a value real only elsewhere (``\\sqrt{S - 2}``) is not taken as real."""
    if counterexample is None:
        return False
    try:
        there = sp.sympify(value).xreplace(counterexample.point).doit()
        there = there.xreplace({free: 1 for free in there.atoms(sp.Indexed) | there.free_symbols})
        number = sp.N(there, 30)
        return bool(number.is_number) and abs(sp.im(number)) < 1e-20
    except SYMPY_FAILURES:
        return False


def logs_expanded(expr: Any) -> Any:
    """``expr`` with its derivatives done, ``log prod_i f_i = sum_i log f_i`` and logs of products and powers
    expanded, sums split: the form in which the conditions of a log-likelihood are solved, and their consequences
    evaluated at the solutions (the log of a closed-form likelihood, differentiated as written, took 8 s a point)."""
    summed = expr.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.Product),
                          lambda e: sp.Sum(sp.log(e.args[0].function), *e.args[0].limits))
    return sp.expand(split_sums(sp.expand_log(summed.doit(), force=True)))
