"""KL divergence of a Laplace from a normal: a pair neither torch nor TensorFlow Probability registers.

E_p|x - m2| under the normal is folded at the kink x = m2: E_p[x - m2] plus twice the integral of one side, which
is integrated by parts ((x - m1) f = -s1² f'), so the result has an erf and the density at m2.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    m1, m2 = sp.symbols("m1 m2", real=True)
    s1, b2 = sp.symbols("s1 b2", positive=True)
    return symml.derive.kl(st.Normal("P", m1, s1), st.Laplace("Q", m2, b2))
