"""Closed-form estimators are scale-equivariant by construction: every finite double works, compared with a
50-digit mpmath evaluation of the textbook estimator (the oracle) on the very same doubles."""
import mpmath
import numpy as np
import pytest

import symml

mpmath.mp.dps = 50
_BASE = np.random.default_rng(0).normal(1.0, 2.0, 200)


def _mean(values):
    return mpmath.fsum(values) / len(values)


def _oracle(family, data):
    exact = [mpmath.mpf(float(v)) for v in data]
    if family == "Normal":
        mu = _mean(exact)
        return {"mu": mu, "sigma": mpmath.sqrt(_mean([(v - mu) ** 2 for v in exact]))}
    second = _mean([v**2 for v in exact])
    return {"sigma": mpmath.sqrt(second / 2)} if family == "Rayleigh" else {"a": mpmath.sqrt(second / 3)}


@pytest.mark.parametrize("family", ["Normal", "Rayleigh", "Maxwell"])
@pytest.mark.parametrize("scale", [1e300, 1e200, 1e-160, 1e-300, 5e-324 * 2**40])
def test_estimates_at_extreme_scales_match_a_high_precision_reference(family, scale):
    data = (_BASE if family == "Normal" else np.abs(_BASE) + 0.1) * scale
    estimate = symml.derive.mle(family).numpy()(x=data)
    for name, reference in _oracle(family, data).items():
        assert estimate[name] == pytest.approx(float(reference), rel=1e-13)


@pytest.mark.parametrize("offset", [1e15, -1e15, 1e8])
def test_normal_scale_keeps_its_digits_at_a_large_offset(offset):
    data = _BASE + offset
    estimate = symml.derive.mle("Normal").numpy()(x=data)
    reference = _oracle("Normal", data)
    assert estimate["sigma"] == pytest.approx(float(reference["sigma"]), rel=1e-12)
    assert estimate["mu"] == pytest.approx(float(reference["mu"]), rel=1e-15)
