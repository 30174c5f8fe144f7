"""Gamma prior (shape a, scale b) on the shape alpha of a Pareto with known scale x_m: the posterior is
Gamma(a + n, b/(b n (mean(log x) - log x_m) + 1)), the log-data above log x_m adding to the inverse scale.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    alpha, x_m = sp.Symbol("alpha", positive=True), sp.Symbol("x_m", positive=True)
    a, b = sp.symbols("a b", positive=True)
    return symml.derive.posterior(st.Pareto("X", x_m, alpha), st.Gamma("A", a, b), wrt=alpha)
