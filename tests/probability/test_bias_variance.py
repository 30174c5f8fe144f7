"""Bias-variance decomposition of ridge regression, checked by simulating the fixed-design regression."""
import numpy as np
import pytest

import symml


def test_ridge_bias_variance_pieces_match_a_simulation():
    # y = beta x + eps on a fixed design; ridge beta_hat = sum x y / (sum x^2 + lambda); predict at x0
    rng = np.random.default_rng(3)
    x = rng.normal(0.0, 1.0, 12)
    beta, sigma, lam, x0 = 1.3, 0.8, 4.0, 1.7
    y = beta * x + sigma * rng.normal(size=(40_000, x.size))
    predictions = x0 * (y @ x) / (x @ x + lam)
    y0 = beta * x0 + sigma * rng.normal(size=predictions.size)
    derived = symml.derive.ridge_bias_variance().numpy()(beta=beta, sigma=sigma, S=x @ x, x0=x0, **{"lambda": lam})
    assert derived["bias_squared"] == pytest.approx((predictions.mean() - beta * x0) ** 2, rel=0.05)
    assert derived["variance"] == pytest.approx(predictions.var(), rel=0.03)
    assert derived["expected_squared_error"] == pytest.approx(np.mean((predictions - y0) ** 2), rel=0.03)


def test_the_pieces_add_up_to_the_expected_squared_error():
    d = symml.derive.ridge_bias_variance()
    assert "shown equal" in d.steps[-1].why
    values = d.numpy()(beta=-0.4, sigma=1.1, S=7.0, x0=0.9, **{"lambda": 0.5})
    assert values["expected_squared_error"] == pytest.approx(
        values["bias_squared"] + values["variance"] + values["noise"], rel=1e-12)


def test_without_shrinkage_the_estimator_is_unbiased():
    d = symml.derive.ridge_bias_variance()
    assert d.numpy()(beta=2.0, sigma=1.0, S=5.0, x0=1.0, **{"lambda": 0.0})["bias_squared"] == 0.0
