"""Ordinary least squares: minimise ||y - Xw||^2; the normal equations give w = (X^T X)^{-1} X^T y, a global
minimum because the Hessian 2 X^T X is positive semidefinite (ESL eq. 3.6)."""
import symml
from derivations.optimize._symbols import X, w, y


def derivation() -> symml.Derivation:
    return symml.derive.minimize(symml.sq_norm(y - X @ w), wrt=w)
