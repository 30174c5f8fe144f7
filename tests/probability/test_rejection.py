"""Rejection sampling: the derived acceptance rate 1/M against the fraction accepted in a simulation."""
import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st

import symml

lam = sp.Symbol("lambda", positive=True)


def accepted_fraction(p, q, M, draws=200_000, seed=0):
    rng = np.random.default_rng(seed)
    x = q.rvs(size=draws, random_state=rng)
    return np.mean(rng.uniform(size=draws) < p.pdf(x) / (M * q.pdf(x)))


def test_gamma_target_exponential_proposal_acceptance_matches_simulation():
    d = symml.derive.rejection_sampling(st.Gamma("X", 3, 1), st.Exponential("X", lam))
    rate = float(d.numpy()(**{"lambda": 0.4}))
    p, q = ss.gamma(3), ss.expon(scale=1 / 0.4)
    grid = np.linspace(1e-3, 60, 200_001)
    M = np.max(p.pdf(grid) / q.pdf(grid))  # the supremum on a fine grid, vectorised (a Python loop took 45 s)
    assert rate == pytest.approx(1 / M, rel=1e-6)
    assert accepted_fraction(p, q, 1 / rate) == pytest.approx(rate, abs=4 * np.sqrt(rate * (1 - rate) / 200_000))
    assert any("lambda" in remark for remark in d.remarks)  # the maximiser 2/(1 - lambda) needs lambda < 1


def test_normal_target_cauchy_proposal_takes_the_highest_of_three_stationary_points():
    d = symml.derive.rejection_sampling(st.Normal("X", 0, 1), st.Cauchy("X", 0, 1))
    assert float(d.result) == pytest.approx(np.sqrt(np.e / (2 * np.pi)), rel=1e-12)
    rate = float(d.result)
    assert accepted_fraction(ss.norm(), ss.cauchy(), 1 / rate) == pytest.approx(
        rate, abs=4 * np.sqrt(rate * (1 - rate) / 200_000))


def test_a_proposal_with_lighter_tails_has_no_envelope():
    d = symml.derive.rejection_sampling(st.Cauchy("X", 0, 1), st.Normal("X", 0, 1))
    assert d.result == 0 and any("lighter" in remark for remark in d.remarks)


def test_verify_integrates_min_of_q_and_p_over_m():
    # equals 1/M only when p/M <= q everywhere: an M below the supremum would fail
    assert symml.derive.rejection_sampling(st.Normal("X", 0, 1), st.Cauchy("X", 0, 1)).verify()
