r"""A letter that is both a declared vector and its entries: ``y \in \mathbb{R}^n`` then ``\sum_i y_i^2``. The
index is read by the fonts: ``y_i`` (or ``y_1``) beside a bold or plain ``y`` is the i-th entry of y, taken by the
probe from the same random vector as y; ``\mathbf{w}_n`` beside a bold ``\mathbf{w} \in \mathbb{R}^d`` is another
vector of that shape. A reading that cannot be made consistent (an entry 0 of a vector counted from 1, a sum to
another limit than the vector's size) is left undecided, never a counterexample. The oracles are numeric (NumPy,
random vectors)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.stats import norm

from symml.checker import StepStatus
from symml.checker.notes import check_notes, check_notes_text, notes_namespace

HELDOUT = Path(__file__).parent / "notes_heldout"
RNG = np.random.default_rng(9)


def _status(declaration: str, claim: str) -> StepStatus:
    (check,) = [c for c in check_notes_text(f"Let {declaration}.\n\n$${claim}$$\n", points=4).checks if c.line == 3]
    return check.status


@pytest.mark.parametrize("right, holds", [(r"\sum_{i=1}^n y_i^2", True), (r"\sum_{i=1}^n y_i", False)])
def test_the_entries_of_a_bold_declared_vector_are_its_entries(right, holds):
    status = _status(r"$\mathbf{y} \in \mathbb{R}^n$", rf"\mathbf{{y}}^\top \mathbf{{y}} = {right}")
    assert status is (StepStatus.HOLDS if holds else StepStatus.WRONG)
    y = RNG.normal(size=5)
    assert bool(np.isclose(y @ y, (y ** 2).sum() if holds else y.sum())) is holds


def test_a_vector_declared_plain_reads_its_subscripts_as_entries():
    assert _status(r"$y \in \mathbb{R}^n$", r"\|y\|^2 = \sum_{i} y_i^2") is StepStatus.HOLDS
    y = RNG.normal(size=4)
    assert np.isclose(np.linalg.norm(y) ** 2, (y ** 2).sum())


@pytest.mark.parametrize("factor, holds", [("", True), ("2", False)])
def test_a_numbered_subscript_is_the_entry_of_that_number(factor, holds):
    status = _status(r"$y \in \mathbb{R}^n$", rf"y^\top y = {factor} y_1^2 + \sum_{{i=2}}^n y_i^2")
    assert status is (StepStatus.HOLDS if holds else StepStatus.WRONG)
    y = RNG.normal(size=4)
    assert bool(np.isclose(y @ y, (2 if factor else 1) * y[0] ** 2 + (y[1:] ** 2).sum())) is holds


@pytest.mark.parametrize("sign, holds", [("-", True), ("+", False)])
def test_the_entries_of_two_vectors_come_from_the_same_random_vectors(sign, holds):
    status = _status(r"$y \in \mathbb{R}^n$ and $w \in \mathbb{R}^n$",
                     rf"(y - w)^\top (y - w) = \sum_{{i=1}}^n (y_i {sign} w_i)^2")
    assert status is (StepStatus.HOLDS if holds else StepStatus.WRONG)
    y, w = RNG.normal(size=(2, 3))
    assert bool(np.isclose((y - w) @ (y - w), ((y - w if holds else y + w) ** 2).sum())) is holds


def test_a_free_index_names_one_entry_of_the_vector():
    status = _status(r"$y \in \mathbb{R}^n$", r"\frac{\partial}{\partial y_k} \sum_{i=1}^n y_i^2 = 2 y_k")
    assert status is StepStatus.HOLDS
    y, k, h = RNG.normal(size=4), 2, 1e-6
    step = np.eye(4)[k] * h
    assert np.isclose(((y + step) @ (y + step) - (y - step) @ (y - step)) / (2 * h), 2 * y[k])


@pytest.mark.parametrize("two, holds", [("2", True), ("", False)])
def test_a_bold_subscript_beside_a_bold_declaration_is_another_vector_of_its_shape(two, holds):
    status = _status(r"$\mathbf{w} \in \mathbb{R}^d$ and $\mathbf{w}_0$",
                     rf"\|\mathbf{{w}} - \mathbf{{w}}_0\|^2 = \mathbf{{w}}^\top\mathbf{{w}} - {two}\mathbf{{w}}_0^\top"
                     r"\mathbf{w} + \mathbf{w}_0^\top\mathbf{w}_0")
    assert status is (StepStatus.HOLDS if holds else StepStatus.WRONG)
    w, w0 = RNG.normal(size=(2, 3))
    assert bool(np.isclose((w - w0) @ (w - w0), w @ w - (2 if two else 1) * w0 @ w + w0 @ w0)) is holds


def test_an_entry_counted_from_zero_is_never_a_counterexample():
    # sum_{i=0}^{n-1} y_i^2 is y^T y counted from 0: read counting from 1, y_0 is no entry, so nothing is decided
    status = _status(r"$y \in \mathbb{R}^n$", r"y^\top y = \sum_{i=0}^{n-1} y_i^2")
    assert status is not StepStatus.WRONG
    y = RNG.normal(size=4)
    assert np.isclose(y @ y, sum(y[i] ** 2 for i in range(0, 4)))


def test_a_sum_of_entries_to_another_limit_is_never_a_counterexample():
    # sum_{i=1}^N y_i^2 is y^T y when N = n, which the notes may say in words
    status = _status(r"$y \in \mathbb{R}^n$", r"y^\top y = \sum_{i=1}^{N} y_i^2")
    assert status is not StepStatus.WRONG
    y = RNG.normal(size=3)
    assert np.isclose(y @ y, sum(y[i] ** 2 for i in range(3)))


def test_a_vector_written_with_an_index_in_both_fonts_stays_data():
    namespace = notes_namespace("Let $\\mathbf{w} \\in \\mathbb{R}^d$, $\\mathbf{w}_0 = 0$ and $w_j$ its entries.")
    assert "w" not in namespace.known and "w" not in namespace.subscripted


def test_the_least_squares_row_of_the_held_out_bayes_regression_notes_holds():
    # algorithmikee line 34: y in R^n is used entry-wise (y_i, y_1) and w, w_0, w_n in bold: before, neither was
    # declared and every row with X failed to read ("cannot add the n x d matrix (-w)*X to a number")
    report = check_notes(HELDOUT / "algorithmikee_bayes_linear_regression.md", points=4)
    statuses = {c.line: c.status for c in report.checks}
    assert statuses[34] is StepStatus.HOLDS and StepStatus.WRONG not in statuses.values()
    n, d = 5, 3
    X, y, w, w0 = RNG.normal(size=(n, d)), RNG.normal(size=n), RNG.normal(size=d), RNG.normal(size=d)
    sigma, P0 = 1.3, np.diag(RNG.uniform(1, 2, size=d))
    left = -np.sum((y - X @ w) ** 2) / (2 * sigma ** 2) - 0.5 * (w - w0) @ np.linalg.solve(P0, w - w0)
    right = -0.5 * ((y - X @ w) @ (y - X @ w) / sigma ** 2 + (w - w0) @ np.linalg.solve(P0, w - w0))
    assert np.isclose(left, right)


@pytest.mark.parametrize("log", [r"\log", ""])
def test_the_density_of_the_whole_declared_vector_is_the_joint_density_not_a_function_of_an_entry(log):
    # p(y | theta) beside p(y_i | theta): the row defines the joint density p_y (as for y undeclared), whether the
    # notes' factorisation is right (log of the product = sum of logs) or not; it is never evaluated at a vector
    (check,) = check_notes_text(f"Let $y \\in \\mathbb{{R}}^n$.\n\n$$\\log p(y \\mid \\theta) = \\sum_{{i=1}}^n {log} "
                                "p(y_i \\mid \\theta)$$\n", points=4).checks
    assert check.status is StepStatus.DEFINITION and "p_y" in check.note
    y, theta = RNG.normal(size=4), 0.3
    assert np.isclose(np.log(np.prod(norm.pdf(y, theta))), np.sum(norm.logpdf(y, theta)))
