"""Which derivation a conditional or a marginal asks for, by the kind of model: a partitioned Gaussian
(:class:`JointGaussian`) or the linear-Gaussian model (:class:`LinearGaussian`).

>>> import symml
>>> d, n = symml.dims("d n")
>>> model = symml.gaussian.LinearGaussian.blocks(d, n)
>>> conditional_of(model, given=model.y).result[1]
(Lambda + A.T*L*A)**(-1)
"""
from __future__ import annotations

from typing import Any

from symml.derivation import Derivation
from symml.errors import ModelError
from symml.gaussian.joint import JointGaussian
from symml.gaussian.linear_gaussian import LinearGaussian, derive_linear_gaussian_marginal, \
    derive_linear_gaussian_posterior
from symml.gaussian.partitioned import derive_conditional, derive_marginal
from symml.gaussian.random_vectors import is_normal_random_vector, joint_of_parts, with_blocks

__all__ = ["conditional_of", "marginal_of"]


def _model_error(model: Any) -> ModelError:
    return ModelError("expected a symml.gaussian.JointGaussian, a symml.gaussian.LinearGaussian or a "
                      f"sympy.stats MultivariateNormal, not {type(model).__name__}")


def conditional_of(model: Any, given: Any) -> Derivation:
    """p(x_a | x_b) of a JointGaussian, or the posterior p(x | y) of a LinearGaussian (``given`` = its y); of a
    ``sympy.stats`` multivariate normal X, the law of the other components given X[i] (or a list of them)."""
    if is_normal_random_vector(model):
        joint, blocks, parts = joint_of_parts(model, given)
        return with_blocks(derive_conditional(joint, joint.x_b), model, joint, blocks, parts)
    if isinstance(model, JointGaussian):
        return derive_conditional(model, given)
    if isinstance(model, LinearGaussian):
        if given != model.y:
            raise ModelError(f"the linear-Gaussian model conditions on its observation {model.y.name} "
                             f"(p({model.y.name} | {model.x.name}) is the model itself), not on {given!r}")
        return derive_linear_gaussian_posterior(model)
    raise _model_error(model)


def marginal_of(model: Any, keep: Any) -> Derivation:
    """p(x_a) of a JointGaussian, or the marginal p(y) of a LinearGaussian (``keep`` = its y); of a
    ``sympy.stats`` multivariate normal X, the law of the components X[i] (or a list of them) ``keep`` names."""
    if is_normal_random_vector(model):
        joint, blocks, parts = joint_of_parts(model, keep, kept=True)
        return with_blocks(derive_marginal(joint, joint.x_a), model, joint, blocks, parts)
    if isinstance(model, JointGaussian):
        return derive_marginal(model, keep)
    if isinstance(model, LinearGaussian):
        if keep != model.y:
            raise ModelError(f"the linear-Gaussian model's marginal is that of its observation {model.y.name} "
                             f"(p({model.x.name}) is the prior itself), not of {keep!r}")
        return derive_linear_gaussian_marginal(model)
    raise _model_error(model)
