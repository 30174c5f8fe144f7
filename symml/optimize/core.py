"""The solving core: an objective in, its optimum out, by small rules applied in turn.

Every optimisation symml derives (a maximum likelihood, a MAP estimate, a Lagrangian's stationary point, a
minimiser) goes through :func:`optimise`. Each stage is a function ``(Objective, Outcome) -> Outcome`` that
settles the unknowns it can and records its steps:

1. :func:`boundary_stage`: an unknown in an inequality constraint (a support limit), when the objective is
   monotone in it, sits where its active constraints bind; when the objective is flat in it, every value between
   its constraints is optimal, an Interval (:mod:`symml.optimize.active_set`);
2. extra stages a caller supplies (the MLE engine's subgradient rule for absolute deviations);
3. :func:`stationarity_stage`: the remaining unknowns make every partial derivative vanish; the system is solved
   in closed form where one exists (:mod:`symml.optimize.scalar_solve`), otherwise the stationarity equations are
   the result, for a numeric solver; then the second-order condition.

>>> p = sp.Symbol("p", positive=True)
>>> outcome = optimise(Objective(-p*sp.log(p) - (1 - p)*sp.log(1 - p), (p,), facts=(1 - p,)))
>>> outcome.solution, outcome.optimal
({p: 1/2}, True)
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Sequence

import sympy as sp

from symml.budget import SIMPLIFY_SECONDS, within
from symml.derivation import Step
from symml.errors import BudgetExceededError
from symml.optimize.active_set import active_constraints, flat_constraints
from symml.optimize.scalar_solve import Solution, factored, out_of_data_sums, solve_stationarity
from symml.optimize.second_order import definiteness
from symml.optimize.signs import positive_where_defined
from symml.render.printer import latex

__all__ = ["Objective", "Outcome", "Stage", "optimise", "boundary_stage", "stationarity_stage", "hat",
           "tie_remark", "DERIVE_SECONDS"]

#: The overall budget of one derivation built on the core (MLE, stationary point, minimise): every symbolic call
#: inside has its own budget as well, and this one bounds their sum.
DERIVE_SECONDS = 30.0


def hat(unknown: sp.Symbol) -> sp.Symbol:
    """θ̂, the symbol of an optimal value: SymPy prints ``muhat`` as a hatted mu (``x_m`` -> x̂_m).

    >>> from symml.render.printer import latex
    >>> latex(hat(sp.Symbol("mu"))), latex(hat(sp.Symbol("x_m"))), latex(hat(sp.Symbol("sigma2")))
    ('\\\\hat{\\\\mu}', '\\\\hat{x}_{m}', '\\\\hat{\\\\sigma}_{2}')
    """
    from sympy.printing.conventions import split_super_sub

    # the hat goes on the letter, before SymPy's scripts: sigma2 (printed σ₂) gives σ̂₂, not sigma2̂
    base, supers, subs = split_super_sub(unknown.name)
    name = base + "hat" + "".join(f"__{s}" for s in supers) + "".join(f"_{s}" for s in subs)
    return sp.Symbol(name, **{k: v for k, v in unknown.assumptions0.items() if k in ("real", "positive")})


@dataclass(frozen=True)
class Objective:
    """What to optimise.

    Attributes:
        expr: the scalar objective, a SymPy expression in ``wrt`` (and other symbols, held fixed).
        wrt: the scalar unknowns.
        maximise: maximise (True) or minimise (False).
        symbol: how the objective is written in the steps (``ell(mu, sigma)``); default ``f(wrt)``.
        constraints: inequalities ``Le(lhs, rhs)`` that hold on the feasible region (support limits).
        facts: expressions known to be positive on the feasible region (a support's width, 1 - p).
        tidy: a rewrite applied to every candidate solution (the MLE engine centres raw moments).
        substitute: the objective with some unknowns fixed at their optimal values; default ``expr.subs``.
        stationarity_title: the heading of the stationarity step ("Score equations" for a likelihood).
        name: what the objective is called in the justifications ("log-likelihood", "log posterior").
    """

    expr: sp.Expr
    wrt: tuple[sp.Symbol, ...]
    maximise: bool = True
    symbol: sp.Expr | None = None
    constraints: tuple[sp.Rel, ...] = ()
    facts: tuple[sp.Expr, ...] = ()
    tidy: Callable[[sp.Expr], sp.Expr] = field(default=lambda e: e)
    substitute: Callable[[dict], sp.Expr] | None = None
    stationarity_title: str = "Stationarity"
    name: str = "objective"

    @property
    def written(self) -> sp.Expr:
        return self.symbol if self.symbol is not None else sp.Function("f")(*self.wrt)

    def written_in(self, unknowns: Sequence[sp.Symbol]) -> sp.Expr:
        written = self.written
        return written.func(*unknowns) if isinstance(written, sp.core.function.AppliedUndef) else written

    def given(self, found: dict) -> sp.Expr:
        return self.substitute(found) if self.substitute is not None else self.expr.subs(found)


@dataclass(frozen=True)
class Outcome:
    """What the stages found.

    Attributes:
        solution: closed forms ``{unknown: value}``.
        steps: the steps, in order.
        remarks: what a reader must know (no closed form, an undecided second order, ...).
        stationarity: for the unknowns without a closed form, the equations a numeric solver must satisfy.
        left: the unknowns without a closed form.
        solved: the closed-form solver's full answer (profiled values, discarded roots), when it ran.
        optimal: whether the second-order condition (or a rule) shows the solution is the optimum sought;
            None when undecided or not checked.
        hessian: the Hessian of the objective at the solution, when the second order was checked.
        reduced: the objective in the unknowns the stationarity stage solved for (the others substituted).
    """

    solution: dict = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    remarks: tuple[str, ...] = ()
    stationarity: tuple = ()
    left: tuple = ()
    solved: Solution | None = None
    optimal: bool | None = None
    hessian: sp.Matrix | None = None
    reduced: sp.Expr | None = None

    def settle(self, found: dict, steps: Sequence[Step], remarks: Sequence[str] = ()) -> "Outcome":
        """This outcome with more unknowns settled."""
        return replace(self, solution={**self.solution, **found}, steps=self.steps + tuple(steps),
                       remarks=self.remarks + tuple(remarks))


Stage = Callable[[Objective, Outcome], Outcome]


def boundary_stage(objective: Objective, outcome: Outcome) -> Outcome:
    """Unknowns in the inequality constraints, where the objective is monotone in them: the active set decides."""
    for unknown in objective.wrt:
        if unknown in outcome.solution or not any(unknown in c.free_symbols for c in objective.constraints):
            continue
        facts = list(dict.fromkeys([*objective.facts, *(sp.sympify(f).subs(outcome.solution) for f in objective.facts)]))
        bound = active_constraints(unknown, objective.given(outcome.solution), list(objective.constraints),
                                   facts, objective.written, maximise=objective.maximise,
                                   estimate=hat(unknown))
        if bound is not None:
            outcome = outcome.settle({unknown: bound.value}, bound.steps)
    for unknown in objective.wrt:  # then those the objective is flat in, once the others in their limits are settled
        involved = [c.subs(outcome.solution) for c in objective.constraints if unknown in c.free_symbols]
        if unknown in outcome.solution or not involved or any(
                c.free_symbols & set(objective.wrt) - {unknown} for c in involved):
            continue
        bound = flat_constraints(unknown, objective.given(outcome.solution), involved, objective.written,
                                 maximise=objective.maximise, estimate=hat(unknown))
        if bound is not None:
            outcome = outcome.settle({unknown: bound.value}, bound.steps)
    return outcome


def stationarity_stage(objective: Objective, outcome: Outcome) -> Outcome:
    """The unknowns not yet settled: stationarity, closed-form solve, second order (or the numeric route)."""
    smooth = [u for u in objective.wrt if u not in outcome.solution]
    if not smooth:
        return outcome
    steps: list[Step] = []
    expr = objective.expr
    if outcome.solution:
        expr = objective.given(outcome.solution)
        steps.append(Step(
            "Substitute the estimators found so far",
            sp.Eq(objective.written_in(smooth), expr),
            f"the remaining unknowns optimise the {objective.name} with these held at their optimal values",
        ))
    derivatives = {u: sp.diff(expr, u) for u in smooth}
    where = "maximum" if objective.maximise else "minimum"
    steps.append(Step(
        objective.stationarity_title,
        tuple(sp.Eq(sp.Derivative(objective.written, u), d, evaluate=False) for u, d in derivatives.items())
        + tuple(sp.Eq(factored(d), 0, evaluate=False) for d in derivatives.values()),
        f"at an interior {where} every partial derivative of the {objective.name} vanishes",
    ))
    solved = solve_stationarity(derivatives, list(objective.facts), tidy=objective.tidy, objective=expr,
                                maximise=objective.maximise)
    remarks = [f"The {what}; it is treated as having no closed form." for what in solved.over_budget]
    remarks += [tie_remark(solved.ties, objective.maximise)] if solved.ties else []
    if solved.closed:
        why = solved.how + (
            "; the other roots (" + ", ".join(f"${latex(u)} = {latex(v)}$" for c in solved.discarded for u, v in c.items())
            + f") fail the second-order condition of a {where}" if solved.discarded else "")
        steps.append(Step("Solve", tuple(sp.Eq(hat(u), v) for u, v in solved.closed.items()), why))
    left = tuple(u for u in smooth if u not in solved.closed)
    outcome = replace(outcome.settle(solved.closed, steps, remarks), solved=solved, reduced=expr)
    if left:
        return replace(outcome, left=left, stationarity=solved.stationarity)
    return _second_order(objective, expr, solved.closed, outcome)


def tie_remark(ties: Sequence[dict], maximise: bool) -> str:
    """The other points where the optimum is attained, said: the result is one of several optimal points."""
    others = "; ".join(", ".join(f"${latex(u)} = {latex(v)}$" for u, v in tie.items()) for tie in ties)
    return (f"The {'maximum' if maximise else 'minimum'} is not unique: the objective takes the same value at "
            f"{others}. The result is one of the optimal points.")


def _second_order(objective: Objective, expr: sp.Expr, solution: dict, outcome: Outcome) -> Outcome:
    unknowns = list(solution)
    # The unknowns taken out of the data sums first, and the solution's own sums split: substituted inside a sum,
    # a solution multiplies out with every term (an EM M-step's 5 x 5 Hessian: past its 5 s budget, now 0.5 s).
    hessian = sp.hessian(expr, unknowns).applyfunc(out_of_data_sums).subs(
        {u: out_of_data_sums(v) for u, v in solution.items()})
    facts = list(objective.facts) + [sp.sympify(f).subs(solution) for f in objective.facts] \
        + positive_where_defined(solution.values())
    try:  # bounded: GDA's 4 x 4 Hessian at its pooled variance took 166 s to factor and 7 s more to sign
        hessian, verdict = within(SIMPLIFY_SECONDS, "the second-order check", _signed_hessian, hessian,
                                  objective.tidy, facts)
    except BudgetExceededError:
        verdict = None
    wanted = -1 if objective.maximise else 1
    shown = hessian[0, 0] if hessian.shape == (1, 1) else hessian
    first = unknowns[0]
    lhs = (sp.Subs(sp.Derivative(objective.written_in([first]), (first, 2)), first, hat(first))
           if hessian.shape == (1, 1) else sp.MatrixSymbol("H", *hessian.shape))
    kind = "maximum" if objective.maximise else "minimum"
    remarks: list[str] = []
    if verdict == wanted:
        sign = "negative" if objective.maximise else "positive"
        why = (f"{sign} at the solution, so it is a {kind}" if hessian.shape == (1, 1) else
               f"the Hessian at the solution is {sign} definite (Sylvester's criterion on its leading principal "
               f"minors), so the solution is a {kind}")
    else:
        why = "the sign of the second derivative at the solution is not decided symbolically"
        remarks.append(f"The second-order condition could not be decided symbolically; verify() checks the {kind} "
                       "numerically.")
    step = Step("Second-order check", sp.Eq(lhs, shown, evaluate=False), why)
    return replace(outcome.settle({}, [step], remarks), optimal=(verdict == wanted) if verdict is not None else None,
                   hessian=hessian)


_EXPANDED_OPS = 120
#: How many times longer than the entry its expansion may be and still be the form that is factored.
_EXPANDED_GROWTH = 4


def _signed_hessian(hessian: sp.Matrix, tidy: Callable[[sp.Expr], sp.Expr],
                    facts: list) -> tuple[sp.Matrix, int | None]:
    """The Hessian tidied entry by entry, and its definiteness given ``facts``."""
    hessian = hessian.applyfunc(lambda e: sp.factor(sp.cancel(sp.together(tidy(_expanded_if_short(e))))))
    return hessian, definiteness(hessian, facts)


def _expanded_if_short(entry: sp.Expr) -> sp.Expr:
    """``entry`` expanded, unless it is long or its expansion is: expanding GDA's entry at its pooled variance (169
    operations) made factoring it take minutes instead of 0.1 s, and the Hardy–Weinberg log-likelihood's at
    p̂ = (n_AA + n_Aa/2)/n (79 operations, powers of sums in its denominators) multiplied out to 3,945, which
    cancel then spent the check's whole 5 s budget on (0.04 s unexpanded)."""
    if sp.count_ops(entry) > _EXPANDED_OPS:
        return entry
    expanded = sp.expand(entry)
    return expanded if sp.count_ops(expanded) <= _EXPANDED_GROWTH * sp.count_ops(entry) else entry


DEFAULT_STAGES: tuple[Stage, ...] = (boundary_stage, stationarity_stage)


def optimise(objective: Objective, stages: Sequence[Stage] = DEFAULT_STAGES) -> Outcome:
    """Run ``stages`` on ``objective`` in order; each settles the unknowns it can.

    Args:
        objective: the objective, its unknowns, constraints and facts.
        stages: the rules to apply; default: active constraints, then stationarity.
    """
    outcome = Outcome()
    for stage in stages:
        outcome = stage(objective, outcome)
    return outcome
