r"""Shapes inferred from every row of a notes file (symml/checker/file_shapes.py): a letter is one shape across
the file, rows that transpose it are checked at matrix level, and rows that disagree leave it a number."""
import functools

import numpy as np

from symml.checker import StepStatus
from symml.checker.notes import check_notes_text

_PPCA_ROWS = r"""
$$ x^\top (I + W^\top W) x = x^\top x + (Wx)^\top (Wx) $$
$$ W^\top (W x) = (x^\top W^\top W)^\top $$
"""


_report = functools.lru_cache(maxsize=None)(check_notes_text)  # each text checked once for its several tests


def _statuses(text):
    return [check.status for check in _report(text).checks]


def _inferred(text):
    return [note for note in _report(text).assumed if note.startswith("shapes inferred")]


def test_rows_sharing_letters_infer_one_shape_for_each():
    assert _inferred(_PPCA_ROWS) == ["shapes inferred from the rows: W (n x d), x (d x 1), I (d x d)"]


def test_rows_that_transpose_are_checked_at_matrix_level():
    assert _statuses(_PPCA_ROWS) == [StepStatus.HOLDS, StepStatus.HOLDS]


def test_a_dropped_factor_under_inferred_shapes_is_wrong():
    wrong = r"$$ x^\top (I + W^\top W) x = x^\top x + 2 (Wx)^\top (Wx) $$"
    assert _statuses(wrong) == [StepStatus.WRONG]
    rng = np.random.default_rng(0)  # the oracle: the two sides at a random 3 x 2 W and 2-vector x
    W, x = rng.normal(size=(3, 2)), rng.normal(size=2)
    assert abs(x @ (np.eye(2) + W.T @ W) @ x - (x @ x + 2 * (W @ x) @ (W @ x))) > 1e-3


def test_an_applied_function_of_a_vector_leaves_its_shape_free():
    text = r"""
$$ f(\mathbf{x}) = \mathbf{w}^\top \mathbf{x} + b $$
$$ \mathbf{w}^\top (\mathbf{x}_1 - \mathbf{x}_2) = \mathbf{x}_1^\top \mathbf{w} - \mathbf{w}^\top \mathbf{x}_2 $$
"""
    assert _inferred(text) == ["shapes inferred from the rows: w (d x 1), x (d x 1), x_1 (d x 1), x_2 (d x 1)"]
    assert _statuses(text)[-1] is StepStatus.HOLDS


def test_rows_that_disagree_about_a_letter_leave_it_a_number():
    text = r"""
$$ (w^\top x)^2 = x^\top w w^\top x $$
$$ x^2 = x \cdot x $$
"""
    assert _inferred(text) == []
    assert StepStatus.WRONG not in _statuses(text)


def test_declared_matrices_are_not_inferred_again():
    text = r"""Let $W \in \mathbb{R}^{n \times d}$ and $x \in \mathbb{R}^d$.
$$ x^\top (I + W^\top W) x = x^\top x + (Wx)^\top (Wx) $$
"""
    assert _inferred(text) == []
