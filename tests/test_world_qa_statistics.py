"""Statistics questions as people ask them on Q&A sites (Cross Validated, Mathematics Stack Exchange, Math Help
Forum, Physics Forums, homework boards), posed the way the asker wrote them, through the public API. Each answer is
checked against an independent numeric oracle here (scipy.optimize, scipy.stats, quadrature, closed sums), never
against the accepted answer alone. The problems that failed before have their regression tests next to the fix
(tests/mle_engine/test_integer_parameters.py, tests/mle_engine/test_verify_simulation.py,
tests/probability/test_exact_estimator_moments.py)."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy import integrate, optimize

import symml

x = sp.Symbol("x", real=True)
theta = sp.Symbol("theta", positive=True)
RNG = np.random.default_rng(2026)


def bounded_maximum(negative_log_likelihood, low, high):
    return optimize.minimize_scalar(negative_log_likelihood, bounds=(low, high), method="bounded",
                                    options={"xatol": 1e-12}).x


# --- maximum likelihood ---------------------------------------------------------------------------------------------
def test_power_density_on_the_unit_interval():
    """f(x; θ) = θx^{θ−1}, 0 < x < 1: http://mathhelpforum.com/advanced-statistics/61296-maximum-likelihood-estimator.html"""
    model = symml.Model(sp.Piecewise((sp.log(theta) + (theta - 1) * sp.log(x), (x > 0) & (x < 1)), (-sp.oo, True)), x)
    data = RNG.beta(2.5, 1, 100)
    oracle = bounded_maximum(lambda t: -ss.beta(t, 1).logpdf(data).sum(), 1e-3, 50)
    assert symml.derive.mle(model).numpy()(x=data)["theta"] == pytest.approx(oracle, rel=1e-7)


def test_three_observations_give_two_point_three_nine():
    """F(x) = x^θ on [0, 1], x = 0.40, 0.75, 0.95, answer 2.39 (the asker differentiated in x):
    https://math.stackexchange.com/questions/4158996"""
    estimate = symml.derive.mle(symml.Model(sp.log(theta * x ** (theta - 1)), x, support=sp.Interval(0, 1)))
    assert round(estimate.numpy()(x=[0.40, 0.75, 0.95])["theta"], 2) == 2.39


def test_power_density_on_zero_three_typed_as_latex():
    """f(x; θ) = θx^{θ−1}/3^θ on [0, 3]: https://math.stackexchange.com/questions/2332289"""
    estimate = symml.derive.mle(symml.Model(r"\log\theta + (\theta - 1)\log x - \theta \log 3", data="x",
                                            support=sp.Interval(0, 3)))
    data = 3 * RNG.beta(2.0, 1, 50)
    oracle = bounded_maximum(lambda t: -np.sum(np.log(t) + (t - 1) * np.log(data) - t * np.log(3)), 1e-3, 50)
    assert estimate.numpy()(x=data)["theta"] == pytest.approx(oracle, rel=1e-7)


def test_theta_plus_one_power_with_theta_above_minus_one_on_ten_students():
    """f(x; θ) = (θ + 1)x^θ, θ > −1, ten students' times: https://mis.kyeop.go.ke/shelf/50879098"""
    t = sp.Symbol("theta", real=True)
    model = symml.Model(sp.Piecewise((sp.log(t + 1) + t * sp.log(x), (x > 0) & (x < 1)), (-sp.oo, True)), x)
    data = np.array([0.49, 0.79, 0.75, 0.99, 0.73, 0.90, 0.92, 0.86, 0.65, 0.94])
    oracle = bounded_maximum(lambda q: -np.sum(np.log(q + 1) + q * np.log(data)), -0.999, 50)
    assert symml.derive.mle(model, wrt=[t]).numpy()(x=data)["theta"] == pytest.approx(oracle, rel=1e-7)


def test_log_theta_over_theta_minus_one_has_no_closed_form():
    """f(x | θ) = log θ/(θ − 1) θ^x on (0, 1) (the asker found the score equation hard to solve):
    https://math.techqa.club/determining-an-mle-2679840"""
    t = sp.Symbol("theta", positive=True)
    estimate = symml.derive.mle(symml.Model(sp.log(sp.log(t) / (t - 1)) + x * sp.log(t), x, support=sp.Interval(0, 1)))
    data = np.array([0.2, 0.9, 0.75, 0.6])
    oracle = bounded_maximum(lambda q: -np.sum(np.log(np.log(q) / (q - 1)) + data * np.log(q)), 1.0001, 100)
    assert estimate.numpy()(x=data)["theta"] == pytest.approx(oracle, rel=1e-6)


def test_pareto_type_density_above_theta_is_the_sample_minimum():
    """f(x | θ) = 3θ³x⁻⁴, θ < x (the asker's score 3n/θ = 0 has no root):
    https://math.techqa.club/maximum-likelihood-methods-of-moments-estimator-2499734"""
    model = symml.Model(sp.Piecewise((sp.log(3) + 3 * sp.log(theta) - 4 * sp.log(x), x > theta), (-sp.oo, True)), x)
    data = 1.7 * (1 - RNG.random(40)) ** (-1 / 3)
    assert symml.derive.mle(model).numpy()(x=data)["theta"] == data.min()


@pytest.mark.parametrize("low, high, oracle", [
    (-theta, theta, lambda d: np.abs(d).max()),           # https://math.stackexchange.com/questions/1276137
    (-theta, 2 * theta, lambda d: max(-d.min(), d.max() / 2)),  # https://math.techqa.club/maximum-likelihood-estimate-uniform-3780160
    (theta, 2 * theta, lambda d: d.max() / 2),            # https://stats.stackexchange.com/questions/465477
])
def test_uniform_bounds_moving_with_theta(low, high, oracle):
    """U(−θ, θ), U(−θ, 2θ) (x = −1.77, ..., 2.25 gives 1.77), U(θ, 2θ): the likelihood (width)⁻ⁿ decreases in θ,
    so θ̂ is the smallest θ whose support holds the sample"""
    data = np.array([-1.77, -1.16, -0.39, 0.24, 1.28, 2.25]) if low.could_extract_minus_sign() else RNG.uniform(1.5, 3, 20)
    assert symml.derive.mle(st.Uniform("X", low, high)).numpy()(x=data)["theta"] == pytest.approx(oracle(data), rel=1e-15)


def test_uniform_zero_to_two_theta_plus_one():
    """f(y | θ) = 1/(2θ + 1) on 0 < y < 2θ + 1 (the asker set −2n/(2θ + 1) = 0):
    http://mathhelpforum.com/advanced-statistics/174010-max-likelihood.html"""
    t = sp.Symbol("theta", real=True)
    model = symml.Model(sp.Piecewise((-sp.log(2 * t + 1), (x > 0) & (x < 2 * t + 1)), (-sp.oo, True)), x)
    data = RNG.uniform(0, 4, 20)
    assert symml.derive.mle(model).numpy()(x=data)["theta"] == pytest.approx((data.max() - 1) / 2, rel=1e-15)


@pytest.mark.parametrize("variance", [theta, 2 * theta])
def test_normal_whose_variance_is_tied_to_its_mean(variance):
    """N(θ, θ) (https://math.stackexchange.com/questions/3478261: x = 1, 1, ..., 1 gives (√5 − 1)/2, not 1),
    N(θ, 2θ) (https://math.techqa.club/mle-for-theta-0-with-x-1-dots-x-n-sim-mathcal-n-theta-2-theta-4587978: the
    asker's root is wrong)"""
    estimate = symml.derive.mle(st.Normal("X", theta, sp.sqrt(variance))).numpy()
    scale = sp.lambdify(theta, sp.sqrt(variance))
    data = RNG.normal(1.3, float(scale(1.3)), 200)
    oracle = bounded_maximum(lambda t: -ss.norm(t, scale(t)).logpdf(data).sum(), 1e-3, 20)
    assert estimate(x=data)["theta"] == pytest.approx(oracle, rel=1e-7)
    if variance == theta:
        assert estimate(x=np.ones(7))["theta"] == pytest.approx((np.sqrt(5) - 1) / 2, rel=1e-14)


def test_shifted_exponential_rate_and_threshold_from_headway_data():
    """λe^{−λ(x−θ)}, x ≥ θ, ten time headways: https://unifolks.com/questions/consider-a-random-sample-x1-x2-xn-from-the-shifted-exponential-pdf-f-x-955-952-188959.html"""
    lam, t = sp.Symbol("lambda", positive=True), sp.Symbol("theta", real=True)
    model = symml.Model(sp.Piecewise((sp.log(lam) - lam * (x - t), x >= t), (-sp.oo, True)), x)
    data = np.array([3.11, .64, 2.55, 2.20, 5.44, 3.42, 10.39, 8.93, 17.82, 1.30])
    estimate = symml.derive.mle(model).numpy()(x=data)
    rate = bounded_maximum(lambda r: -ss.expon(0.64, 1 / r).logpdf(data).sum(), 1e-3, 10)  # at θ̂ = x₍₁₎
    assert estimate["theta"] == 0.64 and estimate["lambda"] == pytest.approx(rate, rel=1e-7)


def test_poisson_parametrised_by_the_probability_of_zero():
    """θ = e^{−λ} = P(X = 0): https://stats.stackexchange.com/q/443941"""
    data = RNG.poisson(1.2, 80)
    oracle = bounded_maximum(lambda p: -ss.poisson(-np.log(p)).logpmf(data).sum(), 1e-6, 1 - 1e-9)
    assert symml.derive.mle(st.Poisson("X", -sp.log(theta))).numpy()(x=data)["theta"] == pytest.approx(oracle, rel=1e-7)


def test_exponential_rate_at_extreme_scales_and_one_observation():
    """f(x; θ) = θe^{−θx}, five observations; here at 1e−300 and 1e300, n = 1:
    https://tutorsglobe.com/question/parameter-of-the-distribution-5855954.aspx"""
    estimate = symml.derive.mle(st.Exponential("X", theta)).numpy()
    assert estimate(x=[1e-300, 3e-300])["theta"] == pytest.approx(1 / 2e-300, rel=1e-14)
    assert estimate(x=[1e300])["theta"] == pytest.approx(1e-300, rel=1e-14)
    assert estimate(x=[0.9, 1.7, 0.4, 0.3, 2.4])["theta"] == pytest.approx(5 / 5.7, rel=1e-14)


def test_cli_derives_and_verifies_a_latex_log_density(capsys):
    """θx^{θ−1} typed as LaTeX at the command line: https://math.techqa.club/maximum-likelihood-estimation-of-theta-x-theta-1-3342556"""
    from symml.cli import main

    assert main(["mle", "--logpdf", r"\log\theta + (\theta-1)\log x", "--support", "0,1"]) == 0
    assert "θ̂" in capsys.readouterr().out


# --- Fisher information, bias, variance ----------------------------------------------------------------------------
def score_variance(log_density, pdf, low, high, at, step=1e-5):
    """Oracle: the variance of the score by quadrature, the score by central differences."""
    score = lambda z: (log_density(z, at + step) - log_density(z, at - step)) / (2 * step)  # noqa: E731
    return integrate.quad(lambda z: score(z) ** 2 * pdf(z), low, high)[0]


@pytest.mark.parametrize("variable, log_density, pdf, low, high, at", [
    (st.Exponential("X", theta), lambda z, t: ss.expon(scale=1 / t).logpdf(z), ss.expon(scale=1 / 1.3).pdf, 0, np.inf, 1.3),
])
def test_fisher_information_of_one_observation(variable, log_density, pdf, low, high, at):
    """Exponential rate, I = 1/θ² (https://eval.jinshengyuliang.com/questions/question_17056.html); the Rayleigh's
    4/θ² (https://imathworks.com/math/math-fisher-information-of-the-rayleigh-distribution, not the asker's n/θ²) is
    checked through its Wald interval in tests/probability/test_exact_estimator_moments.py"""
    information = np.ravel(symml.derive.fisher_information(variable, wrt=[theta]).numpy()(theta=at))[0]
    assert information == pytest.approx(score_variance(log_density, pdf, low, high, at), rel=1e-6)


def test_fisher_information_in_the_probability_of_zero_of_a_poisson():
    """I(θ) for θ = e^{−λ}: https://stats.stackexchange.com/q/443941"""
    information = symml.derive.fisher_information(st.Poisson("X", -sp.log(theta)), wrt=[theta]).numpy()
    counts = np.arange(200)
    score = (counts / -np.log(0.3) - 1) * (-1 / 0.3)  # ∂/∂θ log p through λ = −log θ
    assert np.ravel(information(theta=0.3))[0] == pytest.approx(ss.poisson(-np.log(0.3)).pmf(counts) @ score**2, rel=1e-10)


def test_rayleigh_in_theta_times_two_is_unbiased():
    """f(x) = x/θ e^{−x²/(2θ)}: θ̂ = Σx²/(2n) is unbiased:
    https://brainmass.com/statistics/maximum-likelihood-estimation/determining-movements-rayleigh-distribution-441120"""
    estimate = symml.derive.mle(symml.Model(sp.log(x) - sp.log(theta) - x**2 / (2 * theta), x, support=sp.Interval(0, sp.oo)))
    draws = ss.rayleigh(scale=np.sqrt(2.0)).rvs(size=(20_000, 10), random_state=4)
    assert estimate.numpy()(x=draws[0])["theta"] == pytest.approx(np.sum(draws[0] ** 2) / 20, rel=1e-14)
    bias = float(symml.derive.bias(estimate, theta).numpy()(theta=2.0, n=10))
    estimates = np.sum(draws**2, axis=1) / 20
    assert abs(bias - (estimates.mean() - 2.0)) < 4 * estimates.std() / np.sqrt(estimates.size)


def test_normal_variance_with_known_mean_is_unbiased():
    """http://www.solutioninn.com/a-random-sample-x1-x2-xn-of-size"""
    mu, v = sp.Symbol("mu", real=True), sp.Symbol("v", positive=True)
    estimate = symml.derive.mle(st.Normal("X", mu, sp.sqrt(v)), wrt=[v])
    draws = ss.norm(0.3, np.sqrt(2.0)).rvs(size=(40_000, 5), random_state=3)
    estimates = np.mean((draws - 0.3) ** 2, axis=1)
    assert estimate.numpy()(x=draws[0], mu=0.3)["v"] == pytest.approx(estimates[0], rel=1e-14)
    bias = float(symml.derive.bias(estimate, v).numpy()(v=2.0, mu=0.3, n=5))
    assert bias == 0 and abs(estimates.mean() - 2.0) < 4 * estimates.std() / np.sqrt(estimates.size)


def test_mean_of_e_to_the_minus_x_of_a_poisson():
    """θ̂ = e^{−X} for θ = P(X = 0) = e^{−m} is biased: https://tutorsglobe.com/question/compare-the-mses-of-theta-and-theta-for-estimating-theta-595812.aspx"""
    m = sp.Symbol("m", positive=True)
    value = float(symml.derive.expectation(st.Poisson("X", m), sp.exp(-st.Poisson("X", m))).numpy()(m=2.0))
    counts = np.arange(200)
    assert value == pytest.approx(ss.poisson(2.0).pmf(counts) @ np.exp(-counts), rel=1e-12)


# --- entropy, moments, KL -------------------------------------------------------------------------------------------
def test_entropy_of_a_laplace_is_log_two_b_e():
    """https://stdlib.io/docs/api/latest/@stdlib/stats/base/dists/laplace/entropy (entropy(−1, 4) ≈ 3.079)"""
    mu, b = sp.Symbol("mu", real=True), sp.Symbol("b", positive=True)
    entropy = float(symml.derive.entropy(st.Laplace("X", mu, b)).numpy()(mu=-1.0, b=4.0))
    assert entropy == pytest.approx(ss.laplace(-1, 4).entropy(), rel=1e-12) and round(entropy, 3) == 3.079


def quadrature_kl(p, q, low, high, points=None):
    return integrate.quad(lambda z: p.pdf(z) * (p.logpdf(z) - q.logpdf(z)), low, high, points=points, limit=200)[0]


def test_kl_between_gammas_in_shape_and_scale():
    """https://stats.stackexchange.com/questions/11646/kullback-leibler-divergence-between-two-gamma-distributions"""
    b1, c1, b2, c2 = sp.symbols("b_1 c_1 b_2 c_2", positive=True)
    kl = symml.derive.kl(st.Gamma("P", c1, b1), st.Gamma("Q", c2, b2)).numpy()
    oracle = quadrature_kl(ss.gamma(3.0, scale=1.5), ss.gamma(2.0, scale=2.5), 0, np.inf)
    assert float(kl(b_1=1.5, c_1=3.0, b_2=2.5, c_2=2.0)) == pytest.approx(oracle, rel=1e-8)


def test_kl_between_gammas_typed_in_shape_and_rate_with_shapes_over_a_hundred():
    """P ~ Ga(115, 1329.914), Q ~ Ga(140, 650.6775) (rates), written as the asker's log-densities:
    https://huggingface.co/datasets/nvidia/Nemotron-CC-Math-v1 ("Calculate the KL divergence for these 2 gamma
    distributions", Cross Validated)"""
    a1, r1, a2, r2 = sp.symbols("a_1 r_1 a_2 r_2", positive=True)
    gamma_log_density = lambda a, r: sp.Piecewise((a * sp.log(r) - sp.loggamma(a) + (a - 1) * sp.log(x) - r * x, x > 0),  # noqa: E731
                                                  (-sp.oo, True))
    kl = symml.derive.kl(symml.Model(gamma_log_density(a1, r1), x), symml.Model(gamma_log_density(a2, r2), x)).numpy()
    oracle = quadrature_kl(ss.gamma(115, scale=1 / 1329.914), ss.gamma(140, scale=1 / 650.6775), 0, 1, points=[0.0865])
    assert float(kl(a_1=115.0, r_1=1329.914, a_2=140.0, r_2=650.6775)) == pytest.approx(oracle, rel=1e-7)


def test_kl_from_a_gamma_to_a_normal():
    """https://inlieuofabettertitle.wordpress.com/2016/09/22/gamma-vs-normal-kl-divergence-got-you-covered/"""
    a, b, s = *sp.symbols("a b", positive=True), sp.Symbol("sigma", positive=True)
    mu = sp.Symbol("mu", real=True)
    kl = symml.derive.kl(st.Gamma("Q", a, b), st.Normal("P", mu, s)).numpy()
    oracle = quadrature_kl(ss.gamma(2.0, scale=2.0), ss.norm(2.0, np.sqrt(2.0)), 0, np.inf)
    assert float(kl(a=2.0, b=2.0, mu=2.0, sigma=np.sqrt(2.0))) == pytest.approx(oracle, rel=1e-8)


# --- posteriors and intervals ---------------------------------------------------------------------------------------
def test_poisson_rate_under_a_gamma_prior_typed_as_text():
    """Prior Gamma(r = 15, λ = 3), data 6, 7, 9, 9, 16: https://tutorsglobe.com/question/suppose-you-observe-the-values-6-7-9-9-16-and-you-believe-52219886.aspx"""
    prior = symml.Model("14*log(theta) - 3*theta", data="theta", support=sp.Interval(0, sp.oo))
    posterior = symml.derive.posterior(st.Poisson("X", theta), prior, wrt=theta)
    data = np.array([6, 7, 9, 9, 16.0])
    grid = np.array([8.0, 9.5])
    unnormalised = lambda t: ss.poisson(t).logpmf(data).sum() + ss.gamma(15, scale=1 / 3).logpdf(t)  # noqa: E731
    evidence = np.log(integrate.quad(lambda t: np.exp(unnormalised(t) + 15), 0, 60, points=[9.0])[0]) - 15
    oracle = np.array([unnormalised(t) for t in grid]) - evidence  # Bayes' rule by quadrature
    assert posterior.numpy()(theta=grid, x=data) == pytest.approx(oracle, rel=1e-8)


def test_geometric_trials_under_a_beta_prior():
    """The Beta–Geometric conjugate pair, trials to the first success (x = 1, 2, ...): Cross Validated, "conjugate
    prior for the geometric distribution"."""
    p, a, b = sp.Symbol("p", positive=True), *sp.symbols("a b", positive=True)
    posterior = symml.derive.posterior(st.Geometric("X", p), st.Beta("P", a, b), wrt=p)
    data = np.array([1, 3, 2, 5, 1, 1, 4.0])
    unnormalised = lambda q: ss.geom(q).logpmf(data).sum() + ss.beta(2, 3).logpdf(q)  # noqa: E731
    evidence = np.log(integrate.quad(lambda q: np.exp(unnormalised(q)), 0, 1)[0])
    oracle = np.array([unnormalised(q) for q in (0.3, 0.5)]) - evidence
    assert posterior.numpy()(p=np.array([0.3, 0.5]), x=data, a=2.0, b=3.0) == pytest.approx(oracle, rel=1e-8)


def test_exact_interval_for_an_exponential_rate_from_five_observations():
    """2λΣx ~ χ²₂ₙ: https://tutorsglobe.com/question/parameter-of-the-distribution-5855954.aspx"""
    estimate = symml.derive.mle(st.Exponential("X", theta))
    interval = symml.derive.confidence_interval(estimate, theta, level=0.95).numpy()
    data = np.array([0.9, 1.7, 0.4, 0.3, 2.4])
    total = data.sum()
    oracle = (ss.chi2(10).ppf(0.025) / (2 * total), ss.chi2(10).ppf(0.975) / (2 * total))
    assert interval(x=data) == pytest.approx(oracle, rel=1e-10)


def test_exponential_with_one_reading_beyond_the_instrument():
    """x₁ = 5, x₂ = 3 and x₃ > 20 (censored): L(λ) = λ²e^{−8λ}·e^{−20λ}, not the asker's λ³e^{−3λx̄}:
    https://www.physicsforums.com/threads/likelihood-function-exponential-distribution.292723/"""
    lam = sp.Symbol("lambda", positive=True)
    fit = symml.derive.maximize(2 * sp.log(lam) - lam * (5 + 3) - 20 * lam, lam)  # log S(20) = −20λ
    oracle = bounded_maximum(lambda r: -(ss.expon(scale=1 / r).logpdf([5, 3]).sum() + ss.expon(scale=1 / r).logsf(20)), 1e-4, 5)
    assert float(np.ravel(fit.numpy()())[0]) == pytest.approx(oracle, rel=1e-7)


def test_kl_between_two_bernoullis():
    """Cross Validated, "KL divergence between two Bernoulli distributions": p log(p/q) + (1 − p) log((1 − p)/(1 − q))"""
    p, q = sp.symbols("p q", positive=True)
    kl = symml.derive.kl(st.Bernoulli("P", p), st.Bernoulli("Q", q)).numpy()
    assert float(kl(p=0.3, q=0.6)) == pytest.approx(ss.entropy([0.3, 0.7], [0.6, 0.4]), rel=1e-12)


def test_entropy_of_a_uniform_is_the_log_of_its_width():
    """Math Stack Exchange, "differential entropy of the uniform distribution": log(b − a)"""
    a, b = sp.symbols("a b", real=True)
    entropy = symml.derive.entropy(st.Uniform("X", a, b)).numpy()
    assert float(entropy(a=-1.0, b=2.5)) == pytest.approx(ss.uniform(-1, 3.5).entropy(), rel=1e-12)
