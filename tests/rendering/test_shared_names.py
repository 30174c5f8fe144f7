"""Large shared subexpressions are printed by name, defined once in a "where" block (issue 17)."""
from __future__ import annotations

import re

import sympy as sp

import symml
from symml.derivation import Derivation, Statement
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


def _wide_sum(*symbols):
    return sum(s**2 * k for k, s in enumerate(symbols, start=2))


def test_a_scalar_term_half_a_line_wide_printed_twice_in_one_line_is_named():
    # a posterior predictive's density repeats its scale's long sum under a root and inside a power
    q = sp.symbols("a b c e f g h k l m", positive=True)
    t, u = sp.Symbol("t", real=True), sp.Function("p")(q[0])
    wide = _wide_sum(*q)
    step = Derivation(Statement("density"), steps=(
        symml.Step("Density", sp.Eq(u, 1 / (sp.sqrt(wide) * (t**2 / wide + 1)**q[0]))),), result=None, summary=())
    (_, lines), = shown_steps(step)
    assert lines[0] == r"p(a) = \frac{1}{\sqrt{A_{1}} \left(\frac{t^{2}}{A_{1}} + 1\right)^{a}}"
    assert lines[1] == r"\text{where}" and lines[2].startswith("A_{1} = ")


def test_a_scalar_term_repeated_only_across_lines_is_written_out():
    q = sp.symbols("a b c e f g h k l m", positive=True)
    wide = _wide_sum(*q)
    steps = tuple(symml.Step(f"Step {k}", sp.Eq(sp.Symbol(f"y_{k}"), k * wide)) for k in (2, 3))
    derivation = Derivation(Statement("two"), steps=steps, result=None, summary=())
    assert not any("where" in line for _, lines in shown_steps(derivation) for line in lines)
