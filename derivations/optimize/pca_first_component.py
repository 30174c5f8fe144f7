"""PCA's first component: maximise w^T S w on the unit sphere; the Lagrangian gives S w = lambda w, the variance
w^T S w equals lambda, so the largest eigenvalue's eigenvector (Bishop PRML 12.1.1)."""
import symml
from derivations.optimize._symbols import S, w


def derivation() -> symml.Derivation:
    return symml.derive.maximize(w.T @ S @ w, wrt=w, subject_to=[symml.Eq(w.T @ w, 1)])
