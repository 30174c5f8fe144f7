"""Multivariate Gaussian: the covariance that zeroes the gradient of the NLL is Sigma = S/n (PRML eq. 2.122)."""
import symml
from derivations.matrix._symbols import d, n


def derivation() -> symml.Derivation:
    S = symml.matrix("S", d, d, symmetric=True)
    Sigma = symml.matrix("Sigma", d, d, symmetric=True)
    return symml.derive.stationary_point(symml.losses.gaussian_nll(S, None, Sigma, n=n), Sigma, symmetric=True)
