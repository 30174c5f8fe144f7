"""A thresholded classifier: TPR, FPR, precision and the Bayes-optimal threshold, checked by simulation."""
import numpy as np
import pytest
import sympy.stats as st

import symml

VALUES = {"pi_1": 0.4, "c_FP": 1.0, "c_FN": 2.0}


@pytest.fixture(scope="module")
def normal_pair():
    return symml.derive.threshold_reliability(st.Normal("S", 1, 1), st.Normal("S", 0, 1))


@pytest.fixture(scope="module")
def beta_pair():
    return symml.derive.threshold_reliability(st.Beta("S", 2, 1), st.Beta("S", 1, 2))


def simulated(pair, n=200_000, seed=0):
    rng = np.random.default_rng(seed)
    if pair == "normal":
        return rng.normal(1.0, 1.0, n), rng.normal(0.0, 1.0, n)
    return rng.beta(2.0, 1.0, n), rng.beta(1.0, 2.0, n)


@pytest.mark.parametrize("pair", ["normal", "beta"])
def test_rates_and_precision_match_simulation(pair, normal_pair, beta_pair):
    f = (normal_pair if pair == "normal" else beta_pair).numpy()
    positives, negatives = simulated(pair)
    for t in (0.2, 0.5, 0.8):
        tpr, fpr = np.mean(positives > t), np.mean(negatives > t)
        se = np.sqrt(0.25 / positives.size)
        assert f["tpr"](t=t, **VALUES) == pytest.approx(tpr, abs=5 * se)
        assert f["fpr"](t=t, **VALUES) == pytest.approx(fpr, abs=5 * se)
        precision = 0.4 * tpr / (0.4 * tpr + 0.6 * fpr)
        assert f["precision"](t=t, **VALUES) == pytest.approx(precision, abs=0.01)


@pytest.mark.parametrize("pair", ["normal", "beta"])
def test_threshold_minimises_the_simulated_expected_cost(pair, normal_pair, beta_pair):
    f = (normal_pair if pair == "normal" else beta_pair).numpy()
    positives, negatives = simulated(pair, seed=1)
    grid = np.linspace(-0.5, 1.5, 201) if pair == "normal" else np.linspace(0.0, 1.0, 201)
    cost = [2.0 * 0.4 * np.mean(positives <= t) + 1.0 * 0.6 * np.mean(negatives > t) for t in grid]
    best = f["threshold"](**VALUES)
    assert best == pytest.approx(grid[int(np.argmin(cost))], abs=0.1)
    assert f["cost"](t=best, **VALUES) == pytest.approx(min(cost), abs=0.005)


def test_the_likelihood_ratio_condition_is_shown(beta_pair):
    titles = [step.title for step in beta_pair.steps]
    assert "Likelihood-ratio condition" in titles and "Bayes-optimal threshold" in titles
    assert "minus the class densities" in beta_pair.steps[titles.index("Stationarity")].why


def test_the_threshold_for_two_betas_is_derived_in_closed_form(beta_pair):
    # 2t c_FN π = 2(1 − t) c_FP (1 − π): t* = c_FP(1 − π) / (c_FN π + c_FP(1 − π))
    assert beta_pair.numpy()["threshold"](**VALUES) == pytest.approx(0.6 / (0.8 + 0.6), rel=1e-12)


def test_threshold_verifies(beta_pair):
    report = beta_pair.verify()
    assert report, str(report)
