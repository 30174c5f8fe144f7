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
    assert found == pytest.approx(best, rel=1e-7)
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


def test_the_posterior_over_a_joint_likelihood_is_refused_with_a_pointer_to_map():
    from symml.errors import UnsupportedOperationError

    with pytest.raises(UnsupportedOperationError, match="derive.map"):
        symml.derive.posterior(GDA, st.Beta("P", ALPHA, BETA), wrt=PHI)
