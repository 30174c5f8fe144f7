"""Fisher information, derived twice, and the Cramér–Rao bound.

.. math:: I(\\theta)_{ij} = E\\left[\\frac{\\partial \\log f}{\\partial\\theta_i}\\frac{\\partial \\log f}{\\partial\\theta_j}\\right]
          = -E\\left[\\frac{\\partial^2 \\log f}{\\partial\\theta_i\\,\\partial\\theta_j}\\right], \\qquad
          \\operatorname{Var}(\\hat\\theta_i) \\ge \\frac{[I(\\theta)^{-1}]_{ii}}{n}

for an unbiased estimator from n i.i.d. observations (Casella & Berger, Thm 7.3.9 and Lemma 7.3.11). Both
expectations are found by the expectation operator and compared; they agree when the support does not depend
on θ (differentiation under the integral sign). When it does (a Uniform(0, θ)), the derivation says that the
regularity conditions fail and that the bound does not apply.

>>> import sympy as sp, sympy.stats as st
>>> mu, sigma = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True)
>>> derive_fisher_information(st.Normal("X", mu, sigma), wrt=[mu, sigma]).result
Matrix([
[sigma**(-2),           0],
[          0, 2/sigma**2]])
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import sympy as sp

from symml.budget import DERIVATION_SECONDS, SharedBudget
from symml.derivation import Derivation, Step
from symml.errors import ParameterError
from symml.optimize.core import hat
from symml.probability.expectation import Expect, defining_integral, expect, is_closed, simplified, support_bounds, checked_variables
from symml.probability.law import Law, as_law, with_real_parameters
from symml.probability.notation import Shown
from symml.probability.problem import ProbabilityProblem
from symml.render.printer import latex

__all__ = ["derive_fisher_information", "expression_in_parameters", "parameters_named"]


def _variance_of(parameter: sp.Symbol) -> sp.Expr:
    return sp.Function("Var")(hat(parameter))


def parameters_named(law: Law, wrt: Any) -> tuple[sp.Symbol, ...]:
    """The parameters of ``law`` named by ``wrt`` (Symbols or names; default all), in the order given."""
    if wrt is None:
        return law.parameters
    items = [wrt] if isinstance(wrt, (str, sp.Symbol)) else list(wrt)
    by_name = {p.name: p for p in law.parameters}
    chosen = []
    for item in items:
        name = item.name if isinstance(item, sp.Symbol) else str(item)
        if name not in by_name:
            raise ParameterError(f"{name!r} is not a parameter of {law.name}; its parameters are: "
                                 f"{', '.join(by_name)}")
        chosen.append(by_name[name])
    if not chosen:
        raise ParameterError(f"give at least one parameter of {law.name} in wrt")
    return tuple(dict.fromkeys(chosen))


def expression_in_parameters(target: Any, parameters: tuple[sp.Symbol, ...], what: str) -> sp.Expr:
    """``target``, an expression in the parameters (SymPy, or typed text read without running it), with each symbol
    named as one of ``parameters`` replaced by that parameter: a typed "theta**2", or a user's plain
    Symbol("theta"), is the law's θ > 0. sympify ran typed text as Python, and its plain θ, a different symbol,
    was a constant: the bias of "theta**2" came out 0.

    Raises:
        ParseError: text that is not one expression, or not allowed (a call of anything but a function name).
        ParameterError: neither text nor a SymPy expression.
    """
    from symml.user_text import read_expression

    if isinstance(target, str):
        expression = read_expression(target, what)
    else:
        try:
            expression = sp.sympify(target, strict=True)
        except (sp.SympifyError, TypeError):
            raise ParameterError(f"{what} must be a SymPy expression or typed text, not {type(target).__name__}") from None
    if not isinstance(expression, sp.Expr):
        raise ParameterError(f"{what} must be a scalar expression in the parameters, not {expression}")
    by_name = {p.name: p for p in parameters}
    return expression.xreplace({s: by_name[s.name] for s in expression.free_symbols
                                if isinstance(s, sp.Symbol) and s.name in by_name})


def derive_fisher_information(source: Any, wrt: Any = None, seconds: float = 4.0) -> Derivation:
    """The Fisher information matrix of one observation, as the variance of the score and as minus the expected
    Hessian, and the Cramér–Rao bound for n observations.

    Args:
        source: a univariate sympy.stats random variable, a :class:`symml.Model` or a family name.
        wrt: the parameters (Symbols or names), in the order of the matrix; default all.
        seconds: the budget of each integral or sum (a term past it is integrated numerically, said so); all
            the steps together share ``symml.budget.DERIVATION_SECONDS``.

    Returns:
        A Derivation whose ``result`` is the k x k matrix I(θ) (``sympy.Matrix``); ``numpy()`` returns it as a
        k x k array in the order of ``wrt``.
    """
    law, typed = with_real_parameters(as_law(source))
    theta = parameters_named(law, wrt)
    # its k(k + 1) expectations, each of several terms tried by several routes, and the simplifications share one
    # budget: past it, each term left is an integral evaluated numerically, said so
    found = SharedBudget(DERIVATION_SECONDS).run(_derive, law, theta, seconds)
    return replace(found, result=found.result.xreplace(typed)) if typed else found



def _derive(law: Law, theta: tuple[sp.Symbol, ...], seconds: float) -> Derivation:
    x, log_f = law.variable, law.log_density
    scores = [sp.diff(log_f, p) for p in theta]
    k = len(theta)
    steps = [Step("Score", tuple(sp.Eq(sp.Derivative(sp.Function("log f")(x), p), s, evaluate=False)
                                 for p, s in zip(theta, scores)), "the derivative of the log-density")]
    remarks: list[str] = []
    by_score = sp.zeros(k, k)
    by_hessian = sp.zeros(k, k)
    lines_score, lines_hessian = [], []
    for i in range(k):
        for j in range(i, k):
            # their terms recur (E[x e^{-x/b}] in both), and the expectation operator caches each term under its
            # budget, so the second form reuses what the first found; the Hessian's first: its terms are fewer and
            # simpler (no squared score), so it is the one in closed form when the shared budget runs short
            curvature = expect(law, -sp.diff(log_f, theta[i], theta[j]), seconds)
            outer = expect(law, sp.expand(scores[i] * scores[j]), seconds)
            remarks.extend(outer.remarks + curvature.remarks)
            by_score[i, j] = by_score[j, i] = outer.value
            by_hessian[i, j] = by_hessian[j, i] = curvature.value
            # shown as the product of the scores (the expanded integrand is what the operator integrates)
            lines_score.append(sp.Eq(Expect(sp.Mul(scores[i], scores[j], evaluate=i != j) if i != j else
                                            sp.Pow(scores[i], 2)), outer.value, evaluate=False))
            lines_hessian.append(sp.Eq(Expect(-sp.diff(log_f, theta[i], theta[j])), curvature.value, evaluate=False))
    lower, upper = law.limits
    moving = [p for p in theta if lower.has(p) or upper.has(p)]
    if moving:  # U(0, θ): the score −1/θ has mean −1/θ, not 0; E[s²] is its second moment, not its variance
        steps.append(Step("Second moment of the score", tuple(lines_score),
                          "I = E[s sᵀ]; the support moves with the parameters, so the score's mean need not be zero"))
        steps.append(Step("Minus the expected Hessian", tuple(lines_hessian),
                          "equal to E[s sᵀ] only where differentiation under the integral sign holds, which a moving "
                          "support breaks"))
    else:
        steps.append(Step("Variance of the score", tuple(lines_score), "the score has mean zero, so I = E[s sᵀ]"))
        steps.append(Step("Minus the expected Hessian", tuple(lines_hessian),
                          "differentiating E[s] = 0 under the integral sign gives I = −E[∂² log f]"))
    difference = (by_score - by_hessian).applyfunc(simplified)
    name = Shown(f"I({', '.join(str(p) for p in theta)})",  # I(p), I(μ, σ): the parameters by their names
                 r"\mathcal{I}\left(" + ", ".join(latex(p) for p in theta) + r"\right)")
    if moving:
        remarks.append(f"The support depends on {', '.join(p.name for p in moving)}: differentiation under the "
                       "integral sign fails, the score's mean need not be zero, the two forms need not agree and the "
                       "Cramér–Rao bound does not apply; the result is E[s sᵀ], the score's second moment.")
    elif difference == sp.zeros(k, k):
        steps.append(Step("The two forms agree", sp.Eq(name, by_score, evaluate=False)))
    else:
        remarks.append("The two forms could not be shown equal symbolically; verify() compares them numerically.")
    closed = lambda m: all(is_closed(entry) for entry in m)  # noqa: E731
    # In the regular case both forms are the same matrix: keep the one in closed form (the Hessian's, usually), the
    # shorter where both are (the Wald's E[s_λ²] is a page of sinh and cosh that simplify could not shorten within
    # the shared budget; −E[∂²/∂λ² log f] is 1/(2λ²))
    use_hessian = not moving and closed(by_hessian) and (
        not closed(by_score) or sp.count_ops(by_hessian) < sp.count_ops(by_score))
    information = (by_hessian if use_hessian else by_score).applyfunc(simplified)
    if use_hessian and not closed(by_score):
        remarks.append("The variance of the score has terms without a closed form (evaluated numerically by verify()); "
                       "the result is minus the expected Hessian.")
    n = sp.Symbol("n", positive=True, integer=True)
    summary = [sp.Eq(name, information, evaluate=False)]
    if not moving and closed(information) and simplified(information.det(method="berkowitz")) != 0:
        bound = (information.inv() / n).applyfunc(simplified)
        steps.append(Step("Cramér–Rao bound", tuple(
            sp.GreaterThan(_variance_of(p), bound[i, i], evaluate=False) for i, p in enumerate(theta)),
            "for unbiased estimators from n i.i.d. observations: Cov(θ̂) ⪰ I(θ)⁻¹/n"))
        summary.extend(sp.GreaterThan(_variance_of(p), bound[i, i], evaluate=False)
                       for i, p in enumerate(theta))
    results = {f"{i},{j}": information[i, j] for i in range(k) for j in range(k)}
    reference = {f"{i},{j}": defining_integral(law, scores[i] * scores[j]) for i in range(k) for j in range(k)}
    hessian_check = {f"hessian {i},{j}": by_hessian[i, j] for i in range(k) for j in range(k)} if not moving else {}
    problem = ProbabilityProblem(f"Fisher information of {law.name}", {**results, **hessian_check},
                                 {**reference, **{f"hessian {i},{j}": reference[f"{i},{j}"] for i in range(k)
                                                  for j in range(k)}} if hessian_check else reference,
                                 "matrix", law.parameters, support_bounds(law), checked_variables(law))
    return Derivation(problem, tuple(steps), information, tuple(summary), remarks=tuple(dict.fromkeys(remarks)))
