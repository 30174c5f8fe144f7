"""``wrt`` left out of posterior and map: the parameter is the prior's variable (a Model prior), or the one
likelihood parameter the prior's hyperparameters do not name; with several candidates symml asks, never guesses."""
import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st

import symml
from symml.errors import ParameterError
from tests.bayes.oracle import log_posterior_mode, normalised_log_posterior

a, b = sp.symbols("a b", positive=True)
p = sp.Symbol("p", positive=True)
lam = sp.Symbol("lam", positive=True)
mu, m0 = sp.Symbol("mu", real=True), sp.Symbol("m0", real=True)
sigma, s0 = sp.Symbol("sigma", positive=True), sp.Symbol("s0", positive=True)
BITS = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 1.0])


def test_the_posterior_is_on_the_one_parameter_the_prior_does_not_name():
    derived = symml.derive.posterior(st.Bernoulli("X", p), st.Beta("P", a, b)).numpy()
    oracle = normalised_log_posterior(lambda q: ss.bernoulli.logpmf(BITS, q).sum() + ss.beta.logpdf(q, 2.0, 3.0),
                                      (0, 1), (1e-9, 1 - 1e-9))
    points = [0.1, 0.4, 0.7, 0.95]
    np.testing.assert_allclose(derived(np.array(points), x=BITS, a=2.0, b=3.0), [oracle(q) for q in points],
                               rtol=1e-7, atol=1e-7)


def test_a_model_prior_is_on_its_own_variable():
    prior = symml.Model(logpdf=(a - 1) * sp.log(lam) - b * lam, data=lam)
    counts = np.array([3.0, 0.0, 2.0, 5.0])
    derived = symml.derive.posterior(st.Poisson("X", lam), prior).numpy()
    oracle = normalised_log_posterior(lambda q: ss.poisson.logpmf(counts, q).sum() + ss.gamma.logpdf(q, 2.0, scale=0.5),
                                      (0, np.inf), (1e-6, 20.0))
    points = [0.5, 1.5, 2.5, 4.0]
    np.testing.assert_allclose(derived(np.array(points), x=counts, a=2.0, b=2.0), [oracle(q) for q in points],
                               rtol=1e-7, atol=1e-7)


def test_the_map_estimate_without_wrt_maximises_the_posterior():
    estimate = symml.derive.map(st.Normal("X", mu, 1), st.Normal("M", m0, s0)).numpy()
    x = np.array([0.3, 1.9, -0.4, 2.2])
    found = float(np.atleast_1d(next(iter(estimate(x=x, m0=1.0, s0=0.5).values()))).item())
    want = log_posterior_mode(lambda t: ss.norm.logpdf(x, t, 1).sum() + ss.norm.logpdf(t, 1.0, 0.5), -10.0, 10.0)
    assert found == pytest.approx(want, abs=1e-6)


def test_several_candidate_parameters_are_a_question_not_a_guess():
    with pytest.raises(ParameterError, match="which parameter.*mu, sigma"):
        symml.derive.posterior(st.Normal("X", mu, sigma), st.Normal("M", m0, s0))
