"""Maximum likelihood through the solving core: the wrong answers of the old engine, each checked numerically.

Oracles: brute force over scipy.stats log-likelihoods and scipy.optimize on the log-likelihood, never SymPy.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import sympy as sp
import sympy.stats as st
from scipy import optimize, stats

import symml
from symml.mle.verification import verify_mle

THETA = sp.Symbol("theta", positive=True)


def _symmetric_uniform():
    return symml.derive.mle(st.Uniform("X", -THETA, THETA))


def _best_theta_by_brute_force(data: np.ndarray) -> float:
    # the likelihood is (2 theta)^-n on theta >= max |x_i| and 0 below: scan candidates around the data's extremes
    candidates = np.concatenate([np.abs(data), np.linspace(0.01, 2 * np.abs(data).max(), 4001)])
    loglik = [stats.uniform.logpdf(data, -t, 2 * t).sum() for t in candidates]
    return float(candidates[int(np.argmax(loglik))])


def test_symmetric_uniform_bound_is_the_larger_of_minus_the_minimum_and_the_maximum():
    # theta_hat = max(-x_(1), x_(n)): both support limits bound theta from below, both are active constraints
    estimator = _symmetric_uniform().numpy()
    rng = np.random.default_rng(3)
    for shift in (-0.3, 0.3):  # once the minimum is the extreme observation, once the maximum
        data = np.clip(rng.uniform(-1.0, 1.0, 200) + shift, -1.0, 1.0)
        assert abs(estimator(data)["theta"] - _best_theta_by_brute_force(data)) < 1e-12


def test_symmetric_uniform_derivation_names_both_constraints_as_active():
    step = next(s for s in _symmetric_uniform().steps if s.title == "The maximum is on the boundary")
    assert "x_{(1)}" in step.why and "x_{(n)}" in step.why


def test_verify_of_an_order_statistic_estimator_uses_several_samples_and_catches_the_one_sided_bound():
    derivation = _symmetric_uniform()
    problem = derivation.problem
    smallest = next(s.symbol for s in problem.statistics if s.reduction == "min")
    wrong = dataclasses.replace(problem, estimators={THETA: -smallest})  # the old engine's answer
    assert verify_mle(problem, derivation, sample_size=200)
    report = verify_mle(wrong, None, sample_size=200)
    assert not report and len(report.comparisons) > 1


def test_von_mises_mean_direction_is_the_two_argument_arctangent_of_the_mean_sine_and_cosine():
    mu, x = sp.Symbol("mu", real=True), sp.Symbol("x", real=True)
    kappa = sp.Symbol("kappa", positive=True)
    # on the circle [−π, π], where it is a density: on the real line (no support given) the normalisation check
    # spent 10 s of SymPy integrate on the divergent ∫ e^{κ cos(x − μ)} dx before giving up (0.3 s here)
    model = symml.Model(logpdf=kappa * sp.cos(x - mu) - sp.log(2 * sp.pi * sp.besseli(0, kappa)), data=x,
                        support=sp.Interval(-sp.pi, sp.pi))
    derivation = symml.derive.mle(model, wrt=[mu])
    assert derivation.problem.closed_form
    estimator = derivation.numpy()
    for centre in (2.9, -2.5, 0.4):  # near pi a plain arctangent of the ratio would be off by pi
        data = stats.vonmises.rvs(2.0, loc=centre, size=500, random_state=np.random.default_rng(5))
        found = optimize.minimize_scalar(lambda m: -stats.vonmises.logpdf(data, 2.0, loc=m).sum(),
                                         bounds=(centre - 1, centre + 1), method="bounded",
                                         options={"xatol": 1e-12})
        assert abs(estimator(data, kappa=2.0)["mu"] - found.x) < 1e-6


def test_every_derivation_on_the_core_runs_under_one_overall_budget(monkeypatch):
    import symml.mle.engine as engine

    monkeypatch.setattr(engine, "DERIVE_SECONDS", 1e-3)
    with pytest.raises(symml.BudgetExceededError, match="maximum-likelihood derivation"):
        symml.derive.mle("Gamma")
