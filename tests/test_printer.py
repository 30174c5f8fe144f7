"""The one LaTeX printer: textbook notation for the expressions symml shows."""
import sympy as sp

from symml.render.printer import latex

n, d = sp.symbols("n d", integer=True, positive=True)


def test_a_column_of_ones_prints_as_bold_one():
    assert latex(sp.OneMatrix(n, 1)) == r"\mathbf{1}"


def test_a_row_of_ones_prints_as_the_transposed_column():
    assert latex(sp.OneMatrix(1, n)) == r"\mathbf{1}^{\top}"


def test_data_prints_with_a_plain_subscript():
    assert latex(sp.IndexedBase("x")[sp.Symbol("i")]) == "x_{i}"


def test_a_negative_summand_is_bracketed():
    i = sp.Symbol("i", integer=True)
    assert latex(sp.Sum(-sp.IndexedBase("x")[i], (i, 1, n))) == r"\sum_{i=1}^{n} \left(- x_{i}\right)"
