"""A Laplace prior on regression weights: its MAP estimate is the lasso, solved numerically and said so."""
import numpy as np
import pytest
import sympy as sp
from scipy.optimize import minimize as scipy_minimize

import symml
from symml.gaussian import Gaussian, Laplace

N, M = symml.dims("N M")
Phi, t, w = symml.matrix("Phi", N, M), symml.vector("t", N), symml.vector("w", M)
beta, b = sp.symbols("beta b", positive=True)


@pytest.fixture(scope="module")
def lasso_map():
    return symml.derive.map(Gaussian(t, Phi @ w, beta), prior=Laplace(w, b), wrt=w)


def _lasso_by_split_weights(design, targets, lam):
    """min ½‖t − Φw‖² + λ‖w‖₁ as a smooth bound-constrained problem in w = u − v, u, v ≥ 0 (exact for the lasso)."""
    m = design.shape[1]

    def objective(z):
        u, v = z[:m], z[m:]
        r = targets - design @ (u - v)
        return 0.5 * r @ r + lam * z.sum(), np.concatenate([-design.T @ r + lam, design.T @ r + lam])

    found = scipy_minimize(objective, np.ones(2 * m), jac=True, method="L-BFGS-B", bounds=[(0, None)] * (2 * m),
                           options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000})
    return found.x[:m] - found.x[m:]


def test_the_laplace_map_says_there_is_no_closed_form_and_names_the_lasso(lasso_map):
    assert any("No closed form" in remark for remark in lasso_map.remarks)
    assert "the lasso" in lasso_map.remarks[-1]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_laplace_map_is_the_lasso_minimiser_with_lambda_one_over_beta_b(lasso_map, seed):
    rng = np.random.default_rng(seed)
    design = rng.normal(size=(40, 6))
    targets = design @ np.array([2.0, 0, 0, -1.5, 0, 0.5]) + 0.3 * rng.normal(size=40)
    noise_precision, scale = 2.0, 0.05
    estimate = np.ravel(lasso_map.numpy()(Phi=design, t=targets, beta=noise_precision, b=scale))
    expected = _lasso_by_split_weights(design, targets, 1 / (noise_precision * scale))
    np.testing.assert_allclose(estimate, expected, atol=1e-6)
    assert np.sum(estimate == 0.0) >= 1  # the soft-threshold zeroes weights exactly


def test_a_laplace_prior_refuses_a_string_scale():
    with pytest.raises(symml.ModelError):
        Laplace(w, "1/0")
