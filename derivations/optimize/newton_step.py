"""The Newton step for a quadratic f(w) = w^T Q w / 2 - c^T w: the minimiser Q^{-1} c, reached in one Newton step
from any start (the model of f is f itself)."""
import symml
from derivations.optimize._symbols import d, w

Q = symml.matrix("Q", d, d, symmetric=True)
c = symml.vector("c", d)


def derivation() -> symml.Derivation:
    return symml.derive.minimize(w.T @ Q @ w / 2 - c.T @ w, wrt=w)
