r"""A name defined by a chain: ``L(\mu, \sigma; x) = \prod_i f_{X_i}(x_i) = \prod_i (\text{density}) = (\text{closed
form})``. Every member of the chain names the same value, so a later use of the name may take the most explicit one:
the last member whose names all mean something outside it, being the name's arguments or names another member of
the chain also uses. A member with a name of its own (``f`` and ``X`` in ``f X_i(x_i)``, read as letters, or a
matrix ``C`` the last member introduces) is opaque: replacing the name by it would leave every later step with names
it cannot relate ("a substitution symml cannot see").

The members are the notes' own claims, not derived ones; when a step of the chain does not hold or cannot be decided,
which member the name stands for is a guess, recorded as a doubt, so that a step using it is never reported wrong.

>>> import sympy as sp
>>> f, X, x, mu = sp.symbols("f X x mu")
>>> explicit_member([f * X * x, (x - mu) ** 2, x ** 2 - 2 * x * mu + mu ** 2], (mu, x))
2
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import sympy as sp
from sympy.core.function import AppliedUndef

__all__ = ["DefinitionChain", "explicit_member", "follow_definition"]


@dataclass
class DefinitionChain:
    """The chain of a definition so far: the defined name, its arguments, its members (expanded, in order), the
    guesses behind reading each member, and the labels of its steps that did not hold or were undecided."""

    name: str
    arguments: tuple[Any, ...]
    members: list[Any] = field(default_factory=list)
    doubts: list[tuple[str, ...]] = field(default_factory=list)
    slips: list[str] = field(default_factory=list)


def follow_definition(state: Any, item: Any, status: str, defined: str | None) -> None:
    """After each step: start the chain of a definition (``defined`` names what the step defined), or add the
    member the step brought to it and define the name by the most explicit member; any other step ends it."""
    if defined is not None and defined in state.definitions:
        arguments, body = state.definitions[defined]
        state.defining = DefinitionChain(defined, arguments, [body], [state.definition_doubts.get(defined, ())])
        return
    chain = state.defining
    if chain is None or item.left is not None or item.fresh or item.right is None \
            or chain.name not in state.definitions:
        state.defining = None
        return
    member = state.expand(item.right)
    if not isinstance(member, sp.Basic) or chain.name in _names(member):
        state.defining = None
        return
    chain.members.append(member)
    chain.doubts.append(item.doubts + state.inherited_doubts(item.right))
    if status in ("wrong", "undecided"):
        chain.slips.append(item.label)
    chosen = explicit_member(chain.members, chain.arguments)
    if chosen == 0:
        return
    state.definitions[chain.name] = (chain.arguments, chain.members[chosen])
    # the guesses behind reading the member now used; those behind the opaque first member no longer apply
    doubts = chain.doubts[chosen]
    if chain.slips:
        doubts += (f"the chain that defines {chain.name} has a step that does not hold or was not decided "
                   f"({', '.join(chain.slips)}): which of its members {chain.name} stands for is a guess",)
    state.definition_doubts[chain.name] = tuple(dict.fromkeys(doubts))


def explicit_member(members: Sequence[Any], arguments: Sequence[Any]) -> int:
    """The position of the last member whose names are arguments or used by another member (0 if none is)."""
    names = [_names(member) for member in members]
    known = set().union(*(_argument_names(argument) for argument in arguments))
    for index in range(len(members) - 1, -1, -1):
        elsewhere = set().union(*(other for position, other in enumerate(names) if position != index))
        if names[index] <= known | elsewhere:
            return index
    return 0


def _names(expr: Any) -> set[str]:
    """The names of an expression: free symbols that are not integers (sizes, indices), data (x in x_i) and
    functions (p in p(x))."""
    bound = {limit[0] for operator in expr.atoms(sp.Sum, sp.Product) for limit in operator.limits}
    labels = {indexed.base.label for indexed in expr.atoms(sp.Indexed)}
    names = {str(s) for s in expr.free_symbols - bound - labels if not s.is_integer}
    names |= {str(indexed.base) for indexed in expr.atoms(sp.Indexed)}
    return names | {str(applied.func) for applied in expr.atoms(AppliedUndef)}


def _argument_names(argument: Any) -> set[str]:
    return _names(argument) if isinstance(argument, sp.Basic) else {str(argument)}

