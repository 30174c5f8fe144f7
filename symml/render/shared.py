"""Shared subexpressions named for printing: "H = … A₃ … where A₁ = …, A₂ = …".

A derived result is a DAG: a layer's value and its derivative reappear in every later layer's term. Printed as a
tree it grows like the square of the depth (a k-layer Hessian: 42 kB of LaTeX at k = 8); with each large
subexpression that is printed more than once given a name, and defined once, the printed size grows like the
number of distinct subexpressions (issue 17). Small repeats (σ(Xw) in σ(Xw) ⊙ (1 − σ(Xw))), and formulas that
names would not make much shorter (every derivation of the catalog: names shrink them by 4-25%, a 2-layer
Hessian by 68%), read better written out and are left as they are.

:func:`shared_names` chooses the names for a set of expressions (the lines of a whole derivation, so that a name
means the same thing in every step); :func:`definitions_reached` says which names a line uses that are not
defined yet, inner ones first, so that each definition reads only names defined before it.

>>> import sympy as sp
>>> X, w = sp.MatrixSymbol("X", 3, 3), sp.MatrixSymbol("w", 3, 1)
>>> inner = X * w + w
>>> names = shared_names([X * inner, X.T * inner], lambda node: isinstance(node, sp.MatrixExpr), size=4, shrink=1)
>>> names
{X*w + w: 'A_{1}'}
>>> definitions_reached([X * inner], names, set())
[X*w + w]
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

import sympy as sp

__all__ = ["shared_names", "definitions_reached"]

# Capital letters a name may take, in order of preference; one that the expressions use already is skipped.
_LETTERS = "ABCEFGKMPQRTUVZ"


def _children(node: sp.Basic) -> tuple:
    """The arguments that count as parts of ``node`` (a symbol is one leaf, its name and shape are not parts)."""
    if node.is_Atom or isinstance(node, sp.MatrixSymbol):
        return ()
    return tuple(a for a in node.args if isinstance(a, sp.Basic))


def _post_order(roots: Iterable[sp.Basic]) -> list[sp.Basic]:
    """The distinct nodes under ``roots``, each after all of its parts (iterative: results can be deep)."""
    order: list[sp.Basic] = []
    done: set = set()
    for root in roots:
        stack: list[tuple[sp.Basic, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            if node in done:
                continue
            if expanded:
                done.add(node)
                order.append(node)
                continue
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node) if child not in done)
    return order


def shared_names(exprs: Iterable[Any], eligible: Callable[[sp.Basic], bool], size: int = 12,
                 shrink: float = 0.5, within_a_line: bool = False) -> dict:
    """The subexpressions of ``exprs`` worth a name, each with its LaTeX name (``A_{1}``, …), numbered in the order
    they are first defined reading ``exprs`` in order (inner ones first).

    A subexpression is named when ``eligible`` accepts it, it would be printed at least twice without a name (by
    one expression of ``exprs`` if ``within_a_line``), it has at least ``size`` parts once the names inside it are
    printed as names, and it is not a whole expression (nor a side of an equation); and only if the names shrink
    what is printed to at most ``shrink`` of its size (a formula of textbook size reads better written out, even
    with a repeat).
    """
    roots = [e for e in exprs if isinstance(e, sp.Basic)]
    order = _post_order(roots)
    # a line, and each side of an equation, is printed whole: naming it would only move it to a where-block
    whole = {side for root in roots for side in (root, *(root.args if isinstance(root, sp.Rel) else ()))}
    if within_a_line:
        occurrences: dict = dict.fromkeys(order, 0)
        for root in roots:
            for node, count in _occurrences([root], _post_order([root])).items():
                occurrences[node] = max(occurrences[node], count)
    else:
        occurrences = _occurrences(roots, order)
    # candidates bottom-up: their printed size counts a candidate inside them as one part
    parts: dict = {}
    candidate: set = set()
    for node in order:
        parts[node] = 1 + sum(1 if child in candidate else parts[child] for child in _children(node))
        if occurrences[node] >= 2 and parts[node] >= size and node not in whole and eligible(node):
            candidate.add(node)
    # named where still printed twice once the names above it are: a name's definition is printed once
    printed: dict = dict.fromkeys(order, 0)
    for root in roots:
        printed[root] += 1
    named: set = set()
    for node in reversed(order):
        if node in candidate and printed[node] >= 2:
            named.add(node)
        for child in _children(node):
            printed[child] += 1 if node in named else printed[node]
    if not named or _printed_size(order, roots, named) > shrink * _printed_size(order, roots, set()):
        return {}
    letter = _free_letter(order)
    # numbered in the order they are first defined, reading the expressions in order
    in_order = definitions_reached(roots, dict.fromkeys(named), set())
    return {node: f"{letter}_{{{number}}}" for number, node in enumerate(in_order, start=1)}


def _occurrences(roots: list, order: list) -> dict:
    """How often each node of ``order`` would be printed with no names: top-down over the DAG (parents first)."""
    occurrences: dict = dict.fromkeys(order, 0)
    for root in roots:
        occurrences[root] += 1
    for node in reversed(order):
        for child in _children(node):
            occurrences[child] += occurrences[node]
    return occurrences


def _printed_size(order: list, roots: list, named: set) -> int:
    """The parts printed: each expression's, a named subexpression counted as one part, and each definition's."""
    parts: dict = {}
    for node in order:
        parts[node] = 1 + sum(1 if child in named else parts[child] for child in _children(node))
    return sum(parts[root] for root in roots) + sum(parts[node] for node in named)


def _free_letter(nodes: list) -> str:
    """A letter that no symbol among ``nodes`` is named by (nor starts its name with, as A_1 or A_x)."""
    used = {str(node.name).split("_")[0] for node in nodes if isinstance(node, (sp.Symbol, sp.MatrixSymbol))}
    return next((letter for letter in _LETTERS if letter not in used), "A")


def definitions_reached(exprs: Iterable[Any], names: dict, defined: set) -> list:
    """The named subexpressions that ``exprs`` print by name and that are not in ``defined`` (which it extends),
    with those their definitions use, each after the names its own definition uses."""
    reached: list = []
    walked: set = set()  # an unnamed subexpression met again leads to the names it led to before (a DAG: linear)

    def visit(node: sp.Basic, inside_definition: bool) -> None:
        if node in names and not inside_definition:
            if node in defined:
                return
            defined.add(node)
            visit(node, True)  # its definition, with the names inside it
            reached.append(node)
            return
        if not inside_definition:
            if node in walked:
                return
            walked.add(node)
        for child in _children(node):
            visit(child, False)

    for expr in exprs:
        if isinstance(expr, sp.Basic):
            visit(expr, False)
    return reached
