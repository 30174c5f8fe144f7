"""KL divergence between two Gumbel laws, in closed form: every term of E_p[log p - log q] is a derivative of
p's moment generating function e^{m1 t} Gamma(1 - b1 t) (found by the change of variables u = e^{-(x - m1)/b1}),
at t = 0 or at t = -1/b2 (the term e^{-(x - m2)/b2}, giving e^{(m2 - m1)/b2} Gamma(1 + b1/b2)).
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    b1, b2 = sp.symbols("b1 b2", positive=True)
    m1, m2 = sp.symbols("m1 m2", real=True)
    return symml.derive.kl(st.Gumbel("P", b1, m1), st.Gumbel("Q", b2, m2))
