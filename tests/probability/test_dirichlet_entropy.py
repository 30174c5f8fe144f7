"""The entropy of a Dirichlet (sympy.stats.MultivariateBeta), derived through the zero-mean score
(symml/probability/multivariate_entropy.py): E[log Xᵢ] solved from the expected score equations, never looked up.
Oracles: scipy.stats.dirichlet.entropy (scipy.stats.beta for two components), Monte Carlo for E[log Xᵢ]."""
import numpy as np
import pytest
import scipy.stats as ss
import sympy as sp
import sympy.stats as st

import symml


def _entropy(k):
    alphas = sp.symbols(f"a1:{k + 1}", positive=True)
    return symml.derive.entropy(st.MultivariateBeta("X", list(alphas))), [a.name for a in alphas]


@pytest.mark.parametrize("alphas", [[0.7, 1.5, 3.0], [0.2, 0.3, 0.25], [300.0, 150.0, 2.0], [1.0, 1.0, 1.0]])
def test_three_components_match_scipy(alphas):
    derivation, names = _entropy(3)
    value = derivation.numpy()(**dict(zip(names, alphas)))
    assert value == pytest.approx(ss.dirichlet.entropy(alphas), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("k", [2, 4])
def test_two_and_four_components_match_scipy(k):
    derivation, names = _entropy(k)
    alphas = np.linspace(0.8, 2.6, k)
    assert derivation.numpy()(**dict(zip(names, alphas))) == pytest.approx(ss.dirichlet.entropy(alphas), rel=1e-12)


def test_two_components_are_the_beta_entropy():
    derivation, names = _entropy(2)
    assert derivation.numpy()(a1=2.5, a2=0.9) == pytest.approx(ss.beta.entropy(2.5, 0.9), rel=1e-12)


def test_the_mean_log_from_the_score_equations_is_the_monte_carlo_mean():
    derivation, _ = _entropy(3)
    solved = next(step for step in derivation.steps if step.title == "Solve for the means").math
    alphas = {sp.Symbol(f"a{i}", positive=True): v for i, v in zip((1, 2, 3), (0.7, 1.5, 3.0))}
    draws = np.log(np.random.default_rng(0).dirichlet(list(alphas.values()), 200_000))
    for i, equation in enumerate(solved):
        mean, error = draws[:, i].mean(), draws[:, i].std() / np.sqrt(len(draws))
        assert abs(float(equation.rhs.xreplace(alphas)) - mean) < 4 * error


def test_verify_integrates_over_the_simplex():
    report = _entropy(3)[0].verify()
    assert report.passed and len(report.comparisons) == 2
