r"""An equation right after a gradient: the gradient set to zero, solved or rearranged.

Notes derive a gradient, say "setting it to zero" in words, and write the solution on the next rows:

    \nabla_w \|Xw - y\|^2 = 2X^\top(Xw - y)        (then, in prose, "at 0 derivative")
    X^\top X w = X^\top y
    w = (X^\top X)^{-1} X^\top y

Neither row is an identity, and no chain ended in ``= 0``: read as identities, both would be wrong. Here an
equation that starts a chain within a few lines of a chain about a gradient (its first side differentiates, or is
a vector expression) is checked against that chain's value G, as the condition G = 0 the prose imposes, never by
recognising the formula (a row with a zero side is that condition itself, and a row that differentiates is a
claim about derivatives: both are left to the other checks):

- ``v = s`` (or ``\hat v = s`` for a parameter v of G) holds when substituting s for v zeroes G (symbolically
  or at random points of every other name: a claimed point must zero the stated gradient);
- an equation in the names of G holds when it is G = 0 times a nonzero number (or a positive factor).

Otherwise this module says nothing and the row is checked as before: a row that does not solve G = 0 may set
something else to zero, so it is never called wrong here.

>>> import sympy as sp
>>> mu, x = sp.symbols("mu x", real=True)
>>> zero_claimed(sp.Symbol("mu_hat", real=True), x, 2 * (x - mu), frozenset({mu}))
mu
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.checker.condition_steps import _common_factor, estimated_name
from symml.checker.decide import decide
from symml.checker.failures import SYMPY_FAILURES
from symml.checker.implications import nonvanishing_ratio
from symml.errors import SymmlError

__all__ = ["zero_of_the_previous_value", "zero_claimed"]

#: How far (in lines) the equation may be from the end of the chain it sets to zero: the prose in between.
_NEAR = 6


def zero_of_the_previous_value(item: Any, left: Any, right: Any, math: Any, state: Any, head: Any,
                               options: dict) -> Any:
    """The check of an equation that starts a chain as the solution of the previous chain's value = 0 (see the
    module docstring), or None when it is not one; ``head`` is the first side of the previous chain (what an
    estimator's name may be a zero in: ``\\hat\\mu`` after ``\\partial \\ell / \\partial \\mu``)."""
    from symml.checker.steps import StepCheck, StepStatus  # steps dispatches here

    previous, label = state.value, state.value_label
    if item.left is None or item.relation != "=" or not _near(label, item.label) or not isinstance(previous, sp.Basic)\
            or previous == 0 or (state.condition is not None and state.condition[2] == label):
        return None
    if not all(isinstance(side, sp.Basic) for side in (left, right)) or left == 0 or right == 0 \
            or any(side.has(sp.Derivative) for side in (item.left, item.right)) or not _a_gradient(head, previous):
        return None  # "= 0" is the condition itself; a row about derivatives is a claim, not a solution
    try:
        found = _zeroes(left, right, previous, _differentiated(head), options)
    except SymmlError:
        return None
    except SYMPY_FAILURES:
        return None
    if found is None:
        return None
    state.value_before, state.value_before_label = previous, label
    state.value, state.value_label = right, item.label
    state.condition = (left, right, item.label)  # the rows after it are checked against it
    return StepCheck(item.label, StepStatus.HOLDS, math, f"{found} (the value of {label} set to zero)")


def zero_claimed(name: Any, value: Any, gradient: Any, differentiated: frozenset = frozenset(), **options: Any) -> Any:
    """The symbol of ``gradient`` that ``name = value`` gives a value to (``mu`` for ``mu_hat`` when the gradient
    is by ``mu``), when the value zeroes the gradient; else None."""
    symbol = _variable(name, gradient, differentiated)
    if symbol is None or value.has(symbol) or not gradient.has(symbol):
        return None
    at_value = gradient.xreplace({symbol: value})
    return symbol if decide(at_value, _zero_like(gradient), **options) else None


def _zeroes(left: Any, right: Any, previous: Any, differentiated: frozenset, options: dict) -> str | None:
    for name, value in ((left, right), (right, left)):
        symbol = zero_claimed(name, value, previous, differentiated, **options)
        if symbol is not None:
            return f"{name} = {value} zeroes it"
    now = left - right
    if isinstance(previous, sp.MatrixExpr) != isinstance(now, sp.MatrixExpr) or not (
            now.free_symbols & previous.free_symbols):
        return None
    if isinstance(now, sp.MatrixExpr):
        if now.shape != previous.shape:
            return None
        factor = _common_factor(now, previous)
    else:
        factor = nonvanishing_ratio(now, previous)
    if factor is None or not decide(now, factor * previous, **options):
        return None
    return "its equation rearranged" + ("" if factor == 1 else f", times {factor}")


def _variable(name: Any, gradient: Any, differentiated: frozenset) -> Any:
    """The name itself when the gradient is written with it, else the variable of differentiation an estimator's
    name estimates (``\\hat y = Xw`` after a gradient by w defines y hat, it is no zero of it)."""
    if not isinstance(name, (sp.Symbol, sp.MatrixSymbol)):
        return None
    if gradient.has(name):
        return name
    estimated = estimated_name(name)
    return next((s for s in differentiated if str(s) == estimated and gradient.has(s)), None)


def _a_gradient(head: Any, value: Any) -> bool:
    """Whether a chain is about a gradient: its first side differentiates, or (a gradient by a declared vector is
    derived as it is read) it is a vector expression, not a name being defined."""
    if _differentiated(head):
        return True
    return isinstance(value, sp.MatrixExpr) and value.shape[1] == 1 and isinstance(head, sp.MatrixExpr) \
        and not isinstance(head, sp.MatrixSymbol)


def _differentiated(head: Any) -> frozenset:
    """The variables the first side of a chain differentiates by."""
    if not isinstance(head, sp.Basic):
        return frozenset()
    return frozenset(v for derivative in head.atoms(sp.Derivative) for v, _ in derivative.variable_count)


def _zero_like(expr: Any) -> Any:
    return sp.ZeroMatrix(*expr.shape) if isinstance(expr, sp.MatrixExpr) else sp.Integer(0)


def _near(earlier: str, later: str) -> bool:
    first, second = (label.rsplit(" ", 1)[-1] for label in (earlier, later))
    return first.isdigit() and second.isdigit() and 0 < int(second) - int(first) <= _NEAR
