"""No maximum where the score keeps one sign on the whole parameter domain (symml.mle.monotone_likelihood): a
Weibull sample with no spread has a profile log-likelihood rising without bound as the shape β → ∞. Oracle: the
profile log-likelihood written with scipy.stats.weibull_min, increasing over decades of β, and maximised by
scipy.optimize where the data have spread."""
import numpy as np
import pytest
import scipy.stats as ss
from scipy import optimize

from derivations import build
from symml.errors import DataError


@pytest.fixture(scope="module")
def weibull():
    return build("mle.weibull_shape").numpy()


def _profile(sample: np.ndarray, shape: float) -> float:
    """ℓ(α̂(β), β) by scipy: the scale profiled out as α̂ = (mean xᵝ)^(1/β)."""
    scale = np.mean(sample ** shape) ** (1 / shape)
    return float(ss.weibull_min.logpdf(sample, shape, scale=scale).sum())


@pytest.mark.parametrize("value", [1.5, 1e-3, 1e3])
def test_weibull_data_with_no_spread_have_no_maximum_as_the_shape_grows(weibull, value):
    sample = np.full(6, value)
    shapes = 10.0 ** np.arange(-1.0, 3.0)
    assert np.all(np.diff([_profile(sample, b) for b in shapes]) > 1.0)  # the oracle: rising, decade after decade
    with pytest.raises(DataError, match=r"increases without bound as beta → ∞.*no spread"):
        weibull(sample)


def test_weibull_data_with_spread_keep_their_maximum(weibull):
    sample = np.array([1.0, 2.0, 3.0, 1.5, 0.7, 2.2])
    shape = optimize.minimize_scalar(lambda b: -_profile(sample, b), bounds=(0.1, 20.0), method="bounded",
                                     options={"xatol": 1e-10}).x
    found = weibull(sample)
    assert found["beta"] == pytest.approx(shape, rel=1e-7)
    assert found["alpha"] == pytest.approx(np.mean(sample ** shape) ** (1 / shape), rel=1e-7)
