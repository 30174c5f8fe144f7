"""Least-norm solution of A w = b: minimise ||w||^2 subject to A w = b; block elimination of the multiplier gives
w = A^T (A A^T)^{-1} b (Boyd & Vandenberghe 6.2)."""
import symml
from derivations.optimize._symbols import A, b, w


def derivation() -> symml.Derivation:
    return symml.derive.minimize(symml.sq_norm(w), wrt=w, subject_to=[symml.Eq(A @ w, b)])
