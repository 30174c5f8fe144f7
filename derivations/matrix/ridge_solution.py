"""Ridge regression: the gradient set to zero gives w = (lambda I + X^T X)^{-1} X^T y (ESL eq. 3.44)."""
import symml
from derivations.matrix._symbols import X, lam, w, y


def derivation() -> symml.Derivation:
    return symml.derive.stationary_point(symml.losses.ridge(X, w, y, lam), w)
