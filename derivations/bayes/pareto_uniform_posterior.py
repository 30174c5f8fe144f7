"""Pareto prior on the width of a Uniform(0, theta): support-driven, the posterior's scale is max(x_m, x_(n)).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    theta, x_m, alpha = sp.symbols("theta x_m alpha", positive=True)
    return symml.derive.posterior(st.Uniform("X", 0, theta), st.Pareto("T", x_m, alpha), wrt=theta)
