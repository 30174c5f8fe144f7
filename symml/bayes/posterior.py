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

from symml.bayes.finite_prior import finite_posterior, is_finite_prior
from symml.bayes.kernel import PosteriorKernel, posterior_kernel
from symml.bayes.location_scale import recognise_location_scale
from symml.bayes.recognise import (CANDIDATES, JOINT_CANDIDATES, Match, breaking_terms, joint_template, match_family,
                                   match_joint, integrals_out)
from symml.derivation import Derivation, Step
from symml.mle.problem import Statistic
from symml.mle.statistics import statistic_symbols
from symml.model import Model
from symml.render.printer import latex

__all__ = ["PosteriorProblem", "derive_posterior", "recognise", "recognition_steps"]


@dataclass(frozen=True)
class PosteriorProblem:
    """A posterior and what ``numpy()`` needs to evaluate its log-density.

    Attributes:
        title: one line naming the problem.
        parameters: theta: one parameter, or several for a joint posterior.
        observation: the symbol of one observation.
        log_density: the normalised log-density in theta (matched family) or the log-kernel (unmatched), written
            through statistics, n and the hyperparameters.
        support: where the posterior is positive.
        statistics: the sample statistics ``log_density`` and the support use, in evaluation order.
        sample_size: the symbol n.
        normalised: whether ``log_density`` is normalised (a family was recognised).
        family: the recognised sympy.stats family, or None; ``"Normal x GammaInverse"`` for a joint posterior
            recognised as a conditional times a marginal.
        hyperparameters: its hyperparameters, in the constructor's order.
        distribution: the posterior as a sympy.stats random variable (the pair (conditional, marginal) for a
            factorised joint posterior), or None.
        kernel: the kernel record the derivation was built from.
    """

    title: str
    parameters: tuple[sp.Symbol, ...]
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

    @property
    def parameter(self) -> sp.Symbol:
        """The parameter of a one-parameter posterior (or marginal posterior)."""
        if len(self.parameters) != 1:
            return self.kernel.parameter  # raises, naming the joint parameters
        return self.parameters[0]


def recognise(log_kernel: sp.Expr, parameter: sp.Symbol, support: sp.Set,
              candidates: tuple[str, ...] = CANDIDATES) -> Match | None:
    """The first candidate family that matches the kernel, else the first location-scale family (the Student-t)."""
    found = next((m for m in (match_family(log_kernel, parameter, support, f) for f in candidates) if m is not None),
                 None)
    return found if found is not None else recognise_location_scale(log_kernel, parameter, support)


def _candidates(prior: Model) -> tuple[str, ...]:
    """The prior's own family first (conjugacy is the common case), then the others."""
    own = prior.random_variable.pspace.distribution.__class__.__name__.removesuffix("Distribution") \
        if prior.random_variable is not None else None
    return tuple(dict.fromkeys([own, *CANDIDATES] if own else CANDIDATES))


def derive_posterior(likelihood: Any, prior: Any, wrt: Any = None) -> Derivation:
    """The posterior of ``wrt`` after an i.i.d. sample from ``likelihood`` (see :func:`symml.derive.posterior`)."""
    kernel = posterior_kernel(likelihood, prior, wrt)
    if is_finite_prior(kernel):  # a table, not a density: DeGroot & Schervish 7.2
        return finite_posterior(kernel)
    parameters = kernel.parameters
    symbol = sp.Function("pi")(*parameters)
    steps = list(kernel.steps)
    if len(parameters) == 1:
        candidates = _candidates(kernel.prior)
        match = recognise(kernel.log_kernel, parameters[0], kernel.support, candidates)
        if match is not None:
            steps.extend(recognition_steps(match, parameters[0], symbol))
    else:
        candidates = tuple(dict.fromkeys([*(("prior",) if kernel.prior.random_variable is not None else ()),
                                          *JOINT_CANDIDATES]))
        match, joint_steps = _joint_match(kernel, symbol)
        steps.extend(joint_steps)
    remarks: list[str] = []
    if match is not None:
        log_density, support = match.log_density, match.support
    else:
        family = candidates[0]
        breaking = breaking_terms(kernel.log_kernel, parameters[0], family) if len(parameters) == 1 else []
        shown = sp.expand(sp.Add(*breaking)) if breaking else kernel.log_kernel
        on_integers = len(parameters) == 1 and bool(parameters[0].is_integer)
        remarks.append(
            f"No family among {', '.join(candidates)} matches the kernel: the term ${latex(shown)}$ has no "
            f"counterpart in the {family} log-density, so the prior is not conjugate here. The posterior is given "
            "unnormalised; numpy() normalises it by " + (
                "summing its series over the integers until the terms are negligible, and posterior_summary() "
                "sums its moments the same way." if on_integers else "numerical quadrature."))
        steps.append(Step("No family matches", sp.Eq(sp.log(symbol), sp.Add(kernel.log_kernel, sp.Symbol("C"),
                                                                            evaluate=False)),
                          f"the term ${latex(shown)}$ breaks conjugacy with {family}; the normalising constant "
                          "C has no closed form"))
        if on_integers:
            steps.append(_series_step(kernel, symbol))
        log_density, support = kernel.log_kernel, kernel.support
    # the support's ends as a set, not summed: x_(n) + ∞ is ∞, and the statistic would be lost
    used = statistic_symbols(log_density) | statistic_symbols(support)
    shown_parameters = ", ".join(f"${latex(p)}$" for p in parameters)
    problem = PosteriorProblem(
        title=f"Posterior of {shown_parameters} for {kernel.likelihood.name}",
        parameters=parameters, observation=kernel.likelihood.data, log_density=log_density, support=support,
        statistics=kernel.table.records(used), sample_size=kernel.table.sample_size, normalised=match is not None,
        family=match.family if match else None, hyperparameters=match.hyperparameters if match else (),
        distribution=match.distribution if match else None, kernel=kernel)
    density = _as_the_family_writes_it(match, parameters) if match else sp.exp(log_density)
    return Derivation(
        problem=problem, steps=tuple(steps),
        result=match.distribution if match else density,
        summary=(sp.Eq(symbol, density if match else sp.Mul(density, sp.Symbol("1/Z"), evaluate=False)),),
        assumptions=(f"the observations are independent draws from {kernel.likelihood.name} given "
                     f"{shown_parameters}",
                     f"{shown_parameters} {'has' if len(parameters) == 1 else 'have'} the prior density "
                     f"${latex(sp.exp(kernel.prior.log_density_on_support))}$"),
        remarks=tuple(remarks))


def _series_step(kernel: PosteriorKernel, symbol: sp.Expr) -> Step:
    """Z = Σ over the parameter's integer support of exp(log-kernel): a series, the posterior's normaliser."""
    theta = kernel.parameter
    low = kernel.prior.support.inf if isinstance(kernel.prior.support, (sp.Range, sp.Interval)) or \
        kernel.prior.support in (sp.Naturals0, sp.Naturals) else -sp.oo
    series = sp.Sum(sp.exp(kernel.log_kernel), (theta, low, sp.oo))
    return Step("Normalise by a series", (sp.Eq(symbol, sp.exp(kernel.log_kernel) / sp.Symbol("Z"), evaluate=False),
                                          sp.Eq(sp.Symbol("Z"), series, evaluate=False)),
                f"${latex(theta)}$ takes integer values, so Bayes' theorem's evidence is a sum over them, not an "
                "integral; the terms outside the likelihood's support are 0 (a Binomial's N below the largest "
                "count). The series has no closed form here; its terms decay, and numpy() sums it until they are "
                "negligible; the posterior mean is $\\sum_N N \\pi(N)$, summed the same way")


def _joint_match(kernel: PosteriorKernel, symbol: sp.Expr) -> tuple[Match | None, list[Step]]:
    """A joint family (the prior's own, then :data:`JOINT_CANDIDATES`), else a conditional times a marginal."""
    parameters = kernel.parameters
    templates = ([kernel.prior.random_variable] if kernel.prior.random_variable is not None else []) + [
        joint_template(f, len(parameters)) for f in JOINT_CANDIDATES]
    for template in templates:
        match = match_joint(kernel.log_kernel, parameters, template)
        if match is not None:
            return match, recognition_steps(match, parameters, symbol)
    if len(parameters) != 2:
        return None, []
    for first, second in (parameters, parameters[::-1]):
        factorised = _factorised(kernel, first, second, symbol)
        if factorised is not None:
            return factorised
    return None, []


def _factorised(kernel: PosteriorKernel, first: sp.Symbol, second: sp.Symbol,
                symbol: sp.Expr) -> tuple[Match, list[Step]] | None:
    """pi(first, second | x) = pi(first | second, x) pi(second | x): the kernel matched in ``first`` with ``second``
    held fixed; what is left after dividing by that normalised conditional is the marginal kernel of ``second``
    (``first`` integrated out), matched in turn."""
    for conditional, rest in integrals_out(kernel.log_kernel, first, kernel.parameters, kernel.support_of(first)):
        marginal = recognise(rest, second, kernel.support_of(second))
        if marginal is None:
            return None
        by_parameter = {first: conditional, second: marginal}
        joint = Match(f"{conditional.family} x {marginal.family}",
                      conditional.hyperparameters + marginal.hyperparameters,
                      (conditional.distribution, marginal.distribution),
                      conditional.log_density + marginal.log_density,
                      sp.ProductSet(*(by_parameter[p].support for p in kernel.parameters)),
                      conditional.equations + marginal.equations)
        steps = recognition_steps(conditional, (first,), sp.Function("pi")(first, second),
                                   f" given ${latex(second)}$", f"{latex(second)}, x")
        steps.append(Step("Integrate it out", sp.Eq(sp.log(sp.Function("pi")(second)), sp.Add(rest, sp.Symbol("C"),
                                                                                         evaluate=False)),
                          f"the log-kernel minus the normalised log-density of ${latex(first)}$ given "
                          f"${latex(second)}$: integrating ${latex(first)}$ out of the joint leaves this kernel in "
                          f"${latex(second)}$ alone"))
        steps.extend(recognition_steps(marginal, (second,), sp.Function("pi")(second), ""))
        steps.append(Step("The joint posterior", sp.Eq(symbol, sp.exp(joint.log_density)),
                          f"the conditional of ${latex(first)}$ times the marginal of ${latex(second)}$"))
        return joint, steps
    return None


def _as_the_family_writes_it(match: Match, parameters: tuple[sp.Symbol, ...]) -> sp.Expr:
    """The recognised density as its family writes it (powers of θ, one exponential), not exp of the expanded
    log-density; a location-scale or factorised match keeps the exponential form, which is exact for them too."""
    if match.location_scale or isinstance(match.distribution, tuple):
        return sp.exp(match.log_density)
    return match.distribution.pspace.distribution.pdf(*parameters)


def recognition_steps(match: Match, parameters: Any, symbol: sp.Expr, given: str = "",
                       condition: str = "x") -> list[Step]:
    parameters = parameters if isinstance(parameters, tuple) else (parameters,)
    shown = ", ".join(f"{latex(p)}" for p in parameters)
    family = DISPLAY_NAMES.get(match.family, match.family)
    if match.location_scale:
        return _location_scale_steps(match, shown, symbol, condition)
    arguments = ", ".join(latex(h) for h in match.hyperparameters)
    return [
        Step("Match the kernel against a family", match.equations,
             f"the log-kernel equals the {family} log-density in ${shown}${given} up to a constant exactly when "
             "the coefficients of each function of the parameters agree (and the supports agree); these equations "
             "fix the hyperparameters"),
        Step("Recognise the posterior", sp.Eq(symbol, _as_the_family_writes_it(match, parameters)),
             f"a {family} density, ${shown} \\mid {condition} \\sim \\operatorname{{{family}}}({arguments})$, normalised on "
             f"${latex(match.support)}$"),
    ]


def _location_scale_steps(match: Match, shown: str, symbol: sp.Expr, condition: str) -> list[Step]:
    *shape, location, scale = match.hyperparameters
    law = f"\\operatorname{{{match.family}}}({', '.join(latex(h) for h in shape)})"
    return [
        Step("Match the kernel against a location-scale family", match.equations,
             f"with ${shown} = l + s z$, the log-kernel equals the {match.family} log-density in $z$ up to a constant "
             "exactly when the coefficients of the logs agree, each log's argument is proportional to the family's "
             "(a constant factor only shifts the constant) and the powers of $z$ agree; these equations fix the "
             "shape, the location $l$ and the scale $s$"),
        Step("Recognise the location-scale family", sp.Eq(symbol, sp.exp(match.log_density)),
             f"${shown} \\mid {condition} = {latex(location)} + {latex(scale)}\\, T$ with $T \\sim {law}$: a "
             f"location-scale {match.family} density, normalised on ${latex(match.support)}$"),
    ]


#: How sympy.stats' family names read in prose (GammaInverse is the Inverse-Gamma, MultivariateBeta the Dirichlet).
DISPLAY_NAMES = {"GammaInverse": "InverseGamma", "MultivariateBeta": "Dirichlet"}
