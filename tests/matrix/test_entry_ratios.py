"""Overlap losses written with the [0, 0] entries of 1 x 1 products, as segmentation code writes them (Dice,
Tversky, cosine): SymPy writes each entry as a sum over entries, and a ratio of them with a number beside it
(1 − 2Σtp/(Σt + Σp)) was refused ("cannot read back at matrix level"). Oracle: central finite differences of a
NumPy loss written here."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import symml

n = symml.dims("n")
t, p = symml.vector("t", n), symml.vector("p", n)
ones = sp.OneMatrix(n, 1)
RNG = np.random.default_rng(7)
TARGET, PREDICTION = (RNG.random(6) > 0.5).astype(float), RNG.uniform(0.05, 0.95, 6)


def _finite_difference(loss, at: np.ndarray, step: float = 1e-6) -> np.ndarray:
    return np.array([(loss(at + step * e) - loss(at - step * e)) / (2 * step) for e in np.eye(at.size)])


def _gradient(expr) -> np.ndarray:
    return np.ravel(symml.derive.gradient(expr, p).numpy()(t=TARGET, p=PREDICTION))


def test_the_dice_loss_written_with_entries_has_the_finite_difference_gradient():
    # 1 − 2 tᵀp / (1ᵀt + 1ᵀp)
    dice = 1 - 2 * (t.T * p)[0, 0] / ((ones.T * t)[0, 0] + (ones.T * p)[0, 0])
    loss = lambda q: 1 - 2 * TARGET @ q / (TARGET.sum() + q.sum())  # noqa: E731
    assert _gradient(dice) == pytest.approx(_finite_difference(loss, PREDICTION), rel=1e-7, abs=1e-9)


def test_the_tversky_loss_written_with_entries_has_the_finite_difference_gradient():
    # 1 − TP/(TP + α FP + β FN), TP = tᵀp, FP = (1 − t)ᵀp, FN = tᵀ(1 − p), α = 0.3, β = 0.7
    tp, fp, fn = (t.T * p)[0, 0], ((ones - t).T * p)[0, 0], (t.T * (ones - p))[0, 0]
    tversky = 1 - tp / (tp + sp.Rational(3, 10) * fp + sp.Rational(7, 10) * fn)
    loss = lambda q: 1 - TARGET @ q / (TARGET @ q + 0.3 * (1 - TARGET) @ q + 0.7 * TARGET @ (1 - q))  # noqa: E731
    assert _gradient(tversky) == pytest.approx(_finite_difference(loss, PREDICTION), rel=1e-7, abs=1e-9)


def test_one_minus_the_cosine_similarity_written_with_entries_has_the_finite_difference_gradient():
    cosine = 1 - (t.T * p)[0, 0] / sp.sqrt((t.T * t)[0, 0] * (p.T * p)[0, 0])
    loss = lambda q: 1 - TARGET @ q / np.sqrt((TARGET @ TARGET) * (q @ q))  # noqa: E731
    assert _gradient(cosine) == pytest.approx(_finite_difference(loss, PREDICTION), rel=1e-7, abs=1e-9)
