"""Bayesian derivations: posteriors by kernel matching, MAP estimates, posterior predictives and evidence.

- :mod:`symml.bayes.kernel`: likelihood x prior over the sample, reduced to a log-kernel in the parameter;
- :mod:`symml.bayes.recognise`: the kernel matched against candidate sympy.stats families;
- :mod:`symml.bayes.posterior`: the posterior derivation;
- :mod:`symml.bayes.numeric`: its ``numpy()`` (normalised log-density);
- :mod:`symml.bayes.evidence`: the marginal likelihood by the candidate's identity;
- :mod:`symml.bayes.predictive`: the posterior predictive as a ratio of evidences;
- :mod:`symml.bayes.joint_posterior`: the posterior over a joint likelihood (pairs, several samples), and
  :mod:`symml.bayes.joint_posterior_numeric`;
- :mod:`symml.bayes.marginal`: the marginal posterior of one parameter of a joint one (the other integrated out);
- :mod:`symml.bayes.summary`: posterior mean, variance, mode and credible interval (:mod:`symml.bayes.summary_numeric`);
- :mod:`symml.optimize.subgradient` (shared with ``minimize``): the subgradient condition of a log posterior with
  a kink (a Laplace prior);
- :mod:`symml.bayes.map`: the MAP estimate through the shared solving core, and :mod:`symml.bayes.map_numeric`;
- :mod:`symml.bayes.verification`: verify() of each, against likelihood x prior computed from the models.
"""
from symml.bayes.evidence import EvidenceProblem, derive_evidence
from symml.bayes.map import MAPProblem, derive_map
from symml.bayes.marginal import derive_marginal
from symml.bayes.posterior import PosteriorProblem, derive_posterior
from symml.bayes.predictive import PredictiveProblem, derive_posterior_predictive
from symml.bayes.summary import SummaryProblem, derive_posterior_summary
from symml.operations import register_lazily as _register_lazily

__all__ = ["derive_posterior", "derive_map", "derive_evidence", "derive_posterior_predictive",
           "derive_posterior_summary", "derive_marginal"]

_register_lazily(PosteriorProblem, "symml.bayes.numeric", "symml.bayes.verification")
_register_lazily(MAPProblem, "symml.bayes.map_numeric", "symml.bayes.verification")
_register_lazily(EvidenceProblem, "symml.bayes.numeric", "symml.bayes.verification")
_register_lazily(PredictiveProblem, "symml.bayes.numeric", "symml.bayes.verification")
_register_lazily(SummaryProblem, "symml.bayes.summary_numeric", "symml.bayes.verification")
