"""Large shared subexpressions are printed by name, defined once in a "where" block (issue 17)."""
from __future__ import annotations

import re

import sympy as sp

import symml
from symml.render.presentation import shown_steps, shown_summary
from symml.render.shared import shared_names
from tests.matrix.composition import layered_loss, w

NAME = re.compile(r"[A-Z]_\{\d+\}")


def _matrices(node: sp.Basic) -> bool:
    return isinstance(node, sp.MatrixExpr)


def _check_block(lines: list[str], defined: set) -> None:
    """Each definition reads only names defined before it; the lines above the block only defined names."""
    where = lines.index(r"\text{where}") if r"\text{where}" in lines else len(lines)
    shown, definitions = lines[:where], lines[where + 1:]
    for definition in definitions:
        name, body = definition.split(" = ", 1)
        assert NAME.fullmatch(name) and name not in defined, definition
        assert set(NAME.findall(body)) <= defined, (definition, defined)
        defined.add(name)
    for line in shown:
        assert set(NAME.findall(line)) <= defined, (line, defined)


def test_every_name_of_a_deep_hessian_is_defined_before_it_is_read():
    derivation = symml.derive.hessian(layered_loss(3), w)
    defined: set = set()
    for _, lines in shown_steps(derivation):
        _check_block(lines, defined)
    _check_block(shown_summary(derivation), set())  # the result reads alone
    assert "where" in derivation.latex() and "where" in derivation.text(width=100)


def test_a_textbook_sized_result_is_written_out():
    # σ(Xw) twice in the logistic Hessian: names would not shorten it enough to be worth reading
    n, d = symml.dims("n d")
    X, v, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
    assert "where" not in symml.derive.hessian(symml.losses.logistic(X, v, y), v).latex()


def test_a_subexpression_printed_once_inside_a_named_one_is_not_named():
    X, v = sp.MatrixSymbol("X", 3, 3), sp.MatrixSymbol("v", 3, 1)
    inner = X * v + v
    outer = sp.HadamardProduct(inner, X * inner + v).doit()  # in the order SymPy keeps it inside a product
    names = shared_names([X * outer, X.T * outer], _matrices, size=3, shrink=1)
    assert outer in names and X * inner + v not in names


def test_names_are_numbered_in_the_order_they_are_defined():
    X, v = sp.MatrixSymbol("X", 3, 3), sp.MatrixSymbol("v", 3, 1)
    inner = X * v + v
    outer = sp.HadamardProduct(inner, X * inner + v).doit()  # in the order SymPy keeps it inside a product
    names = shared_names([X * outer + X.T * inner, X.T * outer], _matrices, size=3, shrink=1)
    assert list(names.values()) == ["A_{1}", "A_{2}"] and list(names) == [inner, outer]


def test_the_letter_of_the_names_is_not_one_of_the_users():
    A, v = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("v", 3, 1)
    inner = A * v + v
    assert set(shared_names([A * inner, A.T * inner], _matrices, size=4, shrink=1).values()) == {"B_{1}"}
