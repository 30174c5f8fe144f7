"""Bayesian derivations: posteriors by kernel matching, MAP estimates, posterior predictives and evidence.

- :mod:`symml.bayes.kernel`: likelihood x prior over the sample, reduced to a log-kernel in the parameter;
- :mod:`symml.bayes.recognise`: the kernel matched against candidate sympy.stats families;
- :mod:`symml.bayes.posterior`: the posterior derivation;
- :mod:`symml.bayes.numeric`: its ``numpy()`` (normalised log-density).
"""
from symml.bayes.posterior import PosteriorProblem, derive_posterior
from symml.operations import register_lazily as _register_lazily

__all__ = ["derive_posterior"]

_register_lazily(PosteriorProblem, "symml.bayes.numeric")
