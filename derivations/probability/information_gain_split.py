"""Information gain of a decision-tree split with symbolic class counts: H(Y) - sum_k (n_k/n) H(Y | branch k),
which equals the mutual information I(B; Y) of the branch and the class. verify() evaluates that mutual
information as the defining sum of p log(p / (p_B p_Y)).
"""
import sympy as sp

import symml


def derivation() -> symml.Derivation:
    a, b, c, d = sp.symbols("a b c d", positive=True)
    return symml.derive.information_gain([[a, b], [c, d]])
