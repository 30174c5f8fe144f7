"""Maximum likelihood for a vector observed with scalars (symml.mle.joint_vectors): Gaussian discriminant analysis
with vector features, y ~ Bernoulli(φ), x | y ~ N(μ_y, Σ), derived at matrix level for a symbolic d and for d = 3.
Oracles: scipy.optimize on the joint log-likelihood written here in NumPy (Σ through its Cholesky factor), and the
estimators' definitions (class frequency, class means, pooled covariance) computed here with NumPy."""
from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import symml
from symml.errors import DataError, ModelError, ShapeError

LABEL = sp.Symbol("y", integer=True, nonnegative=True)
PHI = sp.Symbol("phi", positive=True)
CLASSES = sp.ProductSet(sp.S.Reals, sp.FiniteSet(0, 1))


def _gda(d):
    """The density of one pair written as the marginal p(y) times the conditional p(x | y)."""
    x, mu0, mu1 = symml.vector("x", d), symml.vector("mu0", d), symml.vector("mu1", d)
    Sigma = symml.matrix("Sigma", d, d, symmetric=True)
    logpdf = (LABEL * sp.log(PHI) + (1 - LABEL) * sp.log(1 - PHI) - symml.logdet(Sigma) / 2
              - (1 - LABEL) * (x - mu0).T * Sigma.I * (x - mu0) / 2 - LABEL * (x - mu1).T * Sigma.I * (x - mu1) / 2)
    model = symml.Model(logpdf=logpdf, data=(x, LABEL), support=CLASSES, parameters=[PHI, mu0, mu1, Sigma])
    return symml.derive.mle(model)


@pytest.fixture(scope="module")
def gda():
    return _gda(symml.dims("d"))


def _labelled(seed: int, n: int = 40, d: int = 2) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % 2).astype(float)
    mixing = rng.standard_normal((d, d)) + 2 * np.eye(d)
    return rng.standard_normal((n, d)) @ mixing.T + 3.0 * labels[:, None], labels


def _definitions(features: np.ndarray, labels: np.ndarray) -> tuple:
    means = [features[labels == k].mean(axis=0) for k in (0, 1)]
    centred = features - np.where(labels[:, None] == 1, means[1], means[0])
    return labels.mean(), means[0], means[1], centred.T @ centred / len(labels)


def test_gda_with_vector_features_gives_class_means_and_the_pooled_covariance(gda):
    features, labels = _labelled(1, d=4)
    found = gda.numpy()(x=features, y=labels)
    phi, mu0, mu1, pooled = _definitions(features, labels)
    assert found["phi"] == pytest.approx(phi, rel=1e-12)
    assert np.allclose(found["mu0"], mu0, rtol=1e-12) and np.allclose(found["mu1"], mu1, rtol=1e-12)
    assert np.allclose(found["Sigma"], pooled, rtol=1e-10, atol=1e-12)


def test_gda_with_vector_features_maximises_the_joint_log_likelihood_found_by_scipy(gda):
    features, labels = _labelled(2, n=30)

    def unpack(theta: np.ndarray) -> tuple:
        factor = np.array([[np.exp(theta[5]), 0.0], [theta[6], np.exp(theta[7])]])  # Σ = L Lᵀ, L lower triangular
        return 1 / (1 + np.exp(-theta[0])), theta[1:3], theta[3:5], factor @ factor.T

    def negative_loglik(theta: np.ndarray) -> float:
        phi, mu0, mu1, Sigma = unpack(theta)
        centred = features - np.where(labels[:, None] == 1, mu1, mu0)
        quadratic = np.einsum("ij,ij->i", centred, np.linalg.solve(Sigma, centred.T).T)
        return -float(np.sum(labels * np.log(phi) + (1 - labels) * np.log(1 - phi)
                             - np.linalg.slogdet(Sigma)[1] / 2 - quadratic / 2))

    best = optimize.minimize(negative_loglik, np.zeros(8), method="BFGS", options={"gtol": 1e-10}).x
    phi, mu0, mu1, Sigma = unpack(best)
    found = gda.numpy()(x=features, y=labels)
    assert found["phi"] == pytest.approx(phi, rel=1e-6)
    assert np.allclose(found["mu0"], mu0, rtol=1e-5, atol=1e-6) and np.allclose(found["mu1"], mu1, rtol=1e-5,
                                                                                 atol=1e-6)
    assert np.allclose(found["Sigma"], Sigma, rtol=1e-5, atol=1e-6)


def test_gda_with_vector_features_verifies_against_scipy_on_the_log_likelihood_written_entry_by_entry(gda):
    report = gda.verify()
    assert report.passed and "Cholesky" in report.method


def test_gda_of_three_features_derives_at_matrix_level_as_for_a_symbolic_dimension():
    features, labels = _labelled(3, d=3)
    found = _gda(3).numpy()(x=features, y=labels)
    phi, mu0, mu1, pooled = _definitions(features, labels)
    assert np.allclose(found["mu1"], mu1, rtol=1e-12) and np.allclose(found["Sigma"], pooled, rtol=1e-10)


def test_the_sums_over_the_draws_become_means_of_x_and_of_its_outer_products(gda):
    text = gda.text()
    assert "Quadratic in x" in text and "Normalise the sums" in text
    assert "xxᵀ" in text  # the mean of the outer products x xᵀ of the class
    assert gda.result[PHI] == gda.problem.scalar_means[0]  # φ̂ = ȳ


def test_gda_keeps_the_pooled_covariance_of_features_far_from_zero(gda):
    # raw moments near 1e16 lose every digit of a covariance near 1 (relative error 0.79); the means are taken
    # about the data's centre and the closed form rewritten exactly for it
    features, labels = _labelled(5, d=3)
    found = gda.numpy()(x=features + 1e8, y=labels)
    phi, mu0, mu1, pooled = _definitions(features, labels)
    assert np.allclose(found["Sigma"], pooled, rtol=1e-6, atol=1e-8)
    assert np.allclose(found["mu1"] - 1e8, mu1, atol=1e-6)


def test_gda_on_features_near_the_largest_float_is_a_data_error_not_inf(gda):
    features, labels = _labelled(6, d=2)
    with pytest.raises(DataError, match="not finite"):
        gda.numpy()(x=features * 1e300, y=labels)


@pytest.mark.parametrize("labels", [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]])
def test_gda_with_an_empty_class_is_a_data_error(gda, labels):
    with pytest.raises(DataError, match="not finite"):
        gda.numpy()(x=np.eye(3), y=labels)


def test_a_label_array_of_another_length_is_a_shape_error(gda):
    with pytest.raises(ShapeError, match="one value per row"):
        gda.numpy()(x=np.eye(3), y=[0.0, 1.0])


def test_a_vector_entering_beyond_a_quadratic_is_a_model_error():
    d = symml.dims("d")
    x, w = symml.vector("x", d), symml.vector("w", d)
    model = symml.Model(logpdf=LABEL * w.T * x - symml.sum(symml.softplus(w.T * x)), data=(x, LABEL),
                        support=CLASSES, parameters=[w])
    with pytest.raises(ModelError, match="beyond a quadratic"):
        symml.derive.mle(model)


def test_a_vector_joint_derivation_renders_in_katex(gda, katex):
    assert katex.errors(gda.latex()) == []
