"""A thresholded classifier's reliability as a function of the threshold, and the Bayes-optimal threshold.

Scores S have density f₁ given the positive class and f₀ given the negative one; the classifier says "positive"
when S > t. With prevalence π and costs c_FN (a missed positive), c_FP (a false alarm),

.. math:: \\mathrm{TPR}(t) = E_1[\\mathbb{1}\\{S > t\\}], \\quad \\mathrm{FPR}(t) = E_0[\\mathbb{1}\\{S > t\\}], \\quad
          \\mathrm{precision}(t) = \\frac{\\pi\\,\\mathrm{TPR}}{\\pi\\,\\mathrm{TPR} + (1 - \\pi)\\,\\mathrm{FPR}}

.. math:: C(t) = c_{FN}\\,\\pi\\,(1 - \\mathrm{TPR}(t)) + c_{FP}\\,(1 - \\pi)\\,\\mathrm{FPR}(t), \\qquad
          C'(t) = 0 \\iff \\frac{f_1(t)}{f_0(t)} = \\frac{c_{FP}(1 - \\pi)}{c_{FN}\\,\\pi}

(the likelihood-ratio test; Duda, Hart & Stork 2.2). The rates are expectations of an indicator (the expectation
operator turns the indicator into an integration limit); C'(t) is differentiated, shown to be the density
difference, and the log of the likelihood-ratio condition is solved by the optimisation core's solver.

>>> import sympy as sp, sympy.stats as st
>>> d = derive_threshold_reliability(st.Beta("S", 2, 1), st.Beta("S", 1, 2))
>>> d.result["tpr"], sp.factor(d.result["fpr"])
(1 - t**2, (t - 1)**2)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np
import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, within
from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.errors import BudgetExceededError
from symml.operations import numpy_function, verify
from symml.probability.expectation import Expect, defining_integral, expect, simplified
from symml.probability.law import as_law
from symml.probability.numeric import compile_expression
from symml.render.printer import latex

__all__ = ["derive_threshold_reliability", "ThresholdProblem"]


@dataclass(frozen=True)
class ThresholdProblem:
    """The rates of a thresholded classifier and its cost-optimal threshold.

    Attributes:
        title: one line.
        curves: ``tpr``, ``fpr``, ``precision``, ``cost`` as expressions in the threshold t and the parameters.
        reference: ``tpr`` and ``fpr`` as their defining integrals (for verify()).
        threshold: the Bayes-optimal threshold, or None without a closed form.
        parameters: the symbols numpy() takes besides t.
    """

    title: str
    curves: Mapping[str, sp.Expr]
    reference: Mapping[str, sp.Expr]
    threshold: sp.Expr | None
    threshold_symbol: sp.Symbol
    parameters: tuple[sp.Symbol, ...]


def derive_threshold_reliability(positive: Any, negative: Any, prevalence: Any = None,
                                 costs: tuple[Any, Any] | None = None) -> Derivation:
    """TPR(t), FPR(t), precision(t), the expected cost C(t) and the threshold minimising it.

    Args:
        positive, negative: the law of the score given each class (sympy.stats random variables or Models).
        prevalence: π = P(positive); default the symbol pi_1.
        costs: (c_FP, c_FN), the cost of a false alarm and of a miss; default symbols.

    Returns:
        A Derivation whose ``result`` is a dict (``tpr``, ``fpr``, ``precision``, ``cost``, ``threshold``);
        ``numpy()`` returns the same dict of functions, the curves taking ``t`` and the parameters by name.
    """
    p1, p0 = as_law(positive), as_law(negative)
    t = sp.Symbol("t", real=True)
    pi = sp.sympify(prevalence) if prevalence is not None else sp.Symbol("pi_1", positive=True)
    c_fp, c_fn = (sp.sympify(c) for c in costs) if costs is not None else sp.symbols("c_FP c_FN", positive=True)
    x1, x0 = p1.variable, p0.variable
    tpr_found, fpr_found = expect(p1, sp.Heaviside(x1 - t)), expect(p0, sp.Heaviside(x0 - t))
    tpr, fpr = tpr_found.value, fpr_found.value
    precision = pi * tpr / (pi * tpr + (1 - pi) * fpr)
    cost = c_fn * pi * (1 - tpr) + c_fp * (1 - pi) * fpr
    slope = sp.diff(cost, t)
    densities = c_fn * pi * p1.density.subs(x1, t) - c_fp * (1 - pi) * p0.density.subs(x0, t)
    try:
        shown = within(SIMPLIFY_SECONDS, "C'(t) as a density difference", sp.simplify, slope - densities) == 0
    except BudgetExceededError:
        shown = False
    odds = c_fp * (1 - pi) / (c_fn * pi)
    log_ratio = sp.expand_log(sp.log(p1.density.subs(x1, t)) - sp.log(p0.density.subs(x0, t)), force=True)
    threshold, how, remarks = _solve(sp.expand(log_ratio - sp.log(odds)), t, cost, pi)
    C = sp.Function("C")(t)
    steps = [
        Step("True and false positive rates", (sp.Eq(sp.Symbol("TPR(t)"), Expect(sp.Heaviside(x1 - t)), evaluate=False),
                                              sp.Eq(sp.Symbol("TPR(t)"), tpr, evaluate=False),
                                              sp.Eq(sp.Symbol("FPR(t)"), fpr, evaluate=False)),
             "expectations of the indicator of $S > t$ under each class: "
             + "; ".join(dict.fromkeys(s.why for s in (*tpr_found.steps, *fpr_found.steps) if s.why))),
        Step("Precision", sp.Eq(sp.Symbol("precision(t)"), precision, evaluate=False), "Bayes' rule with prevalence "
             f"${latex(pi)}$"),
        Step("Expected cost", sp.Eq(C, cost, evaluate=False), "a miss costs $c_{FN}$, a false alarm $c_{FP}$"),
        Step("Stationarity", (sp.Eq(sp.Derivative(C, t), slope, evaluate=False),
                              sp.Eq(sp.Derivative(C, t), densities, evaluate=False)),
             "the rates' derivatives are minus the class densities at $t$"
             + (" (shown by simplification)" if shown else " (not shown symbolically)")),
        Step("Likelihood-ratio condition", (sp.Eq(p1.density.subs(x1, t) / p0.density.subs(x0, t), odds, evaluate=False),
                                            sp.Eq(log_ratio, sp.log(odds), evaluate=False)),
             "$C'(t) = 0$ divided by $c_{FP}(1 - \\pi) f_0(t) > 0$; logarithms taken"),
    ]
    if threshold is not None:
        steps.append(Step("Bayes-optimal threshold", sp.Eq(sp.Symbol("t^*"), threshold, evaluate=False), how))
    curves = {"tpr": tpr, "fpr": fpr, "precision": precision, "cost": cost}
    reference = {"tpr": defining_integral(p1, sp.Heaviside(x1 - t)),
                 "fpr": defining_integral(p0, sp.Heaviside(x0 - t)).xreplace({x0: x1})}
    parameters = tuple(sorted(set().union(*(sp.sympify(e).free_symbols for e in (*curves.values(), *reference.values())))
                              - {t, x1}, key=lambda s: s.name))
    problem = ThresholdProblem(f"Thresholded classifier: {p1.name} against {p0.name}", curves, reference, threshold,
                               t, parameters)
    return Derivation(problem, tuple(steps), {**curves, "threshold": threshold},
                      (sp.Eq(log_ratio, sp.log(odds), evaluate=False),),
                      remarks=tuple(dict.fromkeys([*tpr_found.remarks, *fpr_found.remarks, *remarks])))


def _solve(equation: sp.Expr, t: sp.Symbol, cost: sp.Expr, pi: sp.Expr) -> tuple[sp.Expr | None, str, list[str]]:
    """The root of the log likelihood-ratio condition by the optimisation core's solver, the minimum of C kept."""
    from symml.optimize.scalar_solve import solve_stationarity

    solved = solve_stationarity({t: equation}, [1 - pi], objective=cost, maximise=False)
    if t in solved.closed:
        return simplified(solved.closed[t]), solved.how, [
            "The threshold is a minimum of C where the likelihood ratio f₁/f₀ increases through it (C' goes from "
            "negative to positive); verify() compares it with a numeric minimisation of C."]
    return None, "", ["No closed-form threshold: the likelihood-ratio condition above is solved numerically by "
                      "numpy() (scipy.optimize.minimize_scalar on C)."]


@numpy_function.register(ThresholdProblem)
def _numpy(problem: ThresholdProblem, derivation: Any, **options: Any) -> dict[str, Callable[..., Any]]:
    functions = {name: compile_expression(expr, (problem.threshold_symbol, *problem.parameters))
                 for name, expr in problem.curves.items()}
    cost = functions["cost"]
    if problem.threshold is not None:
        functions["threshold"] = compile_expression(problem.threshold, problem.parameters)
    else:
        def numeric(**given: float) -> float:
            from scipy.optimize import minimize_scalar

            return float(minimize_scalar(lambda t: float(cost(t=t, **given))).x)

        functions["threshold"] = numeric
    return functions


def _default_values(parameters: tuple[sp.Symbol, ...]) -> dict[str, float]:
    """A prevalence of 0.4, a miss twice as costly as a false alarm, scales 1, locations 1.5 apart."""
    fixed = {"pi_1": 0.4, "c_FP": 1.0, "c_FN": 2.0}
    locations = [s for s in parameters if s.name not in fixed and not s.is_positive]
    return {s.name: fixed.get(s.name, 1.5 * locations.index(s) if s in locations else 1.0) for s in parameters}


@verify.register(ThresholdProblem)
def _verify(problem: ThresholdProblem, derivation: Any, values: Mapping[str, float] | None = None,
            tolerance: float = 1e-6, **options: Any) -> Verification:
    """The rates against their defining integrals by quadrature at a few thresholds; the threshold against a
    numeric minimisation of the expected cost (Brent)."""
    from scipy.optimize import minimize_scalar

    given = dict(values) if values is not None else _default_values(problem.parameters)
    f = _numpy(problem, derivation)
    threshold = float(f["threshold"](**given))
    comparisons = []
    for name in ("tpr", "fpr"):
        integral = compile_expression(problem.reference[name], (problem.threshold_symbol, *problem.parameters))
        for t in (threshold - 0.1, threshold + 0.1):
            comparisons.append(Comparison(f"{name}({t:.3g})", float(f[name](t=t, **given)),
                                          float(integral(t=t, **given)),
                                          relative_error(float(f[name](t=t, **given)), float(integral(t=t, **given)), 1.0)))
    numeric = float(minimize_scalar(lambda t: float(f["cost"](t=t, **given)), bracket=(threshold - 1, threshold + 1),
                                    tol=1e-12).x)
    comparisons.append(Comparison("threshold", threshold, numeric, relative_error(threshold, numeric, 1.0)))
    return Verification.from_comparisons(
        comparisons, method="rates by scipy.integrate.quad of the class densities; threshold by Brent's minimisation "
        "of the expected cost", tolerance=max(tolerance, 1e-5),
        details=(("parameters", ", ".join(f"{k}={v:.4g}" for k, v in given.items())),))
