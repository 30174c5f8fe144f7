r"""Steps typed without prose: a typed claim states all that it uses.

In notes, the prose around a step may state what the step uses (a substitution, a law, independence), so the
checker leaves such a step unchecked or undecided rather than wrong. Steps typed for :func:`symml.check_steps`
have no prose around them, so three of those excuses do not apply:

- sides that differ at a point are wrong even when they use different names (``\frac{\partial}{\partial b}
  \sum_i \alpha_i y_i b = \sum_i \alpha_i``: nothing the user wrote substitutes one name for another);
- a step about probabilities of events or expectations under no named law, undecided because it holds only for
  particular laws, is refuted by a random finite law where it fails (:mod:`symml.checker.finite_laws`), as a lone
  claim typed for :func:`symml.check` is;
- a bound between such expectations likewise (``\log \mathbb{E}[A] \le \mathbb{E}[\log A]``, Jensen's
  inequality reversed, fails for a law of A with three values): the bound is checked under the finite law.

A step read with a guess is still never reported wrong (the caller applies that rule after this one).

>>> import symml
>>> symml.check_steps([r"\log\mathbb{E}_q[A] \le \mathbb{E}_q[\log A]"]).first_wrong.status.value
'wrong'
"""
from __future__ import annotations

import functools
from typing import Any

import sympy as sp

from symml.checker.decide import decide
from symml.checker.finite_laws import refuted_by_a_finite_law, refuted_under, under_a_finite_law
from symml.checker.inequalities import check_bound
from symml.checker.step_reports import StepCheck, StepStatus
from symml.checker.verdict import VerdictKind

__all__ = ["without_prose"]

#: The bound relations as SymPy writes them, in the readers' symbols.
_BOUNDS = {sp.Le: "≤", sp.Lt: "<", sp.Ge: "≥", sp.Gt: ">"}
#: The start of the note of a step whose sides differ only as a substitution made in the prose would explain.
SUBSTITUTION = "the sides use different names"


def without_prose(check: StepCheck, options: dict) -> StepCheck:
    """The check of a typed step, with the excuses that only prose could justify withdrawn (see the module
    docstring)."""
    verdict = check.verdict
    if check.status is StepStatus.UNCHECKED and check.note.startswith(SUBSTITUTION) and verdict is not None \
            and verdict.kind is VerdictKind.NOT_EQUIVALENT and verdict.counterexample is not None:
        return StepCheck(check.label, StepStatus.WRONG, check.math, "is not an identity (a typed step has no prose "
                         "that could substitute one name for another)", verdict)
    if check.status is StepStatus.UNDECIDED and verdict is not None:
        refuted = refuted_by_a_finite_law(verdict.left, verdict.right, functools.partial(decide, **options))
        if refuted is not None:
            return StepCheck(check.label, StepStatus.WRONG, check.math, "fails under a law of its random variables "
                             "(the step names none, so it claims every law)", refuted)
    relation = _BOUNDS.get(type(check.math))
    if check.status is StepStatus.UNCHECKED and relation is not None:
        return _bound_under_a_finite_law(check, relation, options) or check
    return check


def _bound_under_a_finite_law(check: StepCheck, relation: str, options: dict) -> StepCheck | None:
    """The bound of a typed step checked under a random finite law of its random variables: wrong where it fails
    there, else None (a bound that holds under one law is not thereby proved)."""
    left, right = check.math.lhs, check.math.rhs
    under = under_a_finite_law(left, right)
    if under is None:
        return None
    concrete_left, concrete_right, law = under
    found = check_bound(concrete_left, concrete_right, relation, points=options.get("points", 8),
                        seed=options.get("seed", 0), ranges=options.get("ranges"))
    if found.holds is not False or found.verdict is None or found.verdict.counterexample is None:
        return None
    verdict = refuted_under(law, "a random finite law", left, right, found.verdict)
    return StepCheck(check.label, StepStatus.WRONG, check.math, "the bound fails under a law of its random "
                     "variables (the step names none, so it claims every law)", verdict)
