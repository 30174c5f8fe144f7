"""MAP estimates over joint models (symml.mle.joint.joint_map through symml.derive.map): ridge regression as y | x
with a Normal prior on the weights, a Beta prior on GDA's class frequency, a shared mean of two samples under a
Normal prior. Oracles: scipy.optimize on the log posterior written here in NumPy, numpy.linalg.lstsq on the ridge's
augmented system."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
import sympy.stats as st
from scipy import optimize

import symml
from symml.errors import ParameterError

X, Y, A, B, MU, MU0, MU1 = sp.symbols("x y a b mu mu0 mu1", real=True)
V, PHI, ALPHA, BETA, TAU = sp.symbols("v phi alpha beta tau", positive=True)
LABEL = sp.Symbol("y", integer=True, nonnegative=True)
GDA = symml.Model(logpdf=LABEL * sp.log(PHI) + (1 - LABEL) * sp.log(1 - PHI) - (1 - LABEL) * (X - MU0) ** 2 / (2 * V)
                  - LABEL * (X - MU1) ** 2 / (2 * V) - sp.log(2 * sp.pi * V) / 2, data=(X, LABEL),
                  support=sp.ProductSet(sp.S.Reals, sp.FiniteSet(0, 1)), parameters=[PHI, MU0, MU1, V])


@pytest.fixture(scope="module")
def gda_map():
    """GDA with a Beta(α, β) prior on φ written as a Model over φ; μ₀, μ₁, v held known."""
    return symml.derive.map(GDA, symml.Model(logpdf=(ALPHA - 1) * sp.log(PHI) + (BETA - 1) * sp.log(1 - PHI),
                                             data=PHI))


def test_ridge_as_a_conditional_density_with_a_normal_prior_on_the_weights_is_least_squares_on_an_augmented_system():
    # −Σ(yᵢ − a − b xᵢ)²/(2v) − (a² + b²)/(2τ²): least squares with the penalty λ = v/τ² on both weights
    regression = symml.Model(logpdf=-(Y - A - B * X) ** 2 / (2 * V) - sp.log(2 * sp.pi * V) / 2, data=(X, Y),
                             parameters=[A, B, V])
    derivation = symml.derive.map(regression, symml.Model(logpdf=-(A ** 2 + B ** 2) / (2 * TAU ** 2), data=(A, B)))
    rng = np.random.default_rng(11)
    xs = rng.uniform(-2.0, 2.0, 20)
    ys = 0.5 + 1.5 * xs + rng.normal(0.0, 0.4, 20)
    v, tau = 0.3, 0.8
    design = np.vstack([np.column_stack([np.ones_like(xs), xs]), np.sqrt(v) / tau * np.eye(2)])
    expected = np.linalg.lstsq(design, np.concatenate([ys, np.zeros(2)]), rcond=None)[0]
    found = derivation.numpy()(x=xs, y=ys, v=v, tau=tau)
    assert (found["a"], found["b"]) == pytest.approx(tuple(expected), rel=1e-9)


def test_a_beta_prior_on_gda_class_frequency_adds_pseudo_counts(gda_map):
    derivation = gda_map
    labels = np.array([0, 1, 1, 1, 0, 1, 1], dtype=float)
    xs = np.linspace(-1.0, 1.0, labels.size)
    alpha, beta = 2.5, 4.0

    def negative_log_posterior(phi: float) -> float:
        return -float(np.sum(labels * np.log(phi) + (1 - labels) * np.log(1 - phi))
                      + (alpha - 1) * np.log(phi) + (beta - 1) * np.log(1 - phi))

    best = optimize.minimize_scalar(negative_log_posterior, bounds=(1e-9, 1 - 1e-9), method="bounded",
                                    options={"xatol": 1e-12}).x
    found = derivation.numpy()(x=xs, y=labels, alpha=alpha, beta=beta, mu0=0.0, mu1=1.0, v=1.0)
    assert found == {"phi": pytest.approx(best, rel=1e-7)}
    assert "Log posterior" in derivation.text()


def test_a_sympy_stats_prior_on_a_joint_model_names_its_parameter_with_wrt(gda_map):
    from_random_variable, from_model = symml.derive.map(GDA, st.Beta("P", ALPHA, BETA), wrt=PHI), gda_map
    arguments = dict(x=[0.1, 0.4, 0.8], y=[0.0, 1.0, 1.0], alpha=3.0, beta=2.0, mu0=0.0, mu1=1.0, v=1.0)
    assert from_random_variable.numpy()(**arguments) == pytest.approx(from_model.numpy()(**arguments), rel=1e-12)


def test_a_shared_mean_of_two_samples_under_a_normal_prior_verifies_against_scipy():
    first = symml.Model(logpdf=-(X - MU) ** 2 / 2, data=X)
    z = sp.Symbol("z", real=True)
    second = symml.Model(logpdf=-(z - MU) ** 2 / (2 * V), data=z, parameters=[MU, V])
    derivation = symml.derive.map([first, second], symml.Model(logpdf=-MU ** 2 / (2 * TAU ** 2), data=MU))
    assert derivation.verify().passed  # scipy.optimize on the log posterior of random data


def test_a_random_variable_prior_on_a_joint_model_without_wrt_is_a_parameter_error():
    with pytest.raises(ParameterError, match="wrt"):
        symml.derive.map(GDA, st.Beta("P", ALPHA, BETA))


def _beta_map_of_phi(labels: np.ndarray, alpha: float, beta: float) -> float:
    """argmax of Σ log Bernoulli(yᵢ | φ) + log Beta(φ | α, β) by scipy's bounded scalar minimisation."""
    def negative_log_posterior(phi: float) -> float:
        return -float(np.sum(labels * np.log(phi) + (1 - labels) * np.log(1 - phi))
                      + (alpha - 1) * np.log(phi) + (beta - 1) * np.log(1 - phi))

    return optimize.minimize_scalar(negative_log_posterior, bounds=(1e-9, 1 - 1e-9), method="bounded",
                                    options={"xatol": 1e-12}).x


def test_gda_with_vector_features_under_a_beta_prior_on_phi_keeps_the_ml_means_and_covariance():
    from tests.mle_engine.test_joint_vector_observations import _definitions, _labelled

    d = symml.dims("d")
    x, mu0, mu1 = symml.vector("x", d), symml.vector("mu0", d), symml.vector("mu1", d)
    Sigma = symml.matrix("Sigma", d, d, symmetric=True)
    model = symml.Model(logpdf=LABEL * sp.log(PHI) + (1 - LABEL) * sp.log(1 - PHI) - symml.logdet(Sigma) / 2
                        - (1 - LABEL) * (x - mu0).T * Sigma.I * (x - mu0) / 2
                        - LABEL * (x - mu1).T * Sigma.I * (x - mu1) / 2, data=(x, LABEL),
                        support=sp.ProductSet(sp.S.Reals, sp.FiniteSet(0, 1)), parameters=[PHI, mu0, mu1, Sigma])
    prior = symml.Model(logpdf=(ALPHA - 1) * sp.log(PHI) + (BETA - 1) * sp.log(1 - PHI), data=PHI)
    derivation = symml.derive.map(model, prior, wrt=[PHI, mu0, mu1, Sigma])
    features, labels = _labelled(4, n=25, d=3)
    found = derivation.numpy()(x=features, y=labels, alpha=3.0, beta=1.5)
    _, means0, means1, pooled = _definitions(features, labels)
    assert found["phi"] == pytest.approx(_beta_map_of_phi(labels, 3.0, 1.5), rel=1e-7)
    assert np.allclose(found["mu0"], means0, rtol=1e-12) and np.allclose(found["Sigma"], pooled, rtol=1e-10)
    assert derivation.verify().passed  # scipy on the log posterior written entry by entry at d = 2


def test_a_prior_on_one_parameter_leaves_the_others_at_their_maximum_likelihood_under_a_flat_prior():
    prior = symml.Model(logpdf=(ALPHA - 1) * sp.log(PHI) + (BETA - 1) * sp.log(1 - PHI), data=PHI)
    derivation = symml.derive.map(GDA, prior, wrt=[PHI, MU0, MU1])  # v known: its 4 x 4 check costs 4 s CPU
    labels = np.array([0, 1, 1, 0, 1, 1, 0, 1], dtype=float)
    xs = np.array([-0.4, 1.2, 0.8, 0.1, 1.5, 0.9, -0.2, 1.1])
    found = derivation.numpy()(x=xs, y=labels, alpha=2.0, beta=2.0, v=0.7)
    means = [xs[labels == k].mean() for k in (0, 1)]
    assert found["phi"] == pytest.approx(_beta_map_of_phi(labels, 2.0, 2.0), rel=1e-7)
    assert (found["mu0"], found["mu1"]) == pytest.approx(tuple(means), rel=1e-10)


def vector_regression() -> tuple[symml.Model, symml.Model]:
    """y | x ~ N(wᵀx, 1/β) with w a d-vector (β left out of the parameters), and the prior w ~ N(0, I/α)."""
    d = symml.dims("d")
    features, weights = symml.vector("x", d), symml.vector("w", d)
    model = symml.Model(logpdf=sp.log(BETA) / 2 - BETA * (Y - weights.T * features) ** 2 / 2, data=(features, Y),
                        parameters=[weights])
    return model, symml.Model(logpdf=-ALPHA * (weights.T * weights) / 2, data=weights)


def test_map_of_a_weight_vector_takes_a_noise_precision_left_out_of_the_parameters_by_name():
    # β appears in the log-density but not in parameters=[w]: numpy() raised a bare KeyError('beta')
    derivation = symml.derive.map(*vector_regression())
    rng = np.random.default_rng(4)
    xs = rng.normal(size=(15, 2))
    ys = xs @ np.array([1.0, -0.5]) + rng.normal(0.0, 0.3, 15)

    def negative_log_posterior(w: np.ndarray) -> float:
        return 4.0 * float(np.sum((ys - xs @ w) ** 2)) / 2 + 1.5 * float(w @ w) / 2

    best = optimize.minimize(negative_log_posterior, np.zeros(2), method="BFGS", options={"gtol": 1e-10}).x
    np.testing.assert_allclose(derivation.numpy()(x=xs, y=ys, alpha=1.5, beta=4.0)["w"], best, atol=1e-7)
