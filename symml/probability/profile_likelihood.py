"""The profile log-likelihood of an MLE derivation and the deviance it gives, the common stage of likelihood-ratio
intervals (:mod:`symml.probability.likelihood_ratio_intervals`) and tests
(:mod:`symml.probability.likelihood_ratio_tests`).

Some parameters are held at given values; the others (the nuisance parameters ψ) are maximised at each held value:

.. math:: \\ell_p(\\theta) = \\max_\\psi \\ell(\\theta, \\psi), \\qquad D(\\theta) = 2(\\ell(\\hat\\theta, \\hat\\psi)
          - \\ell_p(\\theta))

(Pawitan, *In All Likelihood*, 3.4 and 10.3). Where the log-density of one observation is a sum a₁(θ) g₁(x) + …,
the sample's log-likelihood is n times the same sum with each g_j replaced by its sample mean, and the stationarity
∂ℓ/∂ψ = 0 is solved for ψ as a function of the held parameters (bounded; the Normal's σ̂²(μ) = mean((x − μ)²), a
Gamma's rate k/x̄ at its shape k). Otherwise ψ is maximised numerically at call time (said), from the MLE.

>>> import sympy as sp, sympy.stats as st, symml
>>> mu, sigma = sp.Symbol("mu", real=True), sp.Symbol("sigma", positive=True)
>>> est = symml.derive.mle(st.Normal("X", mu, sigma), wrt=[mu, sigma])
>>> profile = derive_profile(est, (mu,))
>>> profile.profiled[sigma]
sqrt(-2*mean(x)*mu + mean(x**2) + mu**2)
>>> deviance = profile.deviance([0.5, 1.5, 2.5, 1.0])
>>> round(deviance(1.0), 4)  # n log(σ̂²(μ)/σ̂²) at μ = 1
0.9154
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Mapping

import numpy as np
import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, SOLVE_SECONDS, within
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError, ParameterError, UnsupportedOperationError
from symml.mle.likelihood import expand_log_density
from symml.mle.sample_data import as_sample
from symml.mle.statistics import StatisticTable
from symml.probability.estimators import estimated_source
from symml.probability.law import Law, as_law
from symml.probability.numeric import compile_expression
from symml.probability.score_intervals import terms_in_means

__all__ = ["Profile", "derive_profile", "deviance_steps"]


@dataclass(frozen=True)
class Profile:
    """The profile log-likelihood: the held parameters, the nuisance parameters with their closed-form maximisers
    (functions of the held parameters and sample means; the rest are maximised numerically), the log-likelihood
    of the sample divided by n as (coefficient, sample mean) terms (empty: summed from the log-density at call
    time), and the steps that derived them."""

    estimate: Derivation
    law: Law
    held: tuple[sp.Symbol, ...]
    profiled: Mapping[sp.Symbol, sp.Expr]
    numeric: tuple[sp.Symbol, ...]
    terms: tuple[tuple[sp.Expr, sp.Expr], ...]
    log_density: sp.Expr
    sample_size: sp.Symbol
    steps: tuple[Step, ...]
    remarks: tuple[str, ...]

    def deviance(self, x: Any, **fixed: float) -> Callable[..., float]:
        """D at the held values for the sample ``x``: ``D(*held_values)``, 0 at the MLE, from its ``numpy()``."""
        return self._numpy(x, **fixed)

    @cached_property
    def _numpy(self) -> Callable[..., Callable[..., float]]:
        return _compiled(self)


def derive_profile(estimate: Derivation, held: tuple[sp.Symbol, ...]) -> Profile:
    """The profile of ``estimate`` (a ``symml.derive.mle`` derivation) over the estimated parameters not in
    ``held``.

    Raises:
        UnsupportedOperationError: the support depends on a parameter (the likelihood is not smooth in it, and
            Wilks' theorem does not hold).
    """
    problem = estimate.problem
    law = as_law(estimated_source(problem))
    moving = [p for p in problem.wrt if any(end.has(p) for end in law.limits)]
    if moving:
        raise UnsupportedOperationError(f"the support depends on {moving[0]}: the likelihood is not smooth in it and "
                                        "the deviance is not asymptotically chi-squared")
    x, n = problem.observation, problem.sample_size
    in_parameters = sp.Add(*(t for t in sp.Add.make_args(sp.expand(expand_log_density(
        law.log_density.subs(law.variable, x)))) if t.free_symbols & set(problem.wrt)))
    table = StatisticTable(x, sp.IndexedBase(x.name)[sp.Symbol("i", integer=True)], n, law.support)
    terms = terms_in_means(in_parameters, x, problem.parameters, table) or []
    nuisance = [p for p in problem.wrt if p not in held]
    i = sp.Symbol("i")
    summed = n * sp.Add(*(c * m for c, m in terms)) if terms else sp.Sum(in_parameters.subs(x, sp.Indexed(x.name, i)),
                                                                         (i, 1, n))
    steps = [Step("Log-likelihood", sp.Eq(sp.Symbol("ell"), summed, evaluate=False),
                  "the terms of $\\log f$ that involve the parameters, summed over the sample"
                  + (" (each function of the observation summed is n times its sample mean)" if terms else ""))]
    profiled: dict[sp.Symbol, sp.Expr] = {}
    remarks: list[str] = []
    if nuisance:
        solved = _profiled(sp.Add(*(c * m for c, m in terms)), nuisance) if terms else None
        if solved is None:
            remarks.append(f"The stationarity in {', '.join(map(str, nuisance))} at fixed "
                           f"{', '.join(map(str, held))} has no closed form here: the profile is maximised "
                           "numerically at call time, from the MLE.")
        else:
            profiled = solved
            steps.append(Step("Profile out the nuisance parameters",
                              tuple(sp.Eq(sp.Function(f"{p.name}hat")(*held), e, evaluate=False)
                                    for p, e in profiled.items()),
                              "$\\partial \\ell / \\partial \\psi = 0$ solved for each nuisance parameter $\\psi$ "
                              "with the held parameters fixed"))
    numeric = tuple(p for p in nuisance if p not in profiled)
    return Profile(estimate, law, tuple(held), profiled, numeric, tuple(terms), in_parameters, n, tuple(steps),
                   tuple(remarks))


def deviance_steps(profile: Profile) -> tuple[tuple[Step, ...], sp.Expr]:
    """The steps to the deviance D = 2(ℓ(θ̂, ψ̂) − ℓ_p) at the held parameters, and D: in the sample means where the
    log-likelihood is written in them and the nuisance is profiled in closed form (the MLE's closed forms put in
    for θ̂), else as its definition."""
    problem = profile.estimate.problem
    n, held = profile.sample_size, profile.held
    name = sp.Function("D")(*held)
    hats = {p: problem.estimators.get(p, sp.Symbol(f"{p.name}hat")) for p in problem.wrt}
    if not profile.terms or profile.numeric:
        defined = 2 * (sp.Function("ell")(*hats.values()) - sp.Function("ell_p")(*held))
        return (Step("Deviance", sp.Eq(name, defined, evaluate=False),
                     "$\\ell_p$ the log-likelihood maximised over the nuisance parameters at the held values, "
                     "numerically at call time"),), defined
    profiled = n * sp.Add(*(c * m for c, m in profile.terms)).xreplace(profile.profiled)
    # ℓ(θ̂, ψ̂) = ℓ_p(θ̂): the profile at the held parameters' own estimates
    deviance = 2 * (profiled.xreplace({p: hats[p] for p in held}) - profiled)
    try:
        profiled, deviance = (within(SIMPLIFY_SECONDS, "simplify the deviance", sp.simplify, e)
                              for e in (profiled, deviance))
    except BudgetExceededError:
        pass
    return (Step("Profile log-likelihood", sp.Eq(sp.Function("ell_p")(*held), profiled, evaluate=False),
                 "the log-likelihood at the profiled nuisance parameters" if profile.profiled else
                 "no nuisance parameters: the log-likelihood itself"),
            Step("Deviance", sp.Eq(name, deviance, evaluate=False),
                 "$D = 2(\\ell(\\hat\\theta, \\hat\\psi) - \\ell_p) = 2(\\ell_p(\\hat\\theta) - \\ell_p)$, the "
                 "MLE's closed form put in; the terms free of the parameters cancel")), deviance


def _profiled(mean_log_likelihood: sp.Expr, nuisance: list[sp.Symbol]) -> dict[sp.Symbol, sp.Expr] | None:
    """The one solution of ∂ℓ/∂ψ = 0 for the nuisance parameters ψ, or None (none, several, or past the budget)."""
    equations = [sp.together(sp.diff(mean_log_likelihood, p)) for p in nuisance]
    try:
        found = within(SOLVE_SECONDS, "profile out the nuisance parameters", sp.solve,
                       [sp.fraction(e)[0] for e in equations], nuisance, dict=True)
    except (BudgetExceededError, NotImplementedError):
        return None
    if len(found) != 1 or set(found[0]) != set(nuisance) or any(v.has(*nuisance) for v in found[0].values()):
        return None
    try:
        return {p: within(SIMPLIFY_SECONDS, "simplify the profiled parameter", sp.simplify, found[0][p])
                for p in nuisance}
    except BudgetExceededError:
        return {p: found[0][p] for p in nuisance}


def _compiled(profile: Profile) -> Callable[..., Callable[..., float]]:
    """The NumPy stage, compiled once: ``of_sample(x, **fixed)`` returns D at the held values for that sample."""
    problem = profile.estimate.problem
    estimator = profile.estimate.numpy()
    x_name = problem.observation.name
    if profile.terms:
        summands = {m.name: compile_expression(m.summand) for _, m in profile.terms if m != 1}
        coefficients = [(compile_expression(c), {s.name for s in c.free_symbols}, None if m == 1 else m.name)
                        for c, m in profile.terms]
    else:
        density = compile_expression(profile.log_density)
        density_needs = {s.name for s in profile.log_density.free_symbols} - {x_name}
    closed = [(p.name, compile_expression(e), {s.name for s in e.free_symbols} - {x_name})
              for p, e in profile.profiled.items()]

    def of_sample(x: Any, **fixed: float) -> Callable[..., float]:
        sample = as_sample(x)
        estimates = {k: float(v) for k, v in estimator(x, **fixed).items()}
        values = {**{k: float(v) for k, v in fixed.items()}, problem.sample_size.name: float(sample.size)}
        means = {name: float(np.mean(np.broadcast_to(f(**{x_name: sample}), sample.shape)))
                 for name, f in summands.items()} if profile.terms else {}

        def log_likelihood(at: Mapping[str, float]) -> float:  # ℓ/n
            given = {**values, **at}
            with np.errstate(all="ignore"):
                if not profile.terms:
                    return float(np.mean(np.broadcast_to(density(**{k: given[k] for k in density_needs},
                                                                 **{x_name: sample}), sample.shape)))
                # a term whose sample mean is 0 is 0 (0 log 0 = 0: no events at a rate of 0)
                return sum(float(coefficient(**{k: given[k] for k in needs})) * (1.0 if mean is None else means[mean])
                           for coefficient, needs, mean in coefficients if mean is None or means[mean] != 0.0)

        at_maximum = _at_the_maximum(log_likelihood, estimates)

        def deviance(*held: float) -> float:
            if len(held) != len(profile.held):
                raise ParameterError(f"give a value for each of {', '.join(map(str, profile.held))}")
            at = {**estimates, **{p.name: float(v) for p, v in zip(profile.held, held)}}
            given = {**values, **means, **at}
            at.update({name: float(f(**{k: given[k] for k in needs})) for name, f, needs in closed})
            if profile.numeric:
                at.update(_maximised(log_likelihood, at, profile.numeric))
            return max(0.0, 2 * sample.size * (at_maximum - log_likelihood(at)))

        return deviance

    return of_sample


def _at_the_maximum(log_likelihood: Callable[[Mapping[str, float]], float], estimates: dict[str, float]) -> float:
    """ℓ at the MLE; on the domain's edge (a Bernoulli's p̂ = 1: 0·log 0 between two terms) its limit from inside,
    the larger of the values a relative 1e-12 to either side that are finite."""
    value = log_likelihood(estimates)
    if np.isfinite(value):
        return value
    nudged = [log_likelihood({k: v * factor if v else shift for k, v in estimates.items()})
              for factor, shift in ((1 - 1e-12, 1e-300), (1 + 1e-12, -1e-300))]
    return max((v for v in nudged if np.isfinite(v)), default=value)


def _maximised(log_likelihood: Callable[[Mapping[str, float]], float], at: dict[str, float],
               nuisance: tuple[sp.Symbol, ...]) -> dict[str, float]:
    """The nuisance parameters maximising ℓ at the held values, by Nelder–Mead from their MLE, positive ones on a
    log scale."""
    from scipy.optimize import minimize

    positive = [bool(p.is_positive) for p in nuisance]
    start = np.array([np.log(at[p.name]) if pos else at[p.name] for p, pos in zip(nuisance, positive)])

    def unpacked(u: np.ndarray) -> dict[str, float]:
        return {p.name: float(np.exp(v) if pos else v) for p, v, pos in zip(nuisance, u, positive)}

    def objective(u: np.ndarray) -> float:
        value = log_likelihood({**at, **unpacked(u)})
        return -value if np.isfinite(value) else np.inf

    found = minimize(objective, start, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-13,
                                                                       "maxiter": 4000})
    return unpacked(found.x)
