"""KL divergence between two multivariate normals, at matrix level (any dimension d).

The expectation of each quadratic form follows from linearity of the trace (Matrix Cookbook eq. 380).
"""
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    d = symml.dims("d")
    mu0, mu1 = symml.vector("mu0", d), symml.vector("mu1", d)
    Sigma0, Sigma1 = symml.matrix("Sigma0", d, d), symml.matrix("Sigma1", d, d)
    return symml.derive.kl(st.MultivariateNormal("P", mu0, Sigma0), st.MultivariateNormal("Q", mu1, Sigma1))
