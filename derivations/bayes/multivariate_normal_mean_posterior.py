"""The mean of a multivariate normal with known precision P under a Gaussian prior N(m₀, P₀⁻¹), at matrix level.

The N observations are the rows of X; completing the square in μ gives the precision N P + P₀ and the mean
(N P + P₀)⁻¹(P Xᵀ1 + P₀ m₀), with Xᵀ1 the sum of the observations.
"""
import symml
from symml.gaussian import Gaussian


def derivation() -> symml.Derivation:
    N, d = symml.dims("N d")
    X, mu = symml.matrix("X", N, d), symml.vector("mu", d)
    P, P_0 = symml.matrix("P", d, d, symmetric=True), symml.matrix("P_0", d, d, symmetric=True)
    return symml.derive.posterior(Gaussian(X, mu, P), Gaussian(mu, symml.vector("m_0", d), P_0), wrt=mu)
