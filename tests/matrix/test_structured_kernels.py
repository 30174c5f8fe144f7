"""Structure-aware NumPy export: Gram matrices by syrk, entry bounds, ones never materialised; each kernel checked
against the plain NumPy of the unoptimised expression (explicit diag, explicit ones) or finite differences."""
from __future__ import annotations

import functools

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

import symml
from symml.matrix_calculus.entry_bounds import entry_bounds, is_nonnegative
from symml.matrix_calculus.numpy_export import numpy_function
from symml.matrix_calculus.numpy_kernels import gram, softplus, softplus_and_sigmoid
from symml.testing import check_gradient, check_hessian, random_spd

n, d = symml.dims("n d")
X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
z = symml.vector("z", n)
shapes = st.sampled_from([(5, 3), (3, 7), (1, 4), (40, 33), (2100, 32), (700, 60)])  # syrk from (2100, 32)
layouts = st.sampled_from(["C", "F", "strided", "float32"])


def _layout(array: np.ndarray, layout: str) -> np.ndarray:
    if layout == "F":
        return np.asfortranarray(array)
    if layout == "strided":  # every other column of a wider array: neither C- nor Fortran-contiguous
        wide = np.repeat(array, 2, axis=1)
        return wide[:, ::2]
    return array.astype(np.float32) if layout == "float32" else array


@settings(max_examples=20, deadline=None)
@given(shape=shapes, layout=layouts, weighted=st.booleans(), seed=st.integers(0, 2**16))
def test_gram_equals_the_product_with_an_explicit_diagonal(shape, layout, weighted, seed):
    # Aᵀ diag(v) A, v ≥ 0, by syrk on √v ⊙ A; AᵀA without weights
    rng = np.random.default_rng(seed)
    A = _layout(rng.standard_normal(shape), layout)
    v = rng.random((shape[0], 1)) if weighted else None
    explicit = A.T.astype(float) @ np.diag(np.ones(shape[0]) if v is None else v.ravel()) @ A.astype(float)
    result = gram(A, v)
    assert np.allclose(result, result.T, rtol=1e-6)
    assert np.allclose(result, explicit, rtol=1e-5 if layout == "float32" else 1e-10, atol=1e-4)


def test_sigmoid_times_one_minus_sigmoid_is_nonnegative_and_tanh_is_not():
    s = symml.sigmoid(z)
    assert entry_bounds(symml.hadamard(s, sp.OneMatrix(n, 1) - s)) == (0.0, 1.0)
    assert is_nonnegative(symml.exp(z)) and is_nonnegative(symml.hadamard(symml.tanh(z), symml.tanh(z)))
    assert not is_nonnegative(symml.tanh(z)) and not is_nonnegative(z) and not is_nonnegative(-symml.exp(z))


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**16), which=st.integers(0, 4))
def test_entry_bounds_contain_every_computed_entry(seed, which):
    s, t = symml.sigmoid(z), symml.tanh(z)
    expr = [symml.hadamard(s, sp.OneMatrix(n, 1) - s), 2 * t - 3 * s, symml.hadamard(t, s),
            symml.exp(z) - sp.OneMatrix(n, 1), symml.hadamard(symml.softplus(z), t)][which]
    low, high = entry_bounds(expr)
    values = numpy_function(expr, [z])(z=np.random.default_rng(seed).standard_normal(50) * 5)
    assert np.all(values >= low) and np.all(values <= high)


def test_logistic_hessian_is_a_syrk_gram_equal_to_the_explicit_diagonal_product():
    logistic = symml.losses.logistic(X, w, y)
    hessian = symml.derive.hessian(logistic, w).numpy()
    assert "_gram(X, " in hessian.source
    rng = np.random.default_rng(1)
    Xv, wv, yv = rng.standard_normal((2100, 40)) / 6, rng.standard_normal(40), (rng.random(2100) < 0.5) * 1.0
    p = 1 / (1 + np.exp(-Xv @ wv))
    assert np.allclose(hessian(X=Xv, w=wv, y=yv), Xv.T @ np.diag(p * (1 - p)) @ Xv, rtol=1e-10, atol=1e-10)


def test_weights_of_unknown_sign_keep_the_general_product():
    # ∇² sum(tanh(Xw)) = Xᵀ diag(−2 tanh ⊙ (1 − tanh²)) X: the weights change sign, so no √v
    loss = symml.sum(symml.tanh(X @ w))
    hessian = symml.derive.hessian(loss, w).numpy()
    assert "_gram(X, " not in hessian.source
    rng = np.random.default_rng(2)
    Xv = rng.standard_normal((30, 4))
    value = numpy_function(loss, [X, w])
    error = check_hessian(lambda wv: value(X=Xv, w=wv), lambda wv: hessian(X=Xv, w=wv), rng.standard_normal(4))
    assert error < 1e-6


def test_least_squares_hessian_is_an_unweighted_gram():
    hessian = symml.derive.hessian(symml.sq_norm(X @ w - y), w).numpy()
    assert "_gram(X)" in hessian.source
    Xv = np.random.default_rng(3).standard_normal((2100, 35))
    assert np.allclose(hessian(X=Xv, w=np.zeros(35), y=np.zeros(2100)), 2 * Xv.T @ Xv)


def test_matrix_vector_chains_still_fold_from_the_thin_end():
    # Xᵀ X w is Xᵀ (X w): 2 n d multiplications, not the n d² of a Gram
    gradient = symml.derive.gradient(symml.sq_norm(X @ w - y), w).numpy()
    assert "_gram" not in gradient.source


@functools.cache
def _gaussian_nll_and_sigma_gradient() -> tuple:
    mu, Sigma = symml.vector("mu", d), symml.matrix("Sigma", d, d, symmetric=True)
    loss = symml.losses.gaussian_nll(X, mu, Sigma)
    return numpy_function(loss, [X, mu, Sigma]), symml.derive.gradient(loss, Sigma).numpy()


@settings(max_examples=6, deadline=None)
@given(rows=st.integers(2, 60), size=st.integers(1, 6), layout=layouts, seed=st.integers(0, 2**16))
def test_gaussian_nll_gradient_in_sigma_forms_the_scatter_once_without_ones(rows, size, layout, seed):
    # ∇_Σ = (n/2) Σ⁻¹ − ½ Σ⁻¹ DᵀD Σ⁻¹ with D = X − 1μᵀ, checked by finite differences on symmetric directions
    value, gradient = _gaussian_nll_and_sigma_gradient()
    assert "np.ones" not in gradient.source and gradient.source.count("_gram(") == 1
    rng = np.random.default_rng(seed)
    Xv, muv, Sv = _layout(rng.standard_normal((rows, size)), layout), rng.standard_normal(size), random_spd(rng, size)
    error = check_gradient(lambda S: value(X=Xv, mu=muv, Sigma=S), lambda S: gradient(X=Xv, mu=muv, Sigma=S), Sv,
                           symmetric=True)
    assert error < 1e-5


def test_an_outer_product_with_ones_in_a_sum_broadcasts():
    mu = symml.vector("mu", d)
    centred = X - sp.OneMatrix(n, 1) @ mu.T
    f = numpy_function(centred, [X, mu])
    assert "ones" not in f.source
    Xv, muv = np.arange(6.0).reshape(3, 2), np.array([1.0, -1.0])
    assert np.array_equal(f(X=Xv, mu=muv), Xv - np.ones((3, 1)) @ muv[None, :])


def test_gram_by_syrk_is_symmetric_to_the_last_bit():
    A = np.random.default_rng(5).standard_normal((2100, 32))
    assert np.array_equal(gram(A), gram(A).T)


@pytest.mark.parametrize("rows, size", [(3, 5), (4, 4)])
def test_gram_with_fewer_rows_than_columns_is_rank_deficient_and_exact(rows, size):
    A = np.random.default_rng(4).standard_normal((rows, size))
    assert np.allclose(gram(A), A.T @ A) and np.linalg.matrix_rank(gram(A)) == rows


def test_row_wise_factors_are_read_off_the_expression():
    from symml.matrix_calculus.row_blocks import row_wise_factor

    assert row_wise_factor(X.T @ (symml.sigmoid(X @ w) - y)) is not None
    assert row_wise_factor(X.T @ X @ w) is None  # X alone is no column: r would need every row of X
    assert row_wise_factor(X.T @ (n * symml.sigmoid(X @ w))) is None  # n would be the block's size in a block
    assert row_wise_factor(X.T @ symml.softmax(X @ w)) is None  # a softmax normalises over all rows


@settings(max_examples=15, deadline=None)
@given(rows=st.integers(1, 700), columns=st.integers(1, 9), layout=layouts, seed=st.integers(0, 2**16))
def test_row_blocked_gradient_equals_the_whole_product(rows, columns, layout, seed):
    # Xᵀ(σ(Xw) − y) summed over blocks of rows (blocking forced at every size) = the plain product by hand
    from symml.matrix_calculus import numpy_kernels

    rng = np.random.default_rng(seed)
    Xv, wv, yv = _layout(rng.standard_normal((rows, columns)), layout), rng.standard_normal(columns), rng.random(rows)
    expected = Xv.T.astype(float) @ (1 / (1 + np.exp(-(Xv.astype(float) @ wv))) - yv)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in [("_BLOCKED_MIN_COLUMNS", 0), ("_BLOCKED_MIN_ENTRIES", 0), ("_BLOCK_BYTES", 8 * 64)]:
            patch.setattr(numpy_kernels, name, value)
        gradient = _logistic_gradient_derivation().numpy()  # a new export: the kernel is chosen per signature
        assert "_row_blocked(X, " in gradient.source
        blocked = [gradient(X=Xv, w=wv, y=yv) for _ in range(2)]  # the checked call, then the signature's plan
    for result in blocked:
        assert np.allclose(result, expected, rtol=1e-5 if layout == "float32" else 1e-10, atol=1e-8)


def test_row_blocking_is_chosen_per_shape_signature():
    # a second kernel computes Aᵀ r in one product; blocking pays only for wide, tall A
    from symml.matrix_calculus.numpy_kernels import row_blocking_pays

    assert "def _f_whole(" in _logistic_gradient().source
    assert not row_blocking_pays(np.empty((10, 3))) and not row_blocking_pays(np.empty((100_000, 10)))
    assert row_blocking_pays(np.empty((100_000, 500)))


def test_value_and_gradient_together_share_xw_instead_of_blocking():
    together = symml.derive.gradient(symml.losses.logistic(X, w, y), w).numpy(outputs=("value", "gradient"))
    assert "_row_blocked" not in together.source and together.source.count("X @ w") == 1


@pytest.mark.parametrize("outputs", [("value",), ("value", "gradient")])
def test_a_squared_residual_is_computed_from_the_residual_once(outputs):
    # ‖Xw − y‖² = rᵀr: (wᵀXᵀ − yᵀ)(Xw − y) read X twice; now one product X w, the row the column's transpose
    function = symml.derive.gradient(symml.losses.least_squares(X, w, y), w).numpy(outputs=outputs)
    assert function.source.count("X @ w") == 1 and "w.T" not in function.source
    rng = np.random.default_rng(3)
    Xv, wv, yv = rng.standard_normal((30, 4)), rng.standard_normal(4), rng.standard_normal(30)
    value = function(X=Xv, w=wv, y=yv) if len(outputs) == 1 else function(X=Xv, w=wv, y=yv)[0]
    assert value == pytest.approx(float(np.sum((Xv @ wv - yv) ** 2)), rel=1e-12)


@functools.cache
def _logistic_gradient_derivation():
    return symml.derive.gradient(symml.losses.logistic(X, w, y), w)


@functools.cache
def _logistic_gradient():
    return _logistic_gradient_derivation().numpy()


def test_sums_over_rows_are_read_off_the_expressions():
    # sums of entries, uᵀ r, Aᵀ r and lone Gram matrices of row-wise columns add up over blocks of rows
    from symml.matrix_calculus.row_blocks import summed_over_rows

    loss = symml.losses.logistic(X, w, y)
    gradient, hessian = symml.derive.gradient(loss, w).result, symml.derive.hessian(loss, w).result
    assert summed_over_rows((loss, gradient, hessian)) == (X, (False, False, True))
    assert summed_over_rows((hessian,)) == (X, (True,))
    ridge = symml.derive.gradient(symml.sq_norm(X @ w - y) + symml.sq_norm(w), w).result
    assert summed_over_rows((ridge,)) is None  # 2w would be added once per block
    mu, Sigma = symml.vector("mu", d), symml.matrix("Sigma", d, d, symmetric=True)
    sigma_gradient = symml.derive.gradient(symml.losses.gaussian_nll(X, mu, Sigma), Sigma).result
    assert summed_over_rows((sigma_gradient,)) is None  # Σ⁻¹ DᵀD Σ⁻¹: d³ per block
    assert summed_over_rows((X.T @ X @ w,)) == (X, (False,))  # Xᵀ(Xw) = Σᵢ xᵢ (xᵢᵀ w)
    assert summed_over_rows((X.T @ symml.softmax(X @ w),)) is None  # a softmax normalises over all rows


@pytest.mark.parametrize("shape", [(5, 3), (2100, 40)])
def test_the_gram_is_the_weighted_product_and_exactly_symmetric(shape):
    # Aᵀ diag(v) A by syrk on √v ⊙ A (NumPy's matmul of Bᵀ and B) at (2100, 40), by one product at (5, 3)
    from symml.matrix_calculus.numpy_kernels import gram

    rng = np.random.default_rng(6)
    A, v = rng.standard_normal(shape), rng.random((shape[0], 1))
    G = gram(A, v)
    assert np.allclose(G, A.T @ (v * A), rtol=1e-12, atol=1e-12)
    assert np.allclose(G, np.einsum("ki,k,kj->ij", A, v[:, 0], A), rtol=1e-12, atol=1e-12)  # entry by entry
    assert shape[1] < 32 or np.array_equal(G, G.T)


@settings(max_examples=20, deadline=None)
@given(values=st.lists(st.floats(-1e4, 1e4), min_size=1, max_size=20), single=st.booleans())
def test_softplus_kernel_equals_log_of_one_plus_exp_without_overflow(values, single):
    # log(1 + eᶻ) either side of the kernel's switch of formula (one ufunc below 64 entries), against 30-digit
    # arithmetic in float64; finite in float32
    z = np.array(values)
    with mpmath.workdps(30):
        expected = np.array([float(mpmath.log1p(mpmath.exp(v))) for v in values])
    assert np.allclose(softplus(z), expected, rtol=1e-14, atol=1e-300)
    assert np.allclose(softplus(np.tile(z, 64)), np.tile(expected, 64), rtol=1e-14, atol=1e-300)
    z32 = z.astype(np.float32)
    result = softplus(z32[:1] if single else z32)
    assert result.dtype == np.float32 and np.all(np.isfinite(result))


@settings(max_examples=20, deadline=None)
@given(values=st.lists(st.floats(-1e5, 1e5), min_size=1, max_size=20), copies=st.sampled_from([1, 600]))
@example(values=[-1e5, -800.0, -700.0, -30.0, 0.0, 30.0, 800.0, 1e5], copies=600)
def test_softplus_and_sigmoid_from_one_exponential_equal_30_digit_arithmetic(values, copies):
    # (log(1 + eᶻ), 1/(1 + e⁻ᶻ)) either side of the kernel's switch (the two ufuncs below 512 entries), σ's tail
    # e^z at z = −700 to full relative precision, no overflow at |z| = 1e5; float32 stays float32 and finite
    z = np.tile(np.array(values), copies)
    with mpmath.workdps(30):
        expected = [np.tile([float(f(mpmath.mpf(v))) for v in values], copies)
                    for f in (lambda t: mpmath.log1p(mpmath.exp(t)), lambda t: 1 / (1 + mpmath.exp(-t)))]
    for result, exact in zip(softplus_and_sigmoid(z), expected):
        assert np.allclose(result, exact, rtol=1e-14, atol=1e-300)
    for result in softplus_and_sigmoid(z.astype(np.float32)):
        assert result.dtype == np.float32 and np.all(np.isfinite(result))


@settings(max_examples=8, deadline=None)
@given(rows=st.integers(1, 300), columns=st.integers(1, 6), classes=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_row_blocked_softmax_and_scaled_least_squares_gradients_equal_the_whole_products(rows, columns, classes, seed):
    # Xᵀ(softmax(XW) along rows − Y) and 2Xᵀ(Xw − y), summed over blocks of rows (forced) = NumPy by hand
    from scipy.special import softmax

    from symml.matrix_calculus import numpy_kernels

    k = symml.dims("k")
    W, Y = symml.matrix("W", d, k), symml.matrix("Y", n, k)
    rng = np.random.default_rng(seed)
    Xv, Wv, wv, yv = (rng.standard_normal((rows, columns)), rng.standard_normal((columns, classes)),
                      rng.standard_normal(columns), rng.standard_normal(rows))
    Yv = np.eye(classes)[rng.integers(0, classes, rows)]
    with pytest.MonkeyPatch.context() as patch:
        for name, value in [("_BLOCKED_MIN_COLUMNS", 0), ("_BLOCKED_MIN_ENTRIES", 0), ("_BLOCK_BYTES", 8 * 64)]:
            patch.setattr(numpy_kernels, name, value)
        cross_entropy = symml.derive.gradient(symml.losses.softmax_cross_entropy(X, W, Y), W).numpy()
        least_squares = symml.derive.gradient(symml.losses.least_squares(X, w, y), w).numpy()
        assert "_row_blocked(X, " in cross_entropy.source and "2 * _row_blocked(X, " in least_squares.source
        results = cross_entropy(X=Xv, W=Wv, Y=Yv), least_squares(X=Xv, w=wv, y=yv)
    assert np.allclose(results[0], Xv.T @ (softmax(Xv @ Wv, axis=1) - Yv), rtol=1e-10, atol=1e-10)
    assert np.allclose(results[1], 2 * Xv.T @ (Xv @ wv - yv), rtol=1e-10, atol=1e-10)


def test_one_pass_over_rows_pays_from_a_size_at_any_width_and_blocking_one_product_only_when_wide():
    from symml.matrix_calculus.numpy_kernels import row_blocking_pays, row_summing_pays

    assert row_summing_pays(np.empty((100_000, 10))) and not row_blocking_pays(np.empty((100_000, 10)))
    assert not row_summing_pays(np.empty((10, 3)))


def test_one_pass_over_rows_leaves_a_matrix_in_cache_with_few_rows_to_the_whole_arrays():
    # below 2^14 rows and 16 MB the whole arrays are faster (n = 1e4, d = 100: the value and gradient 0.77x)
    from symml.matrix_calculus.numpy_kernels import row_summing_pays

    assert not row_summing_pays(np.empty((10_000, 100))) and not row_summing_pays(np.empty((10_000, 200)))
    assert row_summing_pays(np.empty((20_000, 50))) and row_summing_pays(np.empty((5_000, 500)))
    assert not row_summing_pays(np.empty((10_000, 300), dtype=np.float32))  # 12 MB
