r"""Equal up to an additive constant: ``+ C``, ``+ C_2``, ``+ \text{const}``.

Derivations of posteriors and variational factors keep only what depends on the variable of interest and call the
rest a constant: ``\ln q(\mu) = -\frac{\mathbb{E}[\tau]}{2} \sum_n (x_n - \mu)^2 + C_3``, the next row renaming it
``C_4`` after absorbing a term free of mu. Such a row is neither an identity nor a condition: it holds when the two
sides, their constants taken away, differ by an amount that does not depend on the variable of interest (the
argument of the function the chain starts from: mu in ``\ln q(\mu)``, w in ``\ln p(\mathbf{w} \mid D)``). A
difference that does depend on it is left to the other stages (never reported wrong here): the notes may hold
more fixed than symml knows.

>>> import sympy as sp
>>> mu, x, a, C_2, C_3 = sp.symbols("mu x a C_2 C_3", real=True)
>>> up_to_constant(-(x - mu)**2 / 2 + C_2, -mu**2 / 2 + x*mu + C_3, [mu]).kind.value
'Equivalent up to an additive constant'
>>> up_to_constant(-(x - mu)**2 / 2 + C_2, -mu**2 / 2 + C_3, [mu]) is None
True
"""
from __future__ import annotations

import re
from typing import Any, Iterable

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.checker.decide import decide
from symml.checker.verdict import Verdict, VerdictKind

__all__ = ["CONSTANT_WORD", "up_to_constant", "variables_of_interest"]

#: A constant written in words, ``\text{const.}``, ``\mathrm{constant}``: read as the name const.
CONSTANT_WORD = re.compile(r"\\(?:text|textrm|mathrm|operatorname)\s*\{\s*const(?:ant)?\.?\s*\}\.?")
#: The names notes give an additive constant.
_CONSTANT = re.compile(r"(?:C|const|constant)(?:_\w+)?")


def _constants(expr: Any) -> set[Any]:
    """The constants among the terms of a sum (``C_3`` in ``f(mu) + C_3``)."""
    if not isinstance(expr, sp.Basic):
        return set()
    return {term for term in sp.Add.make_args(expr)
            if isinstance(term, sp.Symbol) and _CONSTANT.fullmatch(term.name)}


def variables_of_interest(head: Any) -> list[Any]:
    """The variables a chain is a function of: the first argument of each function its first side applies
    (``mu`` in ``\\ln q(\\mu)``, ``w`` in ``\\ln p(w \\mid D)``), if a name."""
    if not isinstance(head, sp.Basic):
        return []
    found = {application.args[0] for application in head.atoms(AppliedUndef) if application.args}
    return sorted((v for v in found if isinstance(v, (sp.Symbol, sp.MatrixSymbol))), key=str)


def up_to_constant(before: Any, after: Any, variables: Iterable[Any], **options: Any) -> Verdict | None:
    """A verdict that ``before`` and ``after`` are equal up to their additive constants (see the module
    docstring), or None when they write none, or when the difference depends on a variable of interest or
    cannot be shown not to."""
    constants = _constants(before) | _constants(after)
    variables = list(variables)
    if not constants or not variables:
        return None
    stripped = [sp.sympify(side).xreplace({c: 0 for c in constants}) for side in (before, after)]
    if any(side.has(*constants) for side in stripped):  # C inside a product: not an additive constant
        return None
    difference = stripped[0] - stripped[1]
    for variable in variables:
        if not decide(sp.Derivative(difference, variable), 0, **options):
            return None
    names = ", ".join(map(str, variables))
    return Verdict(VerdictKind.EQUIVALENT_UP_TO_CONSTANT, before, after,
                   method=f"the sides without their constants differ by a term free of {names}")
