"""Uniform on [0, theta]: the upper end, the sample maximum.

Setting the derivative to zero fails: the likelihood theta^(-n) grows as theta shrinks, until the support
stops excluding an observation (Casella & Berger, Example 7.2.4 style boundary argument).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    theta = sp.Symbol("theta", positive=True)
    return symml.derive.mle(st.Uniform("X", 0, theta), wrt=[theta])
