"""The bias–variance decomposition of expected squared error, for a ridge (shrinkage) estimator.

One feature, fixed design x_1..x_n, y_i = β x_i + ε_i with ε_i ~ N(0, σ²) i.i.d.; ridge with penalty λ predicts
ŷ = x₀ T/(S + λ) at a new point x₀, where S = Σ x_i² and T = Σ x_i y_i ~ N(βS, σ²S) (a linear combination of
independent normals). With a new observation y₀ = βx₀ + ε₀ independent of the sample, the expectation operator
gives each piece:

.. math:: E[(\\hat y - y_0)^2] = \\underbrace{(E\\hat y - \\beta x_0)^2}_{\\text{bias}^2}
          + \\underbrace{E[(\\hat y - E\\hat y)^2]}_{\\text{variance}} + \\underbrace{\\sigma^2}_{\\text{noise}}

(Hastie, Tibshirani & Friedman, *Elements of Statistical Learning*, 7.3): bias² = λ²β²x₀²/(S + λ)², variance
σ²S x₀²/(S + λ)², and the derivation checks that they add up to the expected squared error found directly.

>>> d = derive_ridge_bias_variance()
>>> d.result["bias_squared"]
beta**2*lambda**2*x0**2/(S + lambda)**2
"""
from __future__ import annotations

import sympy as sp
import sympy.stats as st

from symml.derivation import Derivation, Step
from symml.optimize.core import hat
from symml.probability.expectation import Expect, defining_integral, expect, simplified
from symml.probability.law import as_law
from symml.probability.problem import ProbabilityProblem

__all__ = ["derive_ridge_bias_variance"]


def derive_ridge_bias_variance() -> Derivation:
    """E[(ŷ − y₀)²] = bias² + variance + noise for one-feature ridge regression with a fixed design.

    Returns:
        A Derivation whose ``result`` is a dict with ``expected_squared_error``, ``bias_squared``, ``variance``
        and ``noise``, in beta, sigma, lambda, S = Σ x_i² and x0; ``numpy()`` returns the same dict.
    """
    beta, x0 = sp.Symbol("beta", real=True), sp.Symbol("x0", real=True)
    sigma, lam, S = sp.Symbol("sigma", positive=True), sp.Symbol("lambda", positive=True), sp.Symbol("S", positive=True)
    law = as_law(st.Normal("T", beta * S, sigma * sp.sqrt(S)))
    t = law.variable
    prediction = x0 * t / (S + lam)
    mean = expect(law, prediction).value
    bias_squared = simplified((mean - beta * x0) ** 2)
    variance = sp.factor(simplified(expect(law, sp.expand((prediction - mean) ** 2)).value))
    noise_law = as_law(st.Normal("E0", 0, sigma))
    e0 = noise_law.variable
    noise = expect(noise_law, e0**2).value
    # (ŷ − y₀)² = (ŷ − βx₀)² − 2(ŷ − βx₀)ε₀ + ε₀²; ε₀ is independent of ŷ with mean 0, so the middle term vanishes
    error = simplified(expect(law, sp.expand((prediction - beta * x0) ** 2)).value + noise)
    y_hat, y0 = hat(sp.Symbol("y")), sp.Symbol("y0")
    steps: tuple[Step, ...] = (
        Step("Model and estimator", (sp.Eq(y_hat, prediction, evaluate=False),
                                     sp.Eq(sp.Symbol("T"), sp.Function("Normal")(beta * S, sigma * sp.sqrt(S)),
                                           evaluate=False)),
             "ridge in one feature: $\\hat\\beta = \\sum_i x_i y_i/(\\sum_i x_i^2 + \\lambda)$; "
             "$T = \\sum_i x_i y_i$ is a linear combination of independent normals"),
        Step("Mean of the prediction", sp.Eq(Expect(y_hat), mean, evaluate=False), "the expectation operator over T"),
        Step("Squared bias", sp.Eq(sp.Symbol("bias²"), bias_squared, evaluate=False),
             "$(\\mathbb{E}[\\hat y] - \\beta x_0)^2$: shrinkage pulls the prediction towards 0"),
        Step("Variance", sp.Eq(sp.Symbol("Var"), variance, evaluate=False), "$\\mathbb{E}[(\\hat y - \\mathbb{E}\\hat y)^2]$"),
        Step("Noise", sp.Eq(Expect(sp.Symbol("ε0") ** 2), noise, evaluate=False), "the new observation's own error"),
        Step("Expected squared error, directly", sp.Eq(Expect((y_hat - y0) ** 2), error, evaluate=False),
             "$\\mathbb{E}[(\\hat y - \\beta x_0)^2] + \\sigma^2$: the cross term with the independent, "
             "mean-zero $\\varepsilon_0$ vanishes"),
    )
    agrees = simplified(error - (bias_squared + variance + noise)) == 0
    steps += (Step("The decomposition", sp.Eq(error, bias_squared + variance + noise, evaluate=False),
                   "bias² + variance + noise, shown equal" if agrees else "not shown equal symbolically"),)
    results = {"expected_squared_error": error, "bias_squared": bias_squared, "variance": variance, "noise": noise}
    reference_mean = defining_integral(law, prediction)
    reference = {"expected_squared_error": defining_integral(law, (prediction - beta * x0) ** 2)
                 + defining_integral(noise_law, e0**2),
                 "bias_squared": (reference_mean - beta * x0) ** 2,
                 "variance": defining_integral(law, prediction**2) - reference_mean**2,
                 "noise": defining_integral(noise_law, e0**2)}
    problem = ProbabilityProblem("Bias–variance decomposition of ridge regression", results, reference, "dict",
                                 (beta, sigma, lam, S, x0))
    return Derivation(problem, steps, results, (sp.Eq(sp.Symbol("MSE"), error, evaluate=False),),
                      remarks=() if agrees else ("The pieces could not be shown to add up symbolically; verify() "
                                                 "compares them numerically.",))
