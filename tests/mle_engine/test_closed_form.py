"""Closed-form MLEs: the derived estimator on a simulated sample of 1000 equals scipy.optimize's maximum of the
log-likelihood (written with scipy.stats, not SymPy) to 1e-6 relative."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from symml.mle import mle
from symml.mle.families import random_variable
from tests.mle_engine.sample_statistics import estimates, numeric_mle, relative_gap

N = 1000
RNG_SEED = 20261125

# family, wrt, fixed parameter values, sampler(rng), scipy log-likelihood(params, x), start (away from the answer)
CASES = {
    "Bernoulli": ("Bernoulli", None, {}, lambda r: r.binomial(1, 0.3, N).astype(float),
                  lambda q, x: stats.bernoulli.logpmf(x, q[0]).sum(), [0.6]),
    "Binomial p (m known)": ("Binomial", ["p"], {"m": 12}, lambda r: r.binomial(12, 0.35, N).astype(float),
                             lambda q, x: stats.binom.logpmf(x, 12, q[0]).sum(), [0.7]),
    "Geometric": ("Geometric", None, {}, lambda r: r.geometric(0.2, N).astype(float),
                  lambda q, x: stats.geom.logpmf(x, q[0]).sum(), [0.5]),
    "Poisson": ("Poisson", None, {}, lambda r: r.poisson(3.7, N).astype(float),
                lambda q, x: stats.poisson.logpmf(x, q[0]).sum(), [1.0]),
    "Exponential": ("Exponential", None, {}, lambda r: r.exponential(1 / 2.5, N),
                    lambda q, x: stats.expon.logpdf(x, scale=1 / q[0]).sum(), [1.0]),
    "Normal (mu, sigma)": ("Normal", None, {}, lambda r: r.normal(1.5, 2.0, N),
                           lambda q, x: stats.norm.logpdf(x, q[0], q[1]).sum(), [0.0, 1.0]),
    "Normal mu (sigma known)": ("Normal", ["mu"], {"sigma": 2.0}, lambda r: r.normal(1.5, 2.0, N),
                                lambda q, x: stats.norm.logpdf(x, q[0], 2.0).sum(), [0.0]),
    "Normal sigma (mu known)": ("Normal", ["sigma"], {"mu": 1.5}, lambda r: r.normal(1.5, 2.0, N),
                                lambda q, x: stats.norm.logpdf(x, 1.5, q[0]).sum(), [1.0]),
    "LogNormal": ("LogNormal", None, {}, lambda r: r.lognormal(0.3, 0.8, N),
                  lambda q, x: stats.lognorm.logpdf(x, q[1], scale=np.exp(q[0])).sum(), [0.0, 1.5]),
    "Rayleigh": ("Rayleigh", None, {}, lambda r: r.rayleigh(1.7, N),
                 lambda q, x: stats.rayleigh.logpdf(x, scale=q[0]).sum(), [1.0]),
    "Pareto alpha (scale known)": ("Pareto", ["alpha"], {"x_m": 1.5}, lambda r: 1.5 * (1 + r.pareto(3.0, N)),
                                   lambda q, x: stats.pareto.logpdf(x, q[0], scale=1.5).sum(), [1.0]),
    "Weibull scale (shape known)": ("Weibull", ["alpha"], {"beta": 1.8}, lambda r: 2.2 * r.weibull(1.8, N),
                                    lambda q, x: stats.weibull_min.logpdf(x, 1.8, scale=q[0]).sum(), [1.0]),
    "Gamma scale (shape known)": ("Gamma", ["theta"], {"k": 2.5}, lambda r: r.gamma(2.5, 1.3, N),
                                  lambda q, x: stats.gamma.logpdf(x, 2.5, scale=q[0]).sum(), [3.0]),
    "Laplace scale (location known)": ("Laplace", ["b"], {"mu": 0.4}, lambda r: r.laplace(0.4, 1.2, N),
                                       lambda q, x: stats.laplace.logpdf(x, 0.4, q[0]).sum(), [3.0]),
    "Maxwell": ("Maxwell", None, {}, lambda r: stats.maxwell.rvs(scale=1.4, size=N, random_state=r),
                lambda q, x: stats.maxwell.logpdf(x, scale=q[0]).sum(), [0.5]),
}


@pytest.fixture(scope="module")
def derivations():
    return {name: mle(random_variable(family), wrt=wrt) for name, (family, wrt, *_) in CASES.items()}


@pytest.mark.parametrize("name", list(CASES))
def test_closed_form_estimator_equals_numeric_maximum_of_the_log_likelihood(name, derivations):
    _, _, fixed, sample, loglik, start = CASES[name]
    data = sample(np.random.default_rng(RNG_SEED))
    derived = estimates(derivations[name], data, **fixed)
    numeric = numeric_mle(lambda q: -loglik(q, data), start)
    assert derivations[name].problem.closed_form
    for derived_value, numeric_value in zip(derived.values(), numeric):
        assert relative_gap(derived_value, numeric_value) < 1e-6, (derived, numeric)


@pytest.mark.parametrize("name", list(CASES))
def test_every_closed_form_derivation_has_a_second_order_check_and_a_result(name, derivations):
    titles = [step.title for step in derivations[name].steps]
    assert "Second-order check" in titles and titles[-1] == "Result"
    assert not any("could not be decided" in remark for remark in derivations[name].remarks)


@pytest.mark.parametrize("location", [-3.0, 2.0])
def test_a_normal_with_standard_deviation_equal_to_its_mean_has_the_positive_root_in_closed_form(location):
    # θ² + x̄θ − mean(x²) = 0: (−x̄ + √(x̄² + 4 mean(x²)))/2 is positive whatever x̄'s sign, as c²B − a² = 4 mean(x²) > 0
    # shows; it was left to a numeric solve
    import sympy as sp
    import sympy.stats as sps
    from scipy import optimize

    theta = sp.Symbol("theta", positive=True)
    derived = mle(sps.Normal("X", theta, theta), wrt=theta)
    sample = np.random.default_rng(7).normal(abs(location), abs(location), 25) * np.sign(location)
    best = optimize.minimize_scalar(lambda t: -np.sum(stats.norm.logpdf(sample, t, t)), bounds=(1e-6, 100),
                                    method="bounded", options={"xatol": 1e-12}).x
    assert derived.result and derived.numpy()(x=sample)["theta"] == pytest.approx(best, rel=1e-6)
