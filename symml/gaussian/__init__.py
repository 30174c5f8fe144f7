"""Gaussian algebra at matrix level, by completing the square with the matrix-calculus engine.

- :func:`complete_the_square`: a log-density quadratic in a vector read off as a Gaussian (precision, mean,
  normaliser), from the engine's Hessian and the solved stationarity condition.
- :class:`JointGaussian`, :func:`derive_conditional`, :func:`derive_marginal`: a partitioned Gaussian (PRML 2.3).
- :class:`LinearGaussian`: p(x) = N(μ, Λ⁻¹), p(y | x) = N(Ax + b, L⁻¹); its posterior and marginal (PRML 2.3.3).
- :class:`Gaussian`, :func:`derive_gaussian_posterior`, :func:`derive_gaussian_map`, :func:`derive_gaussian_evidence`,
  :func:`derive_gaussian_predictive`: Bayes at matrix level (Bayesian linear regression, PRML 3.3).
- :func:`derive_gaussian_product`: N(x | a, A⁻¹) N(x | b, B⁻¹) = Z N(x | c, C) with its normaliser Z.
- :class:`Laplace`, :func:`derive_laplace_map`: a Laplace prior on weights; its MAP is the lasso (numeric).
- :class:`Wishart`, :func:`derive_wishart_posterior`: a Wishart prior on a precision matrix (known mean);
  :class:`InverseWishart`, :func:`derive_inverse_wishart_posterior`: an Inverse-Wishart prior on a covariance.
- :func:`derive_evidence_maximisation`: type-II maximum likelihood of α and β from the log evidence (PRML 3.5.2).
- :func:`conditional_of`, :func:`marginal_of`: the routing behind ``symml.derive.conditional``/``marginal``.

>>> import symml
>>> d_a, d_b = symml.dims("d_a d_b")
>>> joint = JointGaussian.blocks(d_a, d_b)
>>> derive_marginal(joint, keep=joint.x_b).result
(mu_b, Sigma_bb)
"""
from symml.gaussian.bayes import derive_gaussian_evidence, derive_gaussian_map, derive_gaussian_posterior, \
    derive_gaussian_predictive
from symml.gaussian.completing_square import CompletedSquare, complete_the_square
from symml.gaussian.density import Gaussian
from symml.gaussian.evidence_maximisation import derive_evidence_maximisation
from symml.gaussian.joint import JointGaussian
from symml.gaussian.laplace import Laplace, derive_laplace_map
from symml.gaussian.partitioned import derive_conditional, derive_marginal
from symml.gaussian.linear_gaussian import LinearGaussian, derive_linear_gaussian_marginal, \
    derive_linear_gaussian_posterior
from symml.gaussian.problem import GaussianProblem
from symml.gaussian.product import derive_gaussian_product
from symml.gaussian.routing import conditional_of, marginal_of
from symml.gaussian.wishart import Wishart, derive_wishart_posterior
from symml.gaussian.inverse_wishart import InverseWishart, derive_inverse_wishart_posterior
from symml.operations import register_lazily as _register_lazily

_register_lazily(GaussianProblem, "symml.gaussian.numeric", "symml.gaussian.checks", "symml.gaussian.bayes_checks",
                 "symml.gaussian.evidence_numeric", "symml.gaussian.posterior_density")

__all__ = ["Laplace", "derive_laplace_map", "CompletedSquare", "complete_the_square", "JointGaussian", "derive_conditional", "derive_marginal",
           "GaussianProblem", "LinearGaussian", "derive_linear_gaussian_posterior", "derive_linear_gaussian_marginal",
           "conditional_of", "marginal_of", "Gaussian", "derive_gaussian_posterior", "derive_gaussian_map",
           "derive_gaussian_evidence", "derive_gaussian_predictive", "derive_evidence_maximisation",
           "derive_gaussian_product", "Wishart", "derive_wishart_posterior",
           "InverseWishart", "derive_inverse_wishart_posterior"]
