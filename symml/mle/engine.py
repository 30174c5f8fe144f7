"""The maximum-likelihood pipeline: model -> likelihood -> log-likelihood -> normalised sums -> maximum.

Every estimator is derived from the model's log-density: support limits and absolute deviations by the rules of
:mod:`symml.mle.rules`, smooth parameters from the score equations (:mod:`symml.mle.stationary`). No family is
named anywhere here.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, within
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError, NotIdentifiableError, ParameterError, SymmlError, \
    UnsupportedOperationError
from symml.mle.concave_profile import concave_unknown
from symml.mle.likelihood import density_as_powers, expand_log_density, separate
from symml.mle.maximiser_set import MaximiserSetProblem
from symml.mle.moments import method_of_moments
from symml.mle.normalisation import check_density, unstated_ranges
from symml.mle.problem import MLEProblem
from symml.mle.rules import absolute_deviation
from symml.mle.sample_symbols import fresh_symbol
from symml.mle.stationary import centre_moments, is_trapped, log_arguments
from symml.mle.statistics import StatisticTable, interval_support, statistic_symbols
from symml.model import Model, as_model
from symml.optimize.core import (
    DERIVE_SECONDS,
    Objective,
    Outcome,
    Stage,
    boundary_stage,
    hat,
    optimise,
    stationarity_stage,
)
from symml.optimize.minimax import minimax_stage
from symml.optimize.signs import sign_given
from symml.render.printer import latex

__all__ = ["derive_mle"]


def _wrt(model: Model, wrt: Any) -> tuple[sp.Symbol, ...]:
    if wrt is None:
        return model.parameters
    if isinstance(wrt, (str, sp.Symbol)):
        wrt = [wrt]
    by_name = {p.name: p for p in model.parameters}
    chosen = []
    for item in wrt:
        name = item.name if isinstance(item, sp.Symbol) else str(item)
        if name not in by_name:
            raise ParameterError(
                f"{name!r} is not a parameter of {model.name}; its parameters are: "
                f"{', '.join(p.name for p in model.parameters)}"
            )
        chosen.append(by_name[name])
    if not chosen:
        raise ParameterError(f"nothing to estimate: give at least one of {_names(model.parameters)} in wrt")
    return tuple(dict.fromkeys(chosen))


def _about_own_mean(statistic: sp.Symbol) -> bool:
    """Whether a statistic is mean((g - mean(g))^2): squared deviations about the sample mean of the same g."""
    summand = statistic.summand
    if not (summand.is_Pow and summand.exp == 2):
        return False
    return any(s.reduction == "mean" and sp.expand(summand.base - s.summand + s) == 0
               for s in statistic_symbols(summand.base))


def _bias_remarks(derivation: Derivation, centred: list[sp.Symbol]) -> tuple[str, ...]:
    """What the estimator analysis (symml.derive.bias) says of each estimator built on a mean squared deviation
    about the sample mean: its exact bias and the unbiased correction, e.g. -sigma**2/n and n/(n - 1)."""
    from symml.probability.estimators import derive_bias  # the analysis is built on the MLE: imported late

    remarks = []
    for statistic in centred:
        for parameter, estimator in derivation.problem.estimators.items():
            stand_in = sp.Dummy("s", positive=True)
            if not estimator.has(statistic):
                continue
            targets = sp.solve(sp.Eq(estimator.xreplace({statistic: stand_in}), parameter), stand_in)
            if len(targets) != 1 or targets[0].free_symbols != {parameter}:
                continue
            try:
                bias = derive_bias(derivation, targets[0])
            except (SymmlError, BudgetExceededError):
                continue
            if bias.result != 0:
                remarks.append(f"${latex(statistic)}$ divides by $n$, not $n - 1$: the estimator of "
                               f"${latex(targets[0])}$ has bias ${latex(bias.result)}$ (symml.derive.bias: "
                               + " ".join(bias.remarks) + ")")
    return tuple(remarks)


def _names(parameters: Sequence[sp.Symbol]) -> str:
    return ", ".join(p.name for p in parameters)


def _parameter_list(parameters: Sequence[sp.Symbol]) -> str:
    return ", ".join(f"${latex(p)}$" for p in parameters)


def _clamped_to_domain(objective: Objective, outcome: Any, estimators: dict, support: sp.Set) -> list[Step]:
    """One parameter declared positive (non-negative) whose score root can fall below 0 (N(μ, 1) with μ > 0: x̄):
    where the log-likelihood is concave, the maximum over the declared domain is the root clamped to it
    (:mod:`symml.optimize.clamped`); ``estimators`` is updated and the step returned. Only for data on the whole
    real line, whose statistics take every value: on a bounded support an undecided sign is mostly one the support
    decides (a Pareto's mean(log x) ≥ log xₘ), and the clamp would never bind."""
    from symml.real_support import declared_domain
    from symml.optimize.clamped import clamped

    if len(objective.wrt) != 1 or not outcome.optimal or outcome.left or support != sp.Reals:
        return []
    (theta,) = objective.wrt
    estimate = estimators.get(theta)
    if estimate is None or isinstance(estimate, sp.Set) or estimate.has(sp.Piecewise, sp.Max, sp.Min) \
            or not theta.is_nonnegative:
        return []
    found = clamped(objective.expr, theta, estimate, declared_domain(theta), objective.facts)
    if found is None:
        return []
    estimators[theta] = found.value
    return [found.step]


def derive_mle(source: Any, wrt: Any = None) -> Derivation:
    """The maximum-likelihood derivation for ``source`` (see :func:`symml.mle.mle`), under one overall budget.

    >>> derive_mle("Exponential").summary
    (Eq(lambdahat, 1/mean(x)),)
    """
    return within(DERIVE_SECONDS, "the maximum-likelihood derivation", _derive_mle, source, wrt)


def _derive_mle(source: Any, wrt: Any) -> Derivation:
    model = as_model(source)
    wrt = _wrt(model, wrt)
    density_remarks = check_density(model, tuple(wrt))
    x = model.data
    taken = {s.name for s in model.logpdf.free_symbols | model.support.free_symbols}
    n = fresh_symbol("n", taken, integer=True, positive=True)
    i = fresh_symbol("i", taken, integer=True, positive=True)
    indexed = sp.IndexedBase(x.name, real=True)[i]
    table = StatisticTable(x, indexed, n, model.support)
    fixed = tuple(p for p in model.parameters if p not in wrt)
    loglik_symbol = sp.Function("ell")(*wrt)
    logf = model.log_density_on_support
    density_symbol = sp.Function("f")(x)
    density = density_as_powers(sp.expand_power_exp(sp.exp(logf)))

    steps = [
        Step("Model", sp.Eq(density_symbol, density),
             f"density of one observation, positive for $x \\in {latex(model.support)}$; "
             f"estimate {_parameter_list(wrt)}" + (f" with {_parameter_list(fixed)} known" if fixed else "")),
        Step("Likelihood", sp.Eq(sp.Function("L")(*wrt), sp.Product(density.subs(x, indexed), (i, 1, n))),
             "the observations are independent, so their joint density is the product of their densities"),
        Step("Log-likelihood", sp.Eq(loglik_symbol, sp.Sum(expand_log_density(logf).subs(x, indexed), (i, 1, n))),
             "the log of a product is the sum of the logs; the logs of the factors split apart because the density "
             "and each of its factors are positive on the support"),
    ]
    separated = separate(logf, x, wrt, table)
    used = statistic_symbols(separated.with_statistics)
    steps.append(Step(
        "Normalise the sums",
        tuple(dict.fromkeys((sp.Eq(loglik_symbol, separated.with_sums), sp.Eq(loglik_symbol, separated.with_statistics))))
        + tuple(sp.Eq(s, table.definition(s)) for s in sorted(used, key=str)),
        "factors free of $i$ come out of the sums and $\\sum_{i=1}^{n} 1 = n$; each remaining data sum is $n$ times "
        "a sample mean",
    ))
    facts = log_arguments(separated.with_statistics, set(wrt))
    objective = Objective(
        expr=separated.with_statistics,
        wrt=wrt,
        symbol=loglik_symbol,
        constraints=_support_constraints(model.support, table),
        facts=tuple(facts) + _support_width(model.support),
        tidy=lambda value: centre_moments(value, table),
        substitute=lambda found: separate(logf.subs(found), x, tuple(p for p in wrt if p not in found),
                                          table).with_statistics,
        stationarity_title="Score equations",
        name="log-likelihood",
    )
    outcome = optimise(objective, (_support_stage(separated.with_statistics, loglik_symbol, model.support),
                                   minimax_stage, _median_stage(separated, x, table, loglik_symbol, facts), stationarity_stage))
    steps.extend(outcome.steps)
    remarks: list[str] = [*density_remarks, *outcome.remarks]
    estimators: dict = dict(outcome.solution)
    steps.extend(_clamped_to_domain(objective, outcome, estimators, model.support))
    stationarity: tuple = ()
    initial_guess: dict = {}
    not_concave_in: tuple = ()
    concave_profile = False
    left = list(outcome.left)
    if left and outcome.solved is not None:
        solution = outcome.solved
        if any(e is sp.false for e in solution.stationarity):
            raise UnsupportedOperationError(
                f"the score for {_names(left)} never vanishes: the likelihood is monotone in it and its maximum is on "
                "the boundary of the parameter space, which no support rule here found"
            )
        _check_identifiable(outcome.reduced, left, solution)
        stationarity = solution.stationarity
        steps.append(Step(
            "No closed form: stationarity equations",
            stationarity,
            f"solving for {_parameter_list(left)} in closed form failed (inside a special function or a sum over "
            "the data); the estimate is the root of these equations",
        ))
        initial_guess = method_of_moments(model, left, solution.closed, table)
        not_concave_in = _not_known_concave(logf, left, facts)
        concave_in = concave_unknown(x, model.support, left, stationarity, dict(outcome.solution),
                                     separated.with_sums) if not_concave_in else None
        concave_profile = concave_in is not None
        remarks.append(
            f"No closed form for {_parameter_list(left)}: the maximum-likelihood estimate solves the "
            "stationarity equations numerically (numpy() does this)"
            + (", starting from the method-of-moments guess " + ", ".join(
                f"${latex(hat(p))} = {latex(v)}$" for p, v in initial_guess.items()) if initial_guess else "")
            + "."
        )
        if concave_in is not None:
            remarks.append(
                f"The log-likelihood is not known to be concave in {_parameter_list(not_concave_in)}, but with "
                f"{_parameter_list([p for p in left if p != concave_in])} profiled out (its stationarity equation "
                f"solved given ${latex(concave_in)}$) it is strictly concave in ${latex(concave_in)}$ for every sample: its second "
                "derivative is a negative number minus a variance of the data under positive weights (shown "
                "symbolically, by the Cauchy–Schwarz inequality). The root of the stationarity equation is then "
                "the one maximum, and numpy() compares it with no other starts. verify() runs a multi-start search "
                "of its own and reports the number of starts and the best log-likelihood found."
            )
        elif not_concave_in:
            remarks.append(
                f"The log-likelihood is not known to be concave in {_parameter_list(not_concave_in)}, so a root of the "
                f"stationarity equations may be a local maximum. numpy() compares it with a multi-start search: "
                f"{_MULTI_START} verify() runs a multi-start search of its own and reports the number of starts and "
                "the best log-likelihood found."
            )
    centred = sorted({s for e in estimators.values() for s in statistic_symbols(e)
                      if statistic_symbols(s.summand)}, key=str)
    if centred:
        steps.append(Step(
            "Centred moments",
            tuple(sp.Eq(s, table.definition(s)) for s in centred),
            "a mean of squares minus a squared mean is the mean squared deviation; computed this way it does not "
            "lose digits to cancellation",
        ))
    summary = tuple(sp.Contains(hat(p), v, evaluate=False) if isinstance(v, sp.Set) else sp.Eq(hat(p), v)
                    for p, v in estimators.items())
    if summary:
        steps.append(Step("Result", summary, "the maximum-likelihood estimators, written through sample statistics"))
    used = set().union(*(statistic_symbols(e) for e in estimators.values()), *(
        statistic_symbols(e) for e in stationarity), *(statistic_symbols(e) for e in initial_guess.values()))
    set_valued = any(isinstance(v, sp.Set) for v in estimators.values())
    problem = (MaximiserSetProblem if set_valued else MLEProblem)(
        title=f"Maximum likelihood for {model.name}",
        observation=x,
        log_density=_log_density(model),
        support=model.support,
        parameters=model.parameters,
        wrt=wrt,
        fixed=fixed,
        sample_size=n,
        statistics=table.records(used),
        estimators=dict(estimators),
        stationarity=stationarity,
        initial_guess=initial_guess,
        not_concave_in=not_concave_in,
        concave_profile=concave_profile,
        random_variable=model.random_variable,
        unstated_ranges=tuple(p for p in unstated_ranges(model, tuple(wrt)) if p not in estimators),
    )
    derivation = Derivation(
        problem=problem,
        steps=tuple(steps),
        result={p: table.over_sample(v) for p, v in estimators.items()},
        summary=summary,
        assumptions=(
            f"$x_1, \\dots, x_{{{latex(n)}}}$ are independent draws from {model.name}",
            f"every observation lies in the support ${latex(model.support)}$",
        ),
        remarks=tuple(remarks),
    )
    own = [s for s in centred if _about_own_mean(s)]
    return replace(derivation, remarks=derivation.remarks + _bias_remarks(derivation, own)) if own else derivation


def _support_constraints(support: sp.Set, table: StatisticTable) -> tuple[sp.Rel, ...]:
    """Every observation lies in the support: L(theta) <= x_(1) and x_(n) <= U(theta), for limits that move (of
    an interval, or of the integers in one: {1, ..., N})."""
    support = _moving_interval(support)
    if support is None:
        return ()
    smallest, largest = table.order("min"), table.order("max")
    return tuple(c for c in (sp.Le(support.inf, smallest, evaluate=False), sp.Le(largest, support.sup, evaluate=False))
                 if c.free_symbols - {smallest, largest})


def _support_width(support: sp.Set) -> tuple[sp.Expr, ...]:
    support = _moving_interval(support)
    if support is not None and support.inf.is_finite and support.sup.is_finite:
        return (support.sup - support.inf,)
    return ()


def _moving_interval(support: sp.Set) -> sp.Interval | None:
    """The interval that holds the support (itself, or the one whose integers it is) when its limits depend on the
    parameters; None otherwise."""
    held = interval_support(support)
    return held[0] if held is not None and held[0].free_symbols else None


def _support_stage(loglik: sp.Expr, loglik_symbol: sp.Expr, support: sp.Set) -> Stage:
    """The core's active-constraint rule, preceded by the step that restricts the likelihood to the support."""

    def stage(objective: Objective, outcome: Outcome) -> Outcome:
        bounded = boundary_stage(objective, outcome)
        if bounded.solution == outcome.solution:
            return outcome
        feasible = sp.And(*objective.constraints)
        support_step = Step(
            "The support depends on the parameters",
            sp.Eq(loglik_symbol, sp.Piecewise((loglik, feasible), (-sp.oo, True))),
            "the likelihood is zero unless every observation lies in the support, that is, unless "
            f"${latex(feasible)}$: these are inequality constraints on the parameters",
        )
        found = {p: v for p, v in bounded.solution.items() if p not in outcome.solution}
        points = [p for p, v in found.items() if not isinstance(v, sp.Set)]
        remarks = [
            f"The maximum-likelihood estimate of ${latex(p)}$ is not unique: the likelihood is flat on the interval "
            f"${latex(v)}$ and zero outside it, so every point of it is a maximiser; numpy() returns its two ends."
            for p, v in found.items() if isinstance(v, sp.Set)]
        if points:
            remarks.insert(0, "The estimators of " + _parameter_list(points) + " are order statistics, found from the "
                           "support's constraints, not from a zero of the score; they are biased (the sample never "
                           "reaches the true limit of the support).")
            remarks.extend(_open_end_remarks(support, points))
        new_steps = bounded.steps[len(outcome.steps):]
        return replace(bounded, steps=outcome.steps + (support_step,) + new_steps, remarks=bounded.remarks + tuple(remarks))

    return stage


def _open_end_remarks(support: sp.Set, points: list[sp.Symbol]) -> list[str]:
    """A support open at an end that moves with an estimated parameter (x > θ): at the order statistic the
    likelihood is 0, so the supremum is not attained (DeGroot & Schervish 7.5.7)."""
    held = interval_support(support)
    if held is None:
        return []
    interval = held[0]
    open_ends = [end for end, is_open in ((interval.inf, interval.left_open), (interval.sup, interval.right_open))
                 if is_open and end.free_symbols & set(points)]
    return [f"The support is open at ${latex(end)}$, so at the estimate the observation on the edge has density 0: "
            "the likelihood's supremum is approached but not attained, and strictly no maximum exists (DeGroot & "
            "Schervish 7.5.7). The estimate is the maximiser for the support closed at that end, which changes no "
            "probability." for end in open_ends]


def _median_stage(separated: Any, x: sp.Symbol, table: StatisticTable, loglik_symbol: sp.Expr, facts: list) -> Stage:
    """The subgradient rule for parameters inside absolute deviations of the data (a median)."""

    def stage(objective: Objective, outcome: Outcome) -> Outcome:
        for parameter in objective.wrt:
            if parameter in outcome.solution or parameter not in separated.entangled.free_symbols:
                continue
            resolved = absolute_deviation(parameter, separated.with_statistics, separated.entangled, x, table,
                                          loglik_symbol, facts)
            if resolved is not None:
                outcome = outcome.settle({parameter: resolved.estimator}, resolved.steps, resolved.remarks)
        return outcome

    return stage


def _log_density(model: Model) -> sp.Expr:
    """log f for the numeric side, with the support written in as a -oo branch when it depends on parameters."""
    support, logf = model.support, model.log_density_on_support
    if isinstance(support, sp.Interval) and support.free_symbols:
        inside = sp.And(*(c for c in (support.inf <= model.data, model.data <= support.sup) if c is not sp.true))
        return sp.Piecewise((logf, inside), (-sp.oo, True))
    return logf


# What numpy()'s solver does after finding a root (symml.mle.self_checks.SelfChecks._best_of_starts), in words.
_MULTI_START = ("the log-likelihood at 13 starts for a real parameter (the sample's quantiles 5%, 20%, ..., 95% and "
                "the root moved by 0.25, 1 and 4 times its size either way; on up to 64 observations also at each "
                "observation) or 6 for a positive one (0.01 to 100 "
                "times the root), with several parameters each moved in turn and some together; a local "
                "maximisation from each of the three best starts that beat the root; the best maximum kept.")


def _not_known_concave(logf: sp.Expr, left: list, facts: list) -> tuple[sp.Symbol, ...]:
    """The parameters of ``left`` in which the log-density is not shown concave (a negative second derivative);
    with several, all of them (joint concavity is not checked)."""
    if len(left) == 1 and sign_given(sp.diff(logf, left[0], 2), facts) == -1:
        return ()
    return tuple(left)


def _check_identifiable(loglik: sp.Expr, left: list, solution: Any) -> None:
    """The likelihood is flat in some direction when a score equation vanishes identically once the others are
    solved, or when the score equations are dependent (the Hessian is singular for every parameter value)."""
    flat = any(e is sp.true for e in solution.stationarity)
    if not flat and not any(is_trapped(sp.together(e.lhs), p) for e in solution.stationarity for p in left):
        determinant = sp.hessian(loglik, left).det()
        try:
            flat = within(SIMPLIFY_SECONDS, "simplify of the Hessian's determinant", sp.simplify, determinant) == 0
        except BudgetExceededError:
            flat = False
    if flat:
        raise NotIdentifiableError(
            f"the parameters {', '.join(map(str, left))} are not identifiable: the log-likelihood is flat along a "
            "direction in parameter space (its Hessian is singular everywhere); fix one of them or reparametrise"
        )
