"""Marginal of a partitioned Gaussian, p(x_a) (Bishop PRML 2.3.2), at matrix level.

x_b is integrated out by completing its square; the quadratic left in x_a has the precision
Λ_aa − Λ_ab Λ_bb⁻¹ Λ_ba, which solving Λ Σ = I block by block shows to be Σ_aa⁻¹.
"""
import symml
from symml.gaussian import JointGaussian


def derivation() -> symml.Derivation:
    d_a, d_b = symml.dims("d_a d_b")
    joint = JointGaussian.blocks(d_a, d_b)
    return symml.derive.marginal(joint, keep=joint.x_a)
