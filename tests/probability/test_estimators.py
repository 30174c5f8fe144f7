"""Bias, variance and MSE of MLE estimators, checked by simulating 20,000 samples (vectorised)."""
import functools

import numpy as np
import pytest
import sympy as sp
import sympy.stats as st

import symml
from symml.errors import UnsupportedOperationError

mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
lam = sp.Symbol("lambda", positive=True)
n = sp.Symbol("n", positive=True, integer=True)
REPLICATIONS = 20_000


@functools.lru_cache(maxsize=None)
def normal_mle():
    return symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma])


def normal_samples(size, m=0.5, s=1.5):
    return np.random.default_rng(7).normal(m, s, (REPLICATIONS, size))


def test_mle_of_the_variance_has_expectation_n_minus_1_over_n_sigma_squared():
    # E[σ̂²] = (n − 1)σ²/n: bias −σ²/n, exact
    d = symml.derive.bias(normal_mle(), sigma**2)
    assert sp.simplify(d.result + sigma**2 / n) == 0
    assert "exact" in d.remarks[0]
    x = normal_samples(5)
    estimates = x.var(axis=1)  # the MLE divides by n
    simulated_bias = estimates.mean() - 1.5**2
    standard_error = estimates.std() / np.sqrt(REPLICATIONS)
    assert abs(float(d.result.subs({sigma: 1.5, n: 5})) - simulated_bias) < 4 * standard_error
    assert any("n/(n - 1)" in remark for remark in d.remarks)


def test_variance_of_the_sample_mean_is_sigma_squared_over_n_exactly():
    d = symml.derive.variance(normal_mle(), mu)
    estimates = normal_samples(8).mean(axis=1)
    derived = float(d.result.subs({sigma: 1.5, n: 8}))
    # sampling error of a variance estimate: relative sd sqrt(2/(R - 1))
    assert estimates.var() == pytest.approx(derived, rel=4 * np.sqrt(2 / REPLICATIONS))


def test_the_sample_mean_is_efficient_its_simulated_variance_is_the_cramer_rao_bound():
    # CRB = 1/(n I_μμ) = σ²/n, from the Fisher information; efficiency = CRB / Var = 1
    d = symml.derive.variance(normal_mle(), mu)
    step = next(step for step in d.steps if step.title == "Cramér–Rao bound and efficiency")
    bound, efficiency = (line.rhs for line in step.lines)
    assert efficiency == 1 and any("Efficiency" in remark for remark in d.remarks)
    estimates = normal_samples(8).mean(axis=1)
    assert estimates.var() == pytest.approx(float(bound.subs({sigma: 1.5, n: 8})), rel=4 * np.sqrt(2 / REPLICATIONS))


def test_bias_of_sigma_hat_is_exact_through_the_law_of_the_centred_sum():
    # σ̂ = √(S/n) with S/σ² ~ χ²_{n−1} (Cochran): E[σ̂] = σ √(2/n) Γ(n/2)/Γ((n − 1)/2), exact; at n = 50 the
    # simulated bias agrees to Monte Carlo error (the delta method's −3σ/(4n) was the value before)
    d = symml.derive.bias(normal_mle(), sigma)
    assert "exact" in d.remarks[0]
    estimates = normal_samples(50).std(axis=1)
    simulated = estimates.mean() - 1.5
    assert abs(float(d.result.subs({sigma: 1.5, n: 50})) - simulated) < 4 * estimates.std() / np.sqrt(REPLICATIONS)


def test_mse_is_variance_plus_squared_bias_and_matches_simulation():
    d = symml.derive.mse(normal_mle(), mu)
    estimates = normal_samples(10).mean(axis=1)
    simulated = np.mean((estimates - 0.5) ** 2)
    assert simulated == pytest.approx(float(d.result.subs({sigma: 1.5, n: 10})), rel=4 * np.sqrt(2 / REPLICATIONS))


def test_exponential_rate_bias_is_lambda_over_n_minus_1_exactly_through_the_gamma_law_of_the_sum():
    # 1/x̄ = n/S with S ~ Gamma(n, 1/λ): E = nλ/(n − 1) exactly (the delta method gave λ/n to leading order)
    d = symml.derive.bias(symml.derive.mle(st.Exponential("X", lam)), lam)
    assert "The bias is exact." in d.remarks
    x = np.random.default_rng(3).exponential(1 / 2.0, (REPLICATIONS, 5))
    estimates = 1 / x.mean(axis=1)
    simulated = estimates.mean() - 2.0
    assert abs(float(d.result.subs({lam: 2.0, n: 5})) - simulated) < 4 * estimates.std() / np.sqrt(REPLICATIONS)


def test_a_median_estimator_is_refused_clearly():
    # a sample minimum or maximum is analysed through its law (tests/test_world_probability.py); the median is not
    b = sp.Symbol("b", positive=True)
    with pytest.raises(UnsupportedOperationError, match="order statistic"):
        symml.derive.bias(symml.derive.mle(st.Laplace("X", mu, b), wrt=[mu]), mu)


def test_the_one_estimated_parameter_is_the_default_target_and_its_variance_matches_simulation():
    # Var(λ̂) of the Poisson MLE (the sample mean) is λ/n: 20,000 simulated samples of n = 8 at λ = 3
    derivation = symml.derive.variance(symml.derive.mle("Poisson"))
    lam, n = 3.0, 8
    estimates = np.random.default_rng(0).poisson(lam, size=(20_000, n)).mean(axis=1)
    expression = derivation.result
    value = float(expression.subs({s: (lam if s.name in ("lambda", "lamda") else n) for s in expression.free_symbols}))
    assert value == pytest.approx(estimates.var(), rel=0.05)


def test_several_estimated_parameters_need_a_target_named_in_the_error():
    with pytest.raises(symml.ModelError, match="Pass target=, one of mu, sigma"):
        symml.derive.bias(symml.derive.mle("Normal"))


def test_the_bias_of_a_random_variable_points_to_moments():
    with pytest.raises(symml.ModelError, match=r"symml\.derive\.moments"):
        symml.derive.bias(st.Poisson("N", sp.Symbol("lambda", positive=True)))
