"""Expressions read as DAGs: each distinct subexpression visited once.

A derived Hessian reuses its subexpressions (a layer's value f and 1 − f² appear in every later layer's term), so
as a tree it is much larger than as a DAG: SymPy's ``atoms``, ``free_symbols`` and ``has`` walk the tree, and a
walk per node makes a pass over a k-layer result grow like k² or worse (issue 17). These walk each distinct node
once.

>>> import symml
>>> n, d = symml.dims("n d")
>>> X = symml.matrix("X", n, d); w = symml.vector("w", d)
>>> f = symml.tanh(X @ w)
>>> sorted(s.name for s in atoms_of(symml.hadamard(f, f), sp.MatrixSymbol))
['X', 'w']
>>> depends_on(f, w), depends_on(f, symml.vector("v", d))
(True, False)
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Iterator

import sympy as sp

__all__ = ["distinct_nodes", "atoms_of", "free_symbols_of", "depends_on"]


def distinct_nodes(*exprs: Any, into: Callable[[sp.Basic], bool] = lambda node: True) -> Iterator[sp.Basic]:
    """Every distinct SymPy node of the expressions (equal subexpressions once), parents before their arguments;
    the arguments of a node only where ``into(node)``."""
    seen: set = set()
    stack = [e for e in exprs if isinstance(e, sp.Basic)]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        yield node
        if into(node):
            stack.extend(a for a in node.args if isinstance(a, sp.Basic))


def atoms_of(expr: Any, *types: type) -> set:
    """``expr.atoms(*types)``, each distinct node visited once."""
    return {node for node in distinct_nodes(expr) if isinstance(node, types)}


def free_symbols_of(expr: Any) -> set:
    """``expr.free_symbols``, each distinct node visited once: a node with a rule of its own (a symbol, a matrix
    symbol, a bound variable's Lambda or Sum) gives its own free symbols, any other the union of its arguments'."""
    found: set = set()
    for node in distinct_nodes(expr, into=_without_rule):
        if not _without_rule(node):
            found |= node.free_symbols
    return found


def _without_rule(node: sp.Basic) -> bool:
    return type(node).free_symbols is sp.Basic.free_symbols


def depends_on(expr: Any, target: sp.Basic) -> bool:
    """``expr.has(target)`` for one expression ``target``, remembered per distinct node (an answer for a shared
    subexpression is reused by every expression that contains it)."""
    return _contains(expr, target) if isinstance(expr, sp.Basic) else False


@functools.lru_cache(maxsize=1 << 16)
def _contains(expr: sp.Basic, target: sp.Basic) -> bool:
    return expr == target or any(_contains(a, target) for a in expr.args if isinstance(a, sp.Basic))
