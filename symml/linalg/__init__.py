"""Linear algebra with its steps, on small explicit or symbolic matrices (``sympy.Matrix``).

Characteristic polynomial, eigenvalues and eigenvectors, diagonalisation, the spectral decomposition of a
symmetric matrix, LU by elimination, QR by Gram–Schmidt, the SVD via AᵀA (and PCA), projections, norms,
determinants and inverses by cofactors. Each result's ``verify()`` compares it with numpy.linalg. Claims typed as
in notes ("P² = P for P = B(BᵀB)⁻¹Bᵀ", "QᵀQ = I") are read by :mod:`symml.linalg.claims` and decided by
:func:`symml.check`.

>>> import sympy as sp
>>> eigen(sp.Matrix([[2, 1], [1, 2]])).result["eigenvalues"].T
Matrix([[1, 3]])
"""
from __future__ import annotations

from symml.linalg.eigen import diagonalize, eigen, spectral_decomposition
from symml.linalg.elimination import determinant, inverse, lu, qr
from symml.linalg.singular import norms, projection, svd
from symml.linalg.claims import check_matrix_claim, read_matrix_claim

from symml.linalg import verification  # noqa: E402,F401 - registers numpy() and verify()

__all__ = ["eigen", "diagonalize", "spectral_decomposition", "lu", "qr", "svd", "projection", "norms",
           "determinant", "inverse", "check_matrix_claim", "read_matrix_claim"]
