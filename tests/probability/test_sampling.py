"""Inverse-CDF samplers: a Kolmogorov–Smirnov test against scipy.stats accepts their draws."""
import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st

import symml
from symml.errors import UnsupportedOperationError

mu = sp.Symbol("mu", real=True)
b, s, l, a = sp.symbols("b s l a", positive=True)

CASES = [
    (st.Exponential("X", l), {"l": 1.7}, ss.expon(scale=1 / 1.7)),
    (st.Pareto("X", l, a), {"l": 1.2, "a": 2.5}, ss.pareto(2.5, scale=1.2)),
    (st.Gumbel("X", b, mu), {"b": 1.3, "mu": 0.4}, ss.gumbel_r(0.4, 1.3)),
    (st.Rayleigh("X", s), {"s": 0.8}, ss.rayleigh(scale=0.8)),
]


@pytest.mark.parametrize("rv, values, oracle", CASES, ids=[type(c[0].pspace.distribution).__name__ for c in CASES])
def test_inverse_cdf_sampler_passes_a_kolmogorov_smirnov_test(rv, values, oracle):
    sample = symml.derive.inverse_cdf_sampler(rv).numpy()(20_000, rng=np.random.default_rng(5), **values)
    assert ss.kstest(sample, oracle.cdf).pvalue > 0.01


def test_a_cdf_without_closed_form_inverse_is_said():
    with pytest.raises(UnsupportedOperationError, match="no closed-form inverse CDF"):
        symml.derive.inverse_cdf_sampler(st.Laplace("X", mu, b))
