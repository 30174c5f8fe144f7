"""Mathematics typed as plain text reads as Python reads it, where LaTeX would juxtapose (a1 is a name, not a·1)."""
import numpy as np
import scipy.special
import sympy as sp

import symml
from symml.user_text import read_expression


def test_a_parameter_named_with_a_digit_is_one_name_in_a_typed_log_density():
    model = symml.Model(logpdf="log(theta1) - theta1*x", data="x", support=sp.Interval(0, sp.oo))
    estimate = symml.derive.mle(model).numpy()
    x = np.random.default_rng(3).exponential(2.5, 400)
    (value,) = estimate(x=x).values()
    assert np.isclose(value, len(x) / np.sum(x), rtol=1e-12)  # the exponential rate by hand


def test_gamma_called_in_python_syntax_is_the_gamma_function():
    expression = read_expression("log(gamma(a))", "a term")
    (a,) = expression.free_symbols
    assert np.isclose(float(expression.subs(a, 4.5)), scipy.special.gammaln(4.5))


def test_names_with_digits_keep_their_digits():
    expression = read_expression("(a1 - 1)*log(p1) + x2", "a log-prior")
    values = {"a1": 3.0, "p1": 0.25, "x2": 7.0}
    assert np.isclose(float(expression.subs({s: values[s.name] for s in expression.free_symbols})),
                      2.0 * np.log(0.25) + 7.0)


def test_log1p_and_expm1_in_python_syntax_are_the_functions_numpy_names_so():
    expression = read_expression("x*log(p) + log1p(-p) - expm1(-p)", "a log-pmf")
    values = {"x": 3.0, "p": 0.25}
    assert np.isclose(float(expression.subs({s: values[s.name] for s in expression.free_symbols})),
                      3.0 * np.log(0.25) + np.log1p(-0.25) - np.expm1(-0.25))
