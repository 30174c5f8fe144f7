"""Marginal p(y) of the linear-Gaussian model (PRML 2.115): N(Aμ + b, L⁻¹ + AΛ⁻¹Aᵀ).

The joint of (x, y) has its precision read off the Hessians of the log joint, its mean from both stationarity
conditions; the covariance blocks are solved block by block from the joint precision.
"""
import symml
from symml.gaussian import LinearGaussian


def derivation() -> symml.Derivation:
    d, n = symml.dims("d n")
    model = LinearGaussian.blocks(d, n)
    return symml.derive.marginal(model, keep=model.y)
