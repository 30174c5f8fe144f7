"""Least squares: the gradient of ||Xw - y||^2 is 2X^T(Xw - y) (Matrix Cookbook eq. 84; ESL eq. 3.4)."""
import symml
from derivations.matrix._symbols import X, w, y


def derivation() -> symml.Derivation:
    return symml.derive.gradient(symml.losses.least_squares(X, w, y), w)
