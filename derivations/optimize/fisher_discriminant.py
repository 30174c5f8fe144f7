"""Fisher's discriminant: maximise the between-class spread (w^T m)^2 with m = m_1 - m_2 subject to a unit
within-class spread w^T S_W w = 1. The Lagrangian gives the generalised eigenproblem m m^T w = lambda S_W w, and
since m m^T w is a multiple of m, w is a multiple of S_W^{-1} m (Bishop PRML 4.1.4, eq. 4.30)."""
import symml
from derivations.optimize._symbols import d, w

m = symml.vector("m", d)
S_W = symml.matrix("S_W", d, d, symmetric=True)


def derivation() -> symml.Derivation:
    return symml.derive.maximize(w.T @ m @ m.T @ w, wrt=w, subject_to=[symml.Eq(w.T @ S_W @ w, 1)])
