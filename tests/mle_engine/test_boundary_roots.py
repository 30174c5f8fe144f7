"""Clearing a score's denominators adds no root where a cleared denominator vanishes, and a root at the edge of
the open parameter domain (λ → 0) is not a stationary point. Oracle: scipy's bounded maximum of the
log-likelihood."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import sympy as sp
from scipy import optimize

import symml
from symml.optimize.scalar_solve import solve_stationarity

LAM = sp.Symbol("lambda", positive=True)
P = sp.Symbol("p", positive=True)
MU = sp.Symbol("mu", real=True)
MEAN = sp.Symbol("kbar", positive=True)  # a sample mean, as the engine's statistics


@pytest.fixture(scope="module")
def truncated_poisson():
    k = sp.Symbol("k", integer=True, nonnegative=True)
    model = symml.Model(k * sp.log(LAM) - LAM - sp.log(sp.factorial(k)) - sp.log(1 - sp.exp(-LAM)), k,
                        support=sp.Range(1, sp.oo))
    data = np.random.default_rng(0).poisson(2.0, 2000)
    data = data[data > 0].astype(float)
    best = optimize.minimize_scalar(lambda t: -(data * np.log(t) - t - np.log1p(-np.exp(-t))).sum(),
                                    bounds=(0.01, 20), method="bounded", options={"xatol": 1e-12}).x
    return symml.derive.mle(model, wrt=[LAM]), data, best


def _left_equation(loglik: sp.Expr, unknown: sp.Symbol, facts: list) -> sp.Expr:
    solution = solve_stationarity({unknown: sp.diff(loglik, unknown)}, facts)
    assert not solution.closed
    (equation,) = solution.stationarity
    return equation.lhs - equation.rhs


def _root_and_boundary(equation: sp.Expr, unknown: sp.Symbol, mean: float, edges: list[float],
                       bracket: tuple[float, float]) -> tuple[float, list[float]]:
    f = sp.lambdify(unknown, equation.subs(MEAN, mean), "mpmath")
    return optimize.brentq(lambda t: float(f(t)), *bracket, xtol=1e-14), [abs(float(f(e))) for e in edges]


def test_a_zero_truncated_poisson_rate_is_not_the_spurious_root_at_zero_casella_berger_7_x(truncated_poisson):
    # the score k̄/λ − 1 − e^{−λ}/(1 − e^{−λ}) cleared of denominators is k̄e^λ − k̄ − λe^λ, which λ = 0 solves for
    # every sample: numpy() returned 6.8e-17
    derivation, data, best = truncated_poisson
    assert derivation.numpy()(x=data)["lambda"] == pytest.approx(best, rel=1e-7)


def test_the_truncated_poisson_rate_is_solved_through_lambert_w(truncated_poisson):
    # the score cleared of its denominators (kept: they vanish with it at λ = 0, cleared()'s doctest), expanded, is
    # (k̄ − λ)e^λ − k̄: λ̂ = k̄ + W₀(−k̄e^{−k̄}); unexpanded, solve raised NotImplementedError ('No closed form'). The
    # estimate against scipy's bounded maximum: the test above
    derivation = truncated_poisson[0]
    assert derivation.problem.closed_form and derivation.problem.estimators[LAM].has(sp.LambertW)


def test_the_numeric_solver_refuses_a_root_at_the_edge_of_a_positive_domain(truncated_poisson):
    # the cleared equation given to numpy() as it is: its rounding-level root 6.8e-17 is where the log-likelihood
    # still rises as (k̄ − 1) log λ, so the solver falls back and finds the maximum
    derivation, data, best = truncated_poisson
    (mean,) = derivation.problem.estimators[LAM].free_symbols  # the statistic mean(k) of the closed form
    score = mean / LAM - 1 - sp.exp(-LAM) / (1 - sp.exp(-LAM))
    cleared = dataclasses.replace(derivation.problem, estimators={},
                                  stationarity=(sp.Eq(sp.numer(sp.together(score)), 0),))
    estimate = dataclasses.replace(derivation, problem=cleared).numpy()(x=data)["lambda"]
    assert estimate == pytest.approx(best, rel=1e-6)


def test_a_zero_truncated_binomial_equation_has_no_root_at_p_zero():
    # 1 − (1 − p)^m vanishes at p = 0, where the cleared numerator does too; the maximum is scipy's
    m, kbar = 3, 1.5
    loglik = MEAN * sp.log(P) + (m - MEAN) * sp.log(1 - P) - sp.log(1 - (1 - P) ** m)
    equation = _left_equation(loglik, P, [1 - P])
    root, near_edge = _root_and_boundary(equation, P, kbar, [1e-9], (1e-6, 1 - 1e-6))
    best = optimize.minimize_scalar(lambda p: -(kbar * np.log(p) + (m - kbar) * np.log1p(-p)
                                                - np.log1p(-(1 - p) ** m)), bounds=(1e-6, 1 - 1e-6),
                                    method="bounded", options={"xatol": 1e-12}).x
    assert root == pytest.approx(best, rel=1e-6)
    assert near_edge[0] > 1e-3


def test_a_zero_truncated_geometric_is_solved_in_closed_form_without_a_boundary_root():
    # p(1 − p)^k / (1 − p) on k ≥ 1: the score 1/p − (k̄ − 1)/(1 − p) has the one root 1/k̄
    kbar = 2.5
    loglik = sp.log(P) + (MEAN - 1) * sp.log(1 - P)
    solution = solve_stationarity({P: sp.diff(loglik, P)}, [1 - P])
    best = optimize.minimize_scalar(lambda p: -(np.log(p) + (kbar - 1) * np.log1p(-p)), bounds=(1e-9, 1 - 1e-9),
                                    method="bounded", options={"xatol": 1e-12}).x
    assert float(solution.closed[P].subs(MEAN, kbar)) == pytest.approx(best, rel=1e-6)


def test_a_truncated_normal_mean_with_known_sigma_keeps_a_root_at_the_maximum():
    # N(μ, 1) restricted to x > 0: ℓ/n = −mean((x − μ)²)/2 − log Φ(μ); Φ never vanishes on the reals, so the
    # cleared equation is the score's numerator, with its one root at scipy's maximum
    from scipy import special

    xbar, x2bar = 0.9, 1.4
    phi = (1 + sp.erf(MU / sp.sqrt(2))) / 2
    loglik = -(sp.Symbol("x2bar") - 2 * MU * MEAN + MU ** 2) / 2 - sp.log(phi)
    equation = _left_equation(loglik, MU, []).subs(sp.Symbol("x2bar"), x2bar)
    root, _ = _root_and_boundary(equation, MU, xbar, [], (-5.0, 5.0))
    best = optimize.minimize_scalar(lambda m: (x2bar - 2 * m * xbar + m ** 2) / 2 + special.log_ndtr(m),
                                    bounds=(-5, 5), method="bounded", options={"xatol": 1e-12}).x
    assert root == pytest.approx(best, rel=1e-6, abs=1e-8)


def test_a_logarithmic_series_equation_has_no_root_at_p_zero():
    # −p^k/(k log(1 − p)): the score k̄/p + 1/((1 − p) log(1 − p)) cleared is k̄(1 − p) log(1 − p) + p, zero at p = 0
    from scipy import stats

    counts = stats.logser.rvs(0.7, size=500, random_state=np.random.default_rng(2)).astype(float)
    loglik = MEAN * sp.log(P) - sp.log(-sp.log(1 - P))
    equation = _left_equation(loglik, P, [1 - P])
    root, near_edge = _root_and_boundary(equation, P, counts.mean(), [1e-9], (1e-6, 1 - 1e-6))
    best = optimize.minimize_scalar(lambda p: -stats.logser.logpmf(counts, p).sum(), bounds=(1e-6, 1 - 1e-6),
                                    method="bounded", options={"xatol": 1e-12}).x
    assert root == pytest.approx(best, rel=1e-6)
    assert near_edge[0] > 1e-3
