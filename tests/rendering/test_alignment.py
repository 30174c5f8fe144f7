"""Several equations of a step are aligned on their relation signs; other lines stay centred rows of their own."""
from __future__ import annotations

from symml.render.alignment import display_rows
from symml.render.line_breaks import width


def test_two_equations_in_a_row_are_one_aligned_block_at_their_relations():
    assert display_rows([r"\hat{\mu} = \bar{x}", r"\hat{\sigma}^{2} = s^{2}"]) == [
        "\\begin{aligned}\n\\hat{\\mu} ={} & \\bar{x} \\\\\n\\hat{\\sigma}^{2} ={} & s^{2}\n\\end{aligned}"]


def test_a_line_that_is_not_an_equation_ends_the_run():
    rows = display_rows(["L = a", r"\text{where}", "A_{1} = b", "A_{2} = c"])
    assert rows[:2] == ["L = a", r"\text{where}"] and rows[2].startswith("\\begin{aligned}\nA_{1} ={} & b")


def test_an_equation_alone_is_left_as_it_is():
    assert display_rows([r"\nabla_{w} L = X^{\top} (X w - y)"]) == [r"\nabla_{w} L = X^{\top} (X w - y)"]


def test_a_relation_inside_brackets_is_not_a_place_to_align():
    assert display_rows([r"f(a = b)", r"g(c = d)"]) == [r"f(a = b)", r"g(c = d)"]


def test_a_long_equation_of_a_run_is_broken_into_rows_of_the_same_block():
    long = "L = " + " + ".join(f"a_{{{k}}} b_{{{k}}}" for k in range(40))
    [block] = display_rows(["M = 1", long])
    rows = block.removeprefix("\\begin{aligned}\n").removesuffix("\n\\end{aligned}").split(" \\\\\n")
    assert rows[0] == "M ={} & 1" and rows[1].startswith("L ={} & a_{0}") and rows[2].startswith("& \\quad {}+ ")
    assert all(width(row) <= 42 for row in rows)


def test_an_aligned_run_parses_in_katex(katex):
    [block] = display_rows([r"\frac{\partial \ell}{\partial \mu} = \frac{n (\bar{x} - \mu)}{\sigma^{2}}", r"\mu = \bar{x}"])
    assert katex.error(f"\\begin{{gathered}}\n{block}\n\\end{{gathered}}") is None
