r"""The chain rule across named intermediate quantities, as backpropagation notes write it.

``\frac{\partial L}{\partial W^{[l]}} = \frac{\partial L}{\partial a^{[l]}} \frac{\partial a^{[l]}}{\partial z^{[l]}}
\frac{\partial z^{[l]}}{\partial W^{[l]}}`` relates derivatives of quantities the notes never write out (the loss
L of the activation a, a of the pre-activation z, z of the weights W): their values are unknown, but the step is
the chain rule along L -> a -> z -> W, which holds whatever they are. A step is recognised as the chain rule when,
after joining every pair of factors ``dA/dB * dB/dC`` into ``dA/dC`` on each side, both sides are the same
derivatives times the same other factors. Labels are names (``W^{[l]}`` is the weight matrix of layer l), never
powers. Anything else is left to the other checks (a step between unknown derivatives stays unchecked).

>>> import sympy as sp
>>> L, a, z, W = sp.symbols("L a z W")
>>> d = lambda f, x: sp.Derivative(f, x, evaluate=False)
>>> chain_rule(d(L, W), d(L, a) * d(a, z) * d(z, W))
'the chain rule along L -> a -> z -> W'
>>> chain_rule(d(L, W), d(L, a) * d(z, W)) is None
True
"""
from __future__ import annotations

from collections import Counter
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

__all__ = ["chain_rule", "definitions_in_derivatives", "derivative_by_defined_element"]


def chain_rule(left: Any, right: Any) -> str | None:
    """A phrase naming the path when ``left = right`` is the chain rule (see the module docstring), else None."""
    if not isinstance(left, sp.Expr) or not isinstance(right, sp.Expr):
        return None
    sides = [_split(side) for side in (left, right)]
    if any(side is None for side in sides):
        return None
    (left_links, left_rest), (right_links, right_rest) = sides  # type: ignore[misc]
    if len(left_links) + len(right_links) < 3 or sp.simplify(left_rest - right_rest) != 0:
        return None
    joined = [_join(links) for links in (left_links, right_links)]
    if Counter(joined[0]) != Counter(joined[1]):
        return None
    longest = max((left_links, right_links), key=len)
    return "the chain rule along " + " -> ".join(_path(longest))


def definitions_in_derivatives(expr: Any, replacements: dict) -> Any:
    """``expr`` with the definitions (``replacements``: name -> value) put into the body of each derivative, but
    not for the derivative's own variables: in ``dL/dz`` with ``z = W a + b``, z is the variable (L of z), while
    ``dz/db`` is the derivative of ``W a + b`` by b, taken at once when it is plain (no sum, product or unknown
    function in it)."""
    def inside(derivative: sp.Derivative) -> Any:
        own = {v for v, _ in derivative.variable_count}
        body = derivative.expr.xreplace({s: v for s, v in replacements.items() if s not in own})
        if body != derivative.expr and not body.has(sp.Sum, sp.Product, AppliedUndef, sp.Derivative):
            return sp.diff(body, *derivative.variable_count)
        return sp.Derivative(body, *derivative.variable_count)

    return expr.replace(lambda e: isinstance(e, sp.Derivative), inside) if replacements else expr


def derivative_by_defined_element(sides: tuple[Any, ...], definitions: dict) -> Any:
    """The first variable of a derivative in ``sides`` that is an element the notes define (``\\hat{p}_i`` in
    ``d ell_i / d \\hat{p}_i`` after ``\\hat{p}_i = \\sigma(w x_i)``), else None: where putting the definitions in
    leaves a derivative by an expression SymPy refuses, the step differentiates by a function of other names."""
    for side in sides:
        if isinstance(side, sp.Basic):
            for derivative in side.atoms(sp.Derivative):
                for variable, _ in derivative.variable_count:
                    if isinstance(variable, sp.Indexed) and str(variable.base) in definitions:
                        return variable
    return None


def _name(expr: Any) -> str | None:
    if isinstance(expr, sp.Symbol):
        return expr.name
    if isinstance(expr, AppliedUndef):
        return str(expr.func)
    return None


def _split(side: sp.Expr) -> tuple[list[tuple[str, str]], sp.Expr] | None:
    """The first-order derivatives of one name by another among the factors of a side, as ``(name, variable)``
    links, and the product of the other factors; None if a derivative of something else is a factor."""
    links, rest = [], sp.Integer(1)
    for factor in sp.Mul.make_args(side):
        if isinstance(factor, sp.Derivative):
            if len(factor.variable_count) != 1 or factor.variable_count[0][1] != 1:
                return None
            name, variable = _name(factor.expr), _name(factor.variable_count[0][0])
            if name is None or variable is None:
                return None
            links.append((name, variable))
        elif factor.has(sp.Derivative):
            return None
        else:
            rest *= factor
    return links, rest


def _join(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The links with every ``A -> B``, ``B -> C`` joined into ``A -> C``, until none joins."""
    links = list(links)
    joined = True
    while joined:
        joined = False
        for first in range(len(links)):
            for second in range(len(links)):
                if first != second and links[first][1] == links[second][0]:
                    merged = (links[first][0], links[second][1])
                    links = [link for k, link in enumerate(links) if k not in (first, second)] + [merged]
                    joined = True
                    break
            if joined:
                break
    return links


def _path(links: list[tuple[str, str]]) -> list[str]:
    """The names along the links, in order of the chain."""
    by_start = dict(links)
    start = next((a for a, _ in links if a not in {b for _, b in links}), links[0][0])
    path = [start]
    while path[-1] in by_start and len(path) <= len(links):
        path.append(by_start[path[-1]])
    return path
