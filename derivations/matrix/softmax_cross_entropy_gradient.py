"""Softmax regression: the gradient of the cross-entropy in the weight matrix is X^T(softmax(XW) - Y) (PRML eq. 4.109)."""
import symml
from derivations.matrix._symbols import X, d, k, n


def derivation() -> symml.Derivation:
    W = symml.matrix("W", d, k)
    Y = symml.matrix("Y", n, k)
    return symml.derive.gradient(symml.losses.softmax_cross_entropy(X, W, Y), W)
