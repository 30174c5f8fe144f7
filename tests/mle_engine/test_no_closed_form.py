"""No closed form (Gamma shape, Weibull shape, Beta, Student-t location): the derivation ends with stationarity
equations that scipy's maximum satisfies, says so plainly, and gives method-of-moments starts where they exist."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import stats

import symml
from symml.mle import mle
from symml.mle.families import random_variable
from tests.mle_engine.sample_statistics import evaluate, numeric_mle

N = 1000


def _student_t_location():
    x, mu = sp.Symbol("x", real=True), sp.Symbol("mu", real=True)
    nu = sp.Symbol("nu", positive=True)
    return symml.Model(logpdf=-(nu + 1) / 2 * sp.log(1 + (x - mu) ** 2 / nu), data=x, parameters=(mu, nu))


# model, wrt, fixed, sampler, scipy log-likelihood(params, x), names of the free parameters, start
CASES = {
    "Gamma shape (scale known)": (lambda: random_variable("Gamma"), ["k"], {"theta": 1.3},
                                  lambda r: r.gamma(2.5, 1.3, N), lambda q, x: stats.gamma.logpdf(x, q[0], scale=1.3).sum(),
                                  ["k"], [1.0]),
    "Gamma shape and scale": (lambda: random_variable("Gamma"), None, {}, lambda r: r.gamma(2.5, 1.3, N),
                              lambda q, x: stats.gamma.logpdf(x, q[0], scale=q[1]).sum(), ["k", "theta"], [1.0, 1.0]),
    "Weibull shape (scale known)": (lambda: random_variable("Weibull"), ["beta"], {"alpha": 2.2},
                                    lambda r: 2.2 * r.weibull(1.8, N),
                                    lambda q, x: stats.weibull_min.logpdf(x, q[0], scale=2.2).sum(), ["beta"], [1.0]),
    "Beta": (lambda: random_variable("Beta"), None, {}, lambda r: r.beta(2.0, 5.0, N),
             lambda q, x: stats.beta.logpdf(x, q[0], q[1]).sum(), ["alpha", "beta"], [1.0, 1.0]),
    "Gumbel location and scale": (lambda: random_variable("Gumbel"), None, {}, lambda r: r.gumbel(1.5, 2.0, N),
                                  lambda q, x: stats.gumbel_r.logpdf(x, loc=q[0], scale=q[1]).sum(), ["mu", "beta"],
                                  [0.0, 1.0]),
    "Student-t location (nu known)": (_student_t_location, ["mu"], {"nu": 4.0}, lambda r: 0.5 + r.standard_t(4.0, N),
                                      lambda q, x: stats.t.logpdf(x, 4.0, loc=q[0]).sum(), ["mu"], [3.0]),
}


@pytest.fixture(scope="module")
def derivations():
    return {name: mle(make(), wrt=wrt) for name, (make, wrt, *_) in CASES.items()}


@pytest.mark.parametrize("name", list(CASES))
def test_no_closed_form_is_said_plainly(name, derivations):
    derivation = derivations[name]
    assert not derivation.problem.closed_form and derivation.problem.stationarity
    assert any("No closed form" in remark for remark in derivation.remarks)
    assert derivation.steps[-1].title.startswith("No closed form") or derivation.steps[-1].title == "Result"


@pytest.mark.parametrize("name", list(CASES))
def test_numeric_maximum_satisfies_the_stationarity_equations(name, derivations):
    _, _, fixed, sample, loglik, names, start = CASES[name]
    data = sample(np.random.default_rng(7))
    problem = derivations[name].problem
    optimum = numeric_mle(lambda q: -loglik(q, data) if np.all(np.array(q)[1:] > 0) else np.inf, start)
    at = {p: value for p, value in zip(sorted(problem.wrt, key=lambda p: names.index(p.name)), optimum)}
    for equation in problem.stationarity:
        residual = evaluate(equation.lhs - equation.rhs, problem, data, fixed, at)
        # relative to the size of the equation's terms, which grow with n
        scale = 1 + sum(abs(evaluate(term, problem, data, fixed, at)) for term in sp.Add.make_args(equation.lhs))
        assert abs(residual) < 1e-5 * scale, (equation, residual)


def test_gamma_shape_is_profiled_to_log_k_minus_digamma():
    # log k - digamma(k) = log(mean x) - mean(log x) once the scale is profiled out
    derivation = mle(random_variable("Gamma"))
    k = next(p for p in derivation.problem.wrt if p.name == "k")
    equation = next(e for e in derivation.problem.stationarity if e.has(sp.polygamma))
    theta = next(p for p in derivation.problem.wrt if p.name == "theta")
    assert equation.lhs.has(sp.log(k)) and equation.has(sp.polygamma(0, k)) and theta not in equation.free_symbols


@pytest.mark.parametrize("name", ["Gamma shape (scale known)", "Gamma shape and scale", "Beta",
                                  "Student-t location (nu known)"])
def test_method_of_moments_start_is_near_the_truth(name, derivations):
    _, _, fixed, sample, loglik, names, start = CASES[name]
    data = sample(np.random.default_rng(8))
    problem = derivations[name].problem
    numeric = numeric_mle(lambda q: -loglik(q, data) if np.all(np.array(q)[1:] > 0) else np.inf, start)
    for parameter, guess in problem.initial_guess.items():
        value = evaluate(guess, problem, data, fixed)
        assert abs(value - numeric[names.index(parameter.name)]) < 0.25 * abs(numeric[names.index(parameter.name)]) + 0.1


def test_gumbel_location_is_profiled_out_of_its_data_sum(derivations):
    # exp(-(x_i - mu)/beta) = exp(mu/beta) exp(-x_i/beta): mu given beta solves its own equation in closed form,
    # so one equation in beta is left, and the estimate agrees with scipy.optimize on the log-likelihood
    derivation = derivations["Gumbel location and scale"]
    mu = next(p for p in derivation.problem.wrt if p.name == "mu")
    profile = next(e for e in derivation.problem.stationarity if e.lhs == mu)
    assert mu not in profile.rhs.free_symbols
    data = np.random.default_rng(9).gumbel(1.5, 2.0, N)
    optimum = numeric_mle(lambda q: -stats.gumbel_r.logpdf(data, loc=q[0], scale=q[1]).sum() if q[1] > 0 else np.inf,
                          [0.0, 1.0])
    estimate = derivation.numpy()(x=data)
    assert estimate["mu"] == pytest.approx(optimum[0], rel=1e-6) and estimate["beta"] == pytest.approx(optimum[1], rel=1e-6)


@pytest.mark.parametrize("loc, scale", [(1e4, 0.01), (-1e4, 0.01), (0.0, 1e-6), (3.0, 1e3)])
def test_gumbel_estimate_is_finite_at_extreme_scales(derivations, loc, scale):
    # the profile's sum of exp(-x_i/beta) overflows unscaled at x ~ -1e4, beta ~ 0.01
    data = np.random.default_rng(10).gumbel(loc, scale, 300)
    estimate = derivations["Gumbel location and scale"].numpy()(x=data)
    reference = stats.gumbel_r.fit(data)
    assert estimate["mu"] == pytest.approx(reference[0], rel=1e-7, abs=1e-6 * scale)
    assert estimate["beta"] == pytest.approx(reference[1], rel=1e-6)
