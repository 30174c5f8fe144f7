"""Expectations over x > 0 that see x only through log x and powers of x, integrated after u = log x.

The log-normal's E[X²] was left an unevaluated Integral (its variance, skewness and kurtosis with it) and E[X] took 8 s;
SymPy's Gaussian integral over the real line also left erf(z) + erfc(z) unsummed. Oracles: scipy.stats.lognorm.
"""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st

import symml
from symml.probability.integration import is_closed

b = sp.Symbol("b", positive=True)
m = sp.Symbol("m", real=True)
AT = {b: 0.7, m: 0.3}
ORACLE = ss.lognorm(s=0.7, scale=np.exp(0.3))


@pytest.fixture(scope="module")
def moments():
    return symml.derive.moments(st.LogNormal("X", m, b)).result


def test_every_moment_of_the_log_normal_is_in_closed_form(moments):
    assert all(is_closed(value) for value in moments.values())


@pytest.mark.parametrize("name, moment", [("mean", "m"), ("variance", "v"), ("skewness", "s"),
                                          ("excess_kurtosis", "k")])
def test_the_log_normal_moments_equal_scipys(moments, name, moment):
    assert float(moments[name].subs(AT)) == pytest.approx(float(ORACLE.stats(moment)), rel=1e-12)


@pytest.mark.parametrize("power", [2, 3, -1, sp.Rational(1, 2)])
def test_a_power_of_a_log_normal_has_the_expectation_of_scipys_moment(power):
    value = symml.derive.expectation(st.LogNormal("X", m, b) ** power).result
    want = ORACLE.expect(lambda x: x ** float(power))
    assert is_closed(value) and float(value.subs(AT)) == pytest.approx(want, rel=1e-8)


def test_the_mean_of_a_log_normal_has_no_erf_left_from_the_integral_over_the_real_line():
    assert not symml.derive.expectation(st.LogNormal("X", 0, b)).result.has(sp.erf, sp.erfc)
