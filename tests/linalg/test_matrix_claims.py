"""Claims about matrices typed as in notes (ᵀ, ⁻¹, ², the identity I, "for P = ..."), decided by symml.check:
true identities of projections and orthogonal factors are accepted, false ones refused."""
from __future__ import annotations

import pytest
import sympy as sp

import symml
from symml.errors import ParseError, ShapeError
from symml.linalg.claims import check_matrix_claim, read_matrix_claim

B = symml.matrix("B", 3, 2)  # the checker's probe of (I − P)² costs 4 s at 3 x 2, 20 s at 5 x 2: not tested
P = B * (B.T * B).I * B.T
# Q of a 3 x 2 matrix by Gram–Schmidt: orthonormal columns, but not a square orthogonal matrix
Q = symml.derive.qr(sp.Matrix([[3, 1], [4, 2], [0, 1]])).result["Q"]


@pytest.mark.parametrize("claim, names", [
    ("P² = P for P = B(BᵀB)⁻¹Bᵀ", {"B": B}),                  # idempotent
    ("Pᵀ = P", {"P": P}),                                     # symmetric
    ("P^T = P", {"P": P}),
    ("P B = B for P = B(BᵀB)⁻¹Bᵀ", {"B": B}),                 # the columns of B are fixed
    ("QᵀQ = I", {"Q": Q}),                                    # orthonormal columns
    (r"Q^\top Q = I", {"Q": Q}),
])
def test_true_matrix_claims_are_accepted(claim, names):
    assert check_matrix_claim(claim, names)


@pytest.mark.parametrize("claim, names", [("P² = 2P", {"P": P}), ("QQᵀ = I", {"Q": Q}),
                                          ("(I − P)² = P where P = B(BᵀB)⁻¹Bᵀ", {"B": B})])
def test_false_matrix_claims_are_refused(claim, names):
    assert not check_matrix_claim(claim, names)


def test_the_identity_takes_the_size_of_the_other_side():
    left, right = read_matrix_claim("QᵀQ = I", {"Q": Q})
    assert right == sp.eye(2)
    assert read_matrix_claim("I − P = I − P", {"P": P})[0].shape == (3, 3)


@pytest.mark.parametrize("claim, error", [("P² = P for P", ParseError), ("Bᵀ = B", ShapeError),
                                          ("P = P = P", ParseError)])
def test_unreadable_matrix_claims_raise_symml_errors(claim, error):
    with pytest.raises(error):
        read_matrix_claim(claim, {"B": B, "P": P})
