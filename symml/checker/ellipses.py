r"""Ellipses in what notes list: ``f(x_1, x_2, \ldots, x_N \mid \mu)``, ``L(\mu; x_1, x_2,...,x_N)``,
``p(y_{1..t})``.

A run of one variable's elements with an ellipsis (``x_1, x_2, ..., x_N``) is one argument: the range
``x[1:N]``, the same name the reader of events gives it (:mod:`symml.checker.events`), never one of its elements.
``y_{1..t}`` is the range ``y[1:t]`` too.

>>> from symml.checker.parse_latex import parse_latex
>>> parse_latex(r"f(x_1, x_2, \ldots, x_N \mid \mu)")[0][1]
f(x[1:N], mu)
>>> parse_latex(r"p(y_{1..t})")[0][1]
p(y[1:t])
"""
from __future__ import annotations

import re
from typing import Any

import sympy as sp

from symml.checker.latex_tokens import ReaderBase

__all__ = ["ELLIPSIS", "read_ellipsis", "ranges_of", "range_symbol", "range_subscript"]

_COMMANDS = {"dots", "ldots", "cdots"}
#: The text of a range subscript: ``1..t``, ``1...T``, ``t+1..T``.
_RANGE = re.compile(r"([\w+-]+?)\.{2,3}([\w+-]+)")


class _Ellipsis:
    """The place of an ellipsis in a list of arguments, until the list is read."""

    def __repr__(self) -> str:
        return "..."


ELLIPSIS = _Ellipsis()


def read_ellipsis(reader: ReaderBase) -> bool:
    """Consume the ellipsis ahead (``\\ldots``, ``\\dots``, ``\\cdots``, ``...``, ``…``), if there is one."""
    kind, value = reader.peek()
    if (kind == "cmd" and value in _COMMANDS) or (kind, value) == ("char", "…"):
        reader.take()
        return True
    if all(reader.peek(ahead) == ("char", ".") for ahead in range(3)):
        reader.position += 3
        return True
    return False


def range_symbol(base: str, first: Any, last: Any) -> sp.Symbol:
    """The range ``base[first:last]`` as one variable."""
    return sp.Symbol(f"{base}[{first}:{last}]", real=True)


def ranges_of(arguments: list[Any], reader: ReaderBase) -> list[Any]:
    """``arguments`` with each run ``x_1, x_2, ..., x_N`` (an ellipsis between elements of one variable) replaced by
    the range ``x[1:N]``; the reader's error for an ellipsis between anything else."""
    while ELLIPSIS in arguments:
        at = arguments.index(ELLIPSIS)
        last = _element(arguments[at + 1]) if at + 1 < len(arguments) else None
        start = at
        while last is not None and start > 0 and (_element(arguments[start - 1]) or ("",))[0] == last[0]:
            start -= 1
        first = _element(arguments[start]) if start < at else None
        if last is None or first is None:
            raise reader.error("an ellipsis between other things than the elements of one variable is not read")
        arguments = [*arguments[:start], range_symbol(last[0], first[1], last[1]), *arguments[at + 2:]]
    return arguments


def _element(value: Any) -> tuple[str, str] | None:
    """``x[i]`` or the name ``x_1``: the variable's name and the element's index; else None."""
    if isinstance(value, sp.Indexed) and len(value.indices) == 1:
        return str(value.base.label), str(value.indices[0])
    if isinstance(value, sp.Symbol) and "_" in value.name and "[" not in value.name:
        base, _, index = value.name.partition("_")
        return base, index
    return None


def range_subscript(reader: ReaderBase, name: str) -> sp.Symbol | None:
    """``y_{1..t}``, ``o_{1...T}`` ahead (after the name ``name``): read as the range ``y[1:t]``; else None, nothing
    read."""
    if reader.peek() != ("char", "_") or reader.peek(1) != ("char", "{"):
        return None
    end = next((ahead for ahead in range(2, 12) if reader.peek(ahead) in (("char", "}"), ("end", ""))), None)
    if end is None or reader.peek(end) != ("char", "}"):
        return None
    text = "".join(value for _, value in (reader.peek(ahead) for ahead in range(2, end)))
    match = _RANGE.fullmatch(text)
    if match is None:
        return None
    reader.position += end + 1
    return range_symbol(name, match.group(1), match.group(2))


def written_out(reader: ReaderBase, run: list[Any], operator: type) -> Any:
    """After the ellipsis of ``f(x_1) \\cdot f(x_2) \\cdot ... \\cdot f(x_N)`` (``operator`` Product) or ``a_1 + a_2 +
    \\cdots + a_n`` (Sum), with ``run`` the factors or terms before it: read the last one and give the product or
    sum they write out, ``\\prod_{i=1}^{N} f(x_i)``. The first one must be the last one at the first index; a middle
    one that does not follow is a guess the row carries (the notes' slip or the reader's)."""
    joins = (("cmd", "cdot"), ("cmd", "times"), ("char", "*")) if operator is sp.Product else (("char", "+"),)
    if reader.peek() in joins:
        reader.take()
    last = reader.factor() if operator is sp.Product else reader.term()
    starts, ends = _elements_of(run[0]), _elements_of(last)
    series = {(base, first, end) for base, end in ends for base_of_first, first in starts
              if base_of_first == base and first.isdigit() and end != first}
    if len({(first, end) for _, first, end in series}) != 1:
        raise reader.error("a list written out with an ellipsis whose first and last terms differ in one index is "
                           "read, not this one")
    bases = sorted(base for base, _, _ in series)
    (_, first, end), start = next(iter(series)), sp.Integer(next(iter(series))[1])
    used = {str(s) for term in (*run, last) for s in sp.sympify(term).free_symbols}
    index = reader.namespace.name(next((letter for letter in "ijkl" if letter not in used), "i"))
    body = _at(last, bases, end, index, reader)
    if _at(run[0], bases, first, start, reader) != body.xreplace({index: start}):
        raise reader.error("the first term of a list written out with an ellipsis is not the last one at its index")
    if any(_at(middle, bases, str(start + offset), start + offset, reader) != body.xreplace({index: start + offset})
           for offset, middle in enumerate(run[1:], 1)):
        reader.namespace.doubt("a term written before the ellipsis does not follow the first and the last")
    upper = sp.Integer(end) if end.isdigit() else reader.namespace.name(end)
    return operator(body, (index, start, upper))


def _elements_of(expr: Any) -> set[tuple[str, str]]:
    """The elements of variables in ``expr``: ``(name, index)`` of each ``x[i]`` and of each name ``x_1``."""
    atoms = sp.sympify(expr).atoms(sp.Indexed, sp.Symbol)
    return {element for element in map(_element, atoms) if element is not None}


def _at(expr: Any, bases: list[str], index: str, value: Any, reader: ReaderBase) -> Any:
    """``expr`` with the elements ``index`` of ``bases`` (``x[N]`` or the name ``x_N``) written ``x[value]``."""
    found = {atom: _element(atom) for atom in sp.sympify(expr).atoms(sp.Indexed, sp.Symbol)}
    return sp.sympify(expr).xreplace({atom: reader.namespace.indexed(element[0], [value])
                                      for atom, element in found.items()
                                      if element is not None and element[0] in bases and element[1] == index})
