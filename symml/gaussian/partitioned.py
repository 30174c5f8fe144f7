"""Conditional and marginal of a partitioned Gaussian, by completing the square in the precision blocks.

Conditional (Bishop PRML 2.3.1): the joint log-density is quadratic in x_a; completing the square in x_a gives the
precision Λ_aa and the mean μ_a − Λ_aa⁻¹Λ_ab(x_b − μ_b); solving Σ Λ = I block by block expresses Λ_aa and Λ_ab
in the covariance blocks:

.. math:: \\mu_{a|b} = \\mu_a + \\Sigma_{ab}\\Sigma_{bb}^{-1}(x_b - \\mu_b), \\qquad
          \\Sigma_{a|b} = \\Sigma_{aa} - \\Sigma_{ab}\\Sigma_{bb}^{-1}\\Sigma_{ba}.

Marginal (PRML 2.3.2): completing the square in x_b and integrating it out leaves a quadratic in x_a with precision
Λ_aa − Λ_abΛ_bb⁻¹Λ_ba and mean μ_a; solving Λ Σ = I block by block shows that precision is Σ_aa⁻¹.

>>> import symml
>>> d_a, d_b = symml.dims("d_a d_b")
>>> joint = JointGaussian.blocks(d_a, d_b)
>>> derive_conditional(joint, given=joint.x_b).result
(Sigma_ab*Sigma_bb**(-1)*(-mu_b + x_b) + mu_a, -Sigma_ab*Sigma_bb**(-1)*Sigma_ab.T + Sigma_aa)
>>> derive_marginal(joint, keep=joint.x_a).result
(mu_a, Sigma_aa)
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.budget import within
from symml.derivation import Derivation, Step
from symml.errors import ModelError
from symml.gaussian.completing_square import cancelled, complete_the_square, normaliser_step, simplified
from symml.gaussian.joint import JointGaussian, block_inverse
from symml.gaussian.notation import named
from symml.gaussian.problem import GaussianProblem
from symml.matrix_calculus.algebra import Scalar, factor
from symml.render.printer import latex

__all__ = ["derive_conditional", "derive_marginal"]

#: Budget for one derivation; the work is structural and takes a fraction of a second.
DERIVE_SECONDS = 20.0


def _oriented(joint: Any, first: Any) -> JointGaussian:
    """The joint with ``first`` as part a."""
    if not isinstance(joint, JointGaussian):
        raise ModelError(f"expected a symml.gaussian.JointGaussian, not {type(joint).__name__}")
    return joint if joint.part(first) == "a" else joint.swapped()


def _joint_step(joint: JointGaussian) -> Step:
    P_aa, P_ab, P_bb = joint.precision_blocks()
    a, b = (latex(part) for part in (joint.x_a, joint.x_b))
    log_p = named(f"log p({joint.x_a.name}, {joint.x_b.name})", f"\\log p({a}, {b})")
    return Step("Joint log-density in the precision blocks",
                sp.Eq(log_p, joint.log_density_in_precision() + sp.MatrixSymbol("const", 1, 1), evaluate=False),
                f"$\\Lambda = \\Sigma^{{-1}}$ in blocks ${latex(P_aa)}, {latex(P_ab)}, {latex(P_bb)}$; "
                f"${latex(P_ab.T)}$ is the lower block since $\\Lambda$ is symmetric")


def derive_conditional(joint: JointGaussian, given: Any) -> Derivation:
    """p(x_a | x_b) of a jointly Gaussian (x_a, x_b): its mean and covariance in the covariance blocks.

    Args:
        joint: the :class:`~symml.gaussian.JointGaussian`.
        given: the part conditioned on (``joint.x_b``, or ``joint.x_a`` for p(x_b | x_a)).

    Returns:
        A Derivation whose ``result`` is (mean, covariance); ``numpy()`` returns ``{"mean", "covariance"}`` as
        functions of the blocks and the given part by name.
    """
    return within(DERIVE_SECONDS, "the conditional Gaussian", _conditional, joint, given)


def _conditional(joint: JointGaussian, given: Any) -> Derivation:
    j = _oriented(joint, given).swapped()
    P_aa, P_ab, P_bb = j.precision_blocks()
    square = complete_the_square(j.log_density_in_precision(), j.x_a)
    a, b = j.labels
    P_ba = sp.MatrixSymbol(f"Lambda_{b}{a}", *P_ab.T.shape)
    inverse = block_inverse(j.cov_aa, j.cov_ab, j.cov_bb, P_aa, P_ba, "\\Sigma")
    in_covariance = {P_aa: inverse.upper, P_ab: inverse.lower.T}
    covariance = simplified(sp.Inverse(square.precision).xreplace(in_covariance))
    mean = factor(simplified(square.mean.xreplace(in_covariance)))
    mean = simplified(j.mean_a) + cancelled(factor(simplified(mean - j.mean_a)))  # μ_a + (the correction), PRML 2.81
    mean_symbol = sp.MatrixSymbol(f"mu_{a}|{b}", *j.x_a.shape)
    cov_symbol = sp.MatrixSymbol(f"Sigma_{a}|{b}", j.x_a.shape[0], j.x_a.shape[0])
    steps = (
        _joint_step(j),
        *square.steps,
        *inverse.steps,
        Step("Back to the covariance blocks", (sp.Eq(cov_symbol, covariance, evaluate=False),
                                               sp.Eq(mean_symbol, mean, evaluate=False)),
             f"substitute ${latex(P_aa)}$ and ${latex(P_ab)} = {latex(P_ba)}^\\top$; "
             f"the covariance is the precision's inverse"),
    )
    problem = GaussianProblem(f"Conditional Gaussian p({j.x_a.name} | {j.x_b.name})", "conditional",
                              (("mean", mean), ("covariance", covariance)), j)
    return Derivation(problem, steps, (mean, covariance),
                      (sp.Eq(mean_symbol, mean, evaluate=False), sp.Eq(cov_symbol, covariance, evaluate=False)),
                      assumptions=(_assumption(inverse.condition),))


def derive_marginal(joint: JointGaussian, keep: Any) -> Derivation:
    """p(x_a) of a jointly Gaussian (x_a, x_b), by integrating x_b out.

    Args:
        joint: the :class:`~symml.gaussian.JointGaussian`.
        keep: the part kept (``joint.x_a``, or ``joint.x_b``).

    Returns:
        A Derivation whose ``result`` is (mean, covariance); ``numpy()`` returns ``{"mean", "covariance"}``.
    """
    return within(DERIVE_SECONDS, "the marginal Gaussian", _marginal, joint, keep)


def _assumption(invertible: str) -> str:
    """The joint's assumption and what the block inverse needs (nothing where the blocks are explicit)."""
    return "; ".join(filter(None, ("the joint covariance is symmetric positive definite", invertible)))


def _same(A: Any, B: Any) -> bool:
    """A = B; at numeric sizes (a bivariate normal's blocks of one component), equal when the entries' differences
    cancel: λ_aa − λ_ab²/λ_bb is the inverse of λ_bb/(λ_aa λ_bb − λ_ab²) without being written as one."""
    if A == B:
        return True
    if not all(sp.sympify(size).is_Integer for size in A.shape):
        return False
    def explicit(M: Any) -> sp.Matrix:
        # a 1 x 1 product held as a scalar, Scalar(λ_bb), is its one entry
        held = {atom: atom.matrix.as_explicit()[0, 0] for atom in M.atoms(Scalar)}
        return sp.Matrix(M.xreplace(held).as_explicit())

    return all(sp.cancel(entry) == 0 for entry in explicit(A) - explicit(B))


def _marginal(joint: JointGaussian, keep: Any) -> Derivation:
    j = _oriented(joint, keep)
    P_aa, P_ab, P_bb = j.precision_blocks()
    a, b = j.labels
    inner = complete_the_square(j.log_density_in_precision(), j.x_b, name="g")
    log_marginal = named(f"log p({j.x_a.name})", f"\\log p({latex(j.x_a)})")
    outer = complete_the_square(inner.log_normaliser, j.x_a)
    S_aa, S_ba = sp.MatrixSymbol(f"Sigma_{a}{a}", *P_aa.shape), sp.MatrixSymbol(f"Sigma_{b}{a}", *P_ab.T.shape)
    inverse = block_inverse(P_aa, P_ab, P_bb, S_aa, S_ba, "\\Lambda")
    if not _same(simplified(sp.Inverse(inverse.upper)), outer.precision):
        raise ModelError("the marginal precision did not reduce to the inverse of the covariance block "
                         f"({outer.precision} against {inverse.upper})")
    # at numeric sizes the kernel's mean may be left unreduced in the Λ blocks; it is μ_a where the entries say so
    mean, covariance = (j.mean_a if _same(outer.mean, j.mean_a) else outer.mean), j.cov_aa
    mean_symbol = sp.MatrixSymbol(f"mu_{a}^marginal", *j.x_a.shape)
    cov_symbol = sp.MatrixSymbol(f"Sigma_{a}^marginal", *P_aa.shape)
    steps = (
        _joint_step(j),
        *inner.steps,
        normaliser_step(inner, log_marginal, f"integrating ${latex(j.x_b)}$ out of the Gaussian kernel in it"),
        *outer.steps,
        *inverse.steps,
        Step("The marginal precision is the inverse covariance block",
             (sp.Eq(sp.Inverse(outer.precision), S_aa, evaluate=False),
              sp.Eq(cov_symbol, covariance, evaluate=False)),
             "the precision found by completing the square is the inverse of the block just solved for"),
    )
    problem = GaussianProblem(f"Marginal Gaussian p({j.x_a.name})", "marginal",
                              (("mean", mean), ("covariance", covariance)), j)
    return Derivation(problem, steps, (mean, covariance),
                      (sp.Eq(mean_symbol, mean, evaluate=False), sp.Eq(cov_symbol, covariance, evaluate=False)),
                      assumptions=(_assumption(inverse.condition),))
