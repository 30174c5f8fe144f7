"""Weighted least squares: minimise (y - Xw)^T Omega (y - Xw); w = (X^T Omega X)^{-1} X^T Omega y."""
import symml
from derivations.optimize._symbols import Omega, X, w, y


def derivation() -> symml.Derivation:
    return symml.derive.minimize((y - X @ w).T @ Omega @ (y - X @ w), wrt=w)
