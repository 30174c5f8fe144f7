"""Index notation: Sum/Indexed losses converted to matrix form, derived at matrix level; gradients and Hessians
agree with finite differences of the loss written by hand in NumPy; the cost does not grow with d."""
from __future__ import annotations

import time

import numpy as np
import pytest
import sympy as sp
from scipy.special import logsumexp

import symml
from symml.calculus.indexed import to_matrix
from symml.errors import ShapeError, UnsupportedOperationError
from symml.matrix_calculus.expressions import Sigmoid
from symml.testing import check_gradient, check_hessian

i, j, k = sp.symbols("i j k", integer=True)
n, d, K = sp.symbols("n d K", integer=True, positive=True)
w, X, y, W, Y = (sp.IndexedBase(name) for name in "w X y W Y".split())


def logits(size=d):
    return sp.Sum(w[j] * X[i, j], (j, 1, size))


def least_squares(size=d):
    return sp.Sum((logits(size) - y[i]) ** 2, (i, 1, n))


def logistic(size=d):
    z = logits(size)
    return sp.Sum(-y[i] * sp.log(Sigmoid(z)) - (1 - y[i]) * sp.log(1 - Sigmoid(z)), (i, 1, n))


def poisson(size=d):
    return sp.Sum(sp.exp(logits(size)) - y[i] * logits(size), (i, 1, n))


def log_sum_exp(size=d):
    return sp.log(sp.Sum(sp.exp(logits(size)), (i, 1, n)))


scores = sp.Sum(X[i, j] * W[j, k], (j, 1, d))
softmax_cross_entropy = sp.Sum(-sp.Sum(Y[i, k] * scores, (k, 1, K)) + sp.log(sp.Sum(sp.exp(scores), (k, 1, K))),
                               (i, 1, n))

rng = np.random.default_rng(0)
Xv, yv = rng.normal(size=(6, 3)), rng.uniform(0, 1, 6)
HAND = {  # the losses as functions of w, by hand
    "least squares": (least_squares, lambda v: np.sum((Xv @ v - yv) ** 2)),
    "logistic": (logistic, lambda v: np.sum(yv * np.logaddexp(0, -Xv @ v) + (1 - yv) * np.logaddexp(0, Xv @ v))),
    "poisson": (poisson, lambda v: np.sum(np.exp(Xv @ v) - yv * (Xv @ v))),
    "log-sum-exp": (log_sum_exp, lambda v: logsumexp(Xv @ v)),
}


def _values(names, v):
    data = {"X": Xv, "y": yv, "w": v}
    return {name: data[name] for name in names}


@pytest.mark.parametrize("name", HAND)
def test_gradient_and_hessian_agree_with_finite_differences_of_the_hand_written_loss(name):
    make, hand = HAND[name]
    g, H = symml.derive.gradient(make(), w), symml.derive.hessian(make(), w)
    g_np, H_np = g.numpy(), H.numpy()
    names = {"X", "w"} | ({"y"} if "y" in str(make()) else set())
    v = rng.normal(size=3) * 0.5
    assert check_gradient(hand, lambda u: g_np(**_values(names, u)), v) < 1e-6
    assert check_hessian(hand, lambda u: H_np(**_values(names, u)), v) < 1e-4


def test_softmax_cross_entropy_gradient_is_x_transpose_softmax_minus_y():
    g = symml.derive.gradient(softmax_cross_entropy, W)
    Yv = np.eye(3)[rng.integers(0, 3, 6)]
    hand = lambda V: np.sum(-Yv * (Xv @ V)) + np.sum(logsumexp(Xv @ V, axis=1))  # noqa: E731
    assert check_gradient(hand, lambda V: g.numpy()(X=Xv, W=V, Y=Yv), rng.normal(size=(3, 3))) < 1e-6
    assert symml.derive.hessian(softmax_cross_entropy, W).verify()


@pytest.mark.parametrize("make, shown", [(least_squares, "X*w - y"), (log_sum_exp, "logsumexp(X*w)"),
                                          (poisson, "exp(X*w)")])
def test_the_matrix_form_is_found(make, shown):
    matrix_form, symbols, rules = to_matrix(make())
    assert shown in str(matrix_form) and rules


def test_the_result_is_shown_in_both_notations():
    g = symml.derive.gradient(least_squares(), w)
    assert [s.title for s in g.steps][:2] == ["Index notation", "Matrix form"]
    assert g.steps[-1].title == "In index notation" and g.steps[-1].math.rhs.has(sp.Indexed)


def _median_time(function, repeats=3):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return sorted(times)[1]


def test_derivation_time_does_not_grow_with_d():
    small = _median_time(lambda: symml.derive.hessian(logistic(3), w))
    large = _median_time(lambda: symml.derive.hessian(logistic(3000), w))
    assert large / small < 3, (small, large)


@pytest.mark.parametrize("loss, error, message", [
    (sp.Sum(w[j] * X[i, j], (j, 1, d)), ShapeError, "not summed over"),
    (sp.Sum(sp.IndexedBase("T")[i, j, k], (i, 1, n), (j, 1, d), (k, 1, K)), UnsupportedOperationError, "three|more"),
    (sp.Sum(w[j] * X[i, j], (j, 1, d), (i, 1, n)) + sp.Sum(w[i] * y[j], (i, 1, d), (j, 1, n)),
     ShapeError, "two different shapes"),
])
def test_losses_without_a_matrix_form_are_refused_clearly(loss, error, message):
    with pytest.raises(error, match=message):
        symml.derive.gradient(loss, w)


def test_indexed_derivations_render_in_katex(katex):
    for d_ in (symml.derive.gradient(logistic(), w), symml.derive.hessian(least_squares(), w),
               symml.derive.gradient(softmax_cross_entropy, W)):
        assert katex.errors(d_.latex()) == []
        assert str(d_)
