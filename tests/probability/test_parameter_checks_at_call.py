"""numpy() of a law's quantity checks the family's parameter range at the values it is called with.

A scale declared only real passes the derivation (its sign is unknown there); called at b = −2, E[X] of a Gumbel
evaluated the integral of a 'density' that integrates to −1 and returned 1.154. Oracle: scipy.stats refuses the
same values (its distributions are invalid there) and agrees at valid ones.
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st

import symml

b = sp.Symbol("b", real=True)


@pytest.fixture(scope="module")
def gumbel_mean():
    return symml.derive.expectation(st.Gumbel("X", b, 0)).numpy()


def test_a_scale_outside_its_range_is_a_model_error_at_call_time(gumbel_mean):
    assert np.isnan(ss.gumbel_r(0, -2.0).mean())  # scipy: an invalid law there
    with pytest.raises(symml.ModelError, match="outside its range"):
        gumbel_mean(b=-2.0)


def test_a_scale_inside_its_range_gives_scipys_mean(gumbel_mean):
    assert gumbel_mean(b=2.0) == pytest.approx(ss.gumbel_r(0, 2.0).mean(), rel=1e-8)


def test_moments_and_entropy_check_their_laws_too():
    with pytest.raises(symml.ModelError):
        symml.derive.moments(st.Normal("X", 0, b)).numpy()(b=-2.0)
    entropy = symml.derive.entropy(st.Exponential("X", b)).numpy()
    with pytest.raises(symml.ModelError):
        entropy(b=-1.0)
    assert entropy(b=2.0) == pytest.approx(ss.expon(scale=0.5).entropy(), rel=1e-12)


def test_arrays_of_values_are_evaluated_without_a_per_element_check():
    variance = symml.derive.moments(st.Normal("X", 0, b)).numpy()(b=np.array([1.0, 2.0]))["variance"]
    assert np.allclose(variance, [1.0, 4.0])
