r"""A typed claim about expectations under no named law is refuted by one law where it fails.

``\mathbb{E}[XY] = \mathbb{E}[X]\mathbb{E}[Y]``, ``\mathrm{Var}(X + Y) = \mathrm{Var}(X) + \mathrm{Var}(Y)``,
``\mathbb{E}[\log X] = \log \mathbb{E}[X]``: read as opaque expectations (:mod:`symml.checker.expectations`),
they hold only for particular laws, and the checker left them undecided. A claim typed on its own, with no law
named and no prose around it, states an identity for every law of its random variables; a law where it fails is
a counterexample. The law tried is a random finite one: three outcomes with random positive probabilities, each
random variable a random positive value at each (a law of positive variables, so that ``\log X`` has a value; a
claim that fails for one fails). Every expectation becomes the weighted sum over the outcomes, and the claim,
now in its constants alone (``a``, ``\mu``), is decided as usual; a true identity holds for this law as for any.
Probabilities of events (``P(A \mid B) = P(B \mid A) P(B) / P(A)``, :mod:`symml.checker.events`) likewise: a random
joint law of the variables, each with two values (the one the claim writes and another), gives every
probability the claim writes as a sum of its cells.

Only for :func:`symml.check` of one claim: in notes, the prose may state what the step uses (independence, a
law), so an expectation that needs more than linearity stays undecided there.

>>> import sympy as sp
>>> from symml.checker.expectations import expectation_operator
>>> from symml.checker.decide import decide
>>> E, X, Y = expectation_operator(""), sp.Symbol("X_", real=True), sp.Symbol("Y_", real=True)
>>> refuted_by_a_finite_law(E(X * Y), E(X) * E(Y), decide).kind.value
'Not equivalent'
>>> refuted_by_a_finite_law(E(X + Y), E(X) + E(Y), decide) is None
True
>>> from symml.checker.parse_latex import parse_latex
>>> (_, bayes), (_, swapped) = parse_latex(r"P(A \mid B) = \frac{P(B \mid A) P(B)}{P(A)}")
>>> refuted_by_a_finite_law(bayes, swapped, decide).kind.value
'Not equivalent'
"""
from __future__ import annotations

import itertools
import random
from typing import Any, Callable

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.checker.expectations import is_expectation
from symml.checker.verdict import Counterexample, Verdict, VerdictKind

__all__ = ["refuted_by_a_finite_law"]

#: Outcomes of the finite law.
OUTCOMES = 3


def refuted_by_a_finite_law(left: Any, right: Any, decide_sides: Callable[[Any, Any], Verdict],
                            seed: int = 0) -> Verdict | None:
    """A wrong verdict, with the law in its counterexample, when the claim fails under a random finite law of
    its random variables; None when it holds there or is not a claim about expectations (or probabilities of
    events) alone."""
    sides = [side for side in (left, right) if isinstance(side, sp.Basic)]
    applications = {a for side in sides for a in side.atoms(AppliedUndef)}
    if applications and all(_variables_of_event(a) for a in applications):
        return _under_a_joint_law(left, right, applications, decide_sides, seed)
    if not applications or not all(is_expectation(a) and len(a.args) == 1 for a in applications):
        return None
    variables = sorted({s for a in applications for s in a.args[0].free_symbols if s.name.endswith("_")}, key=str)
    if not variables or any(not v.is_real or v.is_integer for v in variables):
        return None
    rng = random.Random(f"finite law/{seed}")
    laws = sorted({a.func for a in applications}, key=str)
    weights = {law: _probabilities(rng) for law in laws}
    values = {v: [sp.Rational(rng.randint(2, 40), 10) for _ in range(OUTCOMES)] for v in variables}

    def under_law(application: AppliedUndef) -> Any:
        return sp.Add(*[weight * application.args[0].xreplace({v: values[v][o] for v in variables})
                        for o, weight in enumerate(weights[application.func])])

    concrete = {a: under_law(a) for a in applications}
    verdict = decide_sides(sp.sympify(left).xreplace(concrete), sp.sympify(right).xreplace(concrete))
    if verdict.kind is not VerdictKind.NOT_EQUIVALENT or verdict.counterexample is None:
        return None
    law = tuple((sp.Symbol(f"{law}: P(outcome {o + 1})"), weight) for law in laws
                for o, weight in enumerate(weights[law])) + tuple(
        (sp.Symbol(f"{v.name.rstrip('_')}(outcome {o + 1})"), value) for v in variables
        for o, value in enumerate(values[v]))
    return _refuted_under(law, f"a random law of {OUTCOMES} outcomes", left, right, verdict)


def _refuted_under(law: tuple[tuple[Any, Any], ...], what: str, left: Any, right: Any, verdict: Verdict) -> Verdict:
    """The wrong verdict on the claim, with the law that refutes it before the point of ``verdict``."""
    found = verdict.counterexample
    assert found is not None
    return Verdict(VerdictKind.NOT_EQUIVALENT, left, right, method=f"{what}, then {verdict.method}",
                   points=verdict.points, assumptions=verdict.assumptions,
                   counterexample=Counterexample(law + found.values, found.left, found.right, found.difference),
                   notes=(*verdict.notes, "the claim names no law: it fails for the finite law in the counterexample"))


def _variables_of_event(application: AppliedUndef) -> tuple[str, ...]:
    """The variables of a probability of events ``P[A,B](a, b)`` without parameters or indices; else empty."""
    name = str(application.func)
    if not (name.startswith("P[") and name.endswith("]")) or not application.is_positive:
        return ()
    variables = tuple(name[2:-1].split(","))
    if any(v.endswith("_") or not v for v in variables) or len(variables) != len(application.args):
        return ()
    return variables


def _under_a_joint_law(left: Any, right: Any, applications: set[AppliedUndef],
                       decide_sides: Callable[[Any, Any], Verdict], seed: int) -> Verdict | None:
    """The claim under a random joint law of its variables, each at the one value the claim writes or another;
    None if a variable has several values in the claim, or the claim holds under that law."""
    written: dict[str, Any] = {}
    for application in applications:
        for variable, value in zip(_variables_of_event(application), application.args):
            if written.setdefault(variable, value) != value:
                return None
    variables = sorted(written)
    if len(variables) > 4:
        return None
    rng = random.Random(f"finite joint law/{seed}")
    cells = list(itertools.product((True, False), repeat=len(variables)))  # True: the value the claim writes
    weights = [sp.Integer(rng.randint(1, 9)) for _ in cells]
    law = {cell: weight / sum(weights) for cell, weight in zip(cells, weights)}

    def probability(application: AppliedUndef) -> Any:
        fixed = [variables.index(v) for v in _variables_of_event(application)]
        return sp.Add(*[mass for cell, mass in law.items() if all(cell[i] for i in fixed)])

    concrete = {a: probability(a) for a in applications}
    verdict = decide_sides(sp.sympify(left).xreplace(concrete), sp.sympify(right).xreplace(concrete))
    if verdict.kind is not VerdictKind.NOT_EQUIVALENT or verdict.counterexample is None:
        return None
    named = tuple((sp.Symbol("P(" + ", ".join(f"{v} = {written[v]}" if at else f"{v} ≠ {written[v]}"
                                              for v, at in zip(variables, cell)) + ")"), mass)
                  for cell, mass in law.items())
    return _refuted_under(named, "a random joint law of the events", left, right, verdict)


def _probabilities(rng: random.Random) -> list[sp.Rational]:
    weights = [sp.Integer(rng.randint(1, 9)) for _ in range(OUTCOMES)]
    return [weight / sum(weights) for weight in weights]
