"""Differential entropy of a Gumbel(b, mu): log b + gamma + 1, with gamma Euler's constant.

E[X] has no elementary antiderivative as posed; the generating-function route differentiates
M(t) = E[e^{tX}], whose integral the change of variables u = e^{-(x - mu)/b} turns into a Gamma integral:
M(t) = e^{mu t} Gamma(1 - b t), so E[X] = mu + gamma b, and E[e^{-(X - mu)/b}] = 1 by the score's mean.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    b = sp.Symbol("b", positive=True)
    mu = sp.Symbol("mu", real=True)
    return symml.derive.entropy(st.Gumbel("X", b, mu))
