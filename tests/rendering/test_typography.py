"""Typographic conventions of the printer, as a typesetter sets mathematics (TeXbook ch. 16-18; Math into LaTeX):
fractions in exponents inline, words in subscripts upright, \\left/\\right only around tall content, the outer of
three nested brackets a size larger, a 1 x 1 matrix as its scalar. Each printed form reads back (symml's reader)
to the same value at random points."""
from __future__ import annotations

import random

import pytest
import sympy as sp

from symml.render.printer import _plain_parentheses, latex
from symml.render.unicode_math import readable
from symml.user_text import read_expression

x, theta, mu, sigma, nu = sp.symbols("x theta mu sigma nu", positive=True)


def test_a_fraction_in_the_exponent_of_e_is_written_with_a_slash():
    assert latex(sp.exp(-x**2 / 2)) == "e^{- x^{2}/2}"
    assert latex(sp.exp(-x / theta)) == r"e^{- x/\theta}"


def test_an_exponent_with_a_fraction_that_does_not_fold_is_the_argument_of_exp():
    assert latex(sp.exp(-(x - mu)**2 / (2 * sigma**2))) == r"\exp\left(- \frac{(x - \mu)^{2}}{2 \sigma^{2}}\right)"


def test_a_fractional_power_is_written_with_a_slash():
    assert latex(x**sp.Rational(3, 2)) == "x^{3/2}"
    assert latex((1 + x**2 / nu)**(-(nu + 1) / 2)) == r"\left(1 + \frac{x^{2}}{\nu}\right)^{- (\nu + 1)/2}"


@pytest.mark.parametrize("expr", [sp.exp(-x**2 / 2), sp.exp(-x / theta), x**sp.Rational(3, 2), x**(1 / theta),
                                  (1 + x**2 / nu)**(-(nu + 1) / 2), sp.exp((mu - x) / sigma)],
                         ids=lambda e: str(e))
def test_a_folded_exponent_reads_back_to_the_same_value(expr):
    read = read_expression(latex(expr), "printed formula")
    rng = random.Random(7)
    for _ in range(5):
        value = {s.name: rng.uniform(0.3, 3.0) for s in expr.free_symbols}
        printed = read.subs({s: value[s.name] for s in read.free_symbols})
        assert complex(printed) == pytest.approx(complex(expr.subs({s: value[s.name] for s in expr.free_symbols})),
                                                 rel=1e-12)


def test_a_word_in_a_subscript_is_upright_and_an_index_pair_is_italic():
    assert latex(sp.Symbol("x_new")) == r"x_{\mathrm{new}}"
    assert latex(sp.Symbol("lambda_max")) == r"\lambda_{\mathrm{max}}"
    assert latex(sp.Symbol("Sigma_ab")) == r"\Sigma_{ab}"


@pytest.mark.parametrize("tex, plain", [
    (r"\mathbb{E}\left[x\right]", r"\mathbb{E}[x]"),
    (r"\left|{r}\right|", "|{r}|"),
    (r"\left\|w\right\|^{2}", r"\|w\|^{2}"),
    (r"x \in \left[0, \infty\right)", r"x \in [0, \infty)"),
])
def test_brackets_around_content_one_line_high_are_plain(tex, plain):
    assert _plain_parentheses(tex) == plain


def test_brackets_around_a_fraction_and_an_evaluation_bar_keep_their_sizing():
    assert _plain_parentheses(r"\left|\frac{a}{b}\right|") == r"\left|\frac{a}{b}\right|"
    assert _plain_parentheses(r"\left. f \right|_{x=0}") == r"\left. f \right|_{x=0}"


def test_the_outer_of_three_nested_brackets_is_a_size_larger():
    assert latex(sp.log(x * (theta * (mu + 1) + 1))) == r"\log\bigl(x (\theta (\mu + 1) + 1)\bigr)"
    assert latex(sp.log(x * (mu + 1))) == r"\log(x (\mu + 1))"


def test_a_larger_bracket_is_a_bracket_in_a_terminal():
    assert readable(r"\operatorname{diag}\bigl(\sigma(X w) \odot (1 - \sigma(X w))\bigr) X") == \
        "diag(σ(Xw) ⊙ (1 − σ(Xw))) X"


def test_a_one_by_one_matrix_prints_as_its_entry():
    assert latex(sp.Matrix([[x + 1]])) == "(x + 1)"
    assert latex(sp.ImmutableMatrix([[x]])) == "x"


def test_an_estimate_known_by_its_name_is_squared_without_brackets():
    # the Laplace scale: b-hat is the mean absolute deviation; the second derivative at it is -n / b-hat^2
    from symml.mle.statistics import StatisticSymbol
    deviation = StatisticSymbol("mean", sp.Abs(mu - x), positive=True)
    n = sp.Symbol("n", positive=True)
    assert latex(-n / deviation**2, names={deviation: r"\hat{b}"}) == r"- \frac{n}{\hat{b}^{2}}"


def test_a_subscripted_name_in_prose_is_set_as_math_and_a_word_of_code_stays_text():
    from symml.render.prose import latex_prose
    assert latex_prose("Integrate out x_b") == "Integrate out $x_{b}$"
    assert latex_prose("add x_new") == r"add $x_{\mathrm{new}}$"
    assert latex_prose("scipy's minimize_scalar") == r"scipy's minimize\_scalar"

