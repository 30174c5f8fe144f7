"""Conditional of a partitioned Gaussian, p(x_a | x_b) (Bishop PRML 2.3.1), at matrix level.

The square is completed in x_a in the precision blocks; solving Σ Λ = I block by block (the Schur complement)
brings the result back to the covariance blocks: μ_a + Σ_ab Σ_bb⁻¹ (x_b − μ_b) and Σ_aa − Σ_ab Σ_bb⁻¹ Σ_ba.
"""
import symml
from symml.gaussian import JointGaussian


def derivation() -> symml.Derivation:
    d_a, d_b = symml.dims("d_a d_b")
    joint = JointGaussian.blocks(d_a, d_b)
    return symml.derive.conditional(joint, given=joint.x_b)
