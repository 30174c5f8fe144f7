"""Beta: both shape parameters. No closed form.

The stationarity equations digamma(a) - digamma(a + b) = mean(log x), digamma(b) - digamma(a + b) =
mean(log(1 - x)) are solved numerically from the method-of-moments guess.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    a = sp.Symbol("alpha", positive=True)
    b = sp.Symbol("beta", positive=True)
    return symml.derive.mle(st.Beta("X", a, b), wrt=[a, b])
