"""KL divergence of a Laplace from a normal: a pair neither torch nor TensorFlow Probability registers.

E_p|x - m2| under the normal is found by splitting the integral at the kink x = m2; the result has erf terms.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    m1, m2 = sp.symbols("m1 m2", real=True)
    s1, b2 = sp.symbols("s1 b2", positive=True)
    return symml.derive.kl(st.Normal("P", m1, s1), st.Laplace("Q", m2, b2))
