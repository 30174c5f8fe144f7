"""The likelihood-ratio test of a null hypothesis fixing some of an MLE's parameters.

.. math:: \\Lambda = 2(\\ell(\\hat\\theta, \\hat\\psi) - \\ell(\\theta_0, \\hat\\psi_0)) \\xrightarrow{d} \\chi^2_r

under H₀: θ = θ₀, with ψ̂₀ the restricted MLE of the other parameters (profiled out in closed form where their
stationarity solves, :mod:`symml.probability.profile_likelihood`, else numerically at call time) and r the number
of parameters the null fixes (Wilks' theorem; Casella & Berger 10.3.1). The statistic is derived symbolically in
the sample means where the restricted MLE is closed (a Poisson's 2n(x̄ log(x̄/λ₀) − x̄ + λ₀)); ``numpy()`` returns
(statistic, p-value) for a sample, the p-value P(χ²_r ≥ Λ).

>>> import sympy as sp, sympy.stats as st, symml
>>> lam = sp.Symbol("lambda", positive=True)
>>> test = symml.derive.likelihood_ratio_test(symml.derive.mle(st.Poisson("X", lam)), null={lam: 2})
>>> statistic, p_value = test.numpy()(x=[4, 5, 3, 6])
>>> round(statistic, 4), round(p_value, 4)
(9.1935, 0.0024)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

import sympy as sp

from symml.derivation import Derivation, Step
from symml.errors import ModelError, ParameterError
from symml.mle.numeric import sample_by_its_name
from symml.operations import numpy_function
from symml.probability.estimators import estimated_source
from symml.probability.fisher import parameters_named
from symml.probability.law import as_law
from symml.probability.numeric import compile_expression
from symml.probability.profile_likelihood import Profile, derive_profile, deviance_steps
from symml.user_text import read_expression

__all__ = ["derive_likelihood_ratio_test", "LikelihoodRatioTestProblem"]


@dataclass(frozen=True)
class LikelihoodRatioTestProblem:
    """A likelihood-ratio test: the profile over the parameters the null leaves free, the null values (numbers or
    expressions in symbols passed to ``numpy()`` by name) and the degrees of freedom."""

    title: str
    estimate: Derivation
    profile: Profile
    null: Mapping[sp.Symbol, sp.Expr]
    degrees_of_freedom: int


def derive_likelihood_ratio_test(estimate: Derivation, null: Mapping[Any, Any]) -> Derivation:
    """The likelihood-ratio test of H₀: each parameter in ``null`` equals its value.

    Args:
        estimate: a ``symml.derive.mle`` derivation of one sample's model.
        null: {parameter (Symbol or name): value}, each parameter one the derivation estimates; a value is a
            number or an expression (SymPy, or typed text read without running it) in symbols then passed to
            ``numpy()`` by name (``{mu: mu0}``).

    Returns:
        A Derivation whose ``result`` is the statistic Λ (in the sample means where the restricted MLE is closed);
        ``numpy()(x=sample, **fixed)`` returns (statistic, p-value).

    Raises:
        ParameterError: an empty null, a parameter that is not estimated, or a value outside its domain.
        UnsupportedOperationError: the support depends on a parameter (Wilks' theorem does not apply).
    """
    from symml.real_support import real_domain

    problem = getattr(estimate, "problem", None)
    if problem is None or not hasattr(problem, "estimators") or not hasattr(problem, "random_variable"):
        raise ModelError("a likelihood-ratio test needs a symml.derive.mle derivation of one sample's model")
    if not isinstance(null, Mapping) or not null:
        raise ParameterError("give the null hypothesis as {parameter: value}, e.g. null={mu: 0}")
    law = as_law(estimated_source(problem))
    held = parameters_named(law, list(null))
    values: dict[sp.Symbol, sp.Expr] = {}
    for parameter, given in zip(held, null.values()):
        if parameter not in problem.wrt:
            raise ParameterError(f"{parameter} is not estimated in this derivation; it estimates "
                                 f"{', '.join(map(str, problem.wrt))}")
        try:  # typed text is read, never evaluated as code
            value = read_expression(given, f"the null value of {parameter}") if isinstance(given, str) else \
                sp.sympify(given, strict=True)
        except (sp.SympifyError, TypeError, ValueError) as bad:
            raise ParameterError(f"the null value of {parameter} must be a number or a SymPy expression, not "
                                 f"{given!r}") from bad
        if value.is_number and (not value.is_real or not real_domain(law.log_density, parameter).contains(value)):
            raise ParameterError(f"the null value {parameter} = {value} lies outside its domain "
                                 f"{real_domain(law.log_density, parameter)}")
        values[parameter] = value
    profile = derive_profile(estimate, held)
    shown, deviance = deviance_steps(profile)
    statistic_name = sp.Symbol("Lambda")
    statistic = deviance.xreplace(values)
    freedom = len(held)
    hypothesis = tuple(sp.Eq(p, v, evaluate=False) for p, v in values.items())
    steps = (Step("Null hypothesis", hypothesis, f"H₀ fixes {freedom} parameter{'s' * (freedom > 1)}; the others "
                                                 "are estimated under it (the restricted MLE)"),
             *profile.steps, *shown,
             Step("Likelihood-ratio statistic", sp.Eq(statistic_name, statistic, evaluate=False),
                  "$\\Lambda = 2(\\ell(\\hat\\theta) - \\ell(\\hat\\theta_0))$: the deviance at the null values"),
             Step("Asymptotic law under the null",
                  sp.Eq(statistic_name, sp.Function("ChiSquared")(freedom), evaluate=False),
                  f"Wilks: $\\Lambda \\to \\chi^2_{{{freedom}}}$ under H₀ ({freedom} = the parameters the null fixes); "
                  "the p-value is $P(\\chi^2_{" + str(freedom) + "} \\ge \\Lambda)$"))
    record = LikelihoodRatioTestProblem(
        f"Likelihood-ratio test of {', '.join(f'{p} = {v}' for p, v in values.items())} ({problem.title})",
        estimate, profile, values, freedom)
    return Derivation(record, steps, statistic, (sp.Eq(statistic_name, statistic, evaluate=False),), remarks=(
        f"Asymptotic: the p-value uses the χ²_{freedom} law the statistic tends to under the null as n grows.",
        *profile.remarks))


@numpy_function.register(LikelihoodRatioTestProblem)
def _numpy(problem: LikelihoodRatioTestProblem, derivation: Any, **options: Any) -> Callable[..., tuple[float, float]]:
    from scipy.stats import chi2

    null = [(compile_expression(v), {s.name for s in v.free_symbols}) for v in problem.null.values()]
    estimated = problem.estimate.problem
    model_fixed = {p.name for p in estimated.fixed}

    def test(x: Any, **fixed: Any) -> tuple[float, float]:
        missing = sorted(set().union(*(names for _, names in null)) - set(fixed))
        if missing:
            raise ParameterError(f"pass the null value{'s' * (len(missing) > 1)} {', '.join(missing)} by name")
        at = [float(f(**{k: fixed[k] for k in names})) for f, names in null]
        deviance = problem.profile.deviance(x, **{k: v for k, v in fixed.items() if k in model_fixed})
        statistic = deviance(*at)
        return statistic, float(chi2.sf(statistic, problem.degrees_of_freedom))

    return sample_by_its_name(test, estimated)
