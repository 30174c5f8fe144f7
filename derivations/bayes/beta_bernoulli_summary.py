"""Summaries of the Beta-Bernoulli posterior: mean (a + n xbar)/(a + b + n), its variance and mode in closed form;
the Beta's quantiles have none, so the 95% credible interval is numeric (Gelman et al., Bayesian Data Analysis,
section 2.4).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    p = sp.Symbol("p", positive=True)
    a, b = sp.symbols("a b", positive=True)
    return symml.derive.posterior_summary(symml.derive.posterior(st.Bernoulli("X", p), prior=st.Beta("P", a, b), wrt=p))
