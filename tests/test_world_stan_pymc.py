"""The distributions of the Stan Functions Reference and PyMC's distribution docs, typed as their users write them,
through the public API: log densities and their gradients (Stan users write custom ``_lpdf`` functions),
maximum likelihood, moments, entropy, Fisher information and the reparametrisations (neg_binomial_2's mean and
overdispersion, beta_proportion's mean and concentration, poisson_log).

Each test names the reference page it copies (https://mc-stan.org/docs/functions-reference/, or
https://www.pymc.io/projects/docs/en/stable/api/distributions.html) in Stan's or PyMC's own parametrisation, and
checks symml against an independent numeric oracle: scipy.stats where the family exists there (the translation of
the parameters is written in the test), else quadrature, finite differences or scipy.optimize.
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
from scipy import integrate, optimize

import symml

RNG = np.random.default_rng(20261127)


def positive(name: str) -> sp.Symbol:
    return sp.Symbol(name, positive=True)


def central_differences(f, at: dict, names: list[str], step: float = 1e-6) -> np.ndarray:
    """The gradient of f(**at) in the named arguments by central differences."""
    def moved(name, by):
        return {**at, name: at[name] + by}
    return np.array([(f(**moved(name, step)) - f(**moved(name, -step))) / (2 * step) for name in names])


def test_exp_mod_normal_gradient_typed_with_lambda_as_stan_names_the_rate():
    """https://mc-stan.org/docs/functions-reference/unbounded_continuous_distributions.html (exponentially modified
    normal): Stan names the rate lambda, which Python reserves; the typed log density was refused as 'invalid
    syntax, write products with *'. The oracle: central differences of scipy's exponnorm(K = 1/(σλ), μ, σ)."""
    logpdf = ("log(lambda) - log(2) + lambda/2*(2*mu + lambda*sigma**2 - 2*y)"
              " + log(erfc((mu + lambda*sigma**2 - y)/(sqrt(2)*sigma)))")
    at = {"y": 1.2, "mu": 0.3, "sigma": 0.8, "lambda": 1.7}
    gradient = symml.derive.gradient(logpdf, wrt=["mu", "sigma", "lambda"]).numpy()(**at)

    def scipy_logpdf(y, mu, sigma, **rate):
        return ss.exponnorm.logpdf(y, 1 / (sigma * rate["lambda"]), mu, sigma)

    assert np.ravel(gradient) == pytest.approx(central_differences(scipy_logpdf, at, ["mu", "sigma", "lambda"]),
                                               rel=1e-7)


def skew_double_exponential() -> symml.Model:
    """https://mc-stan.org/docs/functions-reference/unbounded_continuous_distributions.html (skew double
    exponential): 2τ(1 − τ)/σ exp(−2/σ [(1 − τ) I(y < μ)(μ − y) + τ I(y > μ)(y − μ)])."""
    mu, y, sigma, tau = sp.Symbol("mu", real=True), sp.Symbol("y", real=True), positive("sigma"), positive("tau")
    kink = sp.Piecewise(((1 - tau) * (mu - y), y < mu), (tau * (y - mu), True))
    return symml.Model(logpdf=sp.log(2 * tau * (1 - tau) / sigma) - 2 / sigma * kink, data=y, support=sp.Reals)


def test_skew_double_exponential_mean_and_variance_past_sympys_limit_of_its_piecewise_tail():
    """Whether the MGF exists was asked of SymPy's limit of t y + log f(y) in the tails, which raised TypeError
    ('Invalid comparison of non-real zoo') on the Piecewise: moments() crashed. Oracle: quadrature of the density
    on each side of μ."""
    moments = symml.derive.moments(skew_double_exponential(), upto=2).numpy()(mu=1.0, sigma=2.0, tau=0.3)

    def density(t):
        return 2 * 0.3 * 0.7 / 2.0 * np.exp(-2 / 2.0 * np.where(t < 1.0, 0.7 * (1.0 - t), 0.3 * (t - 1.0)))

    def expectation(g):
        return sum(integrate.quad(lambda t: g(t) * density(t), *ends)[0] for ends in ((-np.inf, 1.0), (1.0, np.inf)))

    mean = expectation(lambda t: t)
    assert (moments["mean"], moments["variance"]) == pytest.approx((mean, expectation(lambda t: t * t) - mean**2),
                                                                   rel=1e-10)


def beta_proportion() -> symml.Model:
    """https://mc-stan.org/docs/functions-reference/continuous_distributions_on_0_1.html (beta proportion):
    θ^(μκ − 1)(1 − θ)^((1 − μ)κ − 1)/B(μκ, (1 − μ)κ), the Beta(μκ, (1 − μ)κ) of scipy."""
    mu, kappa, theta = positive("mu"), positive("kappa"), positive("theta")
    logpdf = ((mu * kappa - 1) * sp.log(theta) + ((1 - mu) * kappa - 1) * sp.log(1 - theta)
              - sp.loggamma(mu * kappa) - sp.loggamma((1 - mu) * kappa) + sp.loggamma(kappa))
    return symml.Model(logpdf=logpdf, data=theta, support=sp.Interval.open(0, 1))


def test_beta_proportion_mle_of_the_mean_starts_away_from_the_pole_at_mu_one():
    """The numeric solver's default start μ = 1 puts Γ((1 − μ)κ) at its pole, so the log density was −∞ at every
    observation, and that was reported as 'an observation on the edge of the support' (DataError) for data well
    inside (0, 1). Oracle: scipy's bounded search of beta(μκ, (1 − μ)κ).logpdf."""
    model = beta_proportion()
    mu = next(p for p in model.parameters if p.name == "mu")
    data = ss.beta(2.0, 3.0).rvs(size=300, random_state=RNG)
    found = symml.derive.mle(model, wrt=[mu]).numpy()(theta=data, kappa=5.0)["mu"]
    oracle = optimize.minimize_scalar(lambda m: -ss.beta(5 * m, 5 * (1 - m)).logpdf(data).sum(), bounds=(1e-6, 1 - 1e-6),
                                      method="bounded", options={"xatol": 1e-12}).x
    assert found == pytest.approx(oracle, rel=1e-6)  # the bounded search is accurate to ~√ε in μ


def test_beta_proportion_mle_of_mean_and_concentration():
    """Both parameters: the same start at the pole; the oracle is scipy's beta.fit (a, b) mapped to
    (a/(a + b), a + b)."""
    data = ss.beta(2.0, 3.0).rvs(size=300, random_state=RNG)
    found = symml.derive.mle(beta_proportion()).numpy()(theta=data)
    a, b, _, _ = ss.beta.fit(data, floc=0, fscale=1)
    assert (found["mu"], found["kappa"]) == pytest.approx((a / (a + b), a + b), rel=1e-7)


def pareto_type_2() -> symml.Model:
    """https://mc-stan.org/docs/functions-reference/positive_lower-bounded_distributions.html (Pareto type 2):
    α/λ (1 + (y − μ)/λ)^{−(α + 1)} for y ≥ μ, scipy's lomax(α, loc=μ, scale=λ)."""
    alpha, lam, mu, y = positive("alpha"), positive("lambda"), sp.Symbol("mu", real=True), sp.Symbol("y", real=True)
    return symml.Model(logpdf=sp.log(alpha) - sp.log(lam) - (alpha + 1) * sp.log(1 + (y - mu) / lam), data=y,
                       support=sp.Interval(mu, sp.oo))


def test_pareto_type_2_fisher_information_in_the_shape_is_finite():
    """E[log²(1 + (y − μ)/λ)] was declared divergent: SymPy's limit of y log²(1 + (y − μ)/λ) f(y) at ∞ is ∞ with the
    parameters symbolic (it is 0 for every α > 0), so I(α) came out ∞. Oracle: quadrature of the squared score of
    scipy's lomax by central differences."""
    model = pareto_type_2()
    alpha = next(p for p in model.parameters if p.name == "alpha")
    found = symml.derive.fisher_information(model, wrt=[alpha]).numpy()(mu=0.5, alpha=3.0, **{"lambda": 2.0})
    step = 1e-5

    def score(t):
        return (ss.lomax.logpdf(t, 3.0 + step, 0.5, 2.0) - ss.lomax.logpdf(t, 3.0 - step, 0.5, 2.0)) / (2 * step)

    oracle = integrate.quad(lambda t: ss.lomax.pdf(t, 3.0, 0.5, 2.0) * score(t) ** 2, 0.5, np.inf)[0]
    assert np.ravel(found)[0] == pytest.approx(oracle, rel=1e-7)


def test_skew_double_exponential_mle_of_the_scale_with_the_skewness_fixed_in_the_unit_interval():
    """The density check tried the fixed τ at its first probe value only, τ = 23/10, where 2τ(1 − τ) < 0, and refused
    the model as 'complex on the support' (ModelError). Oracle: scipy's bounded search of the log-likelihood
    written in NumPy from Stan's formula."""
    def log_likelihood(y, mu, sigma, tau):
        return np.sum(np.log(2 * tau * (1 - tau) / sigma) - 2 / sigma * np.where(y < mu, (1 - tau) * (mu - y), tau * (y - mu)))

    data = np.where(RNG.uniform(size=300) < 0.3, 1 - RNG.exponential(2 / 1.4, 300), 1 + RNG.exponential(2 / 0.6, 300))
    found = symml.derive.mle(skew_double_exponential(), wrt=[positive("sigma")]).numpy()(y=data, mu=1.0, tau=0.3)
    oracle = optimize.minimize_scalar(lambda s: -log_likelihood(data, 1.0, s, 0.3), bounds=(1e-3, 100), method="bounded",
                                      options={"xatol": 1e-12}).x
    assert found["sigma"] == pytest.approx(oracle, rel=1e-7)


def asymmetric_laplace() -> symml.Model:
    """https://www.pymc.io/projects/docs/en/stable/api/distributions/generated/pymc.AsymmetricLaplace.html:
    b/(κ + 1/κ) exp(−(x − μ) b s κ^s), s = sign(x − μ): scipy's laplace_asymmetric(κ, loc=μ, scale=1/b)."""
    b, kappa, mu, x = positive("b"), positive("kappa"), sp.Symbol("mu", real=True), sp.Symbol("x", real=True)
    exponent = sp.Piecewise(((x - mu) * b * kappa, x >= mu), (-(x - mu) * b / kappa, True))
    return symml.Model(logpdf=sp.log(b) - sp.log(kappa + 1 / kappa) - exponent, data=x, support=sp.Reals)


def test_asymmetric_laplace_mle_of_the_rate_comes_out_of_the_piecewise():
    """b multiplies both branches of the Piecewise, which the sums kept whole: the estimate held a Sum of x[i] and
    numpy() raised KeyError: x. The Piecewise is now a sum of one branch each, b κ Σ(x − μ)₊ + (b/κ) Σ(μ − x)₊.
    Oracle: scipy's bounded search of laplace_asymmetric.logpdf."""
    data = ss.laplace_asymmetric(2.0, loc=0.3, scale=1 / 1.5).rvs(size=300, random_state=RNG)
    found = symml.derive.mle(asymmetric_laplace(), wrt=[positive("b")]).numpy()(x=data, kappa=2.0, mu=0.3)
    oracle = optimize.minimize_scalar(lambda b: -ss.laplace_asymmetric(2.0, 0.3, 1 / b).logpdf(data).sum(),
                                      bounds=(1e-3, 100), method="bounded", options={"xatol": 1e-12}).x
    assert found["b"] == pytest.approx(oracle, rel=1e-7)


def test_asymmetric_laplace_mle_of_the_asymmetry():
    """κ inside both branches: the solver crashed in SymPy (ExprCondPair TypeError). Oracle as above, over κ."""
    data = ss.laplace_asymmetric(2.0, loc=0.3, scale=1 / 1.5).rvs(size=300, random_state=RNG)
    found = symml.derive.mle(asymmetric_laplace(), wrt=[positive("kappa")]).numpy()(x=data, b=1.5, mu=0.3)
    oracle = optimize.minimize_scalar(lambda k: -ss.laplace_asymmetric(k, 0.3, 1 / 1.5).logpdf(data).sum(),
                                      bounds=(1e-3, 100), method="bounded", options={"xatol": 1e-12}).x
    assert found["kappa"] == pytest.approx(oracle, rel=1e-6)


def test_rice_score_is_finite_where_the_bessel_functions_overflow():
    """https://www.pymc.io/projects/docs/en/stable/api/distributions/generated/pymc.Rice.html:
    x/σ² exp(−(x² + ν²)/(2σ²)) I₀(xν/σ²). At x = 900, ν = 800, σ = 0.8 the argument is 1.1e6: I₁/I₀ was inf/inf and
    the gradient nan; the Bessel functions are now printed scaled (ive). Oracle: mpmath's derivative of the log
    density at 50 digits."""
    import mpmath

    x, nu, sigma = positive("x"), positive("nu"), positive("sigma")
    logpdf = sp.log(x) - 2 * sp.log(sigma) - (x**2 + nu**2) / (2 * sigma**2) + sp.log(sp.besseli(0, x * nu / sigma**2))
    found = symml.derive.gradient(logpdf, [nu, sigma]).numpy()(x=900.0, nu=800.0, sigma=0.8)
    mpmath.mp.dps = 50

    def exact(v, s):
        return (mpmath.log(900) - 2 * mpmath.log(s) - (900**2 + v**2) / (2 * s**2)
                + mpmath.log(mpmath.besseli(0, 900 * v / s**2)))

    oracle = [float(mpmath.diff(lambda v: exact(v, mpmath.mpf("0.8")), 800)),
              float(mpmath.diff(lambda s: exact(800, s), mpmath.mpf("0.8")))]
    assert np.ravel(found) == pytest.approx(oracle, rel=1e-9)


def test_von_mises_concentration_score_at_a_concentration_of_800():
    """https://mc-stan.org/docs/functions-reference/circular_distributions.html (von Mises):
    exp(κ cos(y − μ))/(2π I₀(κ)); I₀(800) overflows, and the score cos(y − μ) − I₁(κ)/I₀(κ) was nan. Oracle:
    mpmath's derivative in κ."""
    import mpmath

    kappa, y, mu = positive("kappa"), sp.Symbol("y", real=True), sp.Symbol("mu", real=True)
    logpdf = kappa * sp.cos(y - mu) - sp.log(2 * sp.pi * sp.besseli(0, kappa))
    found = symml.derive.gradient(logpdf, [kappa]).numpy()(y=0.1, mu=0.0, kappa=800.0)
    mpmath.mp.dps = 50
    oracle = mpmath.diff(lambda k: k * mpmath.cos(mpmath.mpf("0.1")) - mpmath.log(2 * mpmath.pi * mpmath.besseli(0, k)), 800)
    assert np.ravel(found)[0] == pytest.approx(float(oracle), rel=1e-9)


def zero_inflated_poisson() -> symml.Model:
    """https://www.pymc.io/projects/docs/en/stable/api/distributions/generated/pymc.ZeroInflatedPoisson.html:
    f(0) = (1 − ψ) + ψe^{−μ}, f(k) = ψ μᵏe^{−μ}/k! for k ≥ 1 (ψ the probability of the Poisson part), typed as
    PyMC's docstring writes it, by cases."""
    psi, mu, k = positive("psi"), positive("mu"), sp.Symbol("k", integer=True, nonnegative=True)
    logpmf = sp.Piecewise((sp.log(1 - psi + psi * sp.exp(-mu)), sp.Eq(k, 0)),
                          (sp.log(psi) + k * sp.log(mu) - mu - sp.loggamma(k + 1), True))
    return symml.Model(logpdf=logpmf, data=k, support=sp.Range(0, sp.oo))


def zero_inflated_poisson_logpmf(k, psi, mu):
    return np.where(k == 0, np.log(1 - psi + psi * np.exp(-mu)), np.log(psi) + ss.poisson.logpmf(k, mu))


def test_zero_inflated_poisson_typed_by_cases_has_the_mean_and_variance_of_its_pmf():
    """A Piecewise with two finite branches was refused as a support ('must have one finite branch and -oo
    elsewhere') even with support= given. Oracle: the moments of the pmf written in NumPy, summed to k = 200."""
    found = symml.derive.moments(zero_inflated_poisson(), upto=2).numpy()(psi=0.7, mu=3.0)
    k = np.arange(0, 200)
    pmf = np.exp(zero_inflated_poisson_logpmf(k, 0.7, 3.0))
    mean = np.sum(k * pmf)
    assert (found["mean"], found["variance"]) == pytest.approx((mean, np.sum(k * k * pmf) - mean**2), rel=1e-12)


def test_zero_inflated_poisson_mle_of_both_parameters():
    """The numeric solver hoisted the Piecewise's (value, condition) pair, a function of the data alone, into a
    number placeholder: SymPy's ExprCondPair raised TypeError. Oracle: Nelder–Mead on the NumPy log-likelihood in
    (logit ψ, log μ)."""
    data = np.where(RNG.uniform(size=400) < 0.7, RNG.poisson(3.0, size=400), 0)
    found = symml.derive.mle(zero_inflated_poisson()).numpy()(k=data)

    def negative_log_likelihood(z):
        return -np.sum(zero_inflated_poisson_logpmf(data, 1 / (1 + np.exp(-z[0])), np.exp(z[1])))

    z = optimize.minimize(negative_log_likelihood, [0.0, 0.0], method="Nelder-Mead",
                          options={"xatol": 1e-12, "fatol": 1e-14}).x
    assert (found["psi"], found["mu"]) == pytest.approx((1 / (1 + np.exp(-z[0])), np.exp(z[1])), rel=1e-6)


def test_ordered_logistic_mle_of_the_linear_predictor_typed_by_category():
    """https://mc-stan.org/docs/functions-reference/bounded_discrete_distributions.html (ordered logistic, K = 3):
    P(y = 1) = 1 − logit⁻¹(η − c₁), P(y = 2) = logit⁻¹(η − c₁) − logit⁻¹(η − c₂), P(y = 3) = logit⁻¹(η − c₂), with
    the cutpoints known. Refused as a Piecewise support before. Oracle: scipy's bounded search of the NumPy
    log-likelihood."""
    eta, c1, c2 = (sp.Symbol(name, real=True) for name in ("eta", "c1", "c2"))
    y = sp.Symbol("y", integer=True, positive=True)

    def inv_logit(t):
        return 1 / (1 + sp.exp(-t))

    logpmf = sp.Piecewise((sp.log(1 - inv_logit(eta - c1)), sp.Eq(y, 1)),
                          (sp.log(inv_logit(eta - c1) - inv_logit(eta - c2)), sp.Eq(y, 2)),
                          (sp.log(inv_logit(eta - c2)), True))
    model = symml.Model(logpdf=logpmf, data=y, support=sp.Range(1, 4), parameters=[eta, c1, c2])
    data = RNG.choice([1, 2, 3], p=[0.2, 0.5, 0.3], size=200)
    found = symml.derive.mle(model, wrt=[eta]).numpy()(y=data, c1=-0.5, c2=1.2)["eta"]

    def negative_log_likelihood(e):
        upper, lower = 1 / (1 + np.exp(-(e + 0.5))), 1 / (1 + np.exp(-(e - 1.2)))
        return -np.sum(np.log(np.choose(data - 1, [1 - upper, upper - lower, lower])))

    oracle = optimize.minimize_scalar(negative_log_likelihood, bounds=(-10, 10), method="bounded",
                                      options={"xatol": 1e-12}).x
    assert found == pytest.approx(oracle, rel=1e-6)


def test_beta_binomial_typed_as_text_with_its_trial_count_declared_in_the_support():
    """https://mc-stan.org/docs/functions-reference/bounded_discrete_distributions.html (beta-binomial):
    C(N, n) B(n + α, N − n + β)/B(α, β) typed as text, support {0, ..., N} with N a SymPy positive integer. The
    reader made its own N, a different symbol of the same name: numpy() raised KeyError: N. Oracle: scipy's
    betabinom.stats."""
    N = sp.Symbol("N", integer=True, positive=True)
    model = symml.Model(logpdf="log(binomial(N, n)) + loggamma(n + alpha) + loggamma(N - n + beta) - loggamma(N + alpha"
                               " + beta) - loggamma(alpha) - loggamma(beta) + loggamma(alpha + beta)",
                        data="n", support=sp.Range(0, N + 1))
    found = symml.derive.moments(model, upto=2).numpy()(N=10, alpha=2.0, beta=3.0)
    assert (found["mean"], found["variance"]) == pytest.approx(ss.betabinom.stats(10, 2.0, 3.0, moments="mv"), rel=1e-12)


def test_moyal_mle_of_the_location_is_minus_sigma_log_of_a_mean_of_exponentials():
    """https://www.pymc.io/projects/docs/en/stable/api/distributions/generated/pymc.Moyal.html:
    exp(−(z + e^{−z})/2)/(σ√(2π)), z = (x − μ)/σ. μ̂ = −σ log(mean(e^{−x/σ})). The density check integrated it by
    mpmath, which formed e^{e^{77000}} exactly far in the left tail: 12 s of CPU per derivation (33 s wall), now
    0.15 s. Oracle: scipy's bounded search of moyal.logpdf."""
    x, mu, sigma = sp.Symbol("x", real=True), sp.Symbol("mu", real=True), positive("sigma")
    model = symml.Model(logpdf=-sp.log(sigma) - sp.log(2 * sp.pi) / 2 - ((x - mu) / sigma + sp.exp(-(x - mu) / sigma)) / 2,
                        data=x)
    data = ss.moyal.rvs(0.3, 1.4, size=300, random_state=RNG)
    found = symml.derive.mle(model, wrt=[mu]).numpy()(x=data, sigma=1.4)["mu"]
    oracle = optimize.minimize_scalar(lambda m: -ss.moyal.logpdf(data, m, 1.4).sum(), bounds=(-5, 5), method="bounded",
                                      options={"xatol": 1e-12}).x
    assert found == pytest.approx(oracle, rel=1e-6)  # the bounded search is accurate to ~√ε in μ


def test_logit_normal_mle_is_the_mean_and_deviation_of_the_logits():
    """https://www.pymc.io/projects/docs/en/stable/api/distributions/generated/pymc.LogitNormal.html:
    exp(−(logit x − μ)²/(2σ²))/(σ√(2π) x(1 − x)) on (0, 1). The density check's two quadrature rules disagreed by
    3e-10 over the whole interval and SymPy's integral ran to its budget at each probe: 11 s of CPU, now 1.3 s.
    Oracle: NumPy's mean and (population) standard deviation of logit(x)."""
    x, mu, sigma = positive("x"), sp.Symbol("mu", real=True), positive("sigma")
    logpdf = (-sp.log(sigma) - sp.log(2 * sp.pi) / 2 - sp.log(x) - sp.log(1 - x)
              - (sp.log(x / (1 - x)) - mu)**2 / (2 * sigma**2))
    data = 1 / (1 + np.exp(-RNG.normal(0.4, 0.8, size=300)))
    found = symml.derive.mle(symml.Model(logpdf=logpdf, data=x, support=sp.Interval.open(0, 1))).numpy()(x=data)
    logits = np.log(data / (1 - data))
    assert (found["mu"], found["sigma"]) == pytest.approx((logits.mean(), logits.std()), rel=1e-10)
