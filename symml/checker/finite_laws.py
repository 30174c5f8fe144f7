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

__all__ = ["refuted_by_a_finite_law", "refuted_under", "under_a_finite_law"]

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
    under = under_a_finite_law(left, right, seed)
    if under is None:
        return None
    concrete_left, concrete_right, law = under
    verdict = decide_sides(concrete_left, concrete_right)
    if verdict.kind is not VerdictKind.NOT_EQUIVALENT or verdict.counterexample is None:
        return None
    return refuted_under(law, f"a random law of {OUTCOMES} outcomes", left, right, verdict)


def under_a_finite_law(left: Any, right: Any, seed: int = 0) -> tuple[Any, Any, tuple] | None:
    """The sides with every expectation replaced by its value under a random finite law of the random variables,
    and the law (as ``(name, value)`` pairs for a counterexample); None unless the sides hold expectations of
    real random variables alone."""
    sides = [side for side in (left, right) if isinstance(side, sp.Basic)]
    applications = {a for side in sides for a in side.atoms(AppliedUndef)}
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
    law = tuple((sp.Symbol(f"{law}: P(outcome {o + 1})"), weight) for law in laws
                for o, weight in enumerate(weights[law])) + tuple(
        (sp.Symbol(f"{v.name.rstrip('_')}(outcome {o + 1})"), value) for v in variables
        for o, value in enumerate(values[v]))
    return sp.sympify(left).xreplace(concrete), sp.sympify(right).xreplace(concrete), law


def refuted_under(law: tuple[tuple[Any, Any], ...], what: str, left: Any, right: Any, verdict: Verdict) -> Verdict:
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
    """The claim under a random joint law of its variables, each at the values the claim writes or another (a sum
    over the values of a variable, ``\\sum_{j=1}^K P(Z = j)``, written out for K = 3); None if the claim holds
    under that law or cannot be put under one."""
    written_out = _sums_written_out(left, right)
    if written_out is None:
        return None
    left, right, summed = written_out
    applications = {a for side in (left, right) if isinstance(side, sp.Basic) for a in side.atoms(AppliedUndef)}
    if not applications or not all(_variables_of_event(a) for a in applications):
        return None
    values: dict[str, list[Any]] = {}
    for application in applications:
        for variable, value in zip(_variables_of_event(application), application.args):
            if value.has(sp.Sum) or value not in values.setdefault(variable, []):
                values[variable].append(value)
    variables = sorted(values)
    if len(variables) > 4 or any(len(v) > SUMMED_VALUES for v in values.values()):
        return None
    rng = random.Random(f"finite joint law/{seed}")
    other = sp.Symbol("another value")
    # a variable a sum runs over takes exactly the values summed (the sum rule): no other value
    cells = list(itertools.product(*[[*values[v], *([] if v in summed else [other])] for v in variables]))
    weights = [sp.Integer(rng.randint(1, 9)) for _ in cells]
    law = {cell: weight / sum(weights) for cell, weight in zip(cells, weights)}

    def probability(application: AppliedUndef) -> Any:
        fixed = dict(zip(_variables_of_event(application), application.args))
        return sp.Add(*[mass for cell, mass in law.items()
                        if all(cell[variables.index(v)] == value for v, value in fixed.items())])

    concrete = {a: probability(a) for a in applications}
    verdict = decide_sides(sp.sympify(left).xreplace(concrete), sp.sympify(right).xreplace(concrete))
    if verdict.kind is not VerdictKind.NOT_EQUIVALENT or verdict.counterexample is None:
        return None
    def shown(variable: str, value: Any) -> str:
        if value != other:
            return f"{variable} = {value}"
        written = values[variable]
        return f"{variable} ≠ {written[0]}" if len(written) == 1 else \
            f"{variable} ∉ {{{', '.join(map(str, written))}}}"

    named = tuple((sp.Symbol("P(" + ", ".join(shown(v, value) for v, value in zip(variables, cell)) + ")"), mass)
                  for cell, mass in law.items())
    return refuted_under(named, "a random joint law of the events", left, right, verdict)


#: How many values a variable summed over takes under the finite joint law (``\\sum_{j=1}^K``: K = 3).
SUMMED_VALUES = 3


def _sums_written_out(left: Any, right: Any) -> tuple[Any, Any, set[str]] | None:
    """The sides with each sum over the values of a variable written out for K = SUMMED_VALUES values, and a
    value of that variable the claim writes elsewhere (the k of ``P(Z = k)``) set to the first of them: the claim
    holds for every K and k, so for these. The variables summed over come third. None when a sum runs over
    anything else."""
    sums = {total for side in (left, right) if isinstance(side, sp.Basic) for total in side.atoms(sp.Sum)}
    sizes: dict[Any, Any] = {}
    values: dict[Any, Any] = {}
    summed_variables: set[str] = set()
    for total in sums:
        if len(total.limits) != 1:
            return None
        index, low, high = total.limits[0]
        summed = [a for a in total.function.atoms(AppliedUndef) if index in a.args and _variables_of_event(a)]
        if not summed or not low.is_Integer or not (high.is_Symbol and high.is_integer or high.is_Integer):
            return None
        if high.is_Symbol:
            sizes[high] = low + SUMMED_VALUES - 1
        for application in summed:
            variable = _variables_of_event(application)[application.args.index(index)]
            summed_variables.add(variable)
            for elsewhere in (a for side in (left, right) for a in side.atoms(AppliedUndef) if _variables_of_event(a)):
                for name, value in zip(_variables_of_event(elsewhere), elsewhere.args):
                    if name == variable and value.is_Symbol and value.is_integer and value != index:
                        values[value] = low
    if not sums:
        return left, right, set()
    new_left, new_right = (side.xreplace({**sizes, **values}).doit() if isinstance(side, sp.Basic) else side
                           for side in (left, right))
    return new_left, new_right, summed_variables


def _probabilities(rng: random.Random) -> list[sp.Rational]:
    weights = [sp.Integer(rng.randint(1, 9)) for _ in range(OUTCOMES)]
    return [weight / sum(weights) for weight in weights]
