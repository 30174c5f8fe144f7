"""Projection onto an affine subspace {w : A w = b}: w = v - A^T (A A^T)^{-1} (A v - b) (Boyd & Vandenberghe 8.1)."""
import symml
from derivations.optimize._symbols import A, b, v, w


def derivation() -> symml.Derivation:
    return symml.derive.minimize(symml.sq_norm(w - v), wrt=w, subject_to=[symml.Eq(A @ w, b)])
