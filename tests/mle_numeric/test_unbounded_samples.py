"""One observation, or observations all equal: a Gamma shape (with its scale) or a Beta has no maximum-likelihood
estimate (as the shapes grow with the mean held, the density concentrates at the value and the likelihood grows
without bound, as scipy.stats shows below): a clear UnboundedError, not shapes of 1e14 (issue 17)."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss

from derivations import build
from symml.errors import UnboundedError

ESTIMATORS = {name: build(name).numpy() for name in ["mle.gamma_shape", "mle.beta"]}

# scipy.stats with the shapes scaled by s, the mean held at the repeated value v
CONCENTRATING = {
    "mle.gamma_shape": lambda v, s: ss.gamma(s, scale=v / s),
    "mle.beta": lambda v, s: ss.beta(v * s, (1 - v) * s),
}


@pytest.mark.parametrize("name, value", [("mle.gamma_shape", 2.0), ("mle.beta", 0.3)])
def test_the_likelihood_of_a_repeated_value_grows_without_bound_by_scipy(name, value):
    densities = [CONCENTRATING[name](value, s).logpdf(value) for s in (1e2, 1e4, 1e6, 1e8)]
    assert all(later > earlier + 2.0 for earlier, later in zip(densities, densities[1:]))


@pytest.mark.parametrize("name, value", [("mle.gamma_shape", 2.0), ("mle.gamma_shape", 0.3), ("mle.beta", 0.3)])
@pytest.mark.parametrize("size", [1, 5, 100])
def test_a_sample_of_one_repeated_value_has_no_estimate(name, value, size):
    with pytest.raises(UnboundedError, match="does not exist.*every observation equals"):
        ESTIMATORS[name](np.full(size, value))


@pytest.mark.parametrize("name, sample", [("mle.gamma_shape", [2.0, 2.0, 2.5]), ("mle.beta", [0.3, 0.3, 0.35])])
def test_two_different_values_have_the_estimate_scipy_finds(name, sample):
    x = np.array(sample)
    fitted = ss.gamma.fit(x, floc=0)[0] if name == "mle.gamma_shape" else ss.beta.fit(x, floc=0, fscale=1)[0]
    estimate = ESTIMATORS[name](x)
    first = estimate["k"] if name == "mle.gamma_shape" else estimate["alpha"]
    assert first == pytest.approx(fitted, rel=1e-4)
