"""Maximum likelihood over an integer parameter: θ ∈ {1, 2, 3, ...} (a number of trials, a degree, a mean
restricted to whole numbers by the question).

The real maximiser is derived first, the parameter relaxed to a real of the same sign; the log-likelihood is
unimodal in it (the relaxed derivation's second-order check, or a monotone likelihood beyond a support limit), so
the maximiser over the integers is ⌊θ̃⌋ or ⌈θ̃⌉, whichever has the larger likelihood on the sample; ``numpy()``
compares the two (:mod:`symml.mle.integer_estimates`). Answering the real θ̃ = x̄ = 2.2 for an Exponential mean
known to be a whole number, or x₍ₙ₎ = 3.2 for Uniform(0, θ) with θ an integer (the likelihood is 0 at θ = 3.2's
floor and largest at its ceiling 4), was a wrong answer.

>>> import sympy as sp, sympy.stats as st
>>> theta = sp.Symbol("theta", integer=True, positive=True)
>>> from symml.mle import mle
>>> mle(st.Uniform("X", 0, theta)).result
{theta: {ceiling(max(x)), floor(max(x))}}
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import sympy as sp

from symml.derivation import Derivation, Step
from symml.errors import UnsupportedOperationError
from symml.mle.problem import MLEProblem
from symml.model import Model, as_model
from symml.optimize.core import hat

__all__ = ["IntegerMLEProblem", "integer_parameters", "integer_mle"]


@dataclass(frozen=True)
class IntegerMLEProblem(MLEProblem):
    """An :class:`MLEProblem` whose estimated parameters must be integers.

    Attributes:
        integers: the estimated parameters (relaxed to reals in ``log_density``) whose estimate is an integer.
        lowest: the smallest allowed value of each, in the same order (1 for a positive integer, 0 for a
            non-negative one, -inf otherwise).
    """

    integers: tuple[sp.Symbol, ...] = ()
    lowest: tuple[float, ...] = ()


def integer_parameters(source: Any, wrt: Any) -> tuple[Model, tuple[sp.Symbol, ...]]:
    """The model of ``source`` and those of its estimated parameters declared integer (``integer=True``)."""
    model = as_model(source)
    if wrt is None:
        chosen = set(model.parameters)
    else:
        names = {str(item) for item in ([wrt] if isinstance(wrt, (str, sp.Symbol)) else wrt)}
        chosen = {p for p in model.parameters if p.name in names}
    return model, tuple(p for p in model.parameters if p in chosen and p.is_integer)


def integer_mle(model: Model, wrt: Any, integers: tuple[sp.Symbol, ...]) -> Derivation:
    """The maximum-likelihood derivation of ``model`` whose parameters ``integers`` are whole numbers."""
    from symml.mle.engine import derive_mle

    relaxed = {p: _relaxed(p) for p in integers}
    estimated = model.parameters if wrt is None else [p for p in model.parameters
                                                      if p.name in {str(w) for w in _listed(wrt)}]
    if len(estimated) > len(integers):
        others = ", ".join(p.name for p in estimated if p not in integers)
        if len(integers) == 1:  # the others profiled out in closed form for a fixed integer (a Binomial's p)
            from symml.mle.profiled_integer import profiled_integer_mle

            (original,) = integers
            given = derive_mle(_relaxed_model(model, relaxed), [p.name for p in estimated if p not in integers])
            return profiled_integer_mle(given, relaxed[original], original, _lowest(relaxed[original]))
        raise UnsupportedOperationError(
            f"estimating the integer parameter {', '.join(p.name for p in integers)} together with {others} is "
            f"not supported: fix one of them (wrt=[...]) and estimate the other")
    derivation = derive_mle(_relaxed_model(model, relaxed), [p.name for p in estimated])
    problem = derivation.problem
    if type(problem) is MLEProblem and not problem.estimators and len(integers) == 1:
        from symml.mle.likelihood_ratio import ratio_mle  # the support moves with it (a Binomial's N)

        (original,) = integers
        try:
            return ratio_mle(derivation, relaxed[original], original, _lowest(relaxed[original]))
        except UnsupportedOperationError:
            pass
    if type(problem) is not MLEProblem or set(problem.estimators) != set(problem.wrt):
        raise UnsupportedOperationError(
            f"an integer {', '.join(p.name for p in integers)} is rounded from the real maximiser in closed form; "
            "here the relaxed likelihood has none (or is flat over an interval): fix it and estimate the others")
    real = tuple(relaxed.values())
    integer_problem = IntegerMLEProblem(
        **{f.name: getattr(problem, f.name) for f in fields(MLEProblem)},
        integers=real, lowest=tuple(_lowest(p) for p in real))
    candidates = {original: sp.FiniteSet(sp.floor(problem.estimators[r]), sp.ceiling(problem.estimators[r]))
                  for original, r in relaxed.items()}
    step = Step(
        "Integer parameter",
        tuple(sp.Contains(hat(original), c, evaluate=False) for original, c in candidates.items()),
        f"${', '.join(sp.latex(p) for p in integers)}$ must be an integer: the log-likelihood is unimodal in "
        "the relaxed real parameter (increasing up to its maximiser, decreasing after), so the maximiser over the "
        "integers is the floor or the ceiling of the real one, whichever has the larger likelihood on the sample "
        "(a value below the smallest allowed integer, or outside the support, has likelihood 0)")
    remark = (f"{', '.join(p.name for p in integers)} is an integer: numpy() evaluates the log-likelihood at the "
              "floor and the ceiling of the real maximiser and returns the better")
    rounded = {hat(r): sp.Contains(hat(original), candidates[original], evaluate=False)
               for original, r in relaxed.items()}
    return Derivation(
        problem=integer_problem, steps=(*derivation.steps, step),
        result={**{k: v for k, v in derivation.result.items() if k not in real}, **candidates},
        summary=tuple(rounded.get(getattr(line, "lhs", None), line) for line in derivation.summary),
        assumptions=derivation.assumptions,
        remarks=(*derivation.remarks, remark))


def _listed(wrt: Any) -> list[Any]:
    return [wrt] if isinstance(wrt, (str, sp.Symbol)) else list(wrt)


def _relaxed(parameter: sp.Symbol) -> sp.Symbol:
    if parameter.is_positive:
        return sp.Symbol(parameter.name, positive=True)
    if parameter.is_nonnegative:
        return sp.Symbol(parameter.name, nonnegative=True)
    return sp.Symbol(parameter.name, real=True)


def _lowest(parameter: sp.Symbol) -> float:
    return 1.0 if parameter.is_positive else 0.0 if parameter.is_nonnegative else -float("inf")


def _relaxed_model(model: Model, relaxed: dict[sp.Symbol, sp.Symbol]) -> Model:
    variable = model.random_variable
    return Model(model.logpdf.xreplace(relaxed), model.data, support=model.support.xreplace(relaxed),
                 parameters=[relaxed.get(p, p) for p in model.parameters], name=model.name,
                 random_variable=None if variable is None else variable.xreplace(relaxed))
