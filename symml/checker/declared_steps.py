r"""What the steps given to :func:`~symml.checker.steps.check_steps` say beside their claims.

Declarations among the steps given to :func:`~symml.checker.steps.check_steps`, read as in notes.

``check_steps([r"\mathbf{w} \in \mathbb{R}^d", r"\nabla_{\mathbf{w}} \frac{1}{2}\mathbf{w}^\top\mathbf{w} =
\mathbf{w}"])``: the first step says where w lives. It is no claim (the reader refused ``\in``); it makes w a
vector, so the steps after it are checked at matrix level, and ``X \sim \mathcal{N}(\mu, \sigma^2)`` names a law
the expectations after it use. A step is a declaration exactly when a notes row would be one.
"""
from __future__ import annotations

from typing import Any, Sequence

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.budget import within
from symml.checker.failures import SYMPY_FAILURES
from symml.errors import BudgetExceededError

from symml.checker.declared_laws import declare_law
from symml.checker.matrix_notation import declare_matrices
from symml.checker.vocabulary import Namespace

__all__ = ["declarations", "held_partially", "names_after_differentiating"]


def declarations(steps: Sequence[Any], names: Namespace) -> dict[int, str]:
    """The declaring steps (numbered from 1) and what each declares; their vectors, matrices and laws are put in
    ``names``."""
    from symml.checker.notes import _declaration  # notes -> steps -> here: imported when used

    declared = {number: _declaration(step) for number, step in enumerate(steps, start=1) if isinstance(step, str)}
    declared = {number: what for number, what in declared.items() if what}
    if declared:
        declare_matrices(" ".join(steps[number - 1] for number in declared), names)
        for number in declared:
            declare_law(steps[number - 1], names)
    return declared


def held_partially(derivative: Any, definitions: dict[str, tuple[tuple, Any]]) -> bool:
    r"""Whether ``derivative`` is the partial derivative of a function the steps defined of several arguments,
    written with the one it varies: ``\frac{\partial L}{\partial \lambda}`` after ``L(x, y, \lambda) = ...``
    reads ``d L(\lambda) / d\lambda``, which is L with x and y held (its definition as it stands), when the
    definition uses that argument (else L may depend on it through names it does not write)."""
    if not isinstance(derivative, sp.Derivative):
        return False
    function = derivative.expr
    if not (isinstance(function, AppliedUndef) and len(function.args) == 1
            and derivative.variables == function.args):
        return False
    arguments, body = definitions.get(str(function.func), ((), None))
    return len(arguments) > 1 and function.args[0] in arguments and function.args[0] in body.free_symbols


def names_after_differentiating(expr: Any) -> Any:
    """``expr`` with its derivatives taken (briefly), so that the names a derivative removes (y in
    ``\\partial_x (x + y)``) do not count as names the side uses; ``expr`` itself past the budget."""
    if not expr.has(sp.Derivative):
        return expr
    try:
        return within(1.0, "the names of a derivative", lambda: expr.replace(
            lambda e: isinstance(e, sp.Derivative), lambda e: e.doit()))
    except BudgetExceededError:
        return expr
    except SYMPY_FAILURES:
        return expr
