"""The call path of exported functions (checks once per shape signature) and several outputs in one pass; each
result checked against hand-written NumPy of the same maths or finite differences."""
from __future__ import annotations

import functools

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

import symml
from symml.errors import ParameterError, ShapeError
from symml.testing import check_gradient, check_hessian

n, d = symml.dims("n d")
X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)


@functools.cache
def _logistic_gradient() -> symml.Derivation:
    return symml.derive.gradient(symml.losses.logistic(X, w, y), w)


@functools.cache
def _logistic() -> tuple:
    loss = symml.losses.logistic(X, w, y)
    gradient = _logistic_gradient()
    return gradient.numpy(), symml.derive.hessian(loss, w).numpy(), gradient.numpy(outputs=("value", "gradient", "hessian"))


def _hand(Xv: np.ndarray, wv: np.ndarray, yv: np.ndarray) -> tuple:
    z = Xv @ wv
    p = expit(z)
    return np.sum(np.logaddexp(0, z)) - yv @ z, Xv.T @ (p - yv), Xv.T @ ((p * (1 - p))[:, None] * Xv)


def _data(rows: int, columns: int, seed: int) -> tuple:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((rows, columns)), rng.standard_normal(columns), (rng.random(rows) < 0.5) * 1.0


@settings(max_examples=20, deadline=None)
@given(rows=st.integers(1, 12), columns=st.integers(1, 5), layout=st.sampled_from(["C", "F", "strided", "float32",
                                                                                    "column", "list"]),
       seed=st.integers(0, 2**16))
def test_repeated_calls_of_any_layout_agree_with_hand_written_numpy(rows, columns, layout, seed):
    # the first call of a signature is checked, later ones take the plan: both equal the hand-written maths
    gradient, hessian, _ = _logistic()
    Xv, wv, yv = _data(rows, columns, seed)
    expected = _hand(Xv, wv, yv)
    given_X, given_w = {"C": (Xv, wv), "F": (np.asfortranarray(Xv), wv), "strided": (np.repeat(Xv, 2, 1)[:, ::2], wv),
                        "float32": (Xv.astype(np.float32), wv.astype(np.float32)), "column": (Xv, wv[:, None]),
                        "list": (Xv.tolist(), wv.tolist())}[layout]
    tolerance = 1e-5 if layout == "float32" else 1e-10
    for _ in range(2):
        g, H = gradient(X=given_X, w=given_w, y=yv), hessian(X=given_X, w=given_w, y=yv)
        assert np.shape(g) == np.shape(given_w) and np.shape(H) == (columns, columns)
        assert np.allclose(np.ravel(g), expected[1], rtol=tolerance, atol=tolerance)
        assert np.allclose(H, expected[2], rtol=tolerance, atol=tolerance)


def test_a_known_signature_still_reports_a_missing_or_unknown_argument():
    gradient, _, _ = _logistic()
    Xv, wv, yv = _data(5, 2, 0)
    gradient(X=Xv, w=wv, y=yv)
    with pytest.raises(ParameterError, match="missing: \\['y'\\]"):
        gradient(X=Xv, w=wv)
    with pytest.raises(ParameterError, match="unknown: \\['z'\\]"):
        gradient(X=Xv, w=wv, y=yv, z=yv)


def test_a_new_signature_is_checked_again():
    gradient, _, _ = _logistic()
    Xv, wv, yv = _data(5, 2, 0)
    gradient(X=Xv, w=wv, y=yv)
    with pytest.raises(ShapeError, match="n = 5"):
        gradient(X=Xv, w=wv, y=np.zeros(4))


def test_a_scalar_parameter_is_passed_on_the_planned_path():
    lam = symml.dims("lambda_")  # a positive scalar symbol, passed by name
    ridge = symml.derive.gradient(symml.sq_norm(X @ w - y) + lam * symml.sq_norm(w), w).numpy()
    Xv, wv, yv = _data(6, 3, 1)
    for value in (0.5, 2.0):
        expected = 2 * Xv.T @ (Xv @ wv - yv) + 2 * value * wv
        assert np.allclose(ridge(X=Xv, w=wv, y=yv, lambda_=value), expected)


@settings(max_examples=10, deadline=None)
@given(rows=st.integers(1, 40), columns=st.integers(1, 6), seed=st.integers(0, 2**16))
def test_value_gradient_and_hessian_in_one_pass_match_their_separate_definitions(rows, columns, seed):
    # one call: (L, ∇L, ∇²L); ∇L checked by finite differences of L, ∇²L by those of ∇L
    _, _, together = _logistic()
    Xv, wv, yv = _data(rows, columns, seed)
    value, gradient, hessian = together(X=Xv, w=wv, y=yv)
    expected = _hand(Xv, wv, yv)
    assert value == pytest.approx(expected[0], rel=1e-12, abs=1e-12)
    assert isinstance(value, float) and gradient.shape == wv.shape
    loss = lambda v: together(X=Xv, w=v, y=yv)[0]  # noqa: E731
    assert check_gradient(loss, lambda v: together(X=Xv, w=v, y=yv)[1], wv) < 1e-6
    assert check_hessian(loss, lambda v: together(X=Xv, w=v, y=yv)[2], wv) < 1e-5


def test_one_pass_shares_the_product_and_the_exponential_of_softplus_and_sigmoid():
    # in both kernels: the pass over blocks of rows and the whole-array one; softplus(Xw) and σ(Xw) from one e^−|Xw|
    _, _, together = _logistic()
    kernels = together.source.split("\ndef ")
    assert len(kernels) == 2 and all(k.count("@ w") == 1 and k.count("_softplus_sigmoid(") == 1 for k in kernels)
    assert "_expit(" not in together.source and "_softplus(" not in together.source


def test_softplus_and_sigmoid_share_an_exponential_only_where_both_of_one_argument_are_computed():
    # the value alone has softplus(Xw), the gradient alone σ(Xw): each its own ufunc; JAX's code keeps both (XLA fuses)
    from symml.matrix_calculus.numpy_export import numpy_source

    gradient = _logistic_gradient()
    assert "_softplus_sigmoid(" not in gradient.numpy().source + gradient.numpy(outputs=("value",)).source
    both = (symml.sum(symml.softplus(X @ w)), X.T @ symml.sigmoid(X @ w), X.T @ symml.sigmoid(2 * X @ w))
    assert numpy_source(both, [X, w], blocking=False).count("_softplus_sigmoid(") == 1  # σ(2Xw): its own argument
    assert "_softplus_sigmoid(" not in numpy_source(both, [X, w], for_xla=True)


def test_a_block_of_rows_names_only_the_temporaries_it_reads_twice():
    # a temporary read once is written into its reader: fewer Python statements in the loop over blocks of rows
    import re

    _, _, together = _logistic()
    block = together.source.split("def _block")[1].split("\n    _t")[0]
    names = re.findall(r"^ {8}(\w+) = ", block, flags=re.MULTILINE)
    assert names and all(len(re.findall(rf"\b{name}\b", block)) >= 3 for name in names)


@settings(max_examples=10, deadline=None)
@given(rows=st.integers(1, 300), columns=st.integers(1, 40), seed=st.integers(0, 2**16))
def test_one_pass_over_blocks_of_rows_equals_the_whole_arrays(rows, columns, seed):
    # (L, ∇L, ∇²L) summed over blocks of 64 rows (forced at every size), the Hessian's blocks by syrk
    from symml.matrix_calculus import numpy_kernels

    Xv, wv, yv = _data(rows, columns, seed)
    expected = _hand(Xv, wv, yv)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in [("_SUMMED_MIN_ENTRIES", 0), ("_SUMMED_WHOLE_MAX_ROWS", 0), ("_BLOCK_BYTES", 8),
                            ("_SYRK_MIN_COLUMNS", 0), ("_SYRK_MIN_WORK", 0)]:
            patch.setattr(numpy_kernels, name, value)
        together = _logistic_gradient().numpy(outputs=("value", "gradient", "hessian"))
        assert "_row_summed(X, " in together.source
        results = [together(X=Xv, w=wv, y=yv) for _ in range(2)]  # the checked call, then the signature's plan
    for value, gradient, hessian in results:
        assert value == pytest.approx(expected[0], rel=1e-10, abs=1e-10)
        assert np.allclose(gradient, expected[1], rtol=1e-10, atol=1e-10)
        assert np.allclose(hessian, expected[2], rtol=1e-10, atol=1e-10) and np.array_equal(hessian, hessian.T)


def _mp_logistic(Xv: np.ndarray, wv: np.ndarray, yv: np.ndarray) -> tuple:
    """(L, ∇L, ∇²L) of the logistic loss in 30-digit arithmetic, row by row from log(1 + eᶻ) and σ(z) = 1/(1 + e⁻ᶻ)."""
    value, gradient, hessian = mpmath.mpf(0), [mpmath.mpf(0)] * len(wv), [[mpmath.mpf(0)] * len(wv) for _ in wv]
    with mpmath.workdps(30):
        for row, label in zip(Xv.tolist(), yv.tolist()):
            z = mpmath.fsum(mpmath.mpf(a) * b for a, b in zip(row, wv.tolist()))
            p = 1 / (1 + mpmath.exp(-z))
            value += mpmath.log1p(mpmath.exp(z)) - label * z
            gradient = [g + a * (p - label) for g, a in zip(gradient, row)]
            hessian = [[h + a * b * p * (1 - p) for h, b in zip(line, row)] for line, a in zip(hessian, row)]
        return float(value), np.array(gradient, dtype=float), np.array(hessian, dtype=float)


@pytest.mark.parametrize("path", ["whole arrays", "one block of rows", "blocks of 64 rows"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_one_pass_at_margins_of_800_and_1e5_equals_30_digit_arithmetic(path, dtype):
    # rows with Xw = ±800 and ±1e5 (e^|Xw| overflows, σ(1 − σ) underflows to 0) among ordinary ones, n = 600: the
    # exponential shared by softplus and σ (from 512 entries) and the two ufuncs (blocks of 64); no nan or inf
    from symml.matrix_calculus import numpy_kernels

    rng = np.random.default_rng(17)
    Xv, wv, yv = rng.standard_normal((600, 3)), np.array([1.0, 0.5, -0.25]), (rng.random(600) < 0.5) * 1.0
    Xv[:8, 0], Xv[:8, 1:] = [800.0, -800.0, 1e5, -1e5] * 2, 0.0
    blocked = [("_SUMMED_MIN_ENTRIES", 0), ("_SUMMED_WHOLE_MAX_ROWS", 0)]
    settings_ = {"one block of rows": blocked, "blocks of 64 rows": [*blocked, ("_BLOCK_BYTES", 8)]}.get(path, [])
    with pytest.MonkeyPatch.context() as patch:
        for name, number in settings_:
            patch.setattr(numpy_kernels, name, number)
        together = _logistic_gradient().numpy(outputs=("value", "gradient", "hessian"))
        results = together(X=Xv.astype(dtype), w=wv.astype(dtype), y=yv.astype(dtype))
    tolerance = 1e-12 if dtype == np.float64 else 1e-5
    for result, exact in zip(results, _mp_logistic(Xv.astype(dtype).astype(float), wv.astype(dtype).astype(float), yv)):
        assert np.all(np.isfinite(result)) and (isinstance(result, float) or result.dtype == dtype)
        assert np.allclose(result, exact, rtol=tolerance, atol=tolerance * np.max(np.abs(exact)))


def test_outputs_of_a_hessian_derivation_derive_the_gradient():
    hessian = symml.derive.hessian(symml.sq_norm(X @ w - y), w)
    gradient, value = hessian.numpy(outputs=("gradient", "value"))(X=np.eye(2), w=np.ones(2), y=np.zeros(2))
    assert np.allclose(gradient, 2 * np.ones(2)) and value == pytest.approx(2.0)


def test_one_named_output_is_returned_bare_in_the_layout_of_its_input():
    # outputs=("value",) is the value alone (a float), outputs=("gradient",) the gradient shaped like w
    Xv, wv, yv = _data(6, 3, 1)
    expected = _hand(Xv, wv, yv)
    value = _logistic_gradient().numpy(outputs=("value",))
    gradient = _logistic_gradient().numpy(outputs=("gradient",))
    for _ in range(2):  # the checked call, then the signature's plan
        assert isinstance(value(X=Xv, w=wv, y=yv), float)
        assert value(X=Xv, w=wv, y=yv) == pytest.approx(expected[0], rel=1e-12)
        assert gradient(X=Xv, w=wv, y=yv).shape == (3,) and gradient(X=Xv, w=wv[:, None], y=yv).shape == (3, 1)
        assert np.allclose(gradient(X=Xv, w=wv, y=yv), expected[1], rtol=1e-12, atol=1e-12)


def test_an_unknown_output_is_a_parameter_error():
    with pytest.raises(ParameterError, match="unknown output 'laplacian'"):
        symml.derive.gradient(symml.sq_norm(w), w).numpy(outputs=("value", "laplacian"))


@functools.cache
def _flat_cases() -> list:
    lam = symml.dims("lambda_")
    s = symml.sigmoid(X @ w)
    return [X.T @ (s - y), 2 * X.T @ (X @ w - y), symml.derive.gradient(symml.losses.ridge(X, w, y, lam), w).result,
            X.T @ symml.hadamard(symml.tanh(X @ w), y), X.T @ (sp.OneMatrix(n, 1) - s), X.T @ X @ w - 3 * w]


@settings(max_examples=15, deadline=None)
@given(case=st.integers(0, 5), rows=st.integers(1, 9), columns=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_flat_vectors_give_the_numbers_of_columns(case, rows, columns, seed):
    # a kernel fed the 1-D vectors as given (its plan) computes what it computes from columns
    from symml.matrix_calculus.flat_vectors import flat_safe
    from symml.matrix_calculus.numpy_export import numpy_function

    expr = _flat_cases()[case]
    assert flat_safe(expr)
    parameters = [p for p in expr.free_symbols if p.name == "lambda_"]
    f = numpy_function(expr, [X, w, y], parameters=parameters, like=w)
    Xv, wv, yv = _data(rows, columns, seed)
    numbers = {"lambda_": 0.5} if parameters else {}
    expected = f(X=Xv, w=wv[:, None], y=yv[:, None], **numbers)
    as_column = numpy_function(expr, [X, w, y], parameters=parameters)  # no `like`: the result is a column
    for _ in range(2):  # the checked call, then the flat plan
        result = f(X=Xv, w=wv, y=yv, **numbers)
        assert result.shape == wv.shape and np.allclose(result, expected.ravel(), rtol=1e-12, atol=1e-12)
        assert np.allclose(as_column(X=Xv, w=wv, y=yv, **numbers), expected, rtol=1e-12, atol=1e-12)


def test_vectors_that_would_broadcast_differently_keep_their_columns():
    from symml.matrix_calculus.flat_vectors import flat_safe

    assert not flat_safe(symml.diag(y) @ X @ w)  # v * A
    assert not flat_safe((w.T @ w) * w)  # a 1 x 1 product as coefficient
    assert not flat_safe(X.T @ sp.OneMatrix(n, 1))  # a ones column
    assert not flat_safe(X.T @ symml.softmax(X @ w))  # a reduction over the rows
    assert not flat_safe(symml.inv(X.T @ X) @ w)
