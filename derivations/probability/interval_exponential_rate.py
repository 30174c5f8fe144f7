"""Exact confidence interval for an exponential rate from the Gamma pivot: S = sum x_i has M_S(t) =
(lambda/(lambda - t))^n, recognised as Gamma(n, 1/lambda), so lambda S ~ Gamma(n, 1) (2 lambda S ~ chi^2_2n)
whatever lambda; inverting q_lo <= lambda S <= q_hi gives [q_lo/S, q_hi/S]. verify() simulates the coverage.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    lam = sp.Symbol("lambda", positive=True)
    return symml.derive.confidence_interval(symml.derive.mle(st.Exponential("X", lam)), lam, level=0.9,
                                            method="exact")
