"""Logistic regression: the gradient of the binary cross-entropy is X^T(sigma(Xw) - y) (PRML eq. 4.91)."""
import symml
from derivations.matrix._symbols import X, w, y


def derivation() -> symml.Derivation:
    return symml.derive.gradient(symml.losses.logistic(X, w, y), w)
