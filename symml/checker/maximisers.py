r"""Chains of maximisers: ``\hat y = \argmax_y P(y \mid x) = \argmax_y P(x \mid y) P(y)``.

Each link of such a chain says that two objectives have the same maximiser (or minimiser) in the variable under
the operator, not that they are equal. A link holds when the second objective is the first up to what does not
move a maximiser: a positive factor and an added term free of the variable, or a logarithm (a strictly
increasing map, of an objective SymPy shows positive) — shown by the derivatives in the variable: ``d g / dv = c
d h(f) / dv`` with ``h`` the identity or the logarithm and ``c`` a positive constant free of v (1, or shown
positive by SymPy). Nothing else is tried,
so a link is never reported wrong: two objectives with different maximisers, or with a maximiser the notes
change in words (a flat prior), leave it undecided. An objective that depends on the variable only through names
subscripted by it (``\mu_c``, ``\pi_c``: read as names of their own) is not compared at all.

The first member of a chain (``\hat y = \argmax_y ...``) names the maximiser: a definition, not a claim. The
operators are read as notes write them: ``\argmax_y``, ``\arg\max_y``, ``\mathop{\arg\max}_c``,
``\operatorname*{argmax}_\theta``, ``\text{argmax}_\theta``, ``\underset{\theta}{\text{argmax}}``, ``argmax_y``,
and the same with min; a subscript ``y \in Y`` names the variable y.

>>> maximiser(r"\arg\max_{y \in Y} P(y)")
('max', 'y', 'P(y)')
>>> [m is not None for m in maximiser_chain(r"\hat y = \argmax_y f(y) = \argmax_y 2 f(y)")]
[False, True, True]
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.checker.decide import decide
from symml.checker.failures import SYMPY_FAILURES
from symml.checker.parse_latex import parse_latex
from symml.checker.step_reports import Item
from symml.checker.verdict import Verdict, VerdictKind
from symml.checker.vocabulary import Namespace
from symml.errors import ParseError, SymmlError

__all__ = ["maximiser", "maximiser_chain", "maximiser_items", "same_maximiser", "RELATIONS"]

#: The relations of the items a chain of maximisers gives: "the same argmax", "the same argmin".
RELATIONS = {"max": "argmax", "min": "argmin"}

_KIND = r"(max|min)"
#: The operator before its subscript: (max|min) in one of its spellings.
_OPERATOR = re.compile(
    r"\s*(?:\\mathop\s*\{\s*\\arg\s*\\" + _KIND + r"\s*\}"
    r"|\\operatorname\*?\s*\{\s*arg\s*\\?,?\s*" + _KIND + r"\s*\}"
    r"|\\(?:text|mathrm|textrm|mathop)\s*\{\s*arg\s*\\?,?\s*" + _KIND + r"\s*\}"
    r"|\\arg\s*\\" + _KIND + r"(?![A-Za-z])"
    r"|\\arg" + _KIND + r"(?![A-Za-z])"
    r"|arg\s*" + _KIND + r"(?![A-Za-z]))"
    r"\s*(?:\\limits\s*)?_\s*(\{(?:[^{}]|\{[^{}]*\})*\}|\\[A-Za-z]+|[A-Za-z])")
#: ``\underset{\theta}{\text{argmax}}``: the variable under the operator.
_UNDERSET = re.compile(r"\s*\\underset\s*(\{(?:[^{}]|\{[^{}]*\})*\})\s*\{\s*(?:\\(?:text|mathrm|operatorname)\s*\{)?"
                       r"\s*\\?arg\s*\\?,?\s*" + _KIND + r"\s*\}?\s*\}")


def maximiser(member: str) -> tuple[str, str, str] | None:
    """``(kind, variable, objective)`` of a member written as argmax or argmin over one variable (kind "max" or
    "min", the variable and objective as LaTeX), else None (also for several variables: ``\\arg\\min_{w, b}``)."""
    match = _UNDERSET.match(member)
    if match is not None:
        variable, kind = match.group(1), match.group(2)
    else:
        match = _OPERATOR.match(member)
        if match is None:
            return None
        kind = next(group for group in match.groups()[:6] if group)
        variable = match.group(7)
    variable = re.split(r"\\in(?![A-Za-z])", variable.strip("{} "))[0].strip()
    objective = member[match.end():].strip()
    if not variable or "," in variable or not objective:
        return None
    return kind, variable, objective


def maximiser_chain(claim: str) -> list[tuple[str, str, str] | None] | None:
    """The members of a row that is a chain of maximisers (``\\hat y = \\argmax_y f = \\argmax_y g``, or a row
    ``= \\argmax_y g`` continuing one): each member's :func:`maximiser`, None for the name the first member
    gives (or for the empty start of a continuing row). None when the row is not such a chain."""
    members = _top_level_members(claim)
    read = [maximiser(member) for member in members]
    if len(members) < 2 or not any(read) or not all(read[1:]):
        return None
    return read


def maximiser_items(chain: list[tuple[str, str, str] | None], before: tuple[str, str, str] | None, label: str,
                    namespace: Namespace) -> list[Item]:
    """The items of a row that is a chain of maximisers (:func:`maximiser_chain`), ``before`` the last member of
    the row before it when the row starts with "=" (None if that row was not a chain of maximisers): the name a
    chain starts with is declared; each link between two maximisers is an item relating ``(variable,
    objective)`` pairs by "argmax" or "argmin"."""
    items: list[Item] = []
    head, rest = chain[0], [member for member in chain[1:] if member is not None]
    if head is None and before is None:  # \hat y = \argmax ...: the name of the maximiser
        items.append(Item(None, None, "declares", label, note="declares the maximiser it names"))
    start = head if head is not None else before
    members = ([start] if start is not None else []) + rest
    for first, second in zip(members, members[1:]):
        doubts = list(namespace.doubts)
        try:
            (variable, *_), (objective, *_), (other, *_), (same, *_) = (
                [side for _, side in parse_latex(text, namespace)] for text in (first[1], first[2], second[2], second[1]))
        except ParseError as error:
            items.append(Item(None, None, "", label, note=f"could not read: {error}"))
            continue
        finally:
            guesses = tuple(namespace.doubts)
            namespace.doubts[:] = doubts
        if first[0] != second[0] or same != variable:
            items.append(Item(None, None, "", label, note="could not read: the maximisers are over different "
                              "variables or of different kinds"))
            continue
        items.append(Item(sp.Tuple(variable, objective), sp.Tuple(variable, other), RELATIONS[first[0]], label,
                          doubts=guesses))
    return items


def same_maximiser(kind: str, variable: Any, first: Any, second: Any, **options: Any) -> Verdict:
    """Whether ``first`` and ``second`` have the same arg``kind`` in ``variable`` (see the module docstring): an
    equivalent verdict saying why, or an undecided one (never a counterexample)."""
    def undecided(reason: str) -> Verdict:
        return Verdict(VerdictKind.UNDECIDED, first, second, reason=f"a statement about arg{kind}ima in {variable}: "
                       f"{reason}; symml does not compare maximisers otherwise")

    carries = re.compile(rf"[_^(]\{{?{re.escape(str(variable))}(?![A-Za-z0-9])")  # mu_c, Q_c, theta^(c)
    names = {str(s) for side in (first, second) for s in side.free_symbols} | {
        str(f.func) for side in (first, second) for f in side.atoms(AppliedUndef)}
    hidden = sorted(name for name in names if carries.search(name))
    if hidden:
        return undecided(f"the objectives depend on {variable} through {', '.join(hidden)}, names of their own")
    if not all(side.has(variable) for side in (first, second)):
        return undecided(f"an objective as read does not depend on {variable}")
    try:
        for name, transform in (("", lambda e: e), ("the logarithm of ", sp.log)):
            for a, b in ((first, second), (second, first)):
                if name and not a.is_positive:  # log f is increasing in f only where f > 0
                    continue
                related = _related(transform(a), b, variable, options)
                if related is not None:
                    reason, verdict = related
                    method = f"{verdict.method}: {reason} {name}the other, free of {variable}, so arg{kind} is the same"
                    return Verdict(verdict.kind, first, second, method=method, points=verdict.points,
                                   assumptions=verdict.assumptions)
    except SymmlError:
        return undecided("comparing the objectives failed")
    except SYMPY_FAILURES:
        return undecided("comparing the objectives failed")
    return undecided("the objectives are not shown to differ by a positive factor, an added term or a logarithm")


def _related(reference: Any, other: Any, variable: Any, options: dict) -> tuple[str, Verdict] | None:
    """How ``other`` is ``reference`` up to an increasing affine map free of ``variable`` (by their derivatives
    in it) and the verdict that shows it, or None."""
    by_reference, by_other = sp.Derivative(reference, variable), sp.Derivative(other, variable)
    verdict = decide(by_other, by_reference, **options)
    if verdict:
        return "one objective differs by a term from", verdict
    ratio = sp.cancel(sp.together(by_other.doit() / by_reference.doit()))
    if ratio.has(variable) or not ratio.is_positive:
        return None
    verdict = decide(by_other, ratio * by_reference, **options)
    return (f"one objective is {ratio} times (plus a term)", verdict) if verdict else None


def _top_level_members(claim: str) -> list[str]:
    """The members of a chain of equalities, split at the "=" outside braces and brackets."""
    members, depth, start = [], 0, 0
    for position, character in enumerate(claim):
        depth += {"{": 1, "}": -1, "(": 1, ")": -1, "[": 1, "]": -1}.get(character, 0)
        if character == "=" and depth == 0 and claim[position - 1:position] not in ("<", ">", "!", ":"):
            members.append(claim[start:position])
            start = position + 1
    members.append(claim[start:])
    return [member.strip() for member in members]
