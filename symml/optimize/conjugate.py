"""The convex conjugate f*(y) = sup_x (yᵀx − f(x)) = −inf_x (f(x) − yᵀx), derived by minimising x out.

The infimum is taken by :func:`symml.optimize.infimum.minimise_out`: the stationarity ∇f(x) = y solved for x and
substituted back, with the domain of y where the maximiser lies in the domain of f (Boyd & Vandenberghe, Convex
Optimization, 3.3, examples 3.21-3.23): eˣ gives y log y − y (y > 0), −log x gives −1 − log(−y) (y < 0),
½xᵀQx gives ½yᵀQ⁻¹y.

>>> x = sp.Symbol("x", real=True)
>>> conjugate(sp.exp(x), x).result
y*log(y) - y
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Derivation, Step, Verification, relative_error
from symml.errors import ParameterError
from symml.operations import numpy_function, verify
from symml.optimize.infimum import is_matrix_problem, minimise_out
from symml.render.printer import latex

__all__ = ["ConjugateProblem", "conjugate"]


@dataclass(frozen=True)
class ConjugateProblem:
    """A function and its derived convex conjugate.

    Attributes:
        title: one line describing the problem.
        function: f, in ``wrt``.
        wrt: the variable x (a Symbol or a vector MatrixSymbol).
        slope: the conjugate's variable y (of x's shape).
        conjugate: f*(y), valid where ``domain`` holds.
        domain: conditions on y (and the parameters) for the supremum to be attained.
    """

    title: str
    function: Any
    wrt: Any
    slope: Any
    conjugate: Any
    domain: tuple = ()


def conjugate(f: Any, wrt: Any, *, slope: Any = None) -> Derivation:
    """The convex conjugate f*(y) = sup_x (yᵀx − f(x)) of ``f``, derived.

    Args:
        f: a scalar expression in ``wrt``, or a 1 x 1 matrix expression in a vector ``wrt``.
        wrt: x, a Symbol or a vector MatrixSymbol (shape (d, 1)).
        slope: y, a Symbol or a MatrixSymbol of x's shape; default ``y`` (``s`` when f uses y).

    Returns:
        a Derivation whose ``result`` is f*(y); ``numpy()`` evaluates it (``fstar(y=..., <parameters>)``),
        ``verify()`` compares with the supremum found by scipy.optimize at random slopes in the domain.

    Raises:
        ParameterError: ``wrt`` does not appear in f, or the slope's shape differs from x's.
        NoClosedFormError: ∇f(x) = y has no closed-form solution.
    """
    from symml.budget import within
    from symml.optimize.core import DERIVE_SECONDS

    return within(DERIVE_SECONDS, "the convex conjugate", _conjugate, sp.sympify(f), wrt, slope)


def _default_slope(f: Any, wrt: Any) -> Any:
    name = "s" if any(getattr(s, "name", "") == "y" for s in f.free_symbols) else "y"
    return sp.MatrixSymbol(name, *wrt.shape) if isinstance(wrt, sp.MatrixSymbol) else sp.Symbol(name, real=True)


def _conjugate(f: Any, wrt: Any, slope: Any) -> Derivation:
    if not isinstance(wrt, (sp.Symbol, sp.MatrixSymbol)) or not f.has(wrt):
        raise ParameterError(f"{wrt} must be a Symbol or a MatrixSymbol that appears in {f}")
    y = slope if slope is not None else _default_slope(f, wrt)
    if getattr(y, "shape", None) != getattr(wrt, "shape", None):
        raise ParameterError(f"the slope {y} must have the shape of {wrt}")
    pairing = y.T * wrt if isinstance(wrt, sp.MatrixSymbol) else y * wrt
    F = f - pairing
    facts = [] if is_matrix_problem(f) else [a.args[0] for a in f.atoms(sp.log) if a.args[0].has(wrt)]
    found = minimise_out(F, wrt, facts, name="F")
    value = -found.value
    if is_matrix_problem(value):
        from symml.matrix_calculus.algebra import tidy

        value = tidy(value)
    else:
        value = sp.expand(value)
    written = sp.Function("f^*")(y)
    steps = [Step("Definition", sp.Eq(written, -sp.Function("inf")(F), evaluate=False),
                  f"f*({latex(y)}) = sup over ${latex(wrt)}$ of ${latex(pairing)} - f$, that is minus the infimum of "
                  f"F = f − ${latex(pairing)}$"),
             *found.steps,
             Step("Conjugate", sp.Eq(written, value, evaluate=False),
                  "minus the infimum" + (": finite where " + " and ".join(f"${latex(c)}$" for c in found.domain)
                                         if found.domain else ""))]
    problem = ConjugateProblem(f"Convex conjugate of ${latex(f)}$", f, wrt, y, value, found.domain)
    return Derivation(problem=problem, steps=tuple(steps), result=value, summary=(sp.Eq(written, value),),
                      assumptions=(found.assumption,) if found.assumption else ())


def _evaluator(expr: Any) -> tuple[Callable[..., float], list[str]]:
    """``expr`` as a function of its symbols by name, and their names."""
    from symml.optimize.dual_numeric import _callable

    names = sorted(s.name for s in expr.free_symbols if isinstance(s, (sp.Symbol, sp.MatrixSymbol)))
    dims = {d for m in expr.atoms(sp.MatrixSymbol) for d in m.shape if isinstance(d, sp.Symbol)} \
        if isinstance(expr, sp.Basic) else set()
    function = _callable(expr, dims)
    return (lambda **values: float(function(values)[0])), [n for n in names if n not in {d.name for d in dims}]


@numpy_function.register(ConjugateProblem)
def _numpy_conjugate(problem: ConjugateProblem, derivation: Derivation, **options: Any) -> Callable[..., float]:
    return _evaluator(problem.conjugate)[0]


@verify.register(ConjugateProblem)
def _verify_conjugate(problem: ConjugateProblem, derivation: Derivation, *, seed: int = 0, instances: int = 3,
                      tolerance: float = 1e-6) -> Verification:
    """At random slopes inside the domain: sup_x (yᵀx − f(x)) by scipy.optimize.minimize from a fixed start."""
    from scipy.optimize import minimize

    from symml.testing import random_spd

    rng = np.random.default_rng(seed)
    fstar, names = _evaluator(problem.conjugate)
    f, _ = _evaluator(problem.function)
    matrix = isinstance(problem.wrt, sp.MatrixSymbol)
    size = 4
    domain = [sp.lambdify(sorted(c.free_symbols, key=str), c) for c in problem.domain]
    domain_names = [[s.name for s in sorted(c.free_symbols, key=str)] for c in problem.domain]
    comparisons: list[Comparison] = []
    for _ in range(200):
        if len(comparisons) >= instances:
            break
        values: dict = {}
        for m in sorted(problem.function.atoms(sp.MatrixSymbol) - {problem.wrt}, key=lambda m: m.name) if matrix \
                else []:
            values[m.name] = random_spd(rng, size) if m.shape[1] != 1 else rng.standard_normal(size)
        # the slope is drawn even where f* is free of it (|x|: f* = 0 on [−1, 1]): the domain is a condition on it
        for name in dict.fromkeys([*names, problem.slope.name, *(n for ns in domain_names for n in ns)]):
            if name not in values:
                values[name] = rng.standard_normal(size) if matrix and name == problem.slope.name else \
                    float(rng.uniform(-2.0, 2.0) if name == problem.slope.name else rng.uniform(0.5, 2.0))
        if not all(bool(check(*[values[n] for n in ns])) for check, ns in zip(domain, domain_names)):
            continue
        slope = values[problem.slope.name]
        bounds = [(1e-12, None)] if getattr(problem.wrt, "is_positive", False) else None

        def negated(x: np.ndarray) -> float:
            at = {**values, problem.wrt.name: x if matrix else float(x[0])}
            return -(float(np.dot(np.ravel(slope), x)) - f(**at))

        start = np.full(size, 0.1) if matrix else np.array([0.5])
        found = minimize(negated, start, method="L-BFGS-B", bounds=bounds, options={"ftol": 1e-15, "gtol": 1e-10})
        derived = fstar(**values)
        comparisons.append(Comparison(f"f*({problem.slope.name}) at a random slope", derived, -float(found.fun),
                                      relative_error(derived, -float(found.fun), 1.0)))
    return Verification.from_comparisons(comparisons, method="scipy.optimize.minimize (L-BFGS-B) of f − yᵀx from a "
                                         "fixed start, at random slopes inside the domain", tolerance=tolerance,
                                         seed=seed)
