"""p log p at p = 0 is 0 (its limit), not NumPy's 0·(−inf) = nan: entropies and KL divergences evaluated at the ends
of their domain, where the maths is finite (non-negotiable 5)."""
import mpmath
import numpy as np
import pytest
import sympy as sp
import sympy.stats as st

import symml

p, q = sp.symbols("p q", positive=True)
mpmath.mp.dps = 50


def bernoulli_entropy(value):
    value = mpmath.mpf(value)
    return float(sum(-t * mpmath.log(t) for t in (value, 1 - value) if t > 0))


@pytest.mark.parametrize("value", [0.0, 1.0, 1e-300, 0.3, 1 - 2**-52])
def test_the_bernoulli_entropy_is_finite_at_the_ends_of_its_domain(value):
    entropy = symml.derive.entropy(st.Bernoulli("B", p)).numpy()
    assert entropy(p=value) == pytest.approx(bernoulli_entropy(value), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("value", [0.0, 1.0, 0.25])
def test_the_bernoulli_kl_is_finite_where_the_first_law_is_degenerate(value):
    kl = symml.derive.kl(st.Bernoulli("P", p), st.Bernoulli("Q", q)).numpy()
    want = sum(float(a * mpmath.log(mpmath.mpf(a) / b)) for a, b in ((value, 0.4), (1 - value, 0.6)) if a > 0)
    assert kl(p=value, q=0.4) == pytest.approx(want, rel=1e-12, abs=1e-15)


def test_the_gradient_of_an_entropy_term_stays_a_plain_log():
    # xlogy is a value's rewrite only where the coefficient and the log's argument vanish together; log p alone
    # (the entropy's derivative is log((1 − p)/p)) is unchanged: −inf at 0, as it is
    gradient = symml.derive.gradient(-p * sp.log(p) - (1 - p) * sp.log(1 - p), [p]).numpy()
    assert np.asarray(gradient(p=0.25)).item() == pytest.approx(np.log(0.75 / 0.25), rel=1e-12)
