"""Probability and information theory: expectations, moments, entropy and KL, Fisher information, estimators.

Everything here is built on one operator, :func:`~symml.probability.expectation.expect` (E[g(X)] by linearity,
a density's normaliser, the moment generating function, integration or summation under a budget, and a numeric
fallback said in the derivation). The entry points are re-exported by :mod:`symml.derive`.
"""
from symml.probability.expectation import derive_expectation
from symml.probability.bias_variance import derive_ridge_bias_variance
from symml.probability.box_muller import derive_box_muller
from symml.probability.calibration import derive_brier_decomposition
from symml.probability.estimators import derive_bias, derive_mse, derive_variance
from symml.probability.fisher import derive_fisher_information
from symml.probability.information import derive_cross_entropy, derive_entropy, derive_kl
from symml.probability.intervals import derive_confidence_interval
from symml.probability.likelihood_ratio_tests import derive_likelihood_ratio_test
from symml.probability.moments import derive_moments
from symml.probability.mutual_information import derive_information_gain, derive_mutual_information
from symml.probability.quadratic_forms import derive_quadratic_form
from symml.probability.recalibration import derive_platt_scaling, derive_temperature_scaling
from symml.probability.rejection import derive_rejection_sampling
from symml.probability.sampling import derive_inverse_cdf_sampler
from symml.probability.threshold import derive_threshold_reliability

__all__ = ["derive_expectation", "derive_moments", "derive_entropy", "derive_cross_entropy", "derive_kl",
           "derive_fisher_information", "derive_bias", "derive_variance", "derive_mse",
           "derive_confidence_interval", "derive_likelihood_ratio_test", "derive_inverse_cdf_sampler",
           "derive_mutual_information",
           "derive_information_gain", "derive_ridge_bias_variance",
           "derive_brier_decomposition", "derive_rejection_sampling", "derive_platt_scaling",
           "derive_temperature_scaling", "derive_threshold_reliability",
           "derive_box_muller", "derive_quadratic_form"]
