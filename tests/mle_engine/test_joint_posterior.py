"""The posterior over a joint likelihood (symml.bayes.joint_posterior through symml.derive.posterior): Bayesian linear
regression as y | x with a Normal prior on the weights is N(m_N, S_N), a Beta prior on GDA's class frequency gives a
Beta posterior, a shared mean of two samples a Normal. Oracles: likelihood x prior from scipy.stats, normalised by
quadrature (a 2-D grid for the weights, scipy.integrate.quad for one parameter)."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy import optimize

import symml
from symml.errors import DataError, UnsupportedOperationError
from tests.bayes.oracle import normalised_log_posterior
from tests.mle_engine.test_joint_map import GDA, vector_regression

X, Y, A, B, MU = sp.symbols("x y a b mu", real=True)
V, PHI, ALPHA, BETA, TAU = sp.symbols("v phi alpha beta tau", positive=True)
REGRESSION = symml.Model(logpdf=-(Y - A - B * X) ** 2 / (2 * V) - sp.log(2 * sp.pi * V) / 2, data=(X, Y),
                         parameters=[A, B, V])
WEIGHT_PRIOR = symml.Model(logpdf=-(A ** 2 + B ** 2) / (2 * TAU ** 2), data=(A, B))


def _grid_moments(log_joint, centre: np.ndarray, widths: np.ndarray, points: int = 241):
    """Mean and covariance of exp(log_joint) over a box about ``centre`` by the trapezoid rule on a grid."""
    axes = [np.linspace(c - 9 * w, c + 9 * w, points) for c, w in zip(centre, widths)]
    ga, gb = np.meshgrid(*axes, indexing="ij")
    log_values = log_joint(ga, gb)
    weights = np.exp(log_values - log_values.max())
    total = np.trapezoid(np.trapezoid(weights, axes[1]), axes[0])

    def expectation(f):
        return np.trapezoid(np.trapezoid(weights * f, axes[1]), axes[0]) / total

    mean = np.array([expectation(ga), expectation(gb)])
    da, db = ga - mean[0], gb - mean[1]
    return mean, np.array([[expectation(da * da), expectation(da * db)], [expectation(da * db), expectation(db * db)]])


def _assert_the_normal_of_the_grid(found: dict, log_joint, width: float) -> None:
    """numpy()'s mean and covariance equal the grid's moments about scipy.optimize's mode."""
    mode = optimize.minimize(lambda q: -log_joint(np.array(q[0]), np.array(q[1])), [0.0, 0.0]).x
    mean, covariance = _grid_moments(log_joint, mode, np.array([width, width]))
    np.testing.assert_allclose(found["mean"], mean, rtol=1e-7)
    np.testing.assert_allclose(found["covariance"], covariance, rtol=1e-6)


def test_bayesian_linear_regression_is_the_normal_of_grid_quadrature_over_likelihood_times_prior():
    # π(a, b | x, y) ∝ Π N(yᵢ | a + b xᵢ, v) N(a | 0, τ²) N(b | 0, τ²): its mean and covariance by a 2-D grid
    derivation = symml.derive.posterior(REGRESSION, WEIGHT_PRIOR)
    rng = np.random.default_rng(5)
    xs = rng.uniform(-2.0, 2.0, 15)
    ys = 0.5 + 1.5 * xs + rng.normal(0.0, 0.5, 15)
    v, tau = 0.4, 0.9

    def log_joint(a, b):
        residuals = ys[None, None, :] - a[..., None] - b[..., None] * xs[None, None, :]
        return ss.norm.logpdf(residuals, 0.0, np.sqrt(v)).sum(axis=-1) + ss.norm.logpdf(a, 0.0, tau) \
            + ss.norm.logpdf(b, 0.0, tau)

    _assert_the_normal_of_the_grid(derivation.numpy()(x=xs, y=ys, v=v, tau=tau), log_joint, 0.3)


def test_the_regression_posterior_shows_the_precision_and_the_completed_square():
    titles = [step.title for step in symml.derive.posterior(REGRESSION, WEIGHT_PRIOR).steps]
    assert titles[-3:] == ["The log posterior is quadratic", "Complete the square", "Recognise the posterior"]


def test_a_beta_prior_on_gda_class_frequency_gives_the_beta_of_quadrature_over_likelihood_times_prior():
    derivation = symml.derive.posterior(GDA, st.Beta("P", ALPHA, BETA), wrt=PHI)
    assert derivation.problem.family == "Beta"
    labels = np.array([0, 1, 1, 1, 0, 1, 1, 0, 1], dtype=float)
    xs = np.linspace(-1.0, 1.0, labels.size)
    alpha, beta = 2.5, 4.0

    def log_joint(phi: float) -> float:
        return float(ss.bernoulli.logpmf(labels, phi).sum() + ss.beta.logpdf(phi, alpha, beta))

    expected = normalised_log_posterior(log_joint, (0.0, 1.0), (1e-6, 1 - 1e-6))
    grid = np.array([0.05, 0.3, 0.55, 0.8, 0.97])
    found = derivation.numpy()(phi=grid, x=xs, y=labels, alpha=alpha, beta=beta, mu0=0.0, mu1=1.0, v=1.0)
    np.testing.assert_allclose(found, [expected(p) for p in grid], rtol=1e-8)
    assert derivation.numpy()(phi=np.array([1.5]), x=xs, y=labels, alpha=alpha, beta=beta, mu0=0.0, mu1=1.0,
                              v=1.0)[0] == -np.inf


def test_a_shared_mean_of_two_samples_under_a_normal_prior_is_the_normal_of_quadrature():
    z = sp.Symbol("z", real=True)
    first = symml.Model(logpdf=-(X - MU) ** 2 / 2, data=X)
    second = symml.Model(logpdf=-(z - MU) ** 2 / (2 * V), data=z, parameters=[MU, V])
    derivation = symml.derive.posterior([first, second], symml.Model(logpdf=-MU ** 2 / (2 * TAU ** 2), data=MU))
    assert derivation.problem.family == "Normal"
    xs, zs, v, tau = np.array([0.3, 1.1, 0.8]), np.array([1.9, 2.4]), 2.0, 1.5

    def log_joint(mu: float) -> float:
        return float(ss.norm.logpdf(xs, mu, 1.0).sum() + ss.norm.logpdf(zs, mu, np.sqrt(v)).sum()
                     + ss.norm.logpdf(mu, 0.0, tau))

    expected = normalised_log_posterior(log_joint, (-np.inf, np.inf), (-10.0, 10.0))
    grid = np.array([-1.0, 0.5, 1.0, 2.5])
    np.testing.assert_allclose(derivation.numpy()(mu=grid, x=xs, z=zs, v=v, tau=tau), [expected(m) for m in grid],
                               rtol=1e-8)


def test_a_flat_prior_on_a_weight_the_data_do_not_inform_is_an_improper_posterior_data_error():
    derivation = symml.derive.posterior(REGRESSION, symml.Model(logpdf=-A ** 2 / (2 * TAU ** 2), data=A),
                                        wrt=(A, B))
    with pytest.raises(DataError, match="not positive definite"):
        derivation.numpy()(x=np.zeros(4), y=np.array([0.1, 0.3, -0.2, 0.5]), v=1.0, tau=1.0)


def test_a_log_posterior_not_quadratic_in_several_parameters_is_refused_with_a_pointer_to_map():
    prior = symml.Model(logpdf=-A ** 2 / 2 - sp.log(V) - 1 / V, data=(A, V))
    with pytest.raises(UnsupportedOperationError, match="not quadratic.*derive.map"):
        symml.derive.posterior(REGRESSION, prior, wrt=(A, V))


def test_bayesian_linear_regression_over_a_weight_vector_is_the_normal_of_grid_quadrature():
    # y | x ~ N(wᵀx, 1/β), w ~ N(0, I/α), at matrix level: m_N, S_N against a 2-D grid of scipy.stats densities
    derivation = symml.derive.posterior(*vector_regression())
    rng = np.random.default_rng(2)
    xs = rng.normal(size=(18, 2))
    ys = xs @ np.array([0.5, -1.0]) + rng.normal(0.0, 0.4, 18)
    alpha, beta = 2.0, 4.0

    def log_joint(a, b):
        residuals = ys[None, None, :] - a[..., None] * xs[:, 0] - b[..., None] * xs[:, 1]
        return ss.norm.logpdf(residuals, 0.0, 1 / np.sqrt(beta)).sum(axis=-1) \
            + ss.norm.logpdf(a, 0.0, 1 / np.sqrt(alpha)) + ss.norm.logpdf(b, 0.0, 1 / np.sqrt(alpha))

    _assert_the_normal_of_the_grid(derivation.numpy()(x=xs, y=ys, alpha=alpha, beta=beta), log_joint, 0.15)


def _mean_and_variance_model():
    d = symml.dims("d")
    features, mean = symml.vector("x", d), symml.vector("mu", d)
    model = symml.Model(logpdf=-(features - mean).T * (features - mean) / (2 * V) - d * sp.log(V) / 2,
                        data=(features, Y), parameters=[mean, V])
    return symml.derive.posterior(model, symml.Model(logpdf=-(mean.T * mean) / 2 - sp.log(V), data=(mean, V)))


def test_a_mean_vector_and_its_variance_have_the_normal_given_v_of_grid_quadrature():
    # π(μ | v) ∝ Π N(xᵢ | μ, vI) N(μ | 0, I): its mean and covariance at v = 0.7 by a 2-D grid of scipy densities
    xs = np.random.default_rng(3).normal(size=(20, 2)) + 1.0
    found = _mean_and_variance_model().numpy()(x=xs, y=np.zeros(20), v=0.7)

    def log_joint(a, b):
        return ss.norm.logpdf(xs[:, 0], a[..., None], np.sqrt(0.7)).sum(axis=-1) \
            + ss.norm.logpdf(xs[:, 1], b[..., None], np.sqrt(0.7)).sum(axis=-1) + ss.norm.logpdf(a) + ss.norm.logpdf(b)

    mode = optimize.minimize(lambda q: -log_joint(np.array(q[0]), np.array(q[1])), [0.0, 0.0]).x
    mean, covariance = _grid_moments(log_joint, mode, np.array([0.2, 0.2]))
    np.testing.assert_allclose(found["mean"], mean, rtol=1e-7)
    np.testing.assert_allclose(found["covariance"], covariance, rtol=1e-6, atol=1e-12)  # a zero off the diagonal


def test_the_marginal_of_the_variance_differs_from_dblquad_by_a_constant():
    # log π(v | x) + C: log ∫∫ π(μ, v) dμ by scipy dblquad at three values of v, differences compared
    from scipy import integrate

    xs = np.random.default_rng(3).normal(size=(20, 2)) + 1.0
    function = _mean_and_variance_model().numpy()

    def log_mass(v):
        def log_joint(b, a):  # N(xᵢ | μ, vI) N(μ | 0, I) / v, written out (scipy.stats per point cost 30 s)
            return float(-(np.sum((xs[:, 0] - a) ** 2) + np.sum((xs[:, 1] - b) ** 2)) / (2 * v)
                         - xs.shape[0] * np.log(2 * np.pi * v) - (a * a + b * b) / 2 - np.log(v))
        centre = function(x=xs, y=np.zeros(20), v=v)["mean"]
        shift = log_joint(centre[1], centre[0])
        total = integrate.dblquad(lambda b, a: np.exp(log_joint(b, a) - shift), centre[0] - 3, centre[0] + 3,
                                  centre[1] - 3, centre[1] + 3, epsabs=1e-13, epsrel=1e-11)[0]
        return shift + np.log(total)

    values = [0.5, 0.9, 1.6]
    derived = [function(x=xs, y=np.zeros(20), v=v)["log_marginal"] for v in values]
    numeric = [log_mass(v) for v in values]
    np.testing.assert_allclose(np.diff(derived), np.diff(numeric), rtol=1e-8, atol=1e-8)


def test_verify_checks_the_normal_given_the_scalar_and_the_scalars_marginal():
    report = _mean_and_variance_model().verify()
    assert report.passed and any("log marginal" in c.quantity for c in report.comparisons)


@pytest.mark.parametrize("case", ["regression", "gda"])
def test_verify_checks_the_joint_posterior_against_the_log_posterior_written_from_the_models(case):
    # a Normal: scipy.optimize's mode and a central-difference Hessian; one parameter: quad-normalised log density
    derivation = symml.derive.posterior(REGRESSION, WEIGHT_PRIOR) if case == "regression" else \
        symml.derive.posterior(GDA, st.Beta("P", ALPHA, BETA), wrt=PHI)
    report = derivation.verify()
    assert report.passed and len(report.comparisons) >= 6


def test_verify_integrates_the_weight_vector_posterior_over_a_grid():
    # m_N, S_N at matrix level against the mean and covariance of exp(log posterior) written entry by entry (d = 2)
    report = symml.derive.posterior(*vector_regression()).verify()
    assert report.passed and len(report.comparisons) == 10


def test_verify_of_the_weight_vector_posterior_catches_a_covariance_off_by_one_percent():
    from types import SimpleNamespace

    from symml.bayes.vector_posterior_check import verify_vector_posterior

    derivation = symml.derive.posterior(*vector_regression())

    def off(**data):
        found = derivation.numpy()(**data)
        return {"mean": found["mean"], "covariance": 1.01 * found["covariance"]}

    assert not verify_vector_posterior(derivation.problem, SimpleNamespace(numpy=lambda: off)).passed


def test_weights_with_an_unknown_noise_precision_verify_given_beta():
    # y | x ~ N(wᵀx, 1/β), w ~ N(0, I/α), π(β) ∝ 1/β: Λ_N = αI + βn mean(xxᵀ) depends on β, log det Λ_N in the marginal
    d = symml.dims("d")
    features, weights = symml.vector("x", d), symml.vector("w", d)
    model = symml.Model(logpdf=sp.log(BETA) / 2 - BETA * (Y - weights.T * features) ** 2 / 2, data=(features, Y),
                        parameters=[weights, BETA])
    prior = symml.Model(logpdf=-ALPHA * (weights.T * weights) / 2 - sp.log(BETA), data=(weights, BETA))
    assert symml.derive.posterior(model, prior).verify().passed
