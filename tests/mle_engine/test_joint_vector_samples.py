"""Several independent samples sharing parameters where a sample observes a vector (symml.mle.joint_vectors through
symml.derive.mle with a list of Models): two d-vector samples x, y ~ N(μ, Σ); a vector sample x ~ N(μ, sI) and a
scalar sample z ~ N(0, s) sharing s. Oracle: scipy.optimize.minimize on the log-likelihood written with scipy.stats
(Σ through its Cholesky factor, s through its log)."""
import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
from scipy import optimize

import symml

D = symml.dims("d")
X, Y, MU = symml.vector("x", D), symml.vector("y", D), symml.vector("mu", D)
SIGMA = symml.matrix("Sigma", D, D, symmetric=True)
S = sp.Symbol("s", positive=True)
Z = sp.Symbol("z", real=True)
RNG = np.random.default_rng(7)
FIRST, SECOND = RNG.normal(size=(12, 2)) @ np.array([[1.0, 0.4], [0.0, 0.8]]), RNG.normal(size=(7, 2)) + 0.6
SCALARS = RNG.normal(0.0, 1.3, 9)


def _gaussian(data):
    return symml.Model(logpdf=-symml.logdet(SIGMA) / 2 - (data - MU).T * SIGMA.I * (data - MU) / 2, data=data)


def _minimised(negative, start):
    return optimize.minimize(negative, start, method="BFGS", options={"gtol": 1e-9}).x


def test_two_vector_samples_sharing_a_mean_and_covariance_match_scipy():
    found = symml.derive.mle([_gaussian(X), _gaussian(Y)], wrt=[MU, SIGMA]).numpy()(x=FIRST, y=SECOND)

    def unpack(q):
        factor = np.array([[np.exp(q[2]), 0.0], [q[3], np.exp(q[4])]])
        return q[:2], factor @ factor.T

    def negative(q):
        mean, covariance = unpack(q)
        return -(ss.multivariate_normal.logpdf(FIRST, mean, covariance).sum()
                 + ss.multivariate_normal.logpdf(SECOND, mean, covariance).sum())

    mean, covariance = unpack(_minimised(negative, np.zeros(5)))
    np.testing.assert_allclose(found["mu"], mean, atol=1e-6)
    np.testing.assert_allclose(found["Sigma"], covariance, atol=1e-6)


def test_a_vector_sample_and_a_scalar_sample_sharing_a_variance_match_scipy():
    vector = symml.Model(logpdf=-D * sp.log(S) / 2 - (X - MU).T * (X - MU) / (2 * S), data=X, parameters=[MU, S])
    scalar = symml.Model(logpdf=-sp.log(S) / 2 - Z ** 2 / (2 * S), data=Z, parameters=[S])
    derivation = symml.derive.mle([vector, scalar], wrt=[MU, S])
    assert "Add the samples" in [step.title for step in derivation.steps]
    found = derivation.numpy()(x=FIRST, z=SCALARS)

    def negative(q):
        scale = np.exp(q[2] / 2)
        return -(ss.norm.logpdf(FIRST, q[:2], scale).sum() + ss.norm.logpdf(SCALARS, 0.0, scale).sum())

    q = _minimised(negative, np.zeros(3))
    np.testing.assert_allclose(found["mu"], q[:2], atol=1e-6)
    assert found["s"] == pytest.approx(np.exp(q[2]), rel=1e-6)


def test_a_scalar_estimate_through_traces_of_the_vector_means_evaluates_in_numpy():
    # one Model observing (x, z): ŝ holds Scalar(μ̂ᵀμ̂) and Trace(mean(x xᵀ)), whose export failed with SymPy's
    # PrintMethodNotImplementedError
    model = symml.Model(logpdf=-D * sp.log(S) / 2 - (X - MU).T * (X - MU) / (2 * S) - sp.log(S) / 2 - Z ** 2 / (2 * S),
                        data=(X, Z), parameters=[MU, S])
    paired = np.linspace(-2.0, 2.0, FIRST.shape[0])
    found = symml.derive.mle(model, wrt=[MU, S]).numpy()(x=FIRST, z=paired)

    def negative(q):
        scale = np.exp(q[2] / 2)
        return -(ss.norm.logpdf(FIRST, q[:2], scale).sum() + ss.norm.logpdf(paired, 0.0, scale).sum())

    assert found["s"] == pytest.approx(np.exp(_minimised(negative, np.zeros(3))[2]), rel=1e-6)


def test_verify_maximises_the_added_log_likelihoods_of_two_vector_samples():
    report = symml.derive.mle([_gaussian(X), _gaussian(Y)], wrt=[MU, SIGMA]).verify()
    assert report.passed and len(report.comparisons) == 4


def test_verify_of_a_vector_and_a_scalar_sample_writes_the_dimension_too():
    # −d log s / 2 of x ~ N(μ, sI): d is set to the check's dimension (it was an argument without a value)
    vector = symml.Model(logpdf=-D * sp.log(S) / 2 - (X - MU).T * (X - MU) / (2 * S), data=X, parameters=[MU, S])
    scalar = symml.Model(logpdf=-sp.log(S) / 2 - Z ** 2 / (2 * S), data=Z, parameters=[S])
    assert symml.derive.mle([vector, scalar], wrt=[MU, S]).verify().passed
