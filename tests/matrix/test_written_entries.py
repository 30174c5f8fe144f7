"""A scalar taken as SymPy's entry [0, 0] of a 1 x 1 product: read back at matrix level, or a clear error."""
import numpy as np
import pytest
import sympy as sp

import symml
from symml.errors import ShapeError

n, d = sp.symbols("n d", integer=True, positive=True)
lam = sp.Symbol("lambda", positive=True)
X, w, y = sp.MatrixSymbol("X", n, d), sp.MatrixSymbol("w", d, 1), sp.MatrixSymbol("y", n, 1)
RIDGE_AS_ENTRY = ((X * w - y).T * (X * w - y))[0, 0] + lam * (w.T * w)[0, 0]


def _ridge(X_, w_, y_, lam_):
    residual = X_ @ w_ - y_
    return residual @ residual + lam_ * w_ @ w_


def test_gradient_of_an_entry_written_out_by_sympy_agrees_with_finite_differences():
    rng = np.random.default_rng(0)
    X_, w_, y_ = rng.normal(size=(6, 3)), rng.normal(size=3), rng.normal(size=6)
    gradient = symml.derive.gradient(RIDGE_AS_ENTRY, wrt=w).numpy()(X=X_, w=w_, y=y_, **{"lambda": 0.7})
    step = 1e-6
    numeric = [(_ridge(X_, w_ + step * e, y_, 0.7) - _ridge(X_, w_ - step * e, y_, 0.7)) / (2 * step)
               for e in np.eye(3)]
    np.testing.assert_allclose(np.ravel(gradient), numeric, rtol=1e-7)


def test_an_entry_read_back_stays_at_matrix_level_and_says_so():
    derivation = symml.derive.hessian(RIDGE_AS_ENTRY, wrt=w)
    assert not derivation.result.has(sp.Sum)
    assert any("read back" in remark for remark in derivation.remarks)


def test_an_entry_of_numeric_size_written_term_by_term_is_a_shape_error_naming_the_fix():
    X3, w3 = sp.MatrixSymbol("X", 4, 3), sp.MatrixSymbol("w", 3, 1)
    with pytest.raises(ShapeError, match="without \\[0, 0\\]"):
        symml.derive.gradient(((X3 * w3).T * (X3 * w3))[0, 0], wrt=w3)


def test_sums_merged_into_one_contraction_are_a_shape_error_naming_the_fix():
    with pytest.raises(ShapeError, match="without \\[0, 0\\]"):
        symml.derive.gradient(((X * w).T * (X * w))[0, 0], wrt=w)


def test_an_entry_of_an_inverse_is_read_back_at_matrix_level():
    """A Mahalanobis form typed with [0, 0], ((y − m)ᵀ S⁻¹ (y − m))[0, 0]: SymPy writes entries of S⁻¹, which were
    'outside a matrix expression' (UnsupportedOperationError); now −2 S⁻¹(y − m) for symmetric S, by finite
    differences."""
    size = symml.dims("n")
    y, m, S = symml.vector("y", size), symml.vector("m", size), symml.matrix("S", size, size)
    gradient = symml.derive.gradient(((y - m).T @ symml.inv(S) @ (y - m))[0, 0], m).numpy()
    rng = np.random.default_rng(3)
    root = rng.normal(size=(4, 4))
    S_value, y_value, m_value = root @ root.T + np.eye(4), rng.normal(size=4), rng.normal(size=4)
    form = lambda v: (y_value - v) @ np.linalg.solve(S_value, y_value - v)  # noqa: E731
    step, basis = 1e-6, np.eye(4)
    expected = [(form(m_value + step * e) - form(m_value - step * e)) / (2 * step) for e in basis]
    assert gradient(y=y_value, m=m_value, S=S_value) == pytest.approx(expected, abs=1e-6)
