"""A parameter declared integer is estimated over the integers: the real maximiser's floor or ceiling, whichever has
the larger likelihood. Oracles: the log-likelihood at every integer of a range (numpy, scipy.stats)."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st

import symml

x = sp.Symbol("x", real=True)


def best_integer(log_likelihood, candidates):
    values = [log_likelihood(k) for k in candidates]
    return float(candidates[int(np.argmax(values))])


def test_an_integer_exponential_mean_is_the_better_of_the_floor_and_ceiling_of_the_sample_mean():
    # x̄ = 2.2 maximises over the reals; over {1, 2, 3, ...} L(2) > L(3) (it answered 2.2)
    theta = sp.Symbol("theta", integer=True, positive=True)
    estimate = symml.derive.mle(symml.Model(-sp.log(theta) - x / theta, x, support=sp.Interval(0, sp.oo)), wrt=[theta])
    for data in (np.array([1.1, 2.2, 3.3]), np.random.default_rng(0).exponential(4.6, 25)):
        oracle = best_integer(lambda k: ss.expon(scale=k).logpdf(data).sum(), np.arange(1, 60))
        assert estimate.numpy()(x=data)["theta"] == oracle
    (shown,) = estimate.summary  # the result line names the integer candidates, not the real x̄
    assert isinstance(shown, sp.Contains) and shown.args[1].has(sp.floor, sp.ceiling)


def test_an_integer_uniform_bound_is_the_ceiling_of_the_sample_maximum():
    # the likelihood is 0 below x₍ₙ₎ = 3.2, so θ = 3 is impossible and θ̂ = 4 (it answered 3.2)
    theta = sp.Symbol("theta", integer=True, positive=True)
    estimate = symml.derive.mle(st.Uniform("X", 0, theta), wrt=[theta])
    data = np.array([0.3, 2.4, 1.7, 3.2])
    oracle = best_integer(lambda k: ss.uniform(0, k).logpdf(data).sum(), np.arange(1, 30))
    assert estimate.numpy()(x=data)["theta"] == oracle == 4.0
    assert estimate.result[sp.Symbol("theta", integer=True, positive=True)].has(sp.ceiling)


def test_an_integer_power_of_a_symmetric_density_is_chosen_among_integers_cross_validated_211345():
    # f(x) = (k + 1/2) x^{2k} on (-1, 1), k ∈ {1, 2, ...}
    k = sp.Symbol("k", integer=True, positive=True)
    model = symml.Model(sp.log(k + sp.Rational(1, 2)) + 2 * k * sp.log(sp.Abs(x)), x, support=sp.Interval(-1, 1))
    estimate = symml.derive.mle(model, wrt=[k])
    rng = np.random.default_rng(1)
    data = rng.random(30) ** (1 / 5.0) * np.where(rng.random(30) < 0.5, -1, 1)
    oracle = best_integer(lambda m: np.sum(np.log(m + 0.5) + 2 * m * np.log(np.abs(data))), np.arange(1, 40))
    assert estimate.numpy()(x=data)["k"] == oracle
    assert estimate.verify()


def test_an_integer_parameter_without_a_closed_real_maximiser_is_refused():
    # an Erlang's integer shape: the support (0, ∞) does not move with k, so no ratio of successive likelihoods
    # either (a Binomial's N, whose support does, is tests/mle_engine/test_likelihood_ratio.py)
    k = sp.Symbol("k", integer=True, positive=True)
    with pytest.raises(symml.UnsupportedOperationError, match="rounded from the real maximiser in closed form"):
        symml.derive.mle(st.Gamma("X", k, 1), wrt=[k])


def test_the_continuous_parameter_of_a_model_with_a_known_integer_keeps_its_closed_form():
    n, p = sp.Symbol("N", integer=True, positive=True), sp.Symbol("p", positive=True)
    estimate = symml.derive.mle(st.Binomial("X", n, p), wrt=[p])
    data = np.random.default_rng(2).binomial(10, 0.3, 40)
    assert estimate.numpy()(x=data, N=10)["p"] == pytest.approx(data.mean() / 10, rel=1e-12)
