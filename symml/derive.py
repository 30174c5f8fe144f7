"""The entry points: each call returns one finished, immutable :class:`~symml.Derivation`.

- :func:`mle`: maximum-likelihood estimators of a model's parameters.
- :func:`gradient`, :func:`jacobian`, :func:`hessian`, :func:`laplacian`, :func:`directional_derivative`:
  matrix calculus at matrix level.
- :func:`stationary_point`: where a loss's gradient vanishes, solved at matrix level (or numerically, said so).
- :func:`expectation`, :func:`moments`: E[g(X)] and moments (directly and via the MGF), steps shown.
- :func:`entropy`, :func:`cross_entropy`, :func:`kl`: derived as expectations of log-densities.
- :func:`fisher_information`: the variance of the score and minus the expected Hessian; the Cramér–Rao bound.
- :func:`bias`, :func:`variance`, :func:`mse`: of an MLE derivation's estimator, exact or asymptotic (said).
- :func:`confidence_interval`: the Wald interval from the Fisher information.
- :func:`inverse_cdf_sampler`: the CDF integrated and inverted, as a NumPy sampler.
"""
from symml.matrix_calculus import directional_derivative, gradient, hessian, jacobian, laplacian
from symml.matrix_calculus.stationary import stationary_point
from symml.mle import mle
from symml.probability import derive_expectation as expectation, derive_moments as moments
from symml.probability import derive_cross_entropy as cross_entropy, derive_entropy as entropy, derive_kl as kl
from symml.probability import derive_fisher_information as fisher_information
from symml.probability import derive_bias as bias, derive_mse as mse, derive_variance as variance
from symml.probability import derive_confidence_interval as confidence_interval
from symml.probability import derive_inverse_cdf_sampler as inverse_cdf_sampler

__all__ = ["mle", "gradient", "hessian", "jacobian", "laplacian", "directional_derivative", "stationary_point"]
__all__ += ["expectation", "moments", "entropy", "cross_entropy", "kl", "fisher_information", "bias", "variance", "mse", "confidence_interval", "inverse_cdf_sampler"]
