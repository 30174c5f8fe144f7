"""Brier score decomposition and ECE: against the score computed directly from simulated forecasts and outcomes."""
import numpy as np
import pytest

import symml
from symml.errors import ParameterError


def binned(seed, bins):
    rng = np.random.default_rng(seed)
    forecasts = rng.choice(np.linspace(0.1, 0.9, bins), 5000)  # forecasts constant within a bin
    outcomes = (rng.uniform(size=forecasts.size) < np.clip(forecasts + 0.08, 0, 1)).astype(float)  # miscalibrated
    values = np.unique(forecasts)
    stats = {}
    for k, value in enumerate(values, start=1):
        inside = forecasts == value
        stats.update({f"n_{k}": inside.sum(), f"f_{k}": value, f"obar_{k}": outcomes[inside].mean()})
    return forecasts, outcomes, stats


def test_brier_pieces_add_up_to_the_score_computed_directly():
    forecasts, outcomes, stats = binned(1, 4)
    pieces = symml.derive.brier_decomposition(4).numpy()(**stats)
    direct = np.mean((forecasts - outcomes) ** 2)
    assert pieces["brier"] == pytest.approx(direct, rel=1e-12)
    assert pieces["reliability"] - pieces["resolution"] + pieces["uncertainty"] == pytest.approx(direct, rel=1e-12)
    assert pieces["uncertainty"] == pytest.approx(outcomes.mean() * (1 - outcomes.mean()), rel=1e-12)


def test_ece_is_the_weighted_absolute_gap():
    forecasts, outcomes, stats = binned(2, 3)
    gaps = [abs(v - outcomes[forecasts == v].mean()) * np.mean(forecasts == v) for v in np.unique(forecasts)]
    assert symml.derive.brier_decomposition(3).numpy()(**stats)["ece"] == pytest.approx(sum(gaps), rel=1e-12)


def test_the_decomposition_is_shown_symbolically():
    assert "shown equal" in symml.derive.brier_decomposition(3).steps[-1].why


def test_a_bad_number_of_bins_is_refused():
    with pytest.raises(ParameterError, match="bins"):
        symml.derive.brier_decomposition(0)
