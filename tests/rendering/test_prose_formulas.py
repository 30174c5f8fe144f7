"""Symbols and formulas that the engine writes in its prose are set as math; words, abbreviations and references
stay text."""
from __future__ import annotations

import pytest

from symml.render.prose import latex_prose, markdown_prose
from symml.render.prose_formulas import formula_runs


def _formulas(text: str) -> list[str]:
    return [piece for kind, piece in formula_runs(text) if kind == "math"]


@pytest.mark.parametrize("text, formulas", [
    ("each data sum is n times a sample mean", ["n"]),
    ("L is convex in w", ["L", "w"]),
    ("(f + g)' = f' + g'", ["(f + g)' = f' + g'"]),
    ("constraints in standard form h = 0 and g ≤ 0", ["h = 0", "g ≤ 0"]),
    ("p(λ) = det(λI − A); the eigenvalues are its roots", ["p(λ) = det(λI − A)"]),
    ("the functional derivative δL/δp(x) vanishes", ["δL/δp(x)"]),
    ("W is symmetric positive definite and nu > d - 1", ["W", "nu > d - 1"]),
])
def test_a_formula_in_prose_is_found_whole(text, formulas):
    assert _formulas(text) == formulas


@pytest.mark.parametrize("text", [
    "for unbiased estimators from n i.i.d. observations",  # (n is found; i.i.d. is not)
    "every dual value bounds the primal from below (B&V 5.1.3)",
    "a Gamma density, normalised on the support",
    "the score's variance (geometric multiplicity 2)",
    "Eigenvalues of [[a, b], [b, a]]",
])
def test_words_abbreviations_references_and_matrices_in_brackets_stay_text(text):
    assert _formulas(text) in ([], ["n"])


def test_latex_prose_sets_the_formulas_as_math_and_escapes_the_rest():
    assert latex_prose("L is convex in w (B&V 5.1.3)") == r"$L$ is convex in $w$ (B\&V 5.1.3)"


def test_markdown_prose_sets_the_formulas_as_inline_math():
    assert markdown_prose("solve the one in y for y") == "solve the one in $y$ for $y$"


def test_markdown_prose_formulas_parse_in_katex(katex):
    text = markdown_prose("with sign(0) = 0, δ = x − a and A = QΛQᵀ with Q orthogonal (QᵀQ = I)")
    for piece in text.split("$")[1::2]:
        assert katex.error(piece) is None, piece
