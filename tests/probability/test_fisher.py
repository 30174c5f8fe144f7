"""Fisher information: both forms shown; checked against the simulated variance of the score."""
import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st

import symml
from symml.errors import ParameterError

mu = sp.Symbol("mu", real=True)
sigma = sp.Symbol("sigma", positive=True)
a, b = sp.symbols("a b", positive=True)
lam = sp.Symbol("lambda", positive=True)
p = sp.Symbol("p", positive=True)


def simulated_score_covariance(logpdf, theta, draws, step=1e-5):
    """Cov of the score by simulation, the score by central differences of scipy's logpdf."""
    theta = np.asarray(theta, dtype=float)
    scores = []
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = step
        scores.append((logpdf(draws, *(theta + e)) - logpdf(draws, *(theta - e))) / (2 * step))
    return np.cov(np.array(scores))


CASES = [
    (st.Normal("X", mu, sigma), [mu, sigma], (0.3, 1.4), lambda x, m, s: ss.norm.logpdf(x, m, s),
     lambda rng, n: rng.normal(0.3, 1.4, n)),
    (st.Gamma("X", a, b), [a, b], (2.5, 0.7), lambda x, k, t: ss.gamma.logpdf(x, k, scale=t),
     lambda rng, n: rng.gamma(2.5, 0.7, n)),
    (st.Poisson("X", lam), [lam], (3.0,), lambda x, l: ss.poisson.logpmf(x, l), lambda rng, n: rng.poisson(3.0, n)),
    (st.Bernoulli("X", p), [p], (0.3,), lambda x, q: ss.bernoulli.logpmf(x, q), lambda rng, n: rng.binomial(1, 0.3, n)),
    (st.Beta("X", a, b), [a, b], (2.0, 3.0), lambda x, u, v: ss.beta.logpdf(x, u, v),
     lambda rng, n: rng.beta(2.0, 3.0, n)),
]


@pytest.mark.parametrize("rv, wrt, theta, logpdf, sample", CASES,
                         ids=[type(c[0].pspace.distribution).__name__ for c in CASES])
def test_fisher_information_matches_the_simulated_variance_of_the_score(rv, wrt, theta, logpdf, sample):
    d = symml.derive.fisher_information(rv, wrt=wrt)
    derived = d.numpy()(**{s.name: v for s, v in zip(wrt, theta)})
    assert derived.shape == (len(wrt), len(wrt))
    simulated = simulated_score_covariance(logpdf, theta, sample(np.random.default_rng(0), 200_000))
    # Monte Carlo with 2e5 draws: a few percent of the largest entry
    np.testing.assert_allclose(derived, simulated, atol=0.03 * np.abs(derived).max())


def test_both_forms_are_shown_and_agree():
    titles = [step.title for step in symml.derive.fisher_information(st.Normal("X", mu, sigma)).steps]
    assert {"Variance of the score", "Minus the expected Hessian", "The two forms agree", "Cramér–Rao bound"} <= set(titles)


def test_matrix_follows_the_order_of_wrt():
    d = symml.derive.fisher_information(st.Normal("X", mu, sigma), wrt=[sigma, mu])
    np.testing.assert_allclose(d.numpy()(mu=0.0, sigma=2.0), [[0.5, 0.0], [0.0, 0.25]])


def test_cramer_rao_bound_for_the_poisson_rate_is_lambda_over_n():
    d = symml.derive.fisher_information(st.Poisson("X", lam))
    n = sp.Symbol("n", positive=True, integer=True)
    bound = d.summary[-1].rhs
    assert float(bound.subs({lam: 2.5, n: 10})) == pytest.approx(0.25)


def test_a_support_that_moves_with_the_parameter_is_said_to_break_regularity():
    d = symml.derive.fisher_information(st.Uniform("X", a, b), wrt=[b])
    assert any("support depends on b" in remark for remark in d.remarks)


def test_a_moving_support_gives_the_score_second_moment_and_claims_no_zero_mean():
    # U(0, θ) (Cambridge IB): the score −1/θ has mean −1/θ, so "the score has mean zero" was a false step; the result
    # is E[s²], checked by quadrature of s² f against scipy's uniform density at θ = 2.5
    from scipy.integrate import quad

    theta = sp.Symbol("theta", positive=True)
    d = symml.derive.fisher_information(st.Uniform("X", 0, theta))
    second_moment = quad(lambda x: (-1 / 2.5) ** 2 * ss.uniform(0, 2.5).pdf(x), 0, 2.5)[0]
    assert not any("mean zero, so" in step.why for step in d.steps)
    assert float(d.result.subs(theta, 2.5)[0, 0]) == pytest.approx(second_moment)


def test_verify_checks_both_forms_by_quadrature():
    assert symml.derive.fisher_information(st.Gamma("X", a, b)).verify()


def test_unknown_parameter_is_named():
    with pytest.raises(ParameterError, match="'tau' is not a parameter"):
        symml.derive.fisher_information(st.Normal("X", mu, sigma), wrt=["tau"])


def test_the_information_is_named_by_its_parameters_not_a_generic_theta():
    # a Gamma(k, θ) whose information read I(θ) was ambiguous: θ is one of its parameters
    k, theta = sp.symbols("k theta", positive=True)
    derivation = symml.derive.fisher_information(st.Gamma("X", k, theta), wrt=[k, theta])
    assert r"\mathcal{I}(k, \theta)" in derivation.latex()
