"""Integrands that SymPy writes with 2 − erfc(u) (its form of erfc(−u)) are integrated numerically through
erfc(−u): the exponentially modified normal's Fisher information at K = 1.5 was 0.33580605 against mpmath's
0.3358063757 (its integrand e^{x/K}(2 − erfc u)/(e^{x²}(erfc² u − 4 erfc u + 4)) rounded to negative values near
x = −5). The whole Fisher derivation takes ~30 s, so it is checked in benchmarks/bench_probability.py; here the
integral it failed on. Oracle: mpmath quadrature at 40 digits of the integrand written with erfc(−u)."""
from __future__ import annotations

import mpmath as mp
import pytest
import sympy as sp

from symml.probability.numeric import compile_expression

x = sp.Symbol("x", real=True)
K = sp.Symbol("K", positive=True)
u = (x - 1 / K) / sp.sqrt(2)


def _mpmath_integral(k: float) -> float:
    # e^{x/K − 1/(2K²) − x²}/(2πK⁵ erfc(−u)): the same integrand, without the cancellation
    k = mp.mpf(k)
    with mp.workdps(40):
        f = lambda t: mp.exp(t / k - 1 / (2 * k**2) - t**2) / (2 * mp.pi * k**5 * mp.erfc(-(t - 1 / k) / mp.sqrt(2)))  # noqa: E731
        return float(mp.quad(f, [-40, -10, -3, 0, 3, 10, 40]))


@pytest.mark.parametrize("k", [0.5, 1.5, 4.0])
def test_a_quotient_by_two_minus_erfc_squared_is_integrated_to_full_precision(k):
    tail = sp.erfc(u)  # SymPy's erfc(−u) is 2 − erfc(u): the integrand as the Fisher derivation wrote it
    denominator = 2 * sp.pi * K**5 * sp.exp(K**-2) * sp.exp(x**2) * (tail**2 - 4 * tail + 4)
    integrand = sp.exp(1 / (2 * K**2)) * sp.exp(x / K) * (2 - tail) / denominator
    value = compile_expression(sp.Integral(sp.expand(integrand), (x, -sp.oo, sp.oo)))(K=k)
    assert float(value) == pytest.approx(_mpmath_integral(k), rel=1e-12)
