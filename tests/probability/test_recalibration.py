"""Platt and temperature scaling: derived derivatives against finite differences, the fit against scipy.optimize."""
import numpy as np
import pytest
from scipy.optimize import minimize, minimize_scalar

import symml
from symml.errors import ParameterError
from symml.probability.recalibration import platt_targets, simulated
from symml.testing import check_gradient, check_hessian


@pytest.fixture(scope="module")
def platt():
    return symml.derive.platt_scaling()


@pytest.fixture(scope="module")
def temperature():
    return symml.derive.temperature_scaling()


def test_platt_gradient_and_hessian_match_finite_differences(platt):
    f = platt.numpy()
    scores, labels = simulated("platt", seed=3)
    objective = lambda theta: f.objective(theta, scores, labels)  # noqa: E731
    at = np.array([0.3, 0.8])
    assert check_gradient(objective, lambda theta: f.gradient(theta, scores, labels), at) < 1e-7
    assert check_hessian(objective, lambda theta: f.hessian(theta, scores, labels), at) < 1e-6


@pytest.mark.parametrize("smoothing", [True, False])
def test_platt_fit_matches_scipy_on_miscalibrated_scores(platt, smoothing):
    f = platt.numpy()
    scores, labels = simulated("platt", seed=4)
    targets = platt_targets(labels) if smoothing else labels
    reference = minimize(lambda theta: f.objective(theta, scores, targets), np.zeros(2), method="BFGS",
                         options={"gtol": 1e-10}).x
    assert f.fit(scores, labels, smoothing=smoothing) == pytest.approx(reference, abs=1e-5)


def test_platt_fit_shrinks_overconfident_scores_and_matches_the_base_rate(platt):
    # stationarity in b: Σ σ(a s_i + b) = Σ t_i, so the mean fitted probability is the label rate
    f = platt.numpy()
    scores, labels = simulated("platt", seed=5)
    theta = f.fit(scores, labels, smoothing=False)
    assert 0 < theta[0] < 1  # the scores were stretched by 3
    assert f.probabilities(theta, scores).mean() == pytest.approx(labels.mean(), abs=1e-9)


def test_platt_targets_keep_the_fit_finite_when_the_scores_separate(platt):
    scores = np.array([-3.0, -2.0, -1.0, 1.0, 2.0, 3.0])
    theta = platt.numpy().fit(scores, np.array([0, 0, 0, 1, 1, 1]), smoothing=True)
    assert np.all(np.isfinite(theta)) and 0 < theta[0] < 10


def test_platt_says_there_is_no_closed_form(platt):
    assert "no closed-form minimiser" in platt.steps[-1].why
    assert "Newton" in platt.remarks[0]


def test_platt_refuses_labels_other_than_zero_and_one():
    with pytest.raises(ParameterError, match="labels 0 or 1"):
        platt_targets(np.array([0, 2, 1]))


def test_temperature_derivatives_match_finite_differences(temperature):
    f = temperature.numpy()
    logits, labels = simulated("temperature", seed=6)
    objective = lambda T: f.objective(T, logits, labels)  # noqa: E731
    at = np.array([1.3])
    assert check_gradient(objective, lambda T: np.atleast_1d(f.gradient(T, logits, labels)), at) < 1e-7
    assert check_hessian(objective, lambda T: np.atleast_2d(f.hessian(T, logits, labels)), at) < 1e-6


def test_temperature_fit_matches_scipy_and_cools_overconfident_logits(temperature):
    f = temperature.numpy()
    logits, labels = simulated("temperature", seed=7)
    reference = minimize_scalar(lambda T: f.objective(T, logits, labels), bounds=(1e-2, 1e2), method="bounded",
                                options={"xatol": 1e-10}).x
    fitted = f.fit(logits, labels)
    assert fitted == pytest.approx(reference, rel=1e-6)
    assert fitted > 1.5  # the logits were scaled up by 2.5


def test_temperature_objective_is_stable_for_large_logits(temperature):
    f = temperature.numpy()
    logits = np.array([[800.0, 0.0, -5.0], [0.0, 900.0, 1.0]])
    assert np.isfinite(f.objective(0.5, logits, np.array([1, 1])))
    assert np.isfinite(f.gradient(0.5, logits, np.array([1, 1])))


@pytest.mark.parametrize("which", ["platt", "temperature"])
def test_recalibration_verifies(which, platt, temperature):
    report = (platt if which == "platt" else temperature).verify()
    assert report, str(report)
