"""The lasso ||Xw - y||^2 + lambda ||w||_1: no closed form; the soft-threshold is derived by the KKT conditions on
each half-line and numpy() runs proximal gradient descent with it (ESL 3.4.2; Parikh & Boyd 6.5.2)."""
import symml
from derivations.optimize._symbols import X, lam, w, y


def derivation() -> symml.Derivation:
    return symml.derive.minimize(symml.losses.lasso(X, w, y, lam), wrt=w)
