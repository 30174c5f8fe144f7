"""Beta prior on the success probability of a Binomial(m, p) with known m: the posterior is
Beta(a + n xbar, b + n m - n xbar), the successes and failures of all n draws added to a and b (Gelman et al.,
Bayesian Data Analysis, section 2.4). The kernel p^(a - 1 + sum x)(1 - p)^(b - 1 + sum(m - x)) is matched against
sympy.stats' Beta.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    p, m = sp.Symbol("p", positive=True), sp.Symbol("m", integer=True, positive=True)
    a, b = sp.symbols("a b", positive=True)
    return symml.derive.posterior(st.Binomial("X", m, p), st.Beta("P", a, b), wrt=p)
