"""The posterior predictive of a new observation, as a ratio of evidences.

p(x_new | x) = Z(x, x_new) / Z(x): the evidence of the sample with the new point added over that of the sample.
With log Z written through n and sample means (:mod:`symml.bayes.evidence`), adding a point is n -> n + 1 and
mean(g) -> (n mean(g) + g(x_new)) / (n + 1), so the predictive follows from the evidence by substitution. The
result is then recognised in x_new like a posterior (:func:`symml.bayes.posterior.recognise`): the predictive of a
Normal under a Normal-Inverse-Gamma prior matches a location-scale Student-t.

>>> import sympy as sp, sympy.stats as st
>>> from symml.bayes.posterior import derive_posterior
>>> p = sp.Symbol("p", positive=True); a, b = sp.symbols("a b", positive=True)
>>> predictive = derive_posterior_predictive(derive_posterior(st.Bernoulli("X", p), st.Beta("P", a, b), p))
>>> sp.simplify(sp.exp(predictive.result).subs(predictive.problem.new_observation, 1))
(mean(x)*n + a)/(a + b + n)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from symml.bayes.centring import raw_moments, spread_with_a_point
from symml.bayes.evidence import derive_evidence
from symml.bayes.posterior import PosteriorProblem, recognise, recognition_steps
from symml.bayes.recognise import CANDIDATES, Match, template
from symml.budget import SIMPLIFY_SECONDS, within, within_process
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError, UnsupportedOperationError
from symml.mle.likelihood import expand_log_density
from symml.mle.problem import Statistic
from symml.mle.statistics import statistic_symbols
from symml.model import Model, as_model

__all__ = ["PredictiveProblem", "derive_posterior_predictive"]


@dataclass(frozen=True)
class PredictiveProblem:
    """log p(x_new | x) through the statistics, what ``numpy()`` needs, and the posterior (verify()); the family
    of x_new given x, its hyperparameters and random variable when recognised (None otherwise)."""

    title: str
    observation: sp.Symbol
    new_observation: sp.Symbol
    log_predictive: sp.Expr
    statistics: tuple[Statistic, ...]
    sample_size: sp.Symbol
    posterior: PosteriorProblem
    family: str | None = None
    hyperparameters: tuple[sp.Expr, ...] = ()
    distribution: Any = None
    new_law: Model | None = None


def _combined(expr: sp.Expr) -> sp.Expr:
    """The log predictive with its Gamma functions combined, unless that writes it through the reflection formula
    (Γ(6 − k)Γ(k + 1) as π/sin(πk) with logs of negative numbers and iπ: the Beta-Binomial's coefficient). In a
    worker process: gammasimp writes Γ(k + 279)/Γ(k + 1) as a product of 278 factors, arithmetic a thread budget
    cannot interrupt (22 s for the predictive of 278 Binomial trials)."""
    try:
        combined = within_process(SIMPLIFY_SECONDS, "gammasimp of the predictive", lambda e: sp.expand_log(
            sp.log(sp.gammasimp(sp.exp(e).rewrite(sp.gamma))), force=True), expr)
    except BudgetExceededError:
        return expr
    return expr if combined.has(sp.I, sp.sin) and not expr.has(sp.I, sp.sin) else combined


def _logs_tidied(expr: sp.Expr, new: sp.Symbol) -> sp.Expr:
    """The log predictive with each log's (and Γ's) argument cancelled, logs' factored, the terms gathered by log: adding
    a point writes (n + 1)(x̄ + (x_new − x̄)/(n + 1)) + b where b + n x̄ + x_new is meant, and the Exponential–Gamma
    predictive read a log(b + n x̄) + n log(b + n x̄) − ... over five lines instead of (a + n) log(b + n x̄) − ...
    The terms free of logs are gathered by powers of the new observation with factored coefficients: the
    Normal–Normal predictive's quadratic read as fifteen fractions over n³ + 4n² + 5n + 2, now three terms."""
    def tidy(e: sp.Expr) -> sp.Expr:
        e = e.xreplace({g: g.func(sp.cancel(g.args[0])) for g in e.atoms(sp.gamma, sp.loggamma)})
        tidied = sp.expand(e.xreplace({log: _log_tidied(log.args[0]) for log in e.atoms(sp.log)}))
        free_of_logs = sp.Add(*(t for t in sp.Add.make_args(tidied) if not t.has(sp.log)))
        return (sp.collect(tidied - free_of_logs, sorted(tidied.atoms(sp.log), key=sp.default_sort_key))
                + sp.collect(free_of_logs, new, sp.factor))

    try:
        return within(SIMPLIFY_SECONDS, "tidying the predictive's logarithms", tidy, expr)
    except BudgetExceededError:
        return expr


def _log_tidied(argument: sp.Expr) -> sp.Expr:
    """log of the argument cancelled, split over its factors unless a factor is negative (log(5 − k) is no
    log(−1) + log(k − 5): that reads iπ into a real density)."""
    cancelled = sp.cancel(argument)
    split = sp.expand_log(sp.log(sp.factor(cancelled)), force=True)
    return sp.log(cancelled) if split.has(sp.I) else split


def derive_posterior_predictive(posterior: Derivation, new: Any = None) -> Derivation:
    """log p(x_new | x) for a recognised posterior (see :func:`symml.derive.posterior_predictive`); ``new`` is the
    law of x_new given the parameter when it is not the sample's (Binomial(278, θ) after Binomial(15, θ) draws)."""
    law = _new_law(posterior, new)
    if law is not None:
        return _predictive_of_a_new_law(posterior, law)
    evidence = derive_evidence(posterior)
    record, n, x = evidence.problem, evidence.problem.sample_size, evidence.problem.observation
    table = record.posterior.kernel.table
    new = _new_observation(x)
    # a centred mean other than the spread is no mean of the sample's own (adding a point moves x̄ too): written
    # through raw moments; the spread keeps its digits by its own update (data far from zero)
    spread, spread_added = spread_with_a_point(table, new)
    log_evidence = raw_moments(record.log_evidence, table, keep=frozenset({spread}))
    statistics = table.records(statistic_symbols(log_evidence))
    # the sample with x_new: n + 1 points; each statistic of it from the sample's (x_(n) -> max(x_(n), x_new): the
    # Pareto-Uniform predictive above the sample's maximum); a mean moved by (g − s)/(n + 1), not recomputed as
    # (n s + g)/(n + 1), so that its gap to a prior mean keeps the rounding it has in the sample's own evidence
    # (data near 1e6: the two evidences then cancel to 1e-13 instead of 1e-8)
    updates = {"mean": lambda s, g: s + (g - s) / (n + 1), "sum": lambda s, g: s + g, "max": sp.Max, "min": sp.Min}
    unknown = sorted({s.reduction for s in statistics} - set(updates))
    if unknown:
        raise UnsupportedOperationError(f"the posterior predictive needs the sample's {', '.join(unknown)} with a new "
                                        "point added, which is no function of the sample's own")
    added = {s.symbol: spread_added if s.symbol == spread else updates[s.reduction](s.symbol, s.summand.subs(x, new))
             for s in statistics}
    log_predictive = log_evidence.xreplace({**added, n: n + 1}) - log_evidence
    shown = _logs_tidied(_combined(log_predictive), new)
    symbol = sp.Function("p")(new)
    steps = tuple(evidence.steps) + (
        Step("Add one observation", tuple(sp.Eq(k, v) for k, v in added.items()) + (sp.Eq(n, n + 1, evaluate=False),),
             "the sample with the new point: one more observation, each sample statistic updated"),
        Step("Posterior predictive", sp.Eq(sp.log(symbol), shown),
             "p(x_new | x) = Z(x, x_new)/Z(x): the evidence of the enlarged sample over that of the sample"),
    )
    match = recognise(shown, new, record.posterior.kernel.likelihood.support)
    if match is not None:
        steps += tuple(recognition_steps(match, new, symbol))
    summary = _as_the_family_writes_it(match, new, symbol) if match is not None and match.location_scale else ()
    problem = PredictiveProblem(title=f"Posterior predictive: {posterior.problem.title}", observation=x,
                                new_observation=new, log_predictive=log_predictive, statistics=statistics,
                                sample_size=n, posterior=record.posterior, family=match.family if match else None,
                                hyperparameters=match.hyperparameters if match else (),
                                distribution=match.distribution if match else None)
    return Derivation(problem=problem, steps=steps, result=shown, summary=summary or (sp.Eq(sp.log(symbol), shown),),
                      assumptions=posterior.assumptions)


def _new_observation(x: sp.Symbol) -> sp.Symbol:
    """x_new, with the observation's sign and integer assumptions."""
    return sp.Symbol(f"{x.name}_new", **{k: v for k, v in x.assumptions0.items()
                                         if k in ("real", "positive", "integer", "nonnegative")})


def _new_law(posterior: Derivation, new: Any) -> Model | None:
    """The law of x_new given the parameter, written in x_new, where ``new`` is given and differs from the sample's
    law; None where x_new is one more draw of the sample's law."""
    if new is None:
        return None
    problem = posterior.problem
    if not isinstance(problem, PosteriorProblem) or len(problem.parameters) != 1:
        raise UnsupportedOperationError("a new observation's own law is taken for a one-parameter posterior")
    law, theta = as_model(new), problem.parameter
    parameters = {s.name: s for s in law.logpdf.free_symbols - {law.data}}
    if theta.name not in parameters:
        raise UnsupportedOperationError(f"the new observation's law {law.name} does not depend on the posterior's "
                                        f"parameter {theta}")
    sample = problem.kernel.likelihood
    renamed = {parameters[theta.name]: theta}
    same = expand_log_density(law.logpdf.xreplace(renamed).subs(law.data, sample.data)) \
        - expand_log_density(sample.logpdf)
    if sp.expand(same) == 0 and law.support.xreplace(renamed) == sample.support:
        return None
    x_new = _new_observation(law.data)
    return Model(logpdf=law.logpdf.xreplace(renamed).subs(law.data, x_new), data=x_new,
                 support=law.support.xreplace(renamed), name=law.name)


def _predictive_of_a_new_law(posterior: Derivation, law: Model) -> Derivation:
    """log p(y | x) = log p(y | θ) + log π(θ | x) − log π(θ | x, y), the last recognised like a posterior (the
    candidate's identity with the posterior as the prior of one draw y of another law); the θ terms must cancel."""
    problem = posterior.problem
    theta, new = problem.parameter, law.data
    log_law = expand_log_density(law.log_density_on_support)
    after = recognise(problem.log_density + log_law, theta, problem.support,
                      tuple(dict.fromkeys([problem.family, *CANDIDATES])))
    if after is None:
        raise UnsupportedOperationError(f"the posterior times the new observation's law {law.name} matches no "
                                        "family: its predictive has no closed form here")
    log_predictive = sp.expand(log_law + problem.log_density - after.log_density)
    if log_predictive.has(theta):
        log_predictive = sp.expand(sp.cancel(sp.together(log_predictive)))
    if log_predictive.has(theta):
        raise UnsupportedOperationError(f"the terms in {theta} did not cancel in the predictive: {log_predictive}")
    shown = _logs_tidied(_combined(log_predictive), new)
    symbol = sp.Function("p")(new)
    steps = tuple(posterior.steps) + (
        Step("Posterior after the new observation", sp.Eq(sp.Function("pi")(theta, new), after.distribution),
             f"π({theta} | x) p({new} | {theta}) with {new} ~ {law.name} given {theta}, recognised as "
             f"{after.family}"),
        Step("Posterior predictive", sp.Eq(sp.log(symbol), shown),
             f"p({new} | x) = p({new} | {theta}) π({theta} | x)/π({theta} | x, {new}) at every {theta}: the "
             f"candidate's identity; the terms in {theta} cancelled"),
    )
    match = recognise(shown, new, law.support)
    if match is not None:
        steps += tuple(recognition_steps(match, new, symbol))
    record = PredictiveProblem(title=f"Posterior predictive of {law.name}: {problem.title}",
                               observation=problem.observation, new_observation=new, log_predictive=log_predictive,
                               statistics=problem.kernel.table.records(statistic_symbols(log_predictive)),
                               sample_size=problem.sample_size, posterior=problem,
                               family=match.family if match else None,
                               hyperparameters=match.hyperparameters if match else (),
                               distribution=match.distribution if match else None, new_law=law)
    return Derivation(problem=record, steps=steps, result=shown, summary=(sp.Eq(sp.log(symbol), shown),),
                      assumptions=posterior.assumptions + (f"{new} is a draw of {law.name} given {theta}, "
                                                           "independent of the sample",))


def _as_the_family_writes_it(match: Match, new: sp.Symbol, symbol: sp.Expr) -> tuple[sp.Eq, ...]:
    """The predictive density of a location-scale match as its family writes it, in named shape, location and
    scale (the family's density of (x_new − l)/s over s), then what the derivation found for each name, factored:
    the Normal-Inverse-Gamma predictive reads as a Student-t with ν_n = 2a + n, l = (n x̄ + κ₀m₀)/(κ₀ + n), not as
    the difference of two log-evidences expanded over many lines."""
    family, shape = template(match.family)
    location, scale = sp.Dummy("l", real=True), sp.Dummy("s", positive=True)
    density = family.pdf((new - location) / scale) / scale
    names, values = (*shape, location, scale**2), (*match.hyperparameters[:-1], match.hyperparameters[-1] ** 2)
    return (sp.Eq(symbol, density), *(sp.Eq(name, _factored(value)) for name, value in zip(names, values)))


def _factored(value: sp.Expr) -> sp.Expr:
    """``value`` factored for display ((κ₀ + n + 1)(...)/((2a + n)(κ₀ + n)²)), as it is past the budget."""
    try:
        return within(SIMPLIFY_SECONDS, "factoring a hyperparameter of the predictive", sp.factor, value)
    except BudgetExceededError:
        return value
