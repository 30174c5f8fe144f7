"""Ridge regression as a minimisation: w = (X^T X + lambda I)^{-1} X^T y, strictly convex for lambda > 0
(ESL eq. 3.44)."""
import symml
from derivations.optimize._symbols import X, lam, w, y


def derivation() -> symml.Derivation:
    return symml.derive.minimize(symml.losses.ridge(X, w, y, lam), wrt=w)
