"""Index notation without a matrix form: differentiated in indices, ∂wⱼ/∂wₖ = δⱼₖ, the deltas summed out; the
gradient (the vector of ∂L/∂wₖ) and Hessian agree with finite differences of the loss written by hand in NumPy,
over small random sizes."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st

import symml
from symml.calculus.index_arrays import evaluate
from symml.calculus.kronecker import sum_out_deltas
from symml.matrix_calculus.expressions import Sigmoid
from symml.testing import check_gradient, check_hessian

i, j, k = sp.symbols("i j k", integer=True)
n, d = sp.symbols("n d", integer=True, positive=True)
w, X, N, a = (sp.IndexedBase(name) for name in "w X N a".split())

# Σᵢ log(1 + Σⱼ exp(wⱼ Xᵢⱼ)): exp of an unsummed product of a vector and a matrix, no matrix form
nested = sp.Sum(sp.log(1 + sp.Sum(sp.exp(w[j] * X[i, j]), (j, 1, d))), (i, 1, n))
# Bradley–Terry: −Σᵢ Σⱼ Nᵢⱼ log σ(wᵢ − wⱼ), a difference of entries of w, no matrix form
bradley_terry = -sp.Sum(N[i, j] * sp.log(Sigmoid(w[i] - w[j])), (i, 1, d), (j, 1, d))

HAND = {  # (loss, its data's shapes from (n, d), the loss in NumPy as a function of (data, w))
    "nested log-sum-exp": (nested, lambda n_, d_: {"X": (n_, d_)},
                           lambda data, v: np.sum(np.log1p(np.sum(np.exp(v * data["X"]), axis=1)))),
    "Bradley-Terry": (bradley_terry, lambda n_, d_: {"N": (d_, d_)},
                      lambda data, v: np.sum(data["N"] * np.logaddexp(0, -(v[:, None] - v[None, :])))),
}


def _data(shapes, seed):
    rng = np.random.default_rng(seed)
    return {name: rng.normal(0, 0.8, size=shape) for name, shape in shapes.items()}, rng


def test_a_loss_without_matrix_form_is_differentiated_in_indices():
    g = symml.derive.gradient(nested, w)
    titles = [s.title for s in g.steps]
    assert "Differentiate in indices" in titles and "Sum out the deltas" in titles
    assert not g.result.has(sp.KroneckerDelta) and g.result.has(X[i, k])
    assert any("No matrix form" in remark for remark in g.remarks)


def test_summing_out_a_delta_picks_the_entry():
    # Σⱼ aⱼ wⱼ² δⱼₖ = aₖ wₖ², and a factor free of j leaves the sum: Σⱼ δᵢₖ aⱼ = δᵢₖ Σⱼ aⱼ
    assert sum_out_deltas(sp.Sum(a[j] * w[j] ** 2 * sp.KroneckerDelta(j, k), (j, 1, d))) == a[k] * w[k] ** 2
    assert sum_out_deltas(sp.Sum(sp.KroneckerDelta(i, k) * a[j], (j, 1, d))) == \
        sp.KroneckerDelta(i, k) * sp.Sum(a[j], (j, 1, d))


@pytest.mark.parametrize("name", HAND)
@settings(max_examples=10, deadline=None)
@given(n_=st.integers(1, 5), d_=st.integers(2, 5), seed=st.integers(0, 2**16))
def test_gradient_and_hessian_in_indices_agree_with_finite_differences(name, n_, d_, seed):
    loss, shapes, hand = HAND[name]
    data, rng = _data(shapes(n_, d_), seed)
    g, H = symml.derive.gradient(loss, w).numpy(), symml.derive.hessian(loss, w).numpy()
    v = rng.normal(0, 0.8, size=d_)
    assert check_gradient(lambda u: hand(data, u), lambda u: g(w=u, **data), v) < 1e-6
    assert check_hessian(lambda u: hand(data, u), lambda u: H(w=u, **data), v) < 1e-4


@pytest.mark.parametrize("name", HAND)
def test_the_loss_evaluated_on_arrays_is_the_hand_written_loss(name):
    loss, shapes, hand = HAND[name]
    data, rng = _data(shapes(4, 3), 1)
    v = rng.normal(size=3)
    assert np.isclose(float(evaluate(loss, dict(data, w=v))), hand(data, v))


@pytest.mark.parametrize("kind", ["gradient", "hessian"])
def test_derivatives_in_indices_verify(kind):
    assert getattr(symml.derive, kind)(bradley_terry, w).verify()


def test_derivatives_in_indices_render_in_katex(katex):
    for derivation in (symml.derive.gradient(nested, w), symml.derive.hessian(bradley_terry, w)):
        assert katex.errors(derivation.latex()) == []
        assert "Sum out the deltas" in str(derivation)
