"""Stable functions written out are read as them: log(1 + exp(U)), as the logistic loss usually is written, is
softplus(U), whose derivatives come out in sigmoids, finite at any margin (the log's own quotient
e^u/(e^{2u} + 2e^u + 1) was nan at u = 800); log(sum(exp(U))) is logsumexp(U) (its gradient was nan at U ~ 1e3)."""
import numpy as np
import pytest
import sympy as sp
from scipy.special import expit, logsumexp, softmax

import symml

d, n = symml.dims("d n")
w, x = symml.vector("w", d), symml.vector("x", d)
X = symml.matrix("X", n, d)
y = sp.Symbol("y", real=True)


def central_hessian(f, at, step=1e-4):
    size = at.size
    hessian = np.empty((size, size))
    for i in range(size):
        for j in range(size):
            ei, ej = np.eye(size)[:, [i]] * step, np.eye(size)[:, [j]] * step
            hessian[i, j] = (f(at + ei + ej) - f(at + ei - ej) - f(at - ei + ej) + f(at - ei - ej)) / (4 * step**2)
    return hessian


def test_the_written_out_logistic_loss_has_central_difference_hessian():
    hessian = symml.derive.hessian(symml.log(1 + symml.exp(-y * x.T @ w)), w).numpy()
    x0, w0 = np.array([[0.7], [-1.2], [0.4]]), np.array([[0.3], [0.1], [-0.5]])
    want = central_hessian(lambda v: float(np.log1p(np.exp(-1.5 * (x0.T @ v)[0, 0]))), w0)
    assert np.asarray(hessian(w=w0, x=x0, y=1.5)) == pytest.approx(want, abs=1e-6)


@pytest.mark.parametrize("margin", [800.0, -800.0, 40.0])
def test_the_written_out_logistic_loss_is_finite_at_extreme_margins(margin):
    hessian = symml.derive.hessian(symml.log(1 + symml.exp(-y * x.T @ w)), w).numpy()
    x0 = np.array([[1.0], [0.0]])
    found = np.asarray(hessian(w=np.array([[margin], [0.0]]), x=x0, y=1.0))
    assert np.all(np.isfinite(found))
    assert found[0, 0] == pytest.approx(expit(margin) * expit(-margin), rel=1e-12, abs=1e-300)


def test_a_sum_of_written_out_softpluses_has_a_finite_gradient_on_separable_data():
    gradient = symml.derive.gradient(symml.sum(symml.log(sp.OneMatrix(n, 1) + symml.exp(-X @ w))), w).numpy()
    X0 = np.array([[1.0, 2.0], [3.0, -1.0], [-2.0, 0.5]])
    w0 = np.array([[400.0], [-300.0]])
    want = -X0.T @ expit(-(X0 @ w0))
    assert np.asarray(gradient(X=X0, w=w0)) == pytest.approx(want, rel=1e-12, abs=1e-300)


def test_a_log_of_something_else_beside_one_stays_a_log():
    assert symml.log(2 * symml.exp(X @ w) + sp.OneMatrix(n, 1)).name == "log"


def test_a_written_out_log_sum_exp_and_its_gradient_are_finite_at_large_scores():
    derivation = symml.derive.gradient(symml.log(symml.sum(symml.exp(X @ w))), w)
    X0 = np.array([[1.0, 2.0], [3.0, -1.0], [-2.0, 0.5]])
    w0 = np.array([[400.0], [-300.0]])
    assert np.asarray(derivation.numpy()(X=X0, w=w0)) == pytest.approx(X0.T @ softmax(X0 @ w0), rel=1e-12)
    hessian = symml.derive.hessian(symml.log(symml.sum(symml.exp(X @ w))), w).numpy()
    X1, w1 = X0 / 400, np.array([[1.0], [-0.75]])  # ordinary scores: central differences of scipy's logsumexp
    step = 1e-4
    columns = [(logsumexp(X1 @ (w1 + e)) - 2 * logsumexp(X1 @ w1) + logsumexp(X1 @ (w1 - e))) / step**2
               for e in np.eye(2)[:, :, None] * step]
    assert np.diag(np.asarray(hessian(X=X1, w=w1))) == pytest.approx(columns, abs=1e-5)
    assert np.all(np.isfinite(np.asarray(hessian(X=X0, w=w0))))


def test_a_written_out_log_softmax_cross_entropy_has_scipys_gradient_at_large_logits():
    y_ = symml.vector("y", n)
    scores = symml.exp(X @ w)
    loss = -(y_.T @ symml.log(scores / symml.sum(scores)))
    gradient = symml.derive.gradient(loss, w).numpy()
    X0 = np.array([[1.0, 2.0], [3.0, -1.0], [-2.0, 0.5]])
    y0 = np.array([[0.0], [1.0], [0.0]])
    for w0 in (np.array([[0.3], [-0.2]]), np.array([[400.0], [-300.0]])):
        want = X0.T @ (softmax(X0 @ w0) * y0.sum() - y0)
        assert np.asarray(gradient(X=X0, w=w0, y=y0)) == pytest.approx(want, rel=1e-12, abs=1e-12)
