"""The data may be passed first, positionally, to what the Bayes derivations' numpy() return, as to an MLE's
estimator: ``map.numpy()(data)`` raised a raw TypeError. Values checked against SciPy."""
import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st
from scipy import integrate, optimize

import symml
from symml.errors import ParameterError

rate = sp.Symbol("lambda", positive=True)
DATA = [0, 1, 2, 4]
SHAPE, SCALE = 2.0, 3.0  # sympy's Gamma(k, θ): shape k and scale θ


def log_posterior(value):
    return ss.gamma.logpdf(value, SHAPE, scale=SCALE) + ss.poisson.logpmf(DATA, value).sum()


@pytest.fixture(scope="module")
def posterior():
    return symml.derive.posterior(st.Poisson("X", rate), prior=st.Gamma("L", SHAPE, SCALE))


def test_map_takes_the_sample_first():
    found = symml.derive.map(st.Poisson("X", rate), prior=st.Gamma("L", SHAPE, SCALE)).numpy()(DATA)["lambda"]
    best = optimize.minimize_scalar(lambda v: -log_posterior(v), bounds=(1e-6, 20), method="bounded",
                                    options={"xatol": 1e-10}).x
    assert found == pytest.approx(best, abs=1e-6)


def test_posterior_summary_takes_the_sample_first(posterior):
    found = symml.derive.posterior_summary(posterior).numpy()(DATA)["mean"]
    mass = integrate.quad(lambda v: np.exp(log_posterior(v)), 0, 60)[0]
    assert found == pytest.approx(integrate.quad(lambda v: v * np.exp(log_posterior(v)), 0, 60)[0] / mass, rel=1e-8)


def test_evidence_takes_the_sample_first(posterior):
    found = symml.derive.evidence(posterior).numpy()(DATA)
    assert found == pytest.approx(np.log(integrate.quad(lambda v: np.exp(log_posterior(v)), 0, 60)[0]), rel=1e-8)


def test_a_sample_passed_twice_is_refused(posterior):
    with pytest.raises(ParameterError, match="pass the sample once"):
        symml.derive.evidence(posterior).numpy()(DATA, x=DATA)


def test_the_predictive_asks_for_its_two_arrays_by_name(posterior):
    with pytest.raises(ParameterError, match="by name"):
        symml.derive.posterior_predictive(posterior).numpy()(DATA)
