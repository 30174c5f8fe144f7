"""The evidence (marginal likelihood) of a recognised posterior, by the candidate's identity.

For every theta, Z = L(theta) pi_0(theta) / pi(theta | x): likelihood times prior over the normalised posterior.
With the posterior recognised in closed form, the right-hand side is written out and the theta terms cancel
(checked: the result must be free of theta), leaving log Z in the hyperparameters and the sample statistics.

>>> import sympy as sp, sympy.stats as st
>>> from symml.bayes.posterior import derive_posterior
>>> p = sp.Symbol("p", positive=True); a, b = sp.symbols("a b", positive=True)
>>> derive_evidence(derive_posterior(st.Bernoulli("X", p), st.Beta("P", a, b), p)).result
-log(beta(a, b)) + log(beta(mean(x)*n + a, -mean(x)*n + b + n))
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from symml.bayes.centring import centred
from symml.bayes.posterior import PosteriorProblem
from symml.derivation import Derivation, Step
from symml.errors import UnsupportedOperationError
from symml.mle.likelihood import expand_log_density
from symml.mle.problem import Statistic
from symml.mle.statistics import StatisticTable, statistic_symbols
from symml.render.printer import latex

__all__ = ["EvidenceProblem", "derive_evidence"]


@dataclass(frozen=True)
class EvidenceProblem:
    """log Z in the statistics, n and the hyperparameters, what ``numpy()`` needs, and the posterior (verify())."""

    title: str
    observation: sp.Symbol
    log_evidence: sp.Expr
    statistics: tuple[Statistic, ...]
    sample_size: sp.Symbol
    posterior: PosteriorProblem


def _sums_as_statistics(expr: sp.Expr, table: StatisticTable) -> sp.Expr:
    """Sum_i g(x_i) = n mean(g): the data-only sums of the log-likelihood as statistics numpy() can reduce."""
    indexed, x = table.indexed, table.observation
    return expr.replace(lambda e: isinstance(e, sp.Sum),
                        lambda e: table.sample_size * table.mean(e.function.subs(indexed, x)))


def derive_evidence(posterior: Derivation) -> Derivation:
    """log Z for a posterior whose family was recognised (see :func:`symml.derive.evidence`)."""
    problem = posterior.problem
    if not isinstance(problem, PosteriorProblem) or not problem.normalised:
        raise UnsupportedOperationError("the evidence in closed form needs a posterior whose family was recognised "
                                        "(derive.posterior(...) that matched a family)")
    kernel, thetas = problem.kernel, problem.parameters
    shown = ", ".join(f"${latex(t)}$" for t in thetas)
    log_joint = _sums_as_statistics(kernel.log_likelihood, kernel.table) + expand_log_density(
        kernel.prior.log_density_on_support)
    log_evidence = sp.expand(log_joint - problem.log_density)
    if log_evidence.has(*thetas):
        log_evidence = sp.expand(sp.cancel(sp.together(log_evidence)))
    if log_evidence.has(*thetas):
        raise UnsupportedOperationError(f"the terms in {thetas} did not cancel in log Z: {log_evidence}")
    log_evidence = centred(log_evidence, kernel.table)
    symbol = sp.Function("Z")(kernel.likelihood.data)
    steps = tuple(kernel.steps) + (
        Step("Candidate's identity", sp.Eq(sp.log(symbol), sp.Add(sp.Function("ell")(*thetas),
                                                                  sp.log(sp.Function("pi_0")(*thetas)),
                                                                  -sp.log(sp.Function("pi")(*thetas)), evaluate=False)),
             f"Bayes' theorem solved for Z; it holds at every {shown}, so the terms in {shown} must cancel"),
        Step("Evidence", sp.Eq(sp.log(symbol), log_evidence),
             f"the log-likelihood and log prior minus the recognised {problem.family} log-posterior; the terms in "
             f"{shown} cancelled"),
    )
    record = EvidenceProblem(title=f"Evidence for {kernel.likelihood.name} under the prior",
                             observation=kernel.likelihood.data, log_evidence=log_evidence,
                             statistics=kernel.table.records(statistic_symbols(log_evidence)),
                             sample_size=kernel.table.sample_size, posterior=problem)
    return Derivation(problem=record, steps=steps, result=log_evidence, summary=(sp.Eq(sp.log(symbol), log_evidence),),
                      assumptions=posterior.assumptions)
