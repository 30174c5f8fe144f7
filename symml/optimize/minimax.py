"""An unknown that the objective sees only through the larger (or smaller) of two monotone functions of it.

Once a bounded parameter is settled at its active constraints (a Uniform(c − θ, c + θ)'s half-width at
θ̂ = max(x_(n) − c, c − x_(1))), what is left of the objective may depend on another unknown only through that
maximum: ℓ(c) = −n log 2·max(x_(n) − c, c − x_(1)). It is not differentiable at its optimum, so no score equation
finds it. Where the objective is monotone in the maximum, the optimum makes the maximum as small as it can be (or
the minimum as large); of two functions of c, one decreasing and one increasing, the larger is smallest where they
are equal (Casella & Berger 7.2: the midrange). A decreasing and an increasing function cross once at most, so
the optimum is unique.

>>> import sympy as sp
>>> from symml.optimize.core import Objective, Outcome
>>> c, top, bottom = sp.symbols("c top bottom", real=True); t = sp.Symbol("t", positive=True)
>>> objective = Objective(expr=-sp.log(t), wrt=(t, c))
>>> outcome = Outcome(solution={t: sp.Max(top - c, c - bottom)})
>>> minimax_stage(objective, outcome).solution
{t: -bottom/2 + top/2, c: bottom/2 + top/2}
"""
from __future__ import annotations

from dataclasses import replace

import sympy as sp

from symml.budget import SOLVE_SECONDS, within
from symml.derivation import Step
from symml.errors import BudgetExceededError
from symml.optimize.core import Objective, Outcome, hat
from symml.optimize.signs import sign_given
from symml.render.printer import latex

__all__ = ["minimax_stage"]


def minimax_stage(objective: Objective, outcome: Outcome) -> Outcome:
    """Each unknown not yet settled that a settled one's value holds only through one max (min) of two functions,
    one decreasing and one increasing in it, where the objective is monotone in the settled one in the direction
    that makes the max small (the min large): the unknown where the two are equal."""
    for unknown in objective.wrt:
        if unknown in outcome.solution:
            continue
        for settled, value in list(outcome.solution.items()):
            found = _crossing(objective, outcome, unknown, settled, value)
            if found is not None:
                outcome = found
                break
    return outcome


def _crossing(objective: Objective, outcome: Outcome, unknown: sp.Symbol, settled: sp.Symbol,
              value: sp.Expr) -> Outcome | None:
    if not isinstance(value, (sp.Max, sp.Min)) or len(value.args) != 2 or not value.has(unknown):
        return None
    rest = {p: v for p, v in outcome.solution.items() if p != settled}
    through = objective.given(rest) if rest else objective.expr
    if through.has(unknown):
        return None  # the objective holds the unknown elsewhere too
    direction = sign_given(sp.diff(through, settled), objective.facts)
    if direction is None:
        return None
    # the objective should be as large as possible (maximise) or small (minimise): of the settled value, it then wants
    # the smaller when it decreases in it (maximise) or increases in it (minimise)
    wants_small = (direction < 0) == objective.maximise
    if wants_small != isinstance(value, sp.Max):
        return None  # the max made large (or the min small) runs off to the boundary of the unknown's range
    slopes = [sign_given(sp.diff(argument, unknown), objective.facts) for argument in value.args]
    if sorted(s or 0 for s in slopes) != [-1, 1]:
        return None
    first, second = value.args
    try:
        roots = within(SOLVE_SECONDS, "the crossing of the two bounds", sp.solve, sp.Eq(first, second), unknown)
    except (BudgetExceededError, NotImplementedError):
        return None
    if len(roots) != 1:
        return None
    root = roots[0]
    solution = {p: sp.simplify(v.subs(unknown, root)) for p, v in outcome.solution.items()}
    kind = "larger" if isinstance(value, sp.Max) else "smaller"
    steps = (
        Step(f"The {objective.name} depends on ${latex(unknown)}$ through a {kind} of two",
             (sp.Eq(hat(settled), value),),
             f"the {objective.name} {'decreases' if direction < 0 else 'increases'} in ${latex(settled)}$, so the "
             f"best ${latex(unknown)}$ makes the {kind} of the two as {'small' if wants_small else 'large'} as it can "
             f"be; one of them decreases and the other increases in ${latex(unknown)}$, so it is "
             f"{'smallest' if wants_small else 'largest'} where they are equal, and only there (the optimum is "
             "unique; no derivative vanishes at this kink)"),
        Step("Solve", (sp.Eq(first, second), sp.Eq(hat(unknown), root),
                       *(sp.Eq(hat(p), v) for p, v in solution.items())),
             f"the two are equal at one point; substituted into ${latex(hat(settled))}$"),
    )
    remark = (f"The estimate of ${latex(unknown)}$ is unique: the {objective.name} depends on it through the {kind} of "
              "a decreasing and an increasing function, which is optimal only where the two cross.")
    return replace(outcome.settle({unknown: root}, steps, (remark,)), solution={**solution, unknown: root})
