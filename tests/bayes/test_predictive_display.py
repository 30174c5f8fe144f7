"""The posterior predictive reads as the textbook writes it: the new point's statistics cancelled, logs gathered."""
import numpy as np
import sympy as sp
import sympy.stats as st
from scipy import stats

import symml

rate = sp.Symbol("lambda", positive=True)
a, b = sp.symbols("a b", positive=True)


def _exponential_gamma_predictive():
    return symml.derive.posterior_predictive(symml.derive.posterior(st.Exponential("X", rate), st.Gamma("L", a, 1 / b)))


def test_exponential_gamma_predictive_is_the_lomax_density():
    # the displayed result, evaluated: p(x_new | x) is Lomax with shape a + n and scale b + Σx
    result = _exponential_gamma_predictive().result
    n, total, new = 7, 9.3, 1.7
    values = {"a": 2.5, "b": 1.2, "n": n, "mean(x)": total / n, "x_new": new}
    value = float(result.subs({symbol: values[symbol.name] for symbol in result.free_symbols}))
    assert np.isclose(value, stats.lomax.logpdf(new, c=2.5 + n, scale=1.2 + total))


def test_exponential_gamma_predictive_has_the_new_point_added_without_fractions_over_n_plus_one():
    text = str(_exponential_gamma_predictive()).split("Result")[1]
    assert "/(n + 1)" not in text and "(a + n) log(x̄n + b)" in text
