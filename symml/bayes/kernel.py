"""Likelihood times prior, written over the sample and reduced to a kernel in the parameter.

The log-posterior of an i.i.d. sample is, up to a constant,

    log pi(theta | x) = sum_i log f(x_i | theta) + log pi(theta) + C,

with the sums normalised into sample statistics by the maximum-likelihood machinery
(:func:`symml.mle.likelihood.separate`). Every term free of theta is dropped (it only rescales the density);
what is left is the log-kernel, a sum of ``coefficient * g(theta)`` terms, which :mod:`symml.bayes.recognise`
matches against candidate families. A likelihood whose support moves with theta (Uniform(0, theta)) restricts
theta instead: every observation must lie in the support, so theta >= x_(n).

Several parameters at once (a joint prior over (mu, s2), a Dirichlet over the probabilities of a Categorical)
work the same way; a likelihood over finitely many values also constrains its parameters, since its probabilities
must sum to one over the support (p_1 + p_2 + p_3 = 1: the posterior lives on the simplex).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import sympy as sp

from symml.budget import SOLVE_SECONDS, within
from symml.derivation import Step
from symml.errors import BudgetExceededError, ModelError, ParameterError, UnsupportedOperationError
from symml.mle.likelihood import expand_log_density, separate
from symml.mle.normalisation import check_density, finite_total
from symml.mle.statistics import StatisticTable, interval_support
from symml.model import Model, as_model
from symml.real_support import declared_domain, real_domain
from symml.render.printer import latex

__all__ = ["PosteriorKernel", "posterior_kernel", "as_prior"]


@dataclass(frozen=True)
class PosteriorKernel:
    """log pi(theta | x) up to a constant, and what it was built from.

    Attributes:
        likelihood: the model of one observation.
        prior: the prior as a model whose data symbol is the parameter (a tuple of them for a joint prior).
        parameters: theta, one symbol or several.
        log_kernel: the theta-dependent terms of log-likelihood + log-prior, written through statistics.
        support: where the posterior is positive: the prior's support cut by the likelihood's support constraints
            (a ProductSet over several parameters).
        equalities: constraints ``expr = 0`` the parameters obey (the probabilities of a finite support sum to 1).
        log_likelihood: the whole log-likelihood through statistics, data-only sums included (for the evidence).
        table: the sample statistics the kernel uses.
        steps: how the kernel was reached.
    """

    likelihood: Model
    prior: Model
    parameters: tuple[sp.Symbol, ...]
    log_kernel: sp.Expr
    support: sp.Set
    table: StatisticTable
    steps: tuple[Step, ...]
    log_likelihood: sp.Expr
    equalities: tuple[sp.Expr, ...] = ()

    @property
    def parameter(self) -> sp.Symbol:
        """The parameter of a one-parameter posterior."""
        if len(self.parameters) != 1:
            raise UnsupportedOperationError(f"this needs one parameter, not the joint {self.parameters}")
        return self.parameters[0]

    def support_of(self, parameter: sp.Symbol) -> sp.Set:
        """The support of one parameter (its factor of a joint support)."""
        if isinstance(self.support, sp.ProductSet):
            return self.support.sets[self.parameters.index(parameter)]
        return self.support


def as_prior(prior: Any, parameters: tuple[sp.Symbol, ...]) -> Model:
    """The prior as a model of the parameters: a sympy.stats random variable (a joint one over several
    parameters), or a Model whose data is the parameter (the tuple of parameters for a joint prior).

    A user's prior given without a support lives where its log-density is real: inside the domain of each
    parameter's assumptions (positive: (0, oo)) and where every log's argument is positive, so
    ``(a - 1) log p + (b - 1) log(1 - p)`` with p positive lives on (0, 1).
    """
    data = parameters[0] if len(parameters) == 1 else parameters
    if not isinstance(prior, Model):
        if len(parameters) == 1:
            return as_model(prior, observation=data)
        return _joint_prior(prior, parameters)
    prior = _named_as(prior, parameters)
    if set(prior.data if isinstance(prior.data, tuple) else (prior.data,)) != set(parameters):
        raise ParameterError(f"the prior is a density of {prior.data}, not of the parameters {data} in wrt")
    if isinstance(prior.logpdf, sp.Piecewise):
        return prior
    if len(parameters) == 1:
        return replace(prior, support=real_domain(prior.logpdf, data)) if prior.support == sp.S.Reals else prior
    given = dict(zip(prior.data, prior.support.sets)) if isinstance(prior.support, sp.ProductSet) else {}
    support = sp.ProductSet(*(given[p] if given.get(p, sp.S.Reals) != sp.S.Reals else real_domain(prior.logpdf, p)
                              for p in parameters))
    return replace(prior, data=parameters, support=support)


def _named_as(prior: Model, parameters: tuple[sp.Symbol, ...]) -> Model:
    """The prior with its symbols named as a parameter replaced by that parameter: a typed prior's symbols are the
    reader's (real, with no other assumption), so ``Model(logpdf="-log(theta)/2 - log(1 - theta)/2", data="theta")``
    is a density of the positive theta of the likelihood by its name."""
    by_name = {p.name: p for p in parameters}
    data = prior.data if isinstance(prior.data, tuple) else (prior.data,)
    swap = {s: by_name[s.name] for s in prior.logpdf.free_symbols | set(data)
            if isinstance(s, sp.Symbol) and s.name in by_name and s != by_name[s.name]}
    if not swap:
        return prior
    renamed = tuple(swap.get(d, d) for d in data)
    return Model(prior.logpdf.xreplace(swap), renamed if isinstance(prior.data, tuple) else renamed[0],
                 support=prior.support.xreplace(swap), parameters=[swap.get(p, p) for p in prior.parameters],
                 name=prior.name, random_variable=prior.random_variable)


def _joint_prior(prior: Any, parameters: tuple[sp.Symbol, ...]) -> Model:
    """A joint sympy.stats random variable (Dirichlet: MultivariateBeta) as a density of the parameters."""
    distribution = getattr(getattr(prior, "pspace", None), "distribution", None)
    if distribution is None or not hasattr(distribution, "pdf"):
        raise ModelError(f"a prior over {parameters} must be a joint sympy.stats random variable or a "
                         f"symml.Model(logpdf=..., data=(...)), not {type(prior).__name__}")
    try:
        density = distribution.pdf(*parameters)
    except (TypeError, ValueError, IndexError) as failure:
        raise ModelError(f"{prior} is not a joint density of the {len(parameters)} parameters "
                         f"{parameters}: {failure}") from None
    support = distribution.set if isinstance(distribution.set, sp.ProductSet) else sp.ProductSet(
        *(real_domain(sp.log(density), p) for p in parameters))
    return Model(logpdf=expand_log_density(sp.log(density)), data=parameters, support=support,
                 name=f"${latex(prior)} \\sim {latex(distribution)}$", random_variable=prior)




def _within_declared_domains(prior: Model, parameters: tuple[sp.Symbol, ...]) -> Model:
    """The prior cut to the values its parameters are declared to take, as Stan reads a declared bound: a Laplace or
    Normal prior on a positive scale is its half-law there (the normaliser changes; the posterior's kernel does not).
    Left uncut, the MAP of a positive parameter came out negative for small samples."""
    factors = prior.support.sets if isinstance(prior.support, sp.ProductSet) else (prior.support,)
    if len(factors) != len(parameters):
        return prior
    cut = tuple(_cut(factor, declared_domain(p)) for factor, p in zip(factors, parameters))
    if cut == factors:
        return prior
    return replace(prior, support=cut[0] if len(cut) == 1 else sp.ProductSet(*cut))


def _cut(support: sp.Set, domain: sp.Set) -> sp.Set:
    """``support`` within ``domain`` where SymPy decides the intersection (an interval) and it cuts more than an end
    point, else ``support`` as it is: a Pareto prior's [x_m, oo) with x_m's sign unknown stays as given."""
    if support.is_subset(domain):
        return support
    both = sp.Intersection(support, domain)
    # an end point alone ([0, 1] against p > 0) carries no prior mass: the support stays as the prior writes it
    return both if isinstance(both, sp.Interval) and both.closure != support.closure else support


def _parameters(likelihood: Model, wrt: Any, prior: Any) -> tuple[sp.Symbol, ...]:
    if wrt is None:
        wrt = _parameters_the_prior_is_on(likelihood, prior)
    by_name = {p.name: p for p in likelihood.parameters}
    found = []
    for one in (wrt if isinstance(wrt, (tuple, list)) else (wrt,)):
        name = one.name if isinstance(one, sp.Symbol) else str(one)
        if name not in by_name:
            raise ParameterError(f"{name!r} is not a parameter of {likelihood.name}; its parameters are: "
                                 f"{', '.join(by_name) or 'none'}")
        found.append(by_name[name])
    return tuple(found)


def _parameters_the_prior_is_on(likelihood: Model, prior: Any) -> Any:
    """``wrt`` left out: the variable of a prior written as a Model, else the one parameter of the likelihood
    that the prior's own parameters (its hyperparameters) do not name; several candidates are a ParameterError
    asking which, never a guess."""
    if isinstance(prior, Model):
        return prior.data
    try:
        hyperparameters = {p.name for p in as_model(prior).parameters}
        candidates = [p for p in likelihood.parameters if p.name not in hyperparameters]
    except ModelError:  # a joint or matrix-level prior: which parameters it covers is not read from it here
        candidates = []
    if len(candidates) == 1:
        return candidates[0]
    raise ParameterError(f"a prior on which parameter of the likelihood? Pass wrt=, one of "
                         f"{', '.join(p.name for p in likelihood.parameters) or 'none'} (a tuple for a joint prior)")


def _sums_to_one(likelihood: Model, parameters: tuple[sp.Symbol, ...]) -> tuple[sp.Expr, ...]:
    """Over a finite support the probabilities sum to one: a constraint on the parameters unless identically 1
    (the Bernoulli's p + (1 - p))."""
    if not isinstance(likelihood.support, sp.FiniteSet) or len(parameters) < 2:
        return ()
    total = sp.expand(finite_total(sp.exp(likelihood.log_density_on_support), likelihood.data, likelihood.support))
    return () if total == 1 or not total.has(*parameters) else (total - 1,)


def _theta_terms(expr: sp.Expr, parameters: tuple[sp.Symbol, ...]) -> tuple[sp.Expr, sp.Expr]:
    """(terms with theta, terms free of theta) of an expanded sum."""
    kept, dropped = sp.S.Zero, sp.S.Zero
    for term in sp.Add.make_args(sp.expand(expr)):
        if term.has(*parameters):
            kept += term
        else:
            dropped += term
    return kept, dropped


def _restricted_support(likelihood: Model, parameter: sp.Symbol, prior_support: sp.Set,
                        table: StatisticTable) -> tuple[sp.Set, tuple[sp.Rel, ...]]:
    """The prior's support cut by 'every observation lies in the likelihood's support' (x_(1) >= L, x_(n) <= U); the
    support of integer observations, {1, ..., N}, by the interval holding it."""
    held = interval_support(likelihood.support)
    if held is None or parameter not in held[0].free_symbols:
        return prior_support, ()
    support = held[0]
    constraints, support_now = [], prior_support
    for limit, statistic, upper in ((support.sup, table.order("max"), True), (support.inf, table.order("min"), False)):
        if parameter not in limit.free_symbols:
            continue
        increasing = sp.diff(limit, parameter).is_positive
        roots = sp.solve(sp.Eq(limit, statistic), parameter)
        if increasing is None or len(roots) != 1:
            raise ModelError(f"the support limit {limit} is not monotone in {parameter}; cannot restrict {parameter}")
        # x_(n) <= U(theta) with U increasing means theta >= U^-1(x_(n)); the other three cases likewise.
        at_least = increasing == upper
        constraints.append(sp.Le(statistic, limit) if upper else sp.Le(limit, statistic))
        cut = sp.Interval(roots[0], sp.oo) if at_least else sp.Interval(-sp.oo, roots[0])
        support_now = _intersect(support_now, cut)
    return support_now, tuple(constraints)


def _intersect(a: sp.Set, b: sp.Set) -> sp.Set:
    """Two intervals intersected with symbolic ends kept as Max/Min (SymPy cannot order x_m and x_(n)); the integers
    of an interval (an integer parameter's prior support) cut the same way, their integrality kept beside."""
    held, other = interval_support(a), interval_support(b)
    if held is not None and other is not None and not other[1]:
        cut = sp.Interval(sp.Max(held[0].inf, other[0].inf), sp.Min(held[0].sup, other[0].sup))
        return sp.Intersection(sp.S.Integers, cut, evaluate=False) if held[1] else cut
    return sp.Intersection(a, b)


def posterior_kernel(likelihood: Any, prior: Any, wrt: Any) -> PosteriorKernel:
    """The log-kernel of the posterior of ``wrt`` (a parameter, or a tuple of them for a joint prior) given an
    i.i.d. sample from ``likelihood``."""
    model = as_model(likelihood)
    parameters = _parameters(model, wrt, prior)
    # a pmf whose normaliser depends on the parameters gives a wrong posterior (a constant factor does not); a sum's
    # check costs milliseconds, a continuous density's quadrature up to its 5 s budget twice: the MLE engine's
    if not isinstance(model.support, sp.Interval):
        check_density(model, parameters)
    given_prior = as_prior(prior, parameters)
    prior_model = _within_declared_domains(given_prior, parameters)
    x = model.data
    taken = {s.name for s in model.logpdf.free_symbols | prior_model.logpdf.free_symbols}
    n = sp.Symbol("n" if "n" not in taken else "N", integer=True, positive=True)
    i = sp.Symbol("i" if "i" not in taken else "j", integer=True, positive=True)
    table = StatisticTable(x, sp.IndexedBase(x.name, real=True)[i], n, model.support)
    combined = model.log_density_on_support
    for parameter in parameters:
        combined = _combined_logs(combined, parameter)
    separated = separate(combined, x, parameters, table)
    log_prior = expand_log_density(prior_model.log_density_on_support)
    shown = ", ".join(f"${latex(p)}$" for p in parameters)
    posterior_symbol = sp.Function("pi")(*parameters)
    loglik_kept, loglik_dropped = _theta_terms(separated.with_statistics, parameters)
    prior_kept, prior_dropped = _theta_terms(log_prior, parameters)
    if len(parameters) == 1:
        support, constraints = _restricted_support(model, parameters[0], prior_model.support, table)
    else:
        support, constraints = prior_model.support, ()
    equalities = _sums_to_one(model, parameters)
    kernel = loglik_kept + prior_kept
    steps = [
        Step("Bayes' theorem", sp.Eq(sp.log(posterior_symbol),
                                     sp.Add(sp.Function("ell")(*parameters),
                                            sp.log(sp.Function("pi_0")(*parameters)), -sp.log(sp.Function("Z")(x)),
                                            evaluate=False)),
             f"the posterior is likelihood times prior divided by the evidence Z, which does not depend on {shown}"),
        Step("Log-likelihood over the sample", sp.Eq(sp.Function("ell")(*parameters), separated.with_statistics),
             "the observations are independent; factors free of the index come out of the sums and each data sum "
             "is n times a sample mean"),
        Step("Log-prior", sp.Eq(sp.log(sp.Function("pi_0")(*parameters)), log_prior),
             f"the prior's log-density on its support ${latex(prior_model.support)}$"
             + ("" if prior_model.support == given_prior.support else
                f", the part of ${latex(given_prior.support)}$ where {shown} can lie by its declaration (the prior "
                "restricted there: its normalising constant changes, its kernel does not)")),
        Step("Drop the factors free of the parameter",
             tuple(e for e in (loglik_dropped, prior_dropped) if e != 0) or (sp.S.Zero,),
             f"these terms do not contain {shown}, so they only rescale the posterior and are absorbed "
             "into its normalising constant: from the likelihood, the data-only terms; from the prior, its "
             "normalising constant"),
        Step("Log-kernel", sp.Eq(sp.log(posterior_symbol), sp.Add(sp.collect(kernel, _functions_of(kernel, parameters)),
                                                                  sp.Symbol("C"), evaluate=False)),
             f"the terms in {shown}, their coefficients collected"),
    ]
    if constraints:
        steps.append(Step("The support depends on the parameter", tuple(constraints) + (sp.Contains(parameters[0], support),),
                          "the likelihood is zero unless every observation lies in the support, which restricts "
                          f"${latex(parameters[0])}$ on top of the prior's support"))
    if equalities:
        steps.append(Step("The parameters are constrained", tuple(sp.Eq(e, 0) for e in equalities),
                          f"the probabilities of the {len(model.support)} values of the support sum to one, so the "
                          "posterior lives on that set (the simplex)"))
    return PosteriorKernel(model, prior_model, parameters, kernel, support, table, tuple(steps),
                           separated.with_statistics, equalities)


def _combined_logs(logf: sp.Expr, parameter: sp.Symbol) -> sp.Expr:
    """Logs of sums in theta over one denominator, log(1 - 1/(1 + e^-eta)) = -eta - log(1 + e^-eta), so that the
    kernel's functions of theta are as few as possible (and evaluate without cancellation)."""
    return logf.replace(lambda e: isinstance(e, sp.log) and isinstance(e.args[0], sp.Add) and e.has(parameter),
                        lambda e: sp.log(sp.factor(sp.together(e.args[0]))))


def _functions_of(expr: sp.Expr, parameters: tuple[sp.Symbol, ...]) -> list[sp.Expr]:
    """The distinct g(theta) of the terms coefficient * g(theta)."""
    return list(dict.fromkeys(t.as_independent(*parameters, as_Add=False)[1] for t in sp.Add.make_args(expr)))
