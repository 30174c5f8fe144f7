"""Posterior summaries of a recognised one-parameter posterior: mean, variance, mode, median and a credible interval
(the Bayes estimators under squared, 0-1 and absolute loss, and the interval).

Each comes from the recognised family, not from a table: the mean and variance are SymPy's expectations of the
posterior random variable (``sympy.stats.E`` and ``variance``), the median and the interval's ends its quantiles
(``sympy.stats.quantile``), each under a budget; the mode maximises the posterior log-density through the shared
solving core (:func:`symml.optimize.core.optimise`). Whatever has no closed form within its budget is said so in
the steps and computed numerically by ``numpy()`` from the posterior's normalised log-density (quadrature for the
moments, a root of the cumulative distribution for the quantiles, bounded Brent for the mode).

>>> import sympy as sp, sympy.stats as st
>>> from symml.bayes.posterior import derive_posterior
>>> p = sp.Symbol("p", positive=True); a, b = sp.symbols("a b", positive=True)
>>> summary = derive_posterior_summary(derive_posterior(st.Bernoulli("X", p), st.Beta("P", a, b), p))
>>> summary.result["mean"]
(mean(x)*n + a)/(a + b + n)
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

import sympy as sp
import sympy.stats as stats

from symml.bayes.posterior import PosteriorProblem
from symml.budget import within
from symml.checker.failures import SYMPY_FAILURES
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError, SymmlError, UnsupportedOperationError
from symml.mle.statistics import statistic_symbols
from symml.optimize.core import Objective, optimise
from symml.render.printer import latex

__all__ = ["SummaryProblem", "derive_posterior_summary"]

#: Seconds for each of SymPy's expectation and variance of the posterior.
SUMMARY_SECONDS = 4.0

#: Seconds for SymPy's quantile: a family with a closed-form inverse CDF answers in a fraction of a second (Normal,
#: Pareto); the others (Beta, Gamma) only run out of time.
QUANTILE_SECONDS = 1.0

# SymPy's own failures and symml's: anything else (a user's KeyboardInterrupt, their own timeout) passes through.
_EXPECTED: tuple[type[BaseException], ...] = (BudgetExceededError, SymmlError, *SYMPY_FAILURES)


@dataclass(frozen=True)
class SummaryProblem:
    """The summaries in closed form (None where there is none) and what ``numpy()`` needs.

    Attributes:
        title: one line naming the problem.
        posterior: the posterior the summaries are of.
        level: the credible interval's probability; its ends are the (1 -/+ level)/2 quantiles.
        closed: ``{"mean", "variance", "mode", "median", "lower", "upper"}``: each closed form, or None.
    """

    title: str
    posterior: PosteriorProblem
    level: sp.Expr
    closed: dict


def _bounded(what: str, fn: Callable[..., Any], *args: Any, seconds: float = SUMMARY_SECONDS) -> sp.Expr | None:
    """``fn(*args)``, tidied, or None when it fails, leaves an integral or a condition set, or runs out of time."""
    try:
        value = within(seconds, what, fn, *args)
        value = within(SUMMARY_SECONDS, f"factor of the {what}", sp.factor, value)
    except _EXPECTED:
        return None
    if not isinstance(value, sp.Expr) or value.has(sp.Integral, sp.ConditionSet, sp.Piecewise) or value.has(
            sp.zoo, sp.nan):
        return None
    return value


def _mode(problem: PosteriorProblem) -> tuple[sp.Expr | None, tuple[Step, ...]]:
    """The maximiser of the posterior log-density, by the shared core (interior stationary point or a bound).

    A family matched as location-scale, l + s T, has the mode l + s t̂ of the standard T: the core solves T's
    short log-density instead of the posterior's (a Student-t marginal's power of a quadratic in the mean, with
    every statistic in it, ran past the budget)."""
    variable = problem.distribution
    if not isinstance(variable, stats.rv.RandomSymbol) and variable is not None:
        (standard,) = stats.random_symbols(variable)
        t = sp.Dummy("t", real=True)
        log_density = sp.expand_log(sp.log(standard.pspace.distribution.pdf(t)), force=True)
        found, steps = _mode(replace(problem, parameters=(t,), support=standard.pspace.set,
                                     log_density=log_density, distribution=standard))
        if found is None:
            return None, steps
        mode = variable.xreplace({standard: found})
        return mode, (*steps, Step("The mode of the posterior", sp.Eq(sp.Symbol(f"mode[{problem.parameter.name}|x]"),
                                                                       mode),
                                   f"the posterior is the location-scale image ${latex(variable)}$, so its mode is "
                                   f"that image of the mode ${latex(found)}$ of ${latex(standard)}$"))
    theta, support = problem.parameter, problem.support
    constraints = tuple(sp.Le(support.inf, theta, evaluate=False) for _ in (0,) if statistic_symbols(support.inf))
    objective = Objective(expr=problem.log_density, wrt=(theta,), symbol=sp.log(sp.Function("pi")(theta)),
                          constraints=constraints, name="posterior log-density",
                          facts=(theta,) if support.inf == 0 else ())
    try:  # bounded: the core simplifies the Hessian at the solution, which a large kernel makes slow
        outcome = within(SUMMARY_SECONDS, "the posterior mode", optimise, objective)
    except _EXPECTED:
        return None, ()
    value = outcome.solution.get(theta)
    return (value if outcome.optimal is not False else None), outcome.steps


def derive_posterior_summary(posterior: Derivation, level: Any = None) -> Derivation:
    """Mean, variance, mode, median and the equal-tailed ``level`` credible interval of a recognised one-parameter
    posterior (see :func:`symml.derive.posterior_summary`); ``level`` defaults to 95/100."""
    problem = posterior.problem
    if not isinstance(problem, PosteriorProblem) or len(problem.parameters) != 1:
        raise UnsupportedOperationError("posterior summaries need the posterior of one parameter "
                                        "(derive.posterior(..., wrt=theta))")
    if isinstance(level, str):  # nsimplify ran typed text as Python: read it without running it
        from symml.user_text import read_expression

        level = read_expression(level, "the credible level")
    try:
        level = sp.Rational(95, 100) if level is None else sp.nsimplify(level)
    except (sp.SympifyError, TypeError, ValueError, AttributeError):  # a list has no xreplace
        raise UnsupportedOperationError(f"the credible level must be a number in (0, 1), not {level!r}") from None
    if not (isinstance(level, sp.Expr) and level.is_number and level.is_real and 0 < level < 1):
        raise UnsupportedOperationError(f"the credible level must be a number in (0, 1), not {level}")
    if not problem.normalised:
        return _numeric_summaries(posterior, problem, level)
    variable = problem.distribution
    mode, mode_steps = _mode(problem)
    mean = _bounded("posterior mean", stats.E, variable)
    lower = _bounded("lower quantile", lambda v: stats.quantile(v)((1 - level) / 2), variable,
                     seconds=QUANTILE_SECONDS)
    closed = {
        "mean": mean,
        "variance": _bounded("posterior variance", stats.variance, variable) if mean is not None else None,
        "mode": mode,
        "median": _bounded("posterior median", lambda v: stats.quantile(v)(sp.S.Half), variable,
                           seconds=QUANTILE_SECONDS) if lower else None,
        "lower": lower,
        # a family whose lower quantile has no closed form has no upper one either (the same inverse CDF)
        "upper": _bounded("upper quantile", lambda v: stats.quantile(v)((1 + level) / 2), variable,
                          seconds=QUANTILE_SECONDS) if lower else None,
    }
    theta = problem.parameter
    names = {"mean": sp.Symbol(f"E[{theta.name}|x]"), "variance": sp.Symbol(f"Var[{theta.name}|x]"),
             "mode": sp.Symbol(f"mode[{theta.name}|x]"), "median": sp.Symbol(f"median[{theta.name}|x]"),
             "lower": sp.Symbol(f"q_{(1 - level) / 2}"),
             "upper": sp.Symbol(f"q_{(1 + level) / 2}")}
    found = tuple(sp.Eq(names[k], v) for k, v in closed.items() if v is not None)
    missing = [k for k, v in closed.items() if v is None]
    # a family matched as location-scale is a random expression l + s T, shown as it is
    shown = variable.pspace.distribution if isinstance(variable, stats.rv.RandomSymbol) else variable
    family = f"{problem.family} posterior ${latex(shown)}$"
    steps = [*mode_steps,
             Step("Summaries in closed form", found or (sp.S.true,),
                  f"the expectation, variance and quantiles of the {family} (sympy.stats), and its mode by the "
                  "shared solving core")]
    remarks = []
    if missing:
        remarks.append(f"No closed form within the budget for: {', '.join(missing)}; numpy() computes them from the "
                       "normalised posterior log-density (quadrature, a root of the cumulative distribution, bounded "
                       "Brent for the mode).")
        steps.append(Step("Numeric summaries", tuple(sp.Symbol(k) for k in missing), remarks[0]))
    return Derivation(problem=SummaryProblem(title=f"Summaries of the {problem.title[0].lower()}{problem.title[1:]}", posterior=problem, level=level, closed=closed), steps=tuple(steps),
                      result={k: v for k, v in closed.items() if v is not None}, summary=found or (sp.S.true,),
                      assumptions=posterior.assumptions, remarks=tuple(remarks))


def _numeric_summaries(posterior: Derivation, problem: PosteriorProblem, level: sp.Expr) -> Derivation:
    """A posterior of no recognised family (a Cauchy prior on a Normal mean): no summary has a closed form, said
    so; ``numpy()`` computes each from the posterior normalised by quadrature."""
    closed = dict.fromkeys(("mean", "variance", "mode", "median", "lower", "upper"))
    theta = problem.parameter
    if theta.is_integer:  # the summaries are sums over the integers, as the normaliser is
        remark = ("The posterior matched no family, so no summary has a closed form; numpy() computes the mean "
                  f"E[{theta.name}|x] = Σ {theta.name} π({theta.name}|x), the variance, the mode (the value of "
                  "largest probability), the median and the credible interval (cumulative sums) by summing over the "
                  "integers, the series cut where its terms are negligible.")
        lines: tuple = (sp.Eq(sp.Symbol(f"E[{theta.name}|x]"), sp.Sum(theta * sp.Function("pi")(theta), (
            theta, sp.Symbol("N_0"), sp.oo)), evaluate=False),)
    else:
        remark = ("The posterior matched no family, so no summary has a closed form; numpy() computes the mean, "
                  "variance, mode, median and the credible interval from the posterior log-density normalised by "
                  "quadrature (quadrature, a root of the cumulative distribution, bounded Brent for the mode).")
        lines = (sp.Eq(sp.log(sp.Function("pi")(theta)), problem.log_density),)
    steps = (Step("Numeric summaries", lines, remark),)
    return Derivation(problem=SummaryProblem(title=f"Summaries of the {problem.title[0].lower()}{problem.title[1:]}",
                                             posterior=problem, level=level, closed=closed),
                      steps=steps, result={}, summary=(sp.S.true,), assumptions=posterior.assumptions,
                      remarks=(remark,))
