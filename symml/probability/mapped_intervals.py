"""A confidence interval for a function g(θ) of one estimated parameter, monotone on θ's domain: the interval
[L, U] for θ mapped through g,

.. math:: \\theta \\in [L, U] \\iff g(\\theta) \\in [g(L), g(U)] \\quad (g \\text{ increasing; the ends swap if decreasing}),

so the coverage is the interval for θ's, exact where that one is exact (Hogg, McKean & Craig 4.2: the interval for
σ² from the one for σ; Wackerly 8.9). Monotonicity is derived: g'(θ) has a known sign under θ's assumptions, else
the interval is refused (a non-monotone g maps [L, U] to a set whose coverage the ends do not give).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import sympy as sp

from symml.derivation import Derivation, Step, Verification
from symml.errors import ParameterError, UnsupportedOperationError
from symml.mle.numeric import sample_by_its_name
from symml.operations import numpy_function, verify
from symml.probability.expectation import simplified
from symml.probability.numeric import compile_expression

__all__ = ["MappedIntervalProblem", "derive_mapped_interval"]


@dataclass(frozen=True)
class MappedIntervalProblem:
    """The interval for g(θ): the derivation of θ's interval, g, θ and whether g increases."""

    title: str
    interval: Derivation
    target: sp.Expr
    parameter: sp.Symbol
    increasing: bool


def derive_mapped_interval(estimate: Derivation, target: sp.Expr,
                           interval_for: Callable[[sp.Symbol], Derivation]) -> Derivation:
    """The interval for ``target`` = g(θ), θ the one estimated parameter in it, from ``interval_for(θ)``.

    Raises:
        ParameterError: ``target`` involves no estimated parameter, or several.
        UnsupportedOperationError: g is not monotone on θ's domain (g'(θ) has no known sign).
    """
    estimated = [p for p in estimate.problem.wrt if p in target.free_symbols]
    if len(estimated) != 1:
        raise ParameterError(f"an interval for {target} needs it to be a function of one estimated parameter (this "
                             f"derivation estimates {', '.join(map(str, estimate.problem.wrt))})")
    (theta,) = estimated
    slope = simplified(sp.diff(target, theta))
    if not (slope.is_positive or slope.is_negative):
        raise UnsupportedOperationError(
            f"{target} is not known to be monotone in {theta} (its derivative {slope} has no known sign): the ends of "
            f"an interval for {theta} do not give one for it")
    inner = interval_for(theta)
    lower, upper = (target.subs(theta, end) for end in inner.result)
    if slope.is_negative:
        lower, upper = upper, lower
    ends = (sp.Eq(sp.Symbol("lower"), lower, evaluate=False), sp.Eq(sp.Symbol("upper"), upper, evaluate=False))
    step = Step("Monotone map", ends,
                f"$g({sp.latex(theta)}) = {sp.latex(target)}$ is {'in' if slope.is_positive else 'de'}creasing in "
                f"${sp.latex(theta)}$ ($g' = {sp.latex(slope)}$), so ${sp.latex(theta)}$ lies in the interval exactly "
                f"when $g({sp.latex(theta)})$ lies between the images of its ends: the same coverage")
    record = MappedIntervalProblem(f"{inner.problem.title}, mapped to {target}", inner, target, theta,
                                   bool(slope.is_positive))
    return Derivation(record, (*inner.steps, step), (lower, upper), ends, remarks=inner.remarks)


@numpy_function.register(MappedIntervalProblem)
def _numpy(problem: MappedIntervalProblem, derivation: Any, **options: Any) -> Callable[..., tuple[float, float]]:
    inner = problem.interval.numpy()
    g = compile_expression(problem.target)
    needed = {s.name for s in problem.target.free_symbols} - {problem.parameter.name}

    def interval(x: Any, **fixed: Any) -> tuple[float, float]:
        ends = [float(g(**{problem.parameter.name: end, **{k: v for k, v in fixed.items() if k in needed}}))
                for end in inner(x, **fixed)]
        return (ends[0], ends[1]) if problem.increasing else (ends[1], ends[0])

    return sample_by_its_name(interval, problem.interval.problem.estimate.problem)


@verify.register(MappedIntervalProblem)
def _verify(problem: MappedIntervalProblem, derivation: Any, **options: Any) -> Verification:
    """The coverage of θ's interval: g(θ) lies in the mapped interval exactly when θ lies in θ's."""
    return problem.interval.verify(**options)
