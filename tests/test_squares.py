"""Perfect squares that come out of the engine expanded are written back as squares: the same value, read as a
textbook writes it, and computed without cancellation."""
import mpmath
import pytest
import numpy as np
import sympy as sp
import sympy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as strategies

import symml
from symml.squares import completed_squares

m1, m2 = sp.symbols("m1 m2", real=True)
s1, s2 = sp.symbols("s1 s2", positive=True)
EXPANDED = sp.log(s2 / s1) + (m1**2 - 2 * m1 * m2 + m2**2 + s1**2 - s2**2) / (2 * s2**2)


def test_the_three_terms_of_a_square_become_one_square():
    assert completed_squares(EXPANDED).has((m1 - m2) ** 2)


def test_a_sum_with_no_square_is_returned_as_it_is():
    assert completed_squares(m1**2 + m1 * m2 + s1) == m1**2 + m1 * m2 + s1


@settings(max_examples=30)
@given(strategies.lists(strategies.floats(-50, 50), min_size=4, max_size=4))
def test_writing_squares_keeps_the_value(values):
    at = dict(zip((m1, m2, s1, s2), [values[0], values[1], 1 + abs(values[2]), 1 + abs(values[3])]))
    before, after = (float(e.evalf(30, subs=at)) for e in (sp.expand(EXPANDED), completed_squares(EXPANDED)))
    assert after == before or abs(after - before) <= 1e-9 * max(1.0, abs(before))


def test_the_normal_kl_does_not_cancel_for_close_large_means():
    # Expanded, m1² - 2 m1 m2 + m2² at m1 = 1e8, m2 = 1e8 + 1 evaluates to 0 in floating point; the KL is 0.5
    derivation = symml.derive.kl(st.Normal("P", m1, s1), st.Normal("Q", m2, s2))
    kl = derivation.numpy()
    means = np.array([1e8, -3e12, 0.0])
    value = kl(m1=means, m2=means + 1.0, s1=1.0, s2=2.0)
    mpmath.mp.dps = 50
    exact = [float(mpmath.log(2) + (1 + 1 - 4) / mpmath.mpf(8)) for _ in means]  # log(s2/s1) + (s1² + Δ² - s2²)/(2 s2²)
    np.testing.assert_allclose(value, exact, rtol=1e-12)
    assert r"\left(m_{1} - m_{2}\right)^{2}" in derivation.latex() or "(m_{1} - m_{2})^{2}" in derivation.latex()


def test_the_normal_laplace_kl_is_finite_far_from_the_origin():
    # the result holds exp(-m1²/2s²) exp(-m2²/2s²) exp(m1 m2/s²): 0 · 0 · ∞ = NaN at m1 = m2 = 100 unless the
    # exponentials are one, exp(-(m1 - m2)²/2s²); the KL depends on m1 - m2 only, checked by quadrature at 0
    from scipy import integrate, stats

    kl = symml.derive.kl(st.Normal("P", m1, s1), st.Laplace("Q", m2, s2)).numpy()
    p, q = stats.norm(0.0, 1.3), stats.laplace(0.4, 0.7)
    quadrature, _ = integrate.quad(lambda t: p.pdf(t) * (p.logpdf(t) - q.logpdf(t)), -40, 40, limit=200)
    for shift in (0.0, 100.0, -3e3):
        assert float(kl(m1=shift, m2=shift + 0.4, s1=1.3, s2=0.7)) == pytest.approx(quadrature, rel=1e-8)
