"""Fisher information of a Normal(mu, sigma) and the Cramér–Rao bound (Casella & Berger, Example 7.3.14)."""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu = sp.Symbol("mu", real=True)
    sigma = sp.Symbol("sigma", positive=True)
    return symml.derive.fisher_information(st.Normal("X", mu, sigma), wrt=[mu, sigma])
