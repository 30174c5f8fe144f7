"""Bad input gets a SymmlError subclass naming the problem; legal input that used to crash works."""
import numpy as np
import pytest
import sympy as sp
from scipy import optimize, special

import symml
from symml.errors import DataError, ModelError, ParameterError, ShapeError


@pytest.mark.parametrize("wrt", [123, ["mu", 3], 1.5])
def test_wrt_that_is_not_a_parameter_name_is_a_parameter_error(wrt):
    with pytest.raises(ParameterError, match="wrt must be a parameter"):
        symml.derive.mle("Normal", wrt=wrt)


def test_an_observation_too_large_for_a_double_is_a_data_error():
    with pytest.raises(DataError, match="too large for a double"):
        symml.derive.mle("Normal").numpy()(x=[10**400, 1, 2])


@pytest.mark.parametrize("sample", [np.array([1 + 2j, 2, 3]), [1 + 2j, 2.0, 3.0]])
def test_complex_data_is_refused_not_truncated_to_its_real_part(sample):
    with pytest.raises(DataError, match="complex"):
        symml.derive.mle("Normal").numpy()(x=sample)


def test_a_string_that_is_not_a_name_as_a_dimension_is_a_shape_error():
    with pytest.raises(ShapeError, match="string 'a b'"):
        symml.vector("v", "a b")


def test_negative_binomial_estimator_runs_vectorised_and_matches_scipy():
    sample = np.random.default_rng(0).negative_binomial(3, 0.4, 500)
    estimate = symml.derive.mle("NegativeBinomial").numpy()(x=sample)
    from scipy import stats

    reference = optimize.minimize(lambda t: -stats.nbinom.logpmf(sample, t[0], t[1]).sum(), [2.0, 0.5],
                                  method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-12}).x
    assert [estimate["r"], estimate["p"]] == pytest.approx(reference, rel=1e-6)


def test_a_log_density_with_the_zeta_function_is_estimated():
    # the Zeta pmf: its support is the integers from 1 (on the interval [1, oo) it would not integrate to 1)
    x, a = sp.Symbol("x", positive=True), sp.Symbol("a", positive=True)
    model = symml.Model(logpdf=-a * sp.log(x) - sp.log(sp.zeta(a)), data=x, support=sp.Range(1, sp.oo))
    sample = np.random.default_rng(0).zipf(2.5, 300).astype(float)
    estimate = symml.derive.mle(model).numpy()(x=sample)
    reference = optimize.minimize_scalar(lambda t: t * np.log(sample).sum() + sample.size * np.log(special.zeta(t)),
                                         bounds=(1.01, 10), method="bounded", options={"xatol": 1e-10}).x
    assert estimate["a"] == pytest.approx(reference, rel=1e-6)


def test_a_complex_log_density_is_a_model_error():
    x, t = sp.Symbol("x", real=True), sp.Symbol("theta", real=True)
    with pytest.raises(ModelError, match="not real"):
        symml.Model(logpdf=sp.I * t * x, data=x)
