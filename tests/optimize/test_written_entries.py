"""An objective or constraint taken as SymPy's entry [0, 0] of a 1 x 1 product, as users write them."""
import numpy as np
import pytest
import sympy as sp

import symml
from symml.errors import ShapeError


def test_pca_written_through_entries_is_the_leading_eigenvector_numpy_finds():
    d = sp.Symbol("d", integer=True, positive=True)
    w, S = symml.vector("w", d), symml.matrix("S", d, d, symmetric=True)
    derivation = symml.derive.maximize((w.T * S * w)[0, 0], wrt=w, subject_to=[sp.Eq((w.T * w)[0, 0], 1)])
    A = np.array([[2.0, 1, 0], [1, 3, 1], [0, 1, 1]])
    direction = np.ravel(derivation.numpy()(S=A))
    leading = np.linalg.eigh(A).eigenvectors[:, -1]
    assert abs(abs(direction @ leading) - 1) < 1e-10


def test_entries_of_numeric_size_are_a_shape_error_not_an_attribute_error():
    w, S = symml.vector("w", 3), symml.matrix("S", 3, 3, symmetric=True)
    with pytest.raises(ShapeError, match="without \\[0, 0\\]"):
        symml.derive.maximize((w.T * S * w)[0, 0], wrt=w, subject_to=[sp.Eq((w.T * w)[0, 0], 1)])
