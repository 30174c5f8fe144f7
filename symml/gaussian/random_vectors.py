"""A ``sympy.stats`` multivariate normal, split into the two parts a conditional or a marginal asks for.

Users write the bivariate normal as textbooks do, with scalar parameters:
``st.MultivariateNormal("X", [mu1, mu2], [[s1**2, rho*s1*s2], [rho*s1*s2, s2**2]])``, and ask for
p(X₀ | X₁) or p(X₀). The components named are gathered into one part, the others into the other (in their
order). The derivation is the block one, at matrix level (:class:`JointGaussian` with block symbols of the parts'
sizes); a last step substitutes the blocks of X's mean and covariance and simplifies entry by entry.

>>> import sympy as sp, sympy.stats as st
>>> s1, s2 = sp.symbols("sigma1 sigma2", positive=True); rho = sp.Symbol("rho", real=True)
>>> X = st.MultivariateNormal("X", [0, 0], [[s1**2, rho*s1*s2], [rho*s1*s2, s2**2]])
>>> joint, blocks, parts = joint_of_parts(X, X[1])
>>> parts, blocks[joint.cov_ab]
('x_a = (X[0]); x_b = (X[1])', Matrix([[rho*sigma1*sigma2]]))
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.stats.joint_rv import JointRandomSymbol

from symml.derivation import Derivation, Step
from symml.errors import ModelError
from symml.gaussian.completing_square import simplified
from symml.gaussian.joint import JointGaussian
from symml.gaussian.problem import GaussianProblem

__all__ = ["is_normal_random_vector", "joint_of_parts", "with_blocks"]



def is_normal_random_vector(model: Any) -> bool:
    """Whether ``model`` is a ``sympy.stats`` multivariate normal random vector."""
    return isinstance(model, JointRandomSymbol) and \
        type(model.pspace.distribution).__name__ == "MultivariateNormalDistribution"


def _components(X: JointRandomSymbol, part: Any, size: int) -> list[int]:
    """The component indices ``part`` names: X[i], a list of them, or the integers i."""
    items = list(part) if isinstance(part, (list, tuple)) else [part]
    indices = []
    for item in items:
        if isinstance(item, sp.Indexed) and item.base == X and len(item.indices) == 1:
            item = item.indices[0]
        if not (isinstance(item, (int, sp.Integer)) and 0 <= int(item) < size):
            raise ModelError(f"name the components of {X} as {X}[i] (or their indices i), 0 <= i < {size}; "
                             f"not {item!r}")
        indices.append(int(item))
    if len(set(indices)) != len(indices) or len(indices) == size:
        raise ModelError(f"the components {indices} of {X} must be distinct and leave at least one of its {size} out")
    return indices


def joint_of_parts(X: JointRandomSymbol, part: Any, *, kept: bool = False) -> tuple[JointGaussian, dict, str]:
    """(the joint of x_a, x_b in block symbols, {block symbol: its explicit value in X's mean and covariance},
    which components each part holds): x_b the components ``part`` names (x_a where they are the ``kept`` part
    of a marginal), x_a the others."""
    distribution = X.pspace.distribution
    mean, covariance = sp.ImmutableMatrix(distribution.mu), sp.ImmutableMatrix(distribution.sigma)
    size = covariance.shape[0]
    if mean.shape != (size, 1) or not (covariance - covariance.T).is_zero_matrix:
        raise ModelError(f"the covariance of {X} must be a symmetric {size} x {size} matrix and its mean a "
                         f"vector of {size} entries; got {covariance} and {mean}")
    named = _components(X, part, size)
    others = [i for i in range(size) if i not in named]
    a, b = (named, others) if kept else (others, named)
    # the blocks keep the letters a, b: X's own parameters are often numbered (μ₁, σ₂) from 1 where its
    # components are numbered from 0, and block labels 0, 1 would read as those
    joint = JointGaussian.blocks(len(a), len(b))
    blocks = {joint.mean_a: mean.extract(a, [0]), joint.mean_b: mean.extract(b, [0]),
              joint.cov_aa: covariance.extract(a, a), joint.cov_ab: covariance.extract(a, b),
              joint.cov_bb: covariance.extract(b, b)}
    parts = "; ".join(f"{x.name} = ({', '.join(f'{X}[{i}]' for i in indices)})"
                      for x, indices in ((joint.x_a, a), (joint.x_b, b)))
    return joint, blocks, parts


def _matrix_expression(block: sp.ImmutableMatrix) -> Any:
    """A zero block as the zero matrix, which the simplification drops (an explicit [[0]] stayed in the conditional
    mean of MML example 6.6 as "+ 0")."""
    return sp.ZeroMatrix(*block.shape) if block.is_zero_matrix else block


def with_blocks(derivation: Derivation, X: JointRandomSymbol, joint: JointGaussian, blocks: dict,
                parts: str) -> Derivation:
    """``derivation`` (a conditional or marginal of ``joint``) with X's blocks substituted into its result."""
    results = tuple(simplified(value.xreplace({k: _matrix_expression(v) for k, v in blocks.items()}).doit())
                    for value in derivation.result)
    summary = tuple(sp.Eq(line.lhs, value, evaluate=False) for line, value in zip(derivation.summary, results))
    substitution = Step(f"Substitute the blocks of {X}'s mean and covariance",
                        (*(sp.Eq(symbol, value, evaluate=False) for symbol, value in blocks.items()), *summary),
                        f"{parts}; entry by entry, simplified")
    explicit = JointGaussian(joint.x_a, joint.x_b, *(blocks[block] for block in (
        joint.mean_a, joint.mean_b, joint.cov_aa, joint.cov_ab, joint.cov_bb)))
    problem = derivation.problem
    outputs = tuple((name, value) for (name, _), value in zip(problem.outputs, results))
    return Derivation(GaussianProblem(f"{problem.title} of {X} ({parts})", problem.kind, outputs, explicit),
                      (*derivation.steps, substitution), results, summary, derivation.assumptions,
                      derivation.remarks)
