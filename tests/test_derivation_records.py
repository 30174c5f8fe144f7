"""A derivation is data; its renderers only read it, and their output is valid LaTeX/Markdown."""
import dataclasses

import pytest
import sympy as sp

from symml.derivation import Comparison, Derivation, Statement, Step, Verification
from symml.render.prose import latex_prose

x, mu = sp.symbols("x mu", real=True)
i, n = sp.symbols("i n", integer=True, positive=True)
data = sp.IndexedBase("x")


def _example() -> Derivation:
    log_likelihood = sp.Sum(-(data[i] - mu) ** 2 / 2, (i, 1, n))
    return Derivation(
        problem=Statement("Least squares for the mean, with 50% of the work & a #hash_tag"),
        steps=(
            Step("Objective", sp.Eq(sp.Symbol("ell"), log_likelihood), "the sample is i.i.d. on $(0, \\infty)$"),
            Step("Stationarity", (sp.Eq(sp.Derivative(log_likelihood, mu), 0), sp.Eq(mu, sp.Symbol("xbar"))), "solve"),
        ),
        result={mu: sp.Sum(data[i], (i, 1, n)) / n},
        summary=(sp.Eq(sp.Symbol("muhat"), sp.Symbol("xbar")),),
        assumptions=("the observations are independent",),
        remarks=("The estimator is unbiased.",),
    )


def test_a_derivation_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        _example().result = None


def test_plain_text_lists_numbered_steps_with_their_justification():
    text = str(_example())
    assert "1. Objective (the sample is i.i.d. on (0, ∞))" in text
    assert "2. Stationarity (solve)" in text
    assert "Result" in text and "Remarks: The estimator is unbiased." in text


def test_latex_fragment_formulas_all_render_in_katex(katex):
    assert katex.errors(_example().latex()) == []


def test_latex_document_wraps_the_fragment_in_a_compilable_document():
    document = _example().latex(document=True)
    assert document.startswith("\\documentclass{article}") and document.rstrip().endswith("\\end{document}")
    assert _example().latex() in document


def test_markdown_formulas_all_render_in_katex(katex):
    assert katex.errors(_example().markdown()) == []


def test_ipython_latex_display_renders_in_katex(katex):
    assert katex.errors(_example()._repr_latex_()) == []


def test_sample_statistics_print_as_a_person_writes_them():
    latex = _example().latex()
    assert "\\sum_{i=1}^{n}" in latex and "x_{i}" in latex and "\\bar{x}" in latex and "\\hat{\\mu}" in latex


def test_latex_text_escapes_specials_but_keeps_inline_math():
    assert latex_prose("50% & #1_a on $x_i$") == "50\\% \\& \\#1\\_a on $x_i$"


def test_a_verification_is_truthy_exactly_when_it_passed():
    good = Verification.from_comparisons([Comparison("mu", 1.0, 1.0 + 1e-9, 1e-9)], method="m", tolerance=1e-6)
    bad = Verification.from_comparisons([Comparison("mu", 1.0, 2.0, 0.5)], method="m", tolerance=1e-6)
    assert bool(good) and not bool(bad)
    assert bad.max_rel_error == 0.5 and "FAILED" in str(bad) and "| mu |" in bad._repr_markdown_()


def test_operations_without_an_implementation_name_the_problem_type():
    from symml.errors import UnsupportedOperationError

    with pytest.raises(UnsupportedOperationError, match="Statement"):
        _example().numpy()
