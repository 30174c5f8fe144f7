r"""Maximum likelihood with several observed variables: pairs sharing one index, or independent samples.

The log-likelihood of the data is a sum over samples of sums over each sample's own index,

    ℓ(θ) = Σ_k Σ_{i=1}^{n_k} log f_k(observation_{k,i} | θ),

where a sample's observation is one symbol (xᵢ, i ≤ n) or a tuple of symbols observed together (the pair
(xᵢ, yᵢ) of a classifier, a regression's covariate and response). A pair's density may be a product of a marginal
and a conditional (GDA: p(y) p(x | y)), or a conditional alone (y | x ~ N(a + b x, σ²): the covariate's own
density is free of θ and drops out of the maximisation). Each sample's sum is normalised on its own (factors free
of its index out, each data sum n_k times a sample mean of that sample), then the solving core maximises the whole.
No model is recognised by name: the estimators come out of the score equations.

>>> import sympy as sp, symml
>>> x, y, mu = sp.symbols("x y mu", real=True)
>>> s1, s2 = sp.symbols("sigma1 sigma2", positive=True)
>>> first = symml.Model(logpdf=-(x - mu)**2/(2*s1**2), data=x, parameters=[mu, s1])
>>> second = symml.Model(logpdf=-(y - mu)**2/(2*s2**2), data=y, parameters=[mu, s2])
>>> both = symml.derive.mle([first, second], wrt=mu)
>>> both.summary
(Eq(muhat, (mean(x)*n*sigma2**2 + mean(y)*m*sigma1**2)/(m*sigma1**2 + n*sigma2**2)),)
>>> both.numpy()(x=[1.0, 2.0, 3.0], y=[4.0, 5.0], sigma1=1.0, sigma2=2.0)
{'mu': 2.357142857142857}
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple, Sequence

import sympy as sp

from symml.budget import within
from symml.derivation import Derivation, Step
from symml.errors import ModelError, ParameterError
from symml.mle.likelihood import density_as_powers, expand_log_density
from symml.mle.problem import Statistic
from symml.mle.sample_symbols import fresh_symbol
from symml.mle.stationary import log_arguments
from symml.mle.statistics import StatisticSymbol, statistic_symbols, support_assumptions
from symml.model import Model
from symml.optimize.core import DERIVE_SECONDS, Objective, hat, optimise, stationarity_stage
from symml.render.printer import latex

__all__ = ["INDEX_NAMES", "SIZE_NAMES", "JointLogPosterior", "JointMLEProblem", "JointPrior", "Sample",
           "chosen_parameters", "is_joint", "joint_log_posterior", "joint_map", "joint_mle", "joint_prior"]

#: the index and size symbols of the samples, in turn (fresh against the models' own names)
INDEX_NAMES = ("i", "j", "k", "l")
SIZE_NAMES = ("n", "m", "N", "M")


@dataclass(frozen=True)
class Sample:
    """One i.i.d. sample: its observed symbols, their supports, its index and size, its log-density.

    Attributes:
        observed: the symbols observed together in each draw (``(x,)``, or ``(x, y)`` for pairs).
        supports: the set of values of each observed symbol.
        index: the sample's index symbol (i); size: its size symbol (n).
        log_density: log f of one draw, on its support.
    """

    observed: tuple[sp.Symbol, ...]
    supports: tuple[sp.Set, ...]
    index: sp.Symbol
    size: sp.Symbol
    log_density: sp.Expr

    def at(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` at the i-th draw: each observed symbol x becomes x[i]."""
        return expr.xreplace({s: sp.IndexedBase(s.name, real=True)[self.index] for s in self.observed})

    def total(self, summand: sp.Expr) -> sp.Expr:
        return sp.Sum(self.at(summand), (self.index, 1, self.size))


@dataclass(frozen=True)
class JointMLEProblem:
    """A maximum-likelihood problem over several observed variables, and what the engine derived.

    Attributes:
        title: one line describing the problem.
        samples: the samples, each with its own index and size.
        wrt: the parameters estimated; fixed: the others (numpy() takes their values by name).
        statistics: each statistic with the number of the sample it averages over, in evaluation order.
        estimators: closed forms in statistics, sizes and fixed parameters; a parameter without one is absent.
        stationarity: the equations left for a numeric solver.
        log_prior: log π(θ) for a MAP estimate (:func:`joint_map`), 0 for maximum likelihood; its hyperparameters
            are among ``fixed``.
    """

    title: str
    samples: tuple[Sample, ...]
    wrt: tuple[sp.Symbol, ...]
    fixed: tuple[sp.Symbol, ...]
    statistics: tuple[tuple[int, Statistic], ...]
    estimators: dict
    stationarity: tuple = ()
    log_prior: sp.Expr = sp.S.Zero


def is_joint(source: Any) -> bool:
    """Whether ``source`` observes several variables: a Model of a tuple of data, or a list of Models."""
    if isinstance(source, (list, tuple)):
        return True
    return isinstance(source, Model) and isinstance(source.data, tuple)


class _Means:
    """The sample means of one sample, as statistic symbols (one per summand, in the order met)."""

    def __init__(self, sample: Sample) -> None:
        self.sample = sample
        self.sample_size = sample.size
        self.symbols: list[StatisticSymbol] = []

    def mean(self, summand: sp.Expr) -> StatisticSymbol:
        summand = sp.sympify(summand)
        for symbol in self.symbols:
            if symbol.summand == summand:
                return symbol
        probes = {s: sp.Dummy(s.name, **support_assumptions(support))
                  for s, support in zip(self.sample.observed, self.sample.supports)}
        value = summand.xreplace(probes)
        sign = {"positive": True} if value.is_nonnegative else {"real": True}
        symbol = StatisticSymbol("mean", summand, **sign)
        self.symbols.append(symbol)
        return symbol

    def definition(self, symbol: StatisticSymbol) -> sp.Expr:
        return self.sample.total(symbol.summand) / self.sample.size


def _samples(source: Any) -> list[tuple[Model, tuple[sp.Symbol, ...], tuple[sp.Set, ...]]]:
    models = list(source) if isinstance(source, (list, tuple)) else [source]
    if not models or not all(isinstance(m, Model) for m in models):
        raise ModelError("several samples are given as a list of symml.Model, one for each sample (its own index "
                         "and size); variables observed together in each draw are one Model with data=(x, y)")
    read = []
    for model in models:
        if isinstance(model.data, sp.MatrixSymbol):
            raise ModelError(f"{model.name} is over the matrix symbol {model.data.name}: a sample here is of scalar "
                             "observations (a Symbol, or a tuple of Symbols observed together)")
        observed = model.data if isinstance(model.data, tuple) else (model.data,)
        support = model.support
        supports = tuple(support.sets) if isinstance(support, sp.ProductSet) and len(observed) > 1 else (support,)
        if len(supports) != len(observed):
            raise ModelError(f"the support of {model.name} must be a product of one set per observed variable "
                             f"({', '.join(map(str, observed))})")
        read.append((model, observed, supports))
    seen = [s for _, observed, _ in read for s in observed]
    repeated = sorted({s.name for s in seen if seen.count(s) > 1})
    if repeated:
        raise ModelError(f"the observed variable {repeated[0]} belongs to two samples: give each sample its own "
                         "variables, or observe them together in one Model with data=(x, y)")
    return read


def _parameters(read: list, observed: set) -> tuple[sp.Symbol, ...]:
    found: dict = {}
    for model, _, _ in read:
        found.update(dict.fromkeys(p for p in model.parameters if p not in observed))
    return tuple(found)


def chosen_parameters(parameters: tuple, wrt: Any) -> tuple:
    """The parameters named by ``wrt`` (a Symbol, MatrixSymbol or name, or a sequence of them), in its order.

    Raises:
        ParameterError: a name that is not one of ``parameters``, or none at all.
    """
    if wrt is None:
        return parameters
    items = [wrt] if isinstance(wrt, (str, sp.Symbol, sp.MatrixSymbol)) else list(wrt)
    by_name = {p.name: p for p in parameters}
    names = [getattr(item, "name", str(item)) for item in items]
    unknown = [name for name in names if name not in by_name]
    if unknown or not names:
        raise ParameterError(f"{unknown[0] if unknown else 'nothing'!r} is not a parameter of the joint model; its "
                             f"parameters are: {', '.join(by_name)}")
    return tuple(dict.fromkeys(by_name[name] for name in names))


def _normalised(sample: Sample, means: _Means, wrt: set) -> tuple[sp.Expr, sp.Expr]:
    """The sample's log-likelihood with sums (constants pulled out) and with statistics: each data sum Σg = n mean(g);
    terms where the data and the parameters do not factor apart stay sums over the sample."""
    observed = sample.observed
    with_sums, with_statistics = sp.S.Zero, sp.S.Zero
    for term in sp.Add.make_args(expand_log_density(sample.log_density)):
        coefficient, data_part = term.as_independent(*observed, as_Add=False)
        if data_part == 1:
            with_sums += sample.size * coefficient
            with_statistics += sample.size * coefficient
        elif coefficient.free_symbols & wrt and not data_part.free_symbols & wrt:
            with_sums += coefficient * sample.total(data_part)
            with_statistics += sample.size * coefficient * means.mean(data_part)
        elif data_part.free_symbols & wrt or term.free_symbols & wrt:
            with_sums += coefficient * sample.total(data_part)
            with_statistics += coefficient * sample.total(data_part)
    return with_sums, with_statistics


def joint_mle(source: Any, wrt: Any = None) -> Derivation:
    """The maximum-likelihood derivation of a joint model (see :func:`symml.mle.mle`), under one overall budget; a
    vector observed with scalars goes to the matrix-level normalisation (:mod:`symml.mle.joint_vectors`)."""
    from symml.mle.joint_vectors import has_vector_data, joint_vector_mle

    if has_vector_data(source):
        return within(DERIVE_SECONDS, "the joint maximum-likelihood derivation", joint_vector_mle, source, wrt)
    return within(DERIVE_SECONDS, "the joint maximum-likelihood derivation", _joint_mle, source, wrt)


def joint_map(source: Any, prior: Any, wrt: Any = None) -> Derivation:
    """The MAP derivation of a joint model (see :func:`symml.derive.map`): the joint log-likelihood, normalised as
    for maximum likelihood, plus the log prior of ``wrt``, maximised by the same solving core.

    Args:
        source: a Model with ``data=(x, y)`` or a list of Models (see :func:`joint_mle`).
        prior: a sympy.stats random variable of one parameter, or a ``symml.Model`` whose data is the parameter
            (a tuple of parameters for a joint prior); its other symbols are hyperparameters, known.
        wrt: the parameters estimated (default: the prior Model's data); the others are held known. Parameters
            estimated beyond the prior's have a flat prior (GDA's class means under a Beta prior on φ).

    >>> import sympy as sp, symml
    >>> x, mu = sp.symbols("x mu", real=True)
    >>> tau = sp.Symbol("tau", positive=True)
    >>> model = symml.Model(logpdf=-(x - mu)**2/2, data=x)
    >>> other = symml.Model(logpdf=-(sp.Symbol("z", real=True) - mu)**2/2, data=sp.Symbol("z", real=True))
    >>> joint_map([model, other], symml.Model(logpdf=-mu**2/(2*tau**2), data=mu)).summary
    (Eq(muhat, tau**2*(mean(x)*n + mean(z)*m)/(m*tau**2 + n*tau**2 + 1)),)
    """
    from symml.mle.joint_vectors import joint_vector_mle

    read = joint_prior(source, prior, wrt)
    return within(DERIVE_SECONDS, "the joint MAP derivation", joint_vector_mle if read.vector else _joint_mle,
                  source, read.wrt, read.log_prior)


class JointPrior(NamedTuple):
    """A prior read against a joint model.

    Attributes:
        wrt: the parameters estimated (the prior's, and any others under a flat prior).
        model: the prior as a Model of the parameters it is on, with its support.
        log_prior: log π up to a constant: its terms free of the parameters (log B(α, β)) dropped.
        vector: whether the joint model observes a vector (:mod:`symml.mle.joint_vectors`).
    """

    wrt: tuple
    model: Model
    log_prior: sp.Expr
    vector: bool


def joint_prior(source: Any, prior: Any, wrt: Any = None) -> JointPrior:
    """The prior ``prior`` on a joint model ``source`` (the arguments as for :func:`joint_map`).

    Raises:
        ParameterError: no ``wrt`` with a sympy.stats prior, or a prior on a parameter not estimated.
    """
    from symml.bayes.kernel import as_prior
    from symml.mle.joint_vectors import has_vector_data, vector_model_parameters

    vector = has_vector_data(source)
    parameters = vector_model_parameters(source) if vector else \
        _parameters(_samples(source), {s for _, observed, _ in _samples(source) for s in observed})
    on = prior.data if isinstance(prior, Model) else None
    if wrt is None and on is None:
        raise ParameterError("a prior on which parameters of the joint model? Pass wrt= (a tuple for a joint prior)")
    chosen = chosen_parameters(parameters, on if wrt is None else wrt)
    prior_on = chosen if on is None else chosen_parameters(parameters, on)
    if on is None and len(chosen) != 1:
        raise ParameterError("a sympy.stats prior is on one parameter: to estimate others with it under a flat "
                             "prior, give the prior as a symml.Model whose data is its parameter")
    if not set(prior_on) <= set(chosen):
        raise ParameterError(f"the prior is on {', '.join(p.name for p in prior_on)}: estimate it (wrt=) too")
    model = as_prior(prior, prior_on)
    log_prior = expand_log_density(model.log_density_on_support)
    log_prior = sp.Add(*(term for term in sp.Add.make_args(log_prior) if term.free_symbols & set(chosen)))
    return JointPrior(chosen, model, log_prior, vector)


@dataclass(frozen=True)
class JointLogPosterior:
    """The joint log-likelihood of a joint model through sample means, plus a log prior (0 for maximum likelihood).

    Attributes:
        models: each sample's Model; samples: each sample with its index and size; tables: each sample's means.
        wrt: the parameters estimated; fixed: the others and the prior's hyperparameters (known).
        steps: Model, Log-likelihood, Normalise the sums (and Log posterior with a prior).
        objective: the log-likelihood (log posterior) in statistics, for the solving core.
        draws: each sample's draw as LaTeX.
    """

    models: tuple[Model, ...]
    samples: tuple[Sample, ...]
    tables: tuple[_Means, ...]
    wrt: tuple[sp.Symbol, ...]
    fixed: tuple[sp.Symbol, ...]
    steps: tuple[Step, ...]
    objective: Objective
    draws: tuple[str, ...]
    log_prior: sp.Expr

    def statistics(self) -> tuple[tuple[int, Statistic], ...]:
        """Each statistic with the number of the sample it averages over, in evaluation order."""
        return tuple((k, Statistic(s, "mean", s.summand, t.definition(s)))
                     for k, t in enumerate(self.tables) for s in t.symbols)

    def assumptions(self) -> tuple[str, ...]:
        return tuple(f"the draws {draw}, ${latex(s.index)} \\le {latex(s.size)}$, are independent, each in "
                     f"${latex(sp.ProductSet(*s.supports) if len(s.supports) > 1 else s.supports[0])}$"
                     for draw, s in zip(self.draws, self.samples))


def joint_log_posterior(source: Any, wrt: Any, log_prior: sp.Expr = sp.S.Zero) -> JointLogPosterior:
    """The joint log-likelihood of ``source`` (a Model with ``data=(x, y)`` or a list of Models) normalised through
    each sample's means, plus ``log_prior`` (log π of some of ``wrt``, from :func:`joint_prior`), with its steps."""
    read = _samples(source)
    observed_all = {s for _, observed, _ in read for s in observed}
    parameters = _parameters(read, observed_all)
    if not parameters:
        names = ", ".join(s.name for _, observed, _ in read for s in observed)
        raise ModelError(f"the joint density of {names} has no parameters: there is nothing to estimate")
    wrt = chosen_parameters(parameters, wrt)
    hyperparameters = sorted(log_prior.free_symbols - set(parameters), key=lambda s: s.name)
    fixed = tuple(p for p in parameters if p not in wrt) + tuple(hyperparameters)
    posterior = log_prior != 0
    taken = {s.name for model, _, _ in read for s in model.logpdf.free_symbols | model.support.free_symbols}
    samples = []
    for k, (model, observed, supports) in enumerate(read):
        index, size = (fresh_symbol(names[k % 4] + ("" if k < 4 else str(k)), taken, integer=True, positive=True)
                       for names in (INDEX_NAMES, SIZE_NAMES))
        taken |= {index.name, size.name}
        samples.append(Sample(observed, supports, index, size, model.log_density_on_support))
    loglik_symbol = sp.Function("ell")(*wrt)
    tables = [_Means(sample) for sample in samples]
    parts = [_normalised(sample, table, set(wrt)) for sample, table in zip(samples, tables)]
    with_sums = sp.Add(*(p[0] for p in parts))
    with_statistics = sp.Add(*(p[1] for p in parts))
    draws = [f"$({', '.join(latex(sample.at(s)) for s in sample.observed)})$" if len(sample.observed) > 1
             else f"${latex(sample.at(sample.observed[0]))}$" for sample in samples]
    steps = [
        Step("Model", tuple(sp.Eq(sp.Function("f")(*model_obs),
                                  density_as_powers(sp.expand_power_exp(sp.exp(sample.log_density))))
                            for (_, model_obs, _), sample in zip(read, samples)),
             "the density of one draw of each sample: " + "; ".join(
                 f"{draw}, ${latex(sample.index)} = 1, \\dots, {latex(sample.size)}$"
                 for draw, sample in zip(draws, samples))
             + f"; estimate {_listed(wrt)}" + (f" with {_listed(fixed)} known" if fixed else "")),
        Step("Log-likelihood", sp.Eq(loglik_symbol, sp.Add(*(s.total(expand_log_density(s.log_density))
                                                              for s in samples))),
             "the draws are independent, within each sample and across samples, so the log of their joint density is "
             "a sum over each sample of the logs of its densities"),
    ]
    used = statistic_symbols(with_statistics)
    steps.append(Step(
        "Normalise the sums",
        (sp.Eq(loglik_symbol, with_sums), sp.Eq(loglik_symbol, with_statistics))
        + tuple(sp.Eq(s, t.definition(s)) for t in tables for s in t.symbols if s in used),
        "each sample's sum is normalised on its own: factors free of its index come out and "
        "$\\sum_{i=1}^{n} 1 = n$; each remaining data sum is the sample's size times a sample mean; terms up to "
        "an additive constant free of the parameters",
    ))
    objective = Objective(expr=with_statistics, wrt=wrt, symbol=loglik_symbol,
                          facts=tuple(log_arguments(with_statistics, set(wrt))),
                          stationarity_title="Score equations", name="log-likelihood")
    if posterior:
        log_posterior = sp.Function("log p")(*wrt)
        steps.append(Step("Log posterior", sp.Eq(log_posterior, sp.Add(with_statistics, log_prior, evaluate=False),
                                                 evaluate=False),
                          f"Bayes' rule: the log-likelihood plus the log prior of {_listed(wrt)}, up to a constant "
                          "free of the parameters (the log evidence)"))
        expr = with_statistics + log_prior
        objective = Objective(expr=expr, wrt=wrt, symbol=log_posterior,
                              facts=tuple(log_arguments(expr, set(wrt))),
                              stationarity_title="Stationarity of the log posterior", name="log posterior")
    return JointLogPosterior(tuple(model for model, _, _ in read), tuple(samples), tuple(tables), wrt, fixed,
                             tuple(steps), objective, tuple(draws), log_prior)


def _joint_mle(source: Any, wrt: Any, log_prior: sp.Expr = sp.S.Zero) -> Derivation:
    front = joint_log_posterior(source, wrt, log_prior)
    wrt, objective, tables, posterior = front.wrt, front.objective, front.tables, log_prior != 0
    steps = list(front.steps)
    outcome = optimise(objective, (stationarity_stage,))
    steps.extend(outcome.steps)
    remarks = list(outcome.remarks)
    estimators = dict(outcome.solution)
    if outcome.left:
        steps.append(Step("No closed form: stationarity equations", outcome.stationarity,
                          f"solving for {_listed(outcome.left)} in closed form failed; the estimate is the root of "
                          "these equations"))
        remarks.append(f"No closed form for {_listed(outcome.left)}: numpy() maximises the joint {objective.name} "
                       "numerically (scipy.optimize, from the closed forms where they exist), which solves these "
                       "equations.")
    summary = tuple(sp.Eq(hat(p), v) for p, v in estimators.items())
    if summary:
        steps.append(Step("Result", summary, ("the MAP estimators" if posterior else "the maximum-likelihood "
                                              "estimators") + ", written through sample means"))
    over_sample = {s: tables[k].definition(s) for k, t in enumerate(tables) for s in t.symbols}
    problem = JointMLEProblem(
        title=("MAP estimate for " if posterior else "Maximum likelihood for ")
        + " and ".join(model.name for model in front.models),
        samples=front.samples, wrt=wrt, fixed=front.fixed, statistics=front.statistics(), estimators=estimators,
        stationarity=tuple(outcome.stationarity), log_prior=log_prior)
    return Derivation(
        problem=problem, steps=tuple(steps), summary=summary, remarks=tuple(remarks),
        result={p: v.xreplace(over_sample) for p, v in estimators.items()}, assumptions=front.assumptions())


def _listed(parameters: Sequence[sp.Symbol]) -> str:
    return ", ".join(f"${latex(p)}$" for p in parameters)
