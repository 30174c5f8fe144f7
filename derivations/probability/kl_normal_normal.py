"""KL divergence between two univariate normals, as E_p[log p - log q].

Derived term by term: the log-ratio is a quadratic in x, so only E[x] and E[x^2] under p are needed (both by
differentiating the normaliser). Compare Bishop, PRML, exercise 1.30; torch registers the same closed form.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    m1, m2 = sp.symbols("m1 m2", real=True)
    s1, s2 = sp.symbols("s1 s2", positive=True)
    return symml.derive.kl(st.Normal("P", m1, s1), st.Normal("Q", m2, s2))
