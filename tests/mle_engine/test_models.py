"""User log-densities (symml.Model), family names and wrt given as names or symbols."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings, strategies as st
from scipy import optimize, stats

import symml
from symml.mle import mle
from symml.mle.families import random_variable
from tests.mle_engine.sample_statistics import estimates, relative_gap

x = sp.Symbol("x", real=True)


def test_support_is_read_from_the_piecewise_condition():
    m = sp.Symbol("m", real=True)
    model = symml.Model(logpdf=sp.Piecewise((-(x - m), x >= m), (-sp.oo, True)), data=x)
    assert model.support == sp.Interval(m, sp.oo) and model.log_density_on_support == m - x


def test_an_unreadable_support_condition_asks_for_support_explicitly():
    m = sp.Symbol("m", real=True)
    with pytest.raises(symml.ModelError, match="support="):
        symml.Model(logpdf=sp.Piecewise((-x, sp.Eq(sp.floor(x), m)), (-sp.oo, True)), data=x)


def test_a_logpdf_that_is_neither_an_expression_nor_text_is_a_model_error():
    with pytest.raises(symml.ModelError, match="SymPy expression"):
        symml.Model(logpdf=lambda value: -value ** 2, data=x)


@pytest.mark.parametrize("typed", ["-log(2*pi*s)/2 - (x - mu)**2/(2*s)",
                                   r"-\frac{1}{2}\log(2\pi s) - \frac{(x-\mu)^2}{2 s}"])
def test_a_log_density_typed_as_text_or_latex_gives_the_sample_mean_and_variance(typed):
    sample = np.random.default_rng(3).normal(2.0, 3.0, 40)
    fit = symml.derive.mle(symml.Model(logpdf=typed, data="x"), wrt=["mu", "s"]).numpy()(x=sample)
    assert fit["mu"] == pytest.approx(np.mean(sample)) and fit["s"] == pytest.approx(np.var(sample))


def test_a_typed_scale_under_a_log_is_positive_so_its_estimate_is_closed():
    # sigma typed as text is only real; log(sigma) makes sigma > 0 a fact, so -sqrt(S) is no root and the
    # estimate is the one closed form (it was left to a numeric solve between +-sqrt(S))
    sample = np.random.default_rng(4).normal(-1.0, 0.5, 30)
    derived = symml.derive.mle(symml.Model(logpdf=r"-\log(\sigma) - \frac{(x - \mu)^2}{2\sigma^2}", data="x"),
                               wrt=["mu", "sigma"])
    location, scale = stats.norm.fit(sample)
    assert {str(p) for p in derived.result} == {"mu", "sigma"}
    assert derived.numpy()(x=sample) == pytest.approx({"mu": location, "sigma": scale}, rel=1e-12)


def test_log_x_on_a_half_line_is_real_so_a_typed_log_normal_scale_is_closed():
    # under a density the end point 0 has probability zero, so [0, ∞) (the CLI's --support 0,oo) counts like
    # (0, ∞); 6 s CPU, most of it the density check's symbolic integral running to its budget
    sample = np.random.default_rng(5).lognormal(1.0, 2.0, 50)
    model = symml.Model(logpdf=r"-\log(x) - \log(\sigma) - \frac{(\log x - \mu)^2}{2\sigma^2}", data="x",
                        support=sp.Interval(0, sp.oo))
    derived = symml.derive.mle(model, wrt=["mu", "sigma"])
    shape, _, scale = stats.lognorm.fit(sample, floc=0)
    assert {str(p) for p in derived.result} == {"mu", "sigma"}
    assert derived.numpy()(x=sample) == pytest.approx({"mu": np.log(scale), "sigma": shape}, rel=1e-9)


def test_a_typed_log_density_is_read_never_run():
    with pytest.raises(symml.ModelError, match="cannot read the log-density"):
        symml.Model(logpdf="__import__('os').getcwd()", data="x")


def test_family_name_and_symbol_and_name_wrt_give_the_same_estimators():
    mu = sp.Symbol("mu", real=True)
    by_name = mle("Normal", wrt=["mu"])
    by_symbol = mle(random_variable("Normal"), wrt=[mu])
    assert by_name.summary == by_symbol.summary


def test_pareto_scale_and_shape_jointly_scale_is_the_minimum():
    data = 1.5 * (1 + np.random.default_rng(9).pareto(3.0, 1000))
    derived = estimates(mle("Pareto"), data)
    # with the scale at the minimum, the shape maximises the scipy likelihood
    numeric = stats.pareto.fit(data, floc=0)
    assert relative_gap(derived["x_m"], data.min()) < 1e-12
    assert relative_gap(derived["alpha"], numeric[0]) < 1e-4  # scipy's fit uses its own optimiser tolerance
    assert stats.pareto.logpdf(data, derived["alpha"], scale=derived["x_m"]).sum() >= \
        stats.pareto.logpdf(data, numeric[0], scale=numeric[2]).sum() - 1e-9


@pytest.fixture(scope="module")
def uniform():
    return mle("Uniform")


@settings(max_examples=15)
@given(low=st.floats(-100, 100), width=st.floats(0.01, 100), n=st.integers(2, 3000), seed=st.integers(0, 2**32 - 1))
def test_uniform_estimate_beats_every_other_feasible_support(uniform, low, width, n, seed):
    # l(a, b) = -n log(b - a) on a <= x_(1), x_(n) <= b: no feasible (a, b) has a larger likelihood
    rng = np.random.default_rng(seed)
    data = rng.uniform(low, low + width, n)
    derived = estimates(uniform, data)
    best = stats.uniform.logpdf(data, derived["a"], derived["b"] - derived["a"]).sum()
    for a, b in zip(data.min() - rng.exponential(width, 50), data.max() + rng.exponential(width, 50)):
        assert stats.uniform.logpdf(data, a, b - a).sum() <= best


def test_the_estimator_takes_the_sample_by_the_models_name_for_an_observation():
    model = symml.Model(logpdf="log(mu) - mu*y", data="y", support=sp.Interval(0, sp.oo))
    estimate = symml.derive.mle(model).numpy()
    sample = np.random.default_rng(5).exponential(0.5, 200)
    assert estimate(y=sample)["mu"] == pytest.approx(1 / np.mean(sample), rel=1e-12)  # raised TypeError: 'x' missing
    assert estimate(sample) == estimate(x=sample) == estimate(y=sample)


def test_a_typed_shape_named_k_is_a_real_parameter_not_an_integer():
    # scipy.stats.mielke's standardized form with s = 4.6; k is read as an index in notes, but here it is a shape:
    # as an integer it was estimated as 11 where the likelihood's maximiser is 10.21 (bounded scalar search)
    sample = stats.mielke(10.4, 4.6).rvs(size=400, random_state=1)
    model = symml.Model(logpdf="log(k) + (k - 1)*log(x) - (1 + k/4.6)*log(1 + x**4.6)", data="x",
                        support=sp.Interval(0, sp.oo))
    found = symml.derive.mle(model).numpy()(x=sample)["k"]
    best = optimize.minimize_scalar(lambda k: -np.sum(stats.mielke(k, 4.6).logpdf(sample)), bounds=(0.1, 100),
                                    method="bounded", options={"xatol": 1e-10}).x
    assert model.parameters[0].is_integer is not True and found == pytest.approx(best, rel=1e-6)


def test_a_typed_pmf_keeps_its_data_named_k_an_integer():
    model = symml.Model(logpdf="k*log(lam) - lam - log(factorial(k))", data="k", support=sp.Range(0, sp.oo))
    counts = stats.poisson(3.2).rvs(size=200, random_state=3)
    assert model.data.is_integer and symml.derive.mle(model).numpy()(k=counts)["lam"] == pytest.approx(counts.mean())


def test_a_parameter_passed_as_a_symbol_gives_a_typed_density_its_assumptions():
    # the chi density (scipy.stats.chi) with its shape declared positive: the solver searches k > 0 only
    sample = stats.chi(3.7).rvs(size=300, random_state=2)
    model = symml.Model(logpdf="(k - 1)*log(x) - x**2/2 - (k/2 - 1)*log(2) - loggamma(k/2)", data="x",
                        support=sp.Interval(0, sp.oo), parameters=[sp.Symbol("k", positive=True)])
    found = symml.derive.mle(model).numpy()(x=sample)["k"]
    best = optimize.minimize_scalar(lambda k: -np.sum(stats.chi(k).logpdf(sample)), bounds=(0.1, 50),
                                    method="bounded", options={"xatol": 1e-10}).x
    assert model.parameters[0].is_positive and found == pytest.approx(best, rel=1e-6)


def test_an_explicit_support_is_narrowed_by_the_piecewise_condition_of_a_uniform():
    # support [0, ∞) beside 1/θ on 0 ≤ x ≤ θ: the condition was ignored and the MLE refused ("1/theta does not
    # integrate to 1 over [0, ∞)"); the support is [0, θ] and θ̂ = x₍ₙ₎. Oracle: scipy's bounded maximum of the
    # likelihood θ^{-n} 1{θ ≥ x₍ₙ₎}
    theta = sp.Symbol("theta", positive=True)
    model = symml.Model(logpdf=sp.Piecewise((-sp.log(theta), (x >= 0) & (x <= theta)), (-sp.oo, True)), data=x,
                        support=sp.Interval(0, sp.oo))
    assert model.support == sp.Interval(0, theta)
    data = np.random.default_rng(31).uniform(0.0, 2.0, 12)
    best = optimize.minimize_scalar(lambda t: np.inf if t < data.max() else data.size * np.log(t),
                                    bounds=(data.max(), 10.0), method="bounded", options={"xatol": 1e-12}).x
    assert mle(model, wrt=[theta]).numpy()(x=data)["theta"] == pytest.approx(best, rel=1e-7)


def test_an_explicit_support_is_narrowed_by_the_threshold_of_a_shifted_exponential():
    # support [0, ∞) beside λe^{−λ(x − 1)} on x ≥ 1: [1, ∞); an observation below 1 is outside it. Oracle: scipy's fit
    lam = sp.Symbol("lambda", positive=True)
    model = symml.Model(logpdf=sp.Piecewise((sp.log(lam) - lam * (x - 1), x >= 1), (-sp.oo, True)), data=x,
                        support=sp.Interval(0, sp.oo))
    assert model.support == sp.Interval(1, sp.oo)
    estimate = mle(model, wrt=[lam]).numpy()
    data = 1.0 + np.random.default_rng(32).exponential(0.5, 40)
    assert estimate(x=data)["lambda"] == pytest.approx(1 / stats.expon.fit(data, floc=1.0)[1], rel=1e-9)
    with pytest.raises(symml.DataError, match="outside the support"):
        estimate(x=[0.5, 1.5, 2.0])


def test_an_explicit_support_disjoint_from_the_piecewise_condition_is_a_model_error():
    with pytest.raises(symml.ModelError, match="no point in common"):
        symml.Model(logpdf=sp.Piecewise((-x, x >= 2), (-sp.oo, True)), data=x, support=sp.Interval(0, 1))


def test_a_model_given_by_its_density_has_the_maximum_likelihood_estimate_of_scipys_fit():
    # textbooks give densities: Model(pdf=...) takes the log itself (it was a TypeError)
    model = symml.Model(pdf=r"\frac{x^{2}}{2\theta^{3}} e^{-x/\theta}", data="x", support=sp.Interval(0, sp.oo))
    sample = np.random.default_rng(3).gamma(3.0, 1.7, 200)
    estimate = symml.derive.mle(model).numpy()(x=sample)["theta"]
    assert estimate == pytest.approx(stats.gamma.fit(sample, f0=3, floc=0)[2], rel=1e-6)


def test_a_density_by_cases_is_zero_off_its_support():
    theta = sp.Symbol("theta", positive=True)
    model = symml.Model(pdf=sp.Piecewise((1 / (2 * theta), (x >= -theta) & (x <= theta)), (0, True)), data=x)
    sample = np.array([-0.3, 1.2, 0.4])
    assert symml.derive.mle(model).numpy()(x=sample)["theta"] == pytest.approx(1.2)


@pytest.mark.parametrize("given", [dict(pdf="x", logpdf="x", data="x"), dict(data="x"),
                                   dict(pdf="theta*exp(-theta*x)")])
def test_a_model_needs_one_density_and_its_data(given):
    with pytest.raises(symml.ModelError):
        symml.Model(**given)
