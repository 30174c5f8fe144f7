"""The MAP estimate: the log-likelihood objective plus the log prior, maximised by the shared solving core.

The objective is the posterior's log-kernel (:mod:`symml.bayes.kernel`): the MLE's normalised log-likelihood
plus the theta terms of the log prior. :func:`symml.optimize.core.optimise` settles it exactly as it settles a
likelihood: a support constraint that binds (Pareto-Uniform: theta = max(x_m, x_(n))), else stationarity and the
second-order check. Two more steps relate the answer to the MLE:

- where the mode exists: strictly inside the prior's support, for every sample (the statistic at the ends of
  its range), which for a Beta prior on a probability is a, b > 1;
- the prior as pseudo-observations: the log prior is written as the log-likelihood of n_0 observations with
  statistics s_0 (the same functions of theta, solved for n_0 and s_0), so the MAP is the MLE of the pooled sample.

Several parameters with no constraint among them (a Normal-Inverse-Gamma's (mu, s2)) share one stationary point of
the log posterior, solved jointly by the core with its Hessian check; the mode exists where every estimate lies in
its parameter's support, shown for every sample when the sample variance makes it plain. Parameters constrained to
the simplex go through the Lagrangian instead.

>>> import sympy as sp, sympy.stats as st
>>> p = sp.Symbol("p", positive=True); a, b = sp.symbols("a b", positive=True)
>>> derive_map(st.Bernoulli("X", p), st.Beta("P", a, b), p).summary
(Eq(phat, (mean(x)*n + a - 1)/(a + b + n - 2)),)
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import sympy as sp

from symml.bayes.centring import centred
from symml.bayes.finite_prior import finite_map, is_finite_prior
from symml.bayes.kernel import PosteriorKernel, posterior_kernel
from symml.bayes.recognise import terms_in
from symml.budget import SOLVE_SECONDS, within
from symml.derivation import Derivation, Step
from symml.errors import BudgetExceededError, UnsupportedOperationError
from symml.mle.problem import Statistic
from symml.mle.stationary import log_arguments
from symml.mle.statistics import StatisticSymbol, StatisticTable, statistic_symbols
from symml.optimize.clamped import Clamped, clamped
from symml.optimize.subgradient import kinks, subgradient_stage
from symml.optimize.core import Objective, Outcome, boundary_stage, hat, optimise, stationarity_stage
from symml.optimize.lagrange import kkt_cases, lagrangian, multipliers
from symml.render.printer import latex

__all__ = ["MAPProblem", "derive_map"]


@dataclass(frozen=True)
class MAPProblem:
    """A MAP estimate and what ``numpy()`` needs.

    Attributes:
        title: one line naming the problem.
        parameters: theta, one parameter or several.
        observation: the symbol of one observation.
        estimates: the closed forms of the mode (statistics, n, hyperparameters), by parameter; empty when none.
        log_kernel: the log posterior up to a constant (the numeric route when there is no closed form).
        support: the posterior's support.
        statistics: the statistics used, in evaluation order.
        sample_size: the symbol n.
        kernel: the kernel record the derivation was built from (for verify()).
    """

    title: str
    parameters: tuple[sp.Symbol, ...]
    observation: sp.Symbol
    estimates: dict
    log_kernel: sp.Expr
    support: sp.Set
    statistics: tuple[Statistic, ...]
    sample_size: sp.Symbol
    kernel: PosteriorKernel

    @property
    def parameter(self) -> sp.Symbol:
        """The parameter of a one-parameter problem."""
        return self.parameters[0]


def _constraints(kernel: PosteriorKernel) -> tuple[sp.Rel, ...]:
    """theta >= each argument of the support's lower end and <= each of its upper end, when they are finite."""
    support, theta = kernel.support, kernel.parameter
    if not isinstance(support, sp.Interval):
        return ()
    lows = support.inf.args if isinstance(support.inf, sp.Max) else (support.inf,)
    highs = support.sup.args if isinstance(support.sup, sp.Min) else (support.sup,)
    # Only symbolic ends can bind: at a numeric end (0 for a rate, 1 for a probability) the kernel's logs go to -oo.
    return tuple(sp.Le(low, theta, evaluate=False) for low in lows if low.free_symbols) + tuple(
        sp.Le(theta, high, evaluate=False) for high in highs if high.free_symbols)


def _stationarity_where_smooth(objective: Objective, outcome: Outcome) -> Outcome:
    """Stationarity, unless a kink is left that the subgradient rules did not settle (a typed prior -|mu|/b whose b
    has no sign: the weight of the kink is not known to be positive). Setting a derivative with sign(mu) in it to
    zero treats the kink as smooth (it gave x̄ − 1/(bn) for every sample), so there is no closed form then: said,
    and numpy() maximises the log posterior numerically."""
    left = tuple(u for u in objective.wrt if u not in outcome.solution)
    found = kinks(objective.given(outcome.solution), left)
    if not found:
        return stationarity_stage(objective, outcome)
    why = (f"the log posterior is not differentiable where ${latex(found[0])}$ vanishes, and the subgradient "
           "condition was not settled (the sign of the kink's weight is not known: declare its symbols positive); "
           "setting the derivative to zero would treat the kink as smooth")
    return replace(outcome, left=left, stationarity=tuple(sp.Eq(sp.diff(objective.expr, u), 0) for u in left),
                   steps=(*outcome.steps, Step("A kink the subgradient condition does not settle", (found[0],), why)))


def derive_map(likelihood: Any, prior: Any, wrt: Any = None) -> Derivation:
    """The posterior mode of ``wrt`` (see :func:`symml.derive.map`)."""
    kernel = posterior_kernel(likelihood, prior, wrt)
    if is_finite_prior(kernel):
        return finite_map(kernel)
    if kernel.equalities:
        return _constrained_map(kernel)
    if len(kernel.parameters) > 1:
        return _joint_map(kernel)
    theta = kernel.parameter
    symbol = sp.Function("log_pi")(theta)
    constraints = _constraints(kernel)
    abbreviated, back = _abbreviated(kernel.log_kernel, theta, centring=kernel.table) if not constraints \
        else (kernel.log_kernel, {})
    objective = Objective(expr=abbreviated, wrt=(theta,), symbol=symbol, constraints=constraints,
                          facts=tuple(log_arguments(abbreviated, {theta})),
                          stationarity_title="Stationarity of the log posterior", name="log posterior")
    outcome = _restored(optimise(objective, (boundary_stage, subgradient_stage, _stationarity_where_smooth)), back)
    steps = list(kernel.steps) + list(outcome.steps)
    remarks = list(outcome.remarks)
    estimate = outcome.solution.get(theta)
    if estimate is not None:
        estimate = _centred(kernel, estimate)
        steps.extend(_existence_steps(kernel, theta, estimate))
        steps.extend(_pseudo_observation_steps(kernel, estimate))
        clamp = _clamped_to_support(kernel, estimate, objective.facts) if outcome.optimal else None
        if clamp is not None:
            steps.append(clamp.step)
            estimate = clamp.value
    else:
        steps.append(Step("No closed form", outcome.stationarity,
                          f"the stationarity equation has no closed-form root in ${latex(theta)}$; numpy() maximises "
                          "the log posterior numerically"))
        remarks.append(f"No closed form for the MAP of ${latex(theta)}$: numpy() maximises the log posterior "
                       "numerically.")
    used = statistic_symbols(kernel.log_kernel) | (statistic_symbols(estimate) if estimate is not None else set())
    problem = MAPProblem(
        title=f"MAP estimate of ${latex(theta)}$ for {kernel.likelihood.name}", parameters=(theta,),
        observation=kernel.likelihood.data, estimates={theta: estimate} if estimate is not None else {},
        log_kernel=kernel.log_kernel, support=kernel.support,
        statistics=kernel.table.records(used), sample_size=kernel.table.sample_size, kernel=kernel)
    summary = (sp.Eq(hat(theta), estimate),) if estimate is not None else tuple(outcome.stationarity)
    return Derivation(problem=problem, steps=tuple(steps),
                      result={theta: kernel.table.over_sample(estimate)} if estimate is not None else {},
                      summary=summary,
                      assumptions=(f"the observations are independent draws from {kernel.likelihood.name}",),
                      remarks=tuple(remarks))


def _joint_map(kernel: PosteriorKernel) -> Derivation:
    """The joint mode of several parameters with no constraint among them (the Normal-Inverse-Gamma's (mu, s2)):
    every partial derivative of the log posterior vanishes, solved by the shared core, which then checks the
    Hessian; the mode exists where each estimate lies inside its parameter's support."""
    parameters = kernel.parameters
    abbreviated, back = _abbreviated(kernel.log_kernel, parameters, kernel.table.sample_size, centring=kernel.table)
    objective = Objective(expr=abbreviated, wrt=parameters, symbol=sp.Function("log_pi")(*parameters),
                          facts=tuple(log_arguments(abbreviated, set(parameters))),
                          stationarity_title="Stationarity of the log posterior", name="log posterior")
    outcome = _restored(optimise(objective, (stationarity_stage,)), back)
    estimates = {p: outcome.solution[p] for p in parameters if p in outcome.solution}
    steps = list(kernel.steps) + list(outcome.steps)
    remarks = list(outcome.remarks)
    estimates = {p: _centred(kernel, v) for p, v in estimates.items()}
    summary: tuple[sp.Basic, ...] = tuple(sp.Eq(hat(p), v) for p, v in estimates.items())
    if len(estimates) == len(parameters):
        for parameter, estimate in estimates.items():
            steps.extend(_existence_steps(kernel, parameter, estimate))
        steps.extend(_for_every_sample(kernel, [c for s in steps if s.title == "Where the mode exists"
                                                for c in s.lines]))
    else:
        estimates = {}
        summary = conditions = tuple(sp.Eq(sp.factor_terms(sp.diff(kernel.log_kernel, p)), 0) for p in parameters)
        steps.append(Step("No closed form", conditions,
                          "the stationarity equations have no closed-form joint root; numpy() maximises the log "
                          "posterior numerically"))
        remarks.append("No closed form for the joint MAP: numpy() maximises the log posterior numerically.")
    shown = ", ".join(f"${latex(p)}$" for p in parameters)
    used = statistic_symbols(kernel.log_kernel) | set().union(*map(statistic_symbols, estimates.values()))
    problem = MAPProblem(
        title=f"MAP estimate of {shown} for {kernel.likelihood.name}", parameters=parameters,
        observation=kernel.likelihood.data, estimates=estimates, log_kernel=kernel.log_kernel,
        support=kernel.support, statistics=kernel.table.records(used), sample_size=kernel.table.sample_size,
        kernel=kernel)
    return Derivation(problem=problem, steps=tuple(steps),
                      result={p: kernel.table.over_sample(v) for p, v in estimates.items()},
                      summary=summary,
                      assumptions=(f"the observations are independent draws from {kernel.likelihood.name}",),
                      remarks=tuple(remarks))


def _clamped_to_support(kernel: PosteriorKernel, estimate: sp.Expr, facts: tuple) -> Clamped | None:
    """The stationary point clamped to the parameter's support where the log posterior is concave on it (a Normal
    mean declared positive: max(0, x̄n/(n + 1))), so that the result is the mode numpy() computes for every sample;
    None where no end can bind or the concavity is not decided (the existence step then states when it is
    interior)."""
    if estimate.has(sp.Piecewise, sp.Max, sp.Min):
        return None
    return clamped(kernel.log_kernel, kernel.parameter, estimate, kernel.support_of(kernel.parameter), facts)


def _centred(kernel: PosteriorKernel, estimate: sp.Expr) -> sp.Expr:
    """``estimate`` with its numerator and denominator centred (:func:`symml.bayes.centring.centred`): n mean(x²) −
    n x̄² loses every digit when the data sit far from zero (offset 1e6)."""
    if kernel.table.mean(kernel.likelihood.data**2) not in estimate.free_symbols:
        return estimate
    numerator, denominator = (centred(part, kernel.table, sp.factor) for part in sp.fraction(sp.factor(estimate)))
    return numerator / denominator


def _for_every_sample(kernel: PosteriorKernel, conditions: list[sp.Basic]) -> list[Step]:
    """Whether ``gap > 0`` holds for every sample: mean(x²) written as v + x̄² with v = mean((x − x̄)²) >= 0 the
    sample variance, each factor of the gap is then positive term by term, or a quadratic A x̄² + B x̄ + C in the
    sample mean with A > 0 and 4AC − B² > 0 (no real root). Shown when every condition is settled so."""
    x, table = kernel.likelihood.data, kernel.table
    first, second, spread = table.mean(x), table.mean(x**2), table.mean((x - table.mean(x)) ** 2)
    variance = sp.Dummy("v", nonnegative=True)
    shown = sp.Symbol("v", nonnegative=True)
    n = table.sample_size
    facts = {n: sp.Dummy("m", integer=True, nonnegative=True) + 1}
    rewritten = []
    for condition in conditions:
        if not isinstance(condition, sp.StrictGreaterThan) or condition.rhs != 0:
            return []
        numerator, denominator = sp.fraction(sp.factor(condition.lhs))
        factors = [sp.expand(f.xreplace({second: variance + first**2, spread: variance}))
                   for f in (numerator, denominator)]
        if not all(_positive(f, first, facts) for f in factors):
            return []
        rewritten.append(sp.StrictGreaterThan(sp.factor_terms(factors[0] / factors[1]).xreplace({variance: shown}), 0))
    if not rewritten:
        return []
    return [Step("For every sample", tuple(rewritten) + (sp.Eq(shown, table.mean((x - first) ** 2)),),
                 "with $\\overline{x^2} = v + \\bar{x}^2$ ($v \\ge 0$, the sample variance) each condition holds: its "
                 "factors are positive term by term, or quadratics in $\\bar{x}$ with a positive leading coefficient "
                 "and a negative discriminant; so the mode exists for every sample")]


def _positive(expr: sp.Expr, mean: sp.Symbol, facts: dict) -> bool:
    """expr > 0 for every value of the sample mean (and n >= 1, the other symbols as assumed)."""
    expr = sp.expand(expr.xreplace(facts))
    if expr.is_positive:
        return True
    polynomial = sp.Poly(expr, mean) if expr.is_polynomial(mean) else None
    if polynomial is None or polynomial.degree() != 2:
        return False
    a, b, c = polynomial.all_coeffs()
    return bool(sp.expand(a).is_positive and sp.expand(4 * a * c - b**2).is_positive)


def _abbreviated(log_kernel: sp.Expr, theta: sp.Symbol | tuple[sp.Symbol, ...],
                 sample_size: sp.Symbol | None = None, centring: StatisticTable | None = None) -> tuple[sp.Expr, dict]:
    """The kernel with each compound coefficient of a function of theta (a - 1 + n xbar) as one symbol, and the
    map back. The core then solves and checks the second order on ``A log p + B log(1 - p)`` instead of the full
    expressions (seconds less for the Beta-Bernoulli); a symbol keeps the coefficient's sign where SymPy knows it,
    and, given the ``sample_size`` n, where it follows from n >= 1 (a + n/2 - 1/2 > 0 for a > 0), or, given the
    statistics' table, from the coefficient written through centred moments (mean(x²) − 2μx̄ + μ² is
    mean((x − x̄)²) + (x̄ − μ)² ≥ 0: the quartic for a scale under a prior then has one admissible root)
    A kernel with a kink keeps its coefficients: the subgradient regimes are stated through the statistics."""
    if log_kernel.has(sp.Abs):
        return log_kernel, {}
    more = sp.Dummy("m", integer=True, nonnegative=True)
    at_least_one = {sample_size: more + 1} if sample_size is not None else {}

    def sign_of(coefficient: sp.Expr) -> dict:
        tidied = (centred(coefficient, centring),) if centring is not None else ()
        for candidate in (coefficient, sp.expand(coefficient.xreplace(at_least_one)), *tidied):
            if candidate.is_positive:
                return {"positive": True}
            if candidate.is_negative:
                return {"negative": True}
        return {"real": True}

    symbols: dict[sp.Expr, sp.Symbol] = {}
    for function, coefficient in terms_in(log_kernel, theta).items():
        if isinstance(coefficient, sp.Add):
            sign = sign_of(coefficient)
            symbols.setdefault(coefficient, sp.Dummy(f"c_{len(symbols)}", **sign))
    if not symbols:
        return log_kernel, {}
    abbreviated = sp.Add(*(symbols.get(c, c) * g for g, c in terms_in(log_kernel, theta).items()))
    return abbreviated, {v: k for k, v in symbols.items()}


def _restored(outcome: Outcome, back: dict) -> Outcome:
    """The outcome with the abbreviations of :func:`_abbreviated` replaced by what they stand for."""
    if not back:
        return outcome

    def restore(e: Any) -> Any:
        return sp.sympify(e).xreplace(back) if isinstance(e, (sp.Basic, int, float)) else e

    return replace(outcome, solution={k: sp.factor_terms(restore(v)) for k, v in outcome.solution.items()},
                   steps=tuple(Step(s.title, tuple(restore(l) for l in s.lines), s.why) for s in outcome.steps),
                   stationarity=tuple(restore(e) for e in outcome.stationarity))


def _partition_of_unity(kernel: PosteriorKernel, expr: sp.Expr) -> sp.Expr:
    """``expr``'s denominator with the sample means of indicators that sum to one on a finite support (the fractions
    of each value: mean([x = 1]) + mean([x = 2]) + mean([x = 3]) = 1) replaced by that sum's value."""
    support, x = kernel.likelihood.support, kernel.likelihood.data
    statistics = sorted(statistic_symbols(expr), key=str)
    if not isinstance(support, sp.FiniteSet) or len(statistics) < 2:
        return expr
    total = sum(s.summand for s in statistics if isinstance(s, StatisticSymbol))
    if any(sp.simplify(total.subs(x, v)) != 1 for v in support):
        return expr
    # in the denominator only, where all of them appear (n times their sum is n); the numerators keep their own
    numerator, denominator = sp.fraction(sp.together(expr))
    return numerator / sp.expand(denominator.xreplace({statistics[-1]: 1 - sum(statistics[:-1])}))


def _constrained_map(kernel: PosteriorKernel) -> Derivation:
    """The mode on the set the parameters are constrained to (the simplex): the Lagrangian of the log posterior
    with one multiplier per equality, solved by the KKT machinery of the shared core (symml.optimize.lagrange)."""
    parameters, equalities = kernel.parameters, kernel.equalities
    nu = multipliers("nu", len(equalities), [kernel.log_kernel, *equalities])
    written = sp.Function("log_pi")(*parameters)
    cases = kkt_cases(-kernel.log_kernel, parameters, equalities, (), facts=list(parameters))
    if len(cases) != 1:
        raise UnsupportedOperationError(f"the constrained MAP has {len(cases)} KKT cases; one was expected")
    solution = cases[0].solution
    estimates = {p: sp.factor_terms(_partition_of_unity(kernel, solution[p])) for p in parameters}
    steps = list(kernel.steps) + [
        Step("Lagrangian", sp.Eq(sp.Function("L")(*parameters, *nu),
                                 lagrangian(written, equalities, (), nu, ()).subs(written, kernel.log_kernel)),
             "maximise the log posterior subject to the constraints: one multiplier per equality"),
        Step("Stationarity of the Lagrangian", tuple(sp.Eq(sp.diff(kernel.log_kernel + sum(
            v * e for v, e in zip(nu, equalities)), p), 0) for p in parameters) + tuple(sp.Eq(e, 0) for e in equalities),
             "every partial derivative in the parameters vanishes, and the constraints hold"),
        Step("Solve", tuple(sp.Eq(hat(p), v) for p, v in estimates.items()) + tuple(
            sp.Eq(v, solution[v]) for v in nu if v in solution),
             "each stationarity equation gives the parameter in terms of the multiplier; the constraint fixes it"),
    ]
    statistics = set().union(*map(statistic_symbols, estimates.values()))
    at_zero = {s: 0 for s in statistics}
    conditions = [sp.StrictGreaterThan(sp.expand(sp.fraction(sp.together(e))[0].xreplace(at_zero)), 0)
                  for e in estimates.values()]
    steps.append(Step("Where the mode exists", tuple(c for c in conditions if c is not sp.true),
                      "each estimate must lie inside (0, 1) for every sample, including one with no observation of "
                      "its value (its statistic 0): the numerators there must be positive; when they are, the mode "
                      "is interior and the stationary point of the Lagrangian is the maximum of the concave log "
                      "posterior on the simplex"))
    problem = MAPProblem(
        title="MAP estimate of " + ", ".join(f"${latex(p)}$" for p in parameters) + f" for {kernel.likelihood.name}",
        parameters=parameters, observation=kernel.likelihood.data, estimates=estimates, log_kernel=kernel.log_kernel,
        support=kernel.support, statistics=kernel.table.records(statistics), sample_size=kernel.table.sample_size, kernel=kernel)
    return Derivation(problem=problem, steps=tuple(steps),
                      result={p: kernel.table.over_sample(v) for p, v in estimates.items()},
                      summary=tuple(sp.Eq(hat(p), v) for p, v in estimates.items()),
                      assumptions=(f"the observations are independent draws from {kernel.likelihood.name}",),
                      remarks=("The mode exists inside the simplex when " + " and ".join(
                          f"${latex(c)}$" for c in conditions) + "; otherwise it lies on its boundary.",))


def _existence_steps(kernel: PosteriorKernel, theta: sp.Symbol, estimate: sp.Expr) -> list[Step]:
    """The mode is a point of the support only when it lies inside it; for every sample, at the statistic's ends."""
    support = kernel.support_of(theta)
    if not isinstance(support, sp.Interval):
        return []
    gaps: list[sp.Expr] = []
    if support.inf.is_finite and not statistic_symbols(support.inf):
        gaps.append(sp.factor(sp.together(estimate - support.inf)))
    if support.sup.is_finite:
        gaps.append(sp.factor(sp.together(support.sup - estimate)))
    if not gaps:
        return []
    inside = tuple(sp.StrictGreaterThan(g, 0) for g in gaps)
    observation = kernel.likelihood.data
    data_support = kernel.likelihood.support
    ends = _ends_of(data_support)
    extremes: list[sp.Basic] = []
    for statistic in statistic_symbols(estimate):
        if not (isinstance(statistic, StatisticSymbol) and statistic.summand == observation and ends):
            continue
        for end in ends:
            for gap in gaps:
                at_end = gap.subs(statistic, end)
                if at_end.has(sp.zoo, sp.nan, sp.oo, -sp.oo):  # 1/x̄ at x̄ = 0: this end says nothing
                    continue
                numerator, denominator = sp.fraction(sp.factor(at_end))
                extremes += [sp.StrictGreaterThan(sp.expand(numerator), 0), sp.StrictGreaterThan(sp.expand(denominator), 0)]
    condition = sp.And(*extremes) if extremes else sp.true
    steps = [Step("Where the mode exists", inside,
                  f"the stationary point is the mode only if it lies inside the support ${latex(support)}$")]
    if condition not in (sp.true, sp.false):
        steps.append(Step("For every sample", condition,
                          "the conditions at both ends of the statistic's range (the most extreme samples), with "
                          "numerator and denominator positive: they hold for every sample when these hold"))
    return steps


def _ends_of(support: sp.Set) -> tuple[sp.Expr, ...]:
    """The finite ends of the data's support, where a sample mean can sit (all observations at one end)."""
    try:
        low, high = support.inf, support.sup
    except NotImplementedError:
        return ()
    return tuple(e for e in (low, high) if e.is_finite and not e.free_symbols)


def _pseudo_observation_steps(kernel: PosteriorKernel, estimate: sp.Expr) -> list[Step]:
    """The log prior as the log-likelihood of n_0 pseudo-observations with statistics s_0, solved for both."""
    theta, n = kernel.parameter, kernel.table.sample_size
    prior_terms = terms_in(kernel.prior.log_density_on_support, theta)
    likelihood_terms = terms_in(kernel.log_kernel - sum(c * g for g, c in prior_terms.items()), theta)
    statistics = sorted(set().union(*map(statistic_symbols, likelihood_terms.values())), key=str)
    n0 = sp.Symbol("n_0", positive=True)
    pseudo = {s: sp.Symbol(f"s_{i}", real=True) for i, s in enumerate(statistics)}
    replaced = {g: c.xreplace({n: n0, **pseudo}) for g, c in likelihood_terms.items()}
    if set(prior_terms) - set(replaced) or not statistics:
        return [Step("Relation to the MLE", sp.Eq(hat(theta), estimate),
                     "the log prior is added to the log-likelihood as a penalty; no pseudo-sample written through the "
                     "likelihood's statistics reproduces it")]
    equations = [sp.Eq(replaced[g], prior_terms.get(g, 0)) for g in replaced]
    try:
        solutions = within(SOLVE_SECONDS, "solve for the pseudo-observations", sp.solve, equations,
                           [n0, *pseudo.values()], dict=True)
    except (BudgetExceededError, NotImplementedError):
        solutions = []
    if len(solutions) != 1 or set(solutions[0]) != {n0, *pseudo.values()}:
        return []
    found = solutions[0]
    pooled = {s: (n * s + found[n0] * found[pseudo[s]]) / (n + found[n0]) for s in statistics}
    relation = _as_pooled_mle(kernel, estimate, pooled, n + found[n0])
    return [
        Step("The prior as pseudo-observations", tuple(equations) + tuple(sp.Eq(k, v) for k, v in found.items()),
             "the log prior has the form of the log-likelihood of $n_0$ observations with statistics "
             + ", ".join(f"${latex(v)}$ in place of ${latex(s)}$" for s, v in pseudo.items())
             + "; matching the coefficients of each function of the parameter gives them"),
        Step("Relation to the MLE", relation, "the MAP estimate is the maximum-likelihood estimate of the pooled sample: the data plus the prior's "
             f"$n_0 = {latex(found[n0])}$ pseudo-observations; as $n \\to \\infty$ the data dominate and the MAP "
             "tends to the MLE"),
    ] if relation else []


def _as_pooled_mle(kernel: PosteriorKernel, estimate: sp.Expr, pooled: dict, pooled_size: sp.Expr) -> tuple:
    """MAP = the MLE (derived by :func:`symml.mle.engine.derive_mle`) with n and each statistic pooled; checked."""
    from symml.budget import SIMPLIFY_SECONDS, within
    from symml.checker.failures import SYMPY_FAILURES
    from symml.errors import SymmlError
    from symml.mle.engine import derive_mle

    expected: tuple[type[BaseException], ...] = (SymmlError, *SYMPY_FAILURES)
    try:
        mle = derive_mle(kernel.likelihood, wrt=[kernel.parameter]).problem.estimators.get(kernel.parameter)
    except expected:  # an MLE the engine cannot derive: the relation is simply not shown
        return ()
    if mle is None:
        return ()
    by_name = {s.name: s for s in pooled}
    renamed = mle.xreplace({s: by_name[s.name] for s in statistic_symbols(mle) if s.name in by_name})
    on_pooled = renamed.xreplace({**pooled, kernel.table.sample_size: pooled_size})
    try:
        # cancel settles the rational estimates of conjugate pairs at a fraction of simplify's cost
        if within(SIMPLIFY_SECONDS, "cancel MAP − pooled MLE", lambda e: sp.cancel(sp.together(e)),
                  on_pooled - estimate) != 0:
            return ()
    except SymmlError:  # past its budget: the relation is not shown
        return ()
    return (sp.Eq(sp.Symbol(f"{hat(kernel.parameter).name}_MLE"), mle),
            sp.Eq(hat(kernel.parameter), on_pooled, evaluate=False))
