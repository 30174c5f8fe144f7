"""The posterior of one parameter: likelihood times prior, reduced to a kernel, recognised as a family.

>>> import sympy as sp, sympy.stats as st
>>> p = sp.Symbol("p", positive=True); a, b = sp.symbols("a b", positive=True)
>>> post = derive_posterior(st.Bernoulli("X", p), st.Beta("P", a, b), p)
>>> post.problem.family, post.problem.hyperparameters
('Beta', (mean(x)*n + a, -mean(x)*n + b + n))
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from symml.bayes.kernel import PosteriorKernel, posterior_kernel
from symml.bayes.recognise import CANDIDATES, Match, breaking_terms, match_family
from symml.derivation import Derivation, Step
from symml.mle.problem import Statistic
from symml.mle.statistics import statistic_symbols
from symml.model import Model
from symml.render.printer import latex

__all__ = ["PosteriorProblem", "derive_posterior"]


@dataclass(frozen=True)
class PosteriorProblem:
    """A posterior and what ``numpy()`` needs to evaluate its log-density.

    Attributes:
        title: one line naming the problem.
        parameter: theta.
        observation: the symbol of one observation.
        log_density: the normalised log-density in theta (matched family) or the log-kernel (unmatched), written
            through statistics, n and the hyperparameters.
        support: where the posterior is positive.
        statistics: the sample statistics ``log_density`` and the support use, in evaluation order.
        sample_size: the symbol n.
        normalised: whether ``log_density`` is normalised (a family was recognised).
        family: the recognised sympy.stats family, or None.
        hyperparameters: its hyperparameters, in the constructor's order.
        distribution: the posterior as a sympy.stats random variable, or None.
        kernel: the kernel record the derivation was built from.
    """

    title: str
    parameter: sp.Symbol
    observation: sp.Symbol
    log_density: sp.Expr
    support: sp.Set
    statistics: tuple[Statistic, ...]
    sample_size: sp.Symbol
    normalised: bool
    family: str | None
    hyperparameters: tuple[sp.Expr, ...]
    distribution: Any
    kernel: PosteriorKernel


def _candidates(prior: Model) -> tuple[str, ...]:
    """The prior's own family first (conjugacy is the common case), then the others."""
    own = prior.random_variable.pspace.distribution.__class__.__name__.removesuffix("Distribution") \
        if prior.random_variable is not None else None
    return tuple(dict.fromkeys([own, *CANDIDATES] if own else CANDIDATES))


def derive_posterior(likelihood: Any, prior: Any, wrt: Any) -> Derivation:
    """The posterior of ``wrt`` after an i.i.d. sample from ``likelihood`` (see :func:`symml.derive.posterior`)."""
    kernel = posterior_kernel(likelihood, prior, wrt)
    theta = kernel.parameter
    candidates = _candidates(kernel.prior)
    match = next((m for m in (match_family(kernel.log_kernel, theta, kernel.support, f) for f in candidates)
                  if m is not None), None)
    steps = list(kernel.steps)
    remarks: list[str] = []
    symbol = sp.Function("pi")(theta)
    if match is not None:
        steps.extend(_recognition_steps(match, theta, symbol))
        log_density, support = match.log_density, match.support
    else:
        family = candidates[0]
        breaking = breaking_terms(kernel.log_kernel, theta, family)
        shown = sp.expand(sp.Add(*breaking)) if breaking else kernel.log_kernel
        remarks.append(
            f"No family among {', '.join(candidates)} matches the kernel: the term ${latex(shown)}$ has no "
            f"counterpart in the {family} log-density, so the prior is not conjugate here. The posterior is given "
            "unnormalised; numpy() normalises it by numerical quadrature.")
        steps.append(Step("No family matches", sp.Eq(sp.log(symbol), sp.Add(kernel.log_kernel, sp.Symbol("C"),
                                                                            evaluate=False)),
                          f"the term ${latex(shown)}$ breaks conjugacy with {family}; the normalising constant "
                          "C has no closed form"))
        log_density, support = kernel.log_kernel, kernel.support
    used = statistic_symbols(log_density) | statistic_symbols(_ends(support))
    problem = PosteriorProblem(
        title=f"Posterior of ${latex(theta)}$ for {kernel.likelihood.name}",
        parameter=theta, observation=kernel.likelihood.data, log_density=log_density, support=support,
        statistics=kernel.table.records(used), sample_size=kernel.table.sample_size, normalised=match is not None,
        family=match.family if match else None, hyperparameters=match.hyperparameters if match else (),
        distribution=match.distribution if match else None, kernel=kernel)
    density = sp.exp(log_density)
    return Derivation(
        problem=problem, steps=tuple(steps),
        result=match.distribution if match else density,
        summary=(sp.Eq(symbol, density if match else sp.Mul(density, sp.Symbol("1/Z"), evaluate=False)),),
        assumptions=(f"the observations are independent draws from {kernel.likelihood.name} given ${latex(theta)}$",
                     f"${latex(theta)}$ has the prior density ${latex(sp.exp(kernel.prior.log_density_on_support))}$"),
        remarks=tuple(remarks))


def _ends(support: sp.Set) -> sp.Expr:
    return sp.Add(support.inf, support.sup) if isinstance(support, sp.Interval) else sp.S.Zero


def _recognition_steps(match: Match, theta: sp.Symbol, symbol: sp.Expr) -> list[Step]:
    distribution = match.distribution.pspace.distribution
    return [
        Step("Match the kernel against a family", match.equations,
             f"the log-kernel equals the {match.family} log-density up to a constant exactly when the coefficients of "
             f"each function of ${latex(theta)}$ agree (and the supports agree); these equations fix the "
             "hyperparameters"),
        Step("Recognise the posterior", sp.Eq(symbol, sp.exp(match.log_density)),
             f"a {match.family} density, ${latex(theta)} \\mid x \\sim {latex(distribution)}$, normalised on "
             f"${latex(match.support)}$"),
    ]
