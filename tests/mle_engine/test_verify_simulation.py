"""verify() simulates at parameter values that make a distribution, and samples a density whose mass sits at a
support end that moves with the parameter. Oracles: scipy.stats (Kolmogorov-Smirnov), numpy's minimum."""
from __future__ import annotations

import numpy as np
import scipy.stats as ss
import sympy as sp

import symml
from symml.mle.verification import draw_sample, true_values

x = sp.Symbol("x", real=True)


def test_a_pareto_density_with_its_mass_at_the_moving_support_end_is_sampled_and_verified():
    # f = 3θ³x⁻⁴ on x > θ: the window search compared each wider grid's own maximum with its tail, both falling,
    # and gave up ("no default parameter values suit")
    theta = sp.Symbol("theta", positive=True)
    model = symml.Model(sp.Piecewise((sp.log(3) + 3 * sp.log(theta) - 4 * sp.log(x), x > theta), (-sp.oo, True)), x)
    estimate = symml.derive.mle(model, wrt=[theta])
    sample, _ = draw_sample(estimate.problem, {estimate.problem.wrt[0]: 1.5}, 2000, 0)
    assert ss.kstest(sample, ss.pareto(b=3, scale=1.5).cdf).pvalue > 0.01
    assert estimate.numpy()(x=sample)["theta"] == sample.min()
    assert estimate.verify()


def test_a_mixture_weight_is_simulated_where_the_mixture_is_a_density():
    # w·2e^{−2x} + (1 − w)e^{−x} with w = 1.5 (the first default of a positive parameter) is negative for x > log 6:
    # verify() simulated there and failed with an infinite error
    w = sp.Symbol("w", positive=True)
    model = symml.Model(sp.log(2 * w * sp.exp(-2 * x) + (1 - w) * sp.exp(-x)), x, support=sp.Interval(0, sp.oo))
    estimate = symml.derive.mle(model, wrt=[w])
    truth = true_values(estimate.problem)[estimate.problem.wrt[0]]
    grid = np.linspace(0, 60, 2001)
    assert np.all(truth * ss.expon(scale=0.5).pdf(grid) + (1 - truth) * ss.expon.pdf(grid) > 0)
