"""Logistic regression: the Hessian is X^T diag(sigma(Xw) * (1 - sigma(Xw))) X (PRML eq. 4.97)."""
import symml
from derivations.matrix._symbols import X, w, y


def derivation() -> symml.Derivation:
    return symml.derive.hessian(symml.losses.logistic(X, w, y), w)
