"""Generated NumPy for SymPy functions SciPy's printer does not print: written in SciPy's terms, or refused when
compiled (never a NameError when the function is called)."""
import mpmath
import numpy as np
import pytest
import sympy as sp

from symml.errors import UnsupportedOperationError
from symml.mle.sample_function import SampleFunction

x = sp.Symbol("x", positive=True)


@pytest.mark.parametrize("order", [1, 2, 3])
def test_exponential_integral_of_integer_order_matches_mpmath(order):
    function = SampleFunction.of(sp.expint(order, x), (x,))
    assert np.isclose(function({x: 2.5}), float(mpmath.expint(order, 2.5)), rtol=1e-12)


def test_riemann_zeta_matches_mpmath():
    assert np.isclose(SampleFunction.of(sp.zeta(x), (x,))({x: 2.5}), float(mpmath.zeta(2.5)), rtol=1e-12)


def test_a_function_scipy_lacks_is_refused_when_compiled():
    with pytest.raises(UnsupportedOperationError, match="polylog"):
        SampleFunction.of(sp.polylog(3, x), (x,))
