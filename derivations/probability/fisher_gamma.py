"""Fisher information of a Gamma(k, theta): a trigamma entry from minus the expected Hessian."""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    k, theta = sp.symbols("k theta", positive=True)
    return symml.derive.fisher_information(st.Gamma("X", k, theta), wrt=[k, theta])
