"""KL divergence of a Laplace(m2, b2) from an Exponential(r1): a pair no registry has. E_p|x - m2| on x > 0 is
split into two cases, the kink m2 inside the support (m2 >= 0, integral split at m2) or below it (one sign):
the result is a Piecewise in m2.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    m2 = sp.Symbol("m2", real=True)
    r1, b2 = sp.symbols("r1 b2", positive=True)
    return symml.derive.kl(st.Exponential("P", r1), st.Laplace("Q", m2, b2))
