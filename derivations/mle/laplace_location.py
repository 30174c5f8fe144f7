"""Laplace with a known scale: the location, the sample median (a subgradient condition).

The log-likelihood -sum |x_i - mu| / b is not differentiable at the observations; 0 must lie in its
subdifferential, which holds at the median (any point between the two middle observations for even n).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    mu = sp.Symbol("mu", real=True)
    b = sp.Symbol("b", positive=True)
    return symml.derive.mle(st.Laplace("X", mu, b), wrt=[mu])
