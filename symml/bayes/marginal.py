"""The marginal posterior of one parameter of a recognised joint posterior: the other integrated out.

The joint density in the other parameter, this one held fixed, is matched against the candidate families (for
the Normal-Inverse-Gamma: an Inverse-Gamma in the variance given the mean); the joint log-density minus that
normalised conditional is the marginal log-density, normalised because both were (:func:`integrals_out`). It is then recognised like any
posterior (:func:`symml.bayes.posterior.recognise`): for the mean of a Normal-Inverse-Gamma, a power of a quadratic
in the mean, matched as a location-scale Student-t.

>>> from symml.bayes.posterior import derive_posterior
>>> import sympy as sp, sympy.stats as st, symml
>>> mu, s2 = sp.Symbol("mu", real=True), sp.Symbol("s2", positive=True)
>>> prior = symml.Model(logpdf=-mu**2/(2*s2) - sp.log(s2)/2 - 3*sp.log(s2) - 1/s2, data=(mu, s2))
>>> marginal = derive_marginal(derive_posterior(st.Normal("X", mu, sp.sqrt(s2)), prior, (mu, s2)), mu)
>>> marginal.problem.parameters, marginal.problem.family, marginal.problem.hyperparameters[0]
((mu,), 'StudentT', n + 4)
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

import sympy as sp

from symml.bayes.posterior import PosteriorProblem, recognise, recognition_steps
from symml.bayes.recognise import integrals_out
from symml.derivation import Derivation, Step
from symml.errors import ParameterError, UnsupportedOperationError
from symml.mle.statistics import statistic_symbols
from symml.render.printer import latex

__all__ = ["derive_marginal"]


def derive_marginal(posterior: Derivation, wrt: Any) -> Derivation:
    """The marginal posterior of ``wrt`` from a recognised two-parameter posterior (see
    :func:`symml.derive.marginal_posterior`); ``numpy()`` is its normalised log-density, like a posterior's."""
    problem = posterior.problem
    if not isinstance(problem, PosteriorProblem) or not problem.normalised or len(problem.parameters) != 2:
        raise UnsupportedOperationError("a marginal posterior needs a recognised joint posterior of two parameters")
    by_name = {p.name: p for p in problem.parameters}
    name = wrt.name if isinstance(wrt, sp.Symbol) else str(wrt)
    if name not in by_name:
        raise ParameterError(f"{name!r} is not a parameter of the posterior; they are {', '.join(by_name)}")
    keep = by_name[name]
    (out,) = [p for p in problem.parameters if p != keep]
    kernel = problem.kernel
    found = next(integrals_out(problem.log_density, out, problem.parameters, kernel.support_of(out)), None)
    if found is None:
        raise UnsupportedOperationError(f"{out} cannot be integrated out in closed form: no candidate family matches "
                                        f"the posterior in {out} given {keep}")
    conditional, marginal = found
    symbol = sp.Function("pi")(keep)
    steps = tuple(posterior.steps) + (
        Step("The other parameter given this one", sp.Eq(sp.Function("pi")(out, keep), sp.exp(conditional.log_density)),
             f"the joint posterior in ${latex(out)}$ with ${latex(keep)}$ held fixed matches a {conditional.family} "
             f"density: ${latex(out)} \\mid {latex(keep)}, x$ follows it"),
        Step("Integrate it out", sp.Eq(sp.log(symbol), marginal),
             f"the joint log-density minus the normalised conditional of ${latex(out)}$: both are normalised, so the "
             f"difference is the normalised marginal log-density of ${latex(keep)}$"),
    )
    support = kernel.support_of(keep)
    match = recognise(marginal, keep, support)
    if match is not None:
        steps += tuple(recognition_steps(match, keep, symbol))
    record = replace(problem, title=f"Marginal posterior of ${latex(keep)}$: {problem.title}", parameters=(keep,),
                     log_density=marginal, support=support,
                     statistics=kernel.table.records(statistic_symbols(marginal)),
                     family=match.family if match else None, hyperparameters=match.hyperparameters if match else (),
                     distribution=match.distribution if match else None)
    return Derivation(problem=record, steps=steps, result=sp.exp(marginal), summary=(sp.Eq(symbol, sp.exp(marginal)),),
                      assumptions=posterior.assumptions)
