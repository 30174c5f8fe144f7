"""Conditionals and marginals of a sympy.stats multivariate normal written with scalar parameters (the bivariate
normal of every textbook), checked against the conditional read off the numerically inverted covariance."""
import numpy as np
import pytest
import sympy as sp
import sympy.stats as st

import symml
from symml.errors import ModelError

mu1, mu2, mu3 = sp.symbols("mu1 mu2 mu3", real=True)
sigma1, sigma2 = sp.symbols("sigma1 sigma2", positive=True)
rho = sp.Symbol("rho", real=True)
X = st.MultivariateNormal("X", [mu1, mu2], [[sigma1**2, rho * sigma1 * sigma2], [rho * sigma1 * sigma2, sigma2**2]])
Y = st.MultivariateNormal("Y", [mu1, mu2, mu3], [[2, 1, 0], [1, 3, 1], [0, 1, 4]])
PARAMETERS = {"mu1": 1.0, "mu2": -2.0, "sigma1": 1.5, "sigma2": 0.5, "rho": -0.7}


def _conditional_by_precision(mean, covariance, kept, given, value):
    """The conditional read off the precision matrix: Λ_aa⁻¹ and μ_a − Λ_aa⁻¹ Λ_ab (x_b − μ_b)."""
    precision = np.linalg.inv(covariance)
    P_aa, P_ab = precision[np.ix_(kept, kept)], precision[np.ix_(kept, given)]
    return (mean[kept] - np.linalg.solve(P_aa, P_ab @ (value - mean[given])), np.linalg.inv(P_aa))


def _bivariate():
    p = PARAMETERS
    covariance = np.array([[p["sigma1"]**2, p["rho"] * p["sigma1"] * p["sigma2"]],
                           [p["rho"] * p["sigma1"] * p["sigma2"], p["sigma2"]**2]])
    return np.array([p["mu1"], p["mu2"]]), covariance


def test_bivariate_normal_conditional_matches_the_precision_blocks():
    derived = symml.derive.conditional(X, X[1]).numpy()(x_b=np.array([0.3]), **PARAMETERS)
    mean, covariance = _conditional_by_precision(*_bivariate(), [0], [1], np.array([0.3]))
    assert np.allclose(np.ravel(derived["mean"]), mean) and np.allclose(np.ravel(derived["covariance"]), covariance)


def test_bivariate_normal_conditional_reads_as_the_textbook_writes_it():
    text = str(symml.derive.conditional(X, X[1]))
    assert "σ₁²(1 − ρ²)" in text and "[" not in text.split("Result")[1]


def test_conditional_on_the_first_component_gives_the_law_of_the_second():
    derived = symml.derive.conditional(X, [0]).numpy()(x_b=np.array([2.0]), **PARAMETERS)
    mean, covariance = _conditional_by_precision(*_bivariate(), [1], [0], np.array([2.0]))
    assert np.allclose(np.ravel(derived["mean"]), mean) and np.allclose(np.ravel(derived["covariance"]), covariance)


def test_conditional_on_two_of_three_components_with_numeric_covariance():
    derived = symml.derive.conditional(Y, [Y[0], Y[2]]).numpy()(x_b=np.array([0.5, -1.0]), mu1=0.2, mu2=0.4, mu3=-0.1)
    covariance = np.array([[2.0, 1, 0], [1, 3, 1], [0, 1, 4]])
    mean, conditional_covariance = _conditional_by_precision(np.array([0.2, 0.4, -0.1]), covariance, [1], [0, 2],
                                                             np.array([0.5, -1.0]))
    assert np.allclose(np.ravel(derived["mean"]), mean)
    assert np.allclose(np.ravel(derived["covariance"]), conditional_covariance)


def test_marginal_of_two_components_is_verified_by_integrating_the_third_out():
    derivation = symml.derive.marginal(Y, [Y[0], Y[2]])
    assert derivation.verify().passed
    assert np.allclose(np.asarray(derivation.numpy()(mu1=0.2, mu3=-0.1)["covariance"], dtype=float),
                       [[2.0, 0.0], [0.0, 4.0]])


def test_marginal_at_numeric_block_sizes_has_the_block_mean():
    joint = symml.gaussian.JointGaussian.blocks(2, 1)
    assert symml.derive.marginal(joint, joint.x_a).result[0] == joint.mean_a


@pytest.mark.parametrize("part", [2, [X[0], X[1]], [1, 1], "X1"])
def test_components_that_leave_nothing_or_do_not_exist_are_refused(part):
    with pytest.raises(ModelError):
        symml.derive.conditional(X, part)
