"""Posterior p(x | y) of the linear-Gaussian model p(x) = N(μ, Λ⁻¹), p(y | x) = N(Ax + b, L⁻¹) (PRML 2.116-2.117).

Completing the square in x of the log joint: precision Λ + AᵀLA, mean (Λ + AᵀLA)⁻¹(AᵀL(y − b) + Λμ).
"""
import symml
from symml.gaussian import LinearGaussian


def derivation() -> symml.Derivation:
    d, n = symml.dims("d n")
    model = LinearGaussian.blocks(d, n)
    return symml.derive.conditional(model, given=model.y)
