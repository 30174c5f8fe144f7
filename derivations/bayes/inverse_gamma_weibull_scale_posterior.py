"""Inverse-Gamma prior on theta = lambda^k of a Weibull with known shape k, f(x) = (k/theta) x^(k-1) e^(-x^k/theta):
the posterior is Inverse-Gamma(a + n, b + n mean(x^k)). The likelihood is the user's own log-density.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    theta, k, x = sp.Symbol("theta", positive=True), sp.Symbol("k", positive=True), sp.Symbol("x", positive=True)
    a, b = sp.symbols("a b", positive=True)
    weibull = symml.Model(logpdf=sp.log(k) - sp.log(theta) + (k - 1) * sp.log(x) - x**k / theta, data=x,
                          support=sp.Interval(0, sp.oo))
    return symml.derive.posterior(weibull, st.GammaInverse("T", a, b), wrt=theta)
