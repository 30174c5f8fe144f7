"""A family written as a call, the way users write a model: "Normal(m, 1)" names the mean m and fixes the variance."""
import numpy as np
import pytest
import scipy.optimize
import scipy.stats

import symml


def test_a_family_call_names_the_parameters_and_fixes_the_numbers():
    derivation = symml.derive.mle("Normal(m, 1)")
    assert [str(p) for p in derivation.result] == ["m"]
    x = np.array([0.3, 2.5, -1.0, 4.2])
    numeric = scipy.optimize.minimize_scalar(lambda m: -scipy.stats.norm.logpdf(x, m, 1).sum()).x
    assert derivation.numpy()(x=x)["m"] == pytest.approx(numeric, rel=1e-6)


def test_parameter_names_given_in_a_call_keep_their_assumptions():
    derivation = symml.derive.mle("Normal(m, s)")
    assert {str(p): p.is_positive for p in derivation.result} == {"m": None, "s": True}


@pytest.mark.parametrize("text", ["Normal(mu+1, s)", "Normal(mu, __import__('os'))", "Normal(mu, sigma"])
def test_a_call_with_an_argument_that_is_not_a_name_or_a_number_is_refused(text):
    with pytest.raises(symml.UnknownFamilyError, match="cannot read the family"):
        symml.derive.mle(text)
