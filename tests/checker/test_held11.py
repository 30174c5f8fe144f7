"""Notation met in the held-out notes added on 27 Nov 2026 (branch checker11: word2vec, the normal's differential
entropy, mutual information, AdaBoost, the conditional Gaussian): each reading with a correct and a wrong variant,
the correct one holding and the wrong one never reported held. The oracles are numeric (SciPy, NumPy)."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.stats import norm

from symml.checker import StepStatus
from symml.checker.notes import check_notes_text


def _checks(text: str, line: int) -> list:
    return [c for c in check_notes_text(text, points=4).checks if c.line == line]


@pytest.mark.parametrize("right, holds", [(r"\frac{1}{2} \ln(2 \pi \sigma^2 e)", True),
                                          (r"\frac{1}{2} \ln(2 \pi \sigma^2)", False)])
def test_the_lower_case_value_of_a_declared_normal_variable_is_random_and_a_roman_h_is_a_function(right, holds):
    # statproofbook (normal entropy): X ~ N(mu, sigma^2), then h(X) = ... + E[(x - mu)^2] / (2 sigma^2) in x
    text = ("Let $X \\sim \\mathcal{N}(\\mu, \\sigma^2)$.\n\n"
            "$$\\mathrm{h}(X) = \\frac{1}{2} \\ln(2 \\pi \\sigma^2) + \\frac{1}{2} \\cdot \\frac{1}{\\sigma^2} \\cdot "
            f"\\mathrm{{E}}\\left[ (x-\\mu)^2 \\right] = {right}$$\n")
    statuses = [c.status for c in _checks(text, 3)]
    assert (StepStatus.HOLDS in statuses) is holds and StepStatus.WRONG not in statuses  # x read so: a guess
    mu, sigma = 0.4, 1.6  # scipy's entropy of the normal, and the expectation by quadrature
    moment = quad(lambda x: (x - mu) ** 2 * norm(mu, sigma).pdf(x), -40, 40)[0]
    entropy = 0.5 * np.log(2 * np.pi * sigma ** 2) + moment / (2 * sigma ** 2)
    assert abs(entropy - norm(mu, sigma).entropy()) < 1e-9
    assert abs(norm(mu, sigma).entropy() - 0.5 * np.log(2 * np.pi * sigma ** 2)) > 0.4


@pytest.mark.parametrize("right, holds", [("a^2 + 2ab + b^2", True), ("a^2 + b^2", False)])
def test_a_tag_without_braces_is_dropped(right, holds):
    # khoatranrb: "\mathbf{\Lambda} = \mathbf{\Sigma}^{-1}\tag4." was unreadable (the command \tag)
    statuses = [c.status for c in _checks(f"$$ (a + b)^2 = {right} \\tag1 $$\n", 1)]
    assert (StepStatus.HOLDS in statuses) is holds and (StepStatus.WRONG in statuses) is not holds
    a, b = np.random.default_rng(0).normal(size=2)
    assert abs((a + b) ** 2 - (a * a + 2 * a * b + b * b)) < 1e-12 and abs((a + b) ** 2 - (a * a + b * b)) > 1e-3


def test_a_matrix_of_bold_names_is_a_block_matrix_not_a_matrix_of_numbers():
    # khoatranrb: x = (x_a; x_b) with bold blocks was read as a 2-vector of numbers, and the appendix's x after it
    # failed with shape errors; numpy: a block vector of two 3-vectors has 6 entries, not 2
    checks = _checks("$$\\mathbf{x} = \\begin{pmatrix} \\mathbf{x}_a \\\\ \\mathbf{x}_b \\end{pmatrix}$$\n", 1)
    assert [c.status for c in checks] == [StepStatus.UNCHECKED] and "block matrix" in checks[0].note
    assert np.concatenate([np.ones(3), np.zeros(3)]).shape == (6,)


def test_a_multiple_integral_has_no_value_at_a_point_for_the_probe():
    # statproofbook (mutual information): the double integral over the plane of p log p / (p p) was handed to
    # quadrature (minutes of CPU) and its unevaluated result compared with 1e100 (an internal error); now no value
    import sympy as sp

    from symml.checker.probe import _CannotEvaluate, evaluate_at

    x, y = sp.symbols("x y")
    density = sp.exp(-(x ** 2 + y ** 2) / 2) / (2 * sp.pi)
    with pytest.raises(_CannotEvaluate, match="multiple integral"):
        evaluate_at(sp.Integral(density * sp.log(density), (y, -sp.oo, sp.oo), (x, -sp.oo, sp.oo)), [])
