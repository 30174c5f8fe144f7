"""Long display equations are broken before a relation or a sign, keep every symbol, and parse in KaTeX; the width
they are broken at is pdflatex's (the estimate is checked against the widths pdflatex measures)."""
from __future__ import annotations

import re
import subprocess

import pytest
from hypothesis import given, strategies as st

from symml.render.line_breaks import broken, inline, width
from tests.rendering.tex import require_tex

_TERMS = st.sampled_from([
    "x_{i}", r"\frac{a + b}{2 \sigma^{2}}", r"\log\left(1 + \frac{(x_{i} - \mu)^{2}}{\nu}\right)", r"\bar{x} n",
    r"\sum_{i=1}^{n} (x_{i} - \bar{x})^{2}", r"\kappa_{0} m_{0}^{2}", r"\operatorname{tr}(S)", r"\Gamma(a)",
])
_SUMS = st.lists(st.tuples(st.sampled_from([" + ", " - "]), _TERMS), min_size=1, max_size=40).map(
    lambda signed: "L = " + "".join(sign + term for sign, term in signed)[3:])
_LAYOUT = re.compile(r"\\begin\{aligned\}|\\end\{aligned\}|\\quad|\{\}|\\right\.|\\left\.|&|\\\\|\s")


def _symbols(tex: str) -> str:
    return _LAYOUT.sub("", tex)


@given(_SUMS)
def test_a_broken_line_prints_the_same_symbols_in_the_same_order(line):
    assert _symbols(broken(line, room=20)) == _symbols(line)


@given(_SUMS)
def test_each_line_of_a_broken_equation_fits_unless_one_term_alone_is_wider(line):
    rows = broken(line, room=20).removeprefix("\\begin{aligned}\n").removesuffix("\n\\end{aligned}").split(" \\\\\n")
    for row in rows:
        assert width(row) <= 20 or _symbols(row).count("+") + _symbols(row).count("-") <= 1 + row.count("\\frac")


def test_a_line_that_fits_is_left_as_it_is():
    assert broken(r"\hat{\mu} = \bar{x}") == r"\hat{\mu} = \bar{x}"


def test_a_long_sum_is_aligned_at_its_relation_with_the_signs_beginning_the_lines():
    line = "L = " + " + ".join(f"a_{{{k}}} b_{{{k}}}" for k in range(40))
    rows = broken(line).split(" \\\\\n")
    assert rows[0].startswith("\\begin{aligned}\nL ={} & a_{0}")
    assert all(row.startswith("& \\quad {}+ ") for row in rows[1:])


def test_a_unary_minus_after_the_relation_stays_with_its_operand():
    rows = broken("L = - a - " + " - ".join(f"b_{{{k}}}" for k in range(40)), room=12).split(" \\\\\n")
    assert rows[0].startswith("\\begin{aligned}\nL ={} & - a - b_{0}")


def test_a_term_too_wide_alone_is_opened_at_its_bracket():
    inner = " + ".join(f"c_{{{k}}}" for k in range(40))
    text = broken(f"L = a \\log\\left({inner}\\right) + b", room=20)
    assert "\\log\\left(c_{0}" in text and "\\right. \\\\" in text and "\\left. \\quad {}+ " in text
    assert text.count("\\left") == text.count("\\right")


def test_the_widest_bracket_of_a_term_is_opened_not_the_first():
    inner = " + ".join(f"c_{{{k}}}" for k in range(40))
    text = broken(f"L = a \\left(b + c\\right) \\left({inner}\\right)", room=20)
    assert "\\left(b + c\\right)" in text and "\\left(c_{0}" in text


def test_a_fraction_wider_than_the_line_is_written_on_the_line_and_its_sum_broken():
    # \frac{N}{2} = \frac{1}{2} (N): a stacked fraction cannot be broken, its numerator in a bracket can
    long = " + ".join(f"c_{{{k}}}" for k in range(40))
    text = broken(f"L = \\frac{{{long}}}{{2}}")
    assert text.startswith("\\begin{aligned}\nL ={} & \\frac{1}{2} \\left(c_{0}")
    assert _symbols(text).replace("\\frac{1}{2}\\left(", "").replace("\\right)", "") == _symbols(f"L = {long}")


def test_a_fraction_with_a_wide_denominator_is_written_as_a_quotient_of_brackets():
    long = " + ".join(f"c_{{{k}}}" for k in range(40))
    assert "\\left(a + b\\right) / \\left(c_{0}" in broken(f"L = \\frac{{a + b}}{{{long}}}")


def test_a_product_too_wide_is_broken_before_a_factor_with_a_dot():
    factor = "\\exp\\left(" + " ".join(f"x_{{{k}}}" for k in range(24)) + "\\right)"
    rows = broken(f"L = {factor} {factor} {factor}").split(" \\\\\n")
    assert len(rows) == 3 and all(row.startswith("& \\quad {}\\cdot \\exp") for row in rows[1:])


def test_inline_math_wider_than_half_a_line_has_its_wide_fractions_on_the_line():
    long = " + ".join(f"c_{{{k}}}" for k in range(20))
    assert inline(f"x \\sim \\operatorname{{N}}(\\frac{{{long}}}{{n}}, 1)") == f"x \\sim \\operatorname{{N}}(({long})/(n), 1)"
    assert inline("x = \\frac{a}{b}") == "x = \\frac{a}{b}"


def test_each_row_of_a_broken_line_fits_when_the_line_has_a_long_relation_lead():
    # a term is opened where it does not fit beside the indent of the rows under the relation
    inner = " + ".join(f"c_{{{k}}}" for k in range(30))
    rows = broken(f"\\frac{{d^{{2}}}}{{d T^{{2}}}} L(T) = \\left(a \\left({inner}\\right)\\right)").split(" \\\\\n")
    assert all(width(row) <= 42 for row in rows[1:])


@given(_SUMS)
def test_every_broken_equation_parses_in_katex(katex, line):
    assert katex.error(broken(line, room=20)) is None


def test_the_estimated_width_is_within_a_fifth_of_what_pdflatex_sets(tmp_path):
    require_tex()
    lines = [r"\ell(\mu, \sigma) = - \frac{n}{2} \log(2 \pi) - n \log \sigma - \frac{1}{2 \sigma^{2}} "
             r"\sum_{i=1}^{n} (x_{i} - \mu)^{2}",
             r"\nabla^{2}_{w} L = X^{\top} \operatorname{diag}\left(\sigma(X w) \odot (1 - \sigma(X w))\right) X",
             r"p(x) = \frac{1}{\sqrt{2 \pi} \sigma} \exp\left(- \frac{(x - \mu)^{2}}{2 \sigma^{2}}\right)",
             r"\hat{\theta} = \left[\begin{matrix}\bar{x}\\\overline{x^{2}} - \bar{x}^{2}\end{matrix}\right]"]
    boxes = "\n".join(f"\\setbox0\\hbox{{$\\displaystyle {line}$}}\\typeout{{W{k}:\\the\\wd0}}"
                      for k, line in enumerate(lines))
    (tmp_path / "w.tex").write_text(f"\\documentclass{{article}}\\usepackage{{amsmath,amssymb}}\\begin{{document}}\n"
                                    f"{boxes}\n\\end{{document}}\n")
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "w.tex"], cwd=tmp_path, capture_output=True, timeout=120)
    measured = dict(re.findall(r"W(\d+):([\d.]+)pt", (tmp_path / "w.log").read_text(encoding="latin-1")))
    for k, line in enumerate(lines):
        assert width(line) == pytest.approx(float(measured[str(k)]) / 10, rel=0.2), line


def test_an_arrow_inside_an_opened_bracket_is_not_taken_for_its_closing(katex):
    inner = r"a \rightarrow b + " + " + ".join(f"c_{{{k}}}" for k in range(30))
    text = broken(f"L = \\log\\left({inner}\\right) + d", room=20)
    assert text.count("\\right.") == text.count("\\left.") > 0 and katex.error(text) is None


def test_a_line_holding_a_cases_block_is_broken_around_it(katex):
    # the KL of an Exponential from a Laplace: E|m - x| is a Piecewise, the line ran 1.7 pt into the margin
    cases = r"\begin{cases} m + \frac{2}{r} e^{- m r} - \frac{1}{r} & \text{for}\: m \geq 0 \\\frac{1}{r} - m & \text{otherwise} \end{cases}"
    line = r"K = " + " + ".join(rf"\log b_{{{k}}}" for k in range(8)) + rf" + \frac{{{cases}}}{{b}} - 1"
    text = broken(line, room=30)
    assert text.startswith(r"\begin{aligned}") and cases in text and katex.error(text) is None
