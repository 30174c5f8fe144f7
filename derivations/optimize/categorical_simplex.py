"""Categorical MLE on the simplex: maximise sum_i c_i log p_i subject to sum_i p_i = 1; the Lagrangian gives the
empirical frequencies p_i = c_i / sum_j c_j."""
import sympy as sp

import symml
from derivations.optimize._symbols import P

COUNTS = sp.symbols("c1:5", positive=True)


def derivation() -> symml.Derivation:
    loglik = sum(c * sp.log(p) for c, p in zip(COUNTS, P))
    return symml.derive.maximize(loglik, P, subject_to=[symml.Eq(sum(P), 1)])
