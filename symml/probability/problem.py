"""The record a probability derivation carries, and its ``numpy()`` and ``verify()``.

Every probability result (an expectation, moments, an entropy, a KL divergence, a Fisher information matrix)
is a few named SymPy expressions in the parameters; each also has a *reference*: the defining integral or sum
of the same quantity, left unevaluated and never simplified (E[g] = ∫ g f, not the linearised terms), which
``verify()`` evaluates by quadrature at parameter values and compares with ``numpy()``.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Mapping

import numpy as np
import sympy as sp

from symml.derivation import Comparison, Verification, relative_error
from symml.errors import ParameterError
from symml.operations import numpy_function, verify
from symml.probability.numeric import compile_expression, compile_results

__all__ = ["ProbabilityProblem", "default_values"]


@dataclass(frozen=True)
class ProbabilityProblem:
    """A probability quantity of one or two laws.

    Attributes:
        title: one line ("E[X**3] for X ~ Exponential(r)").
        results: the derived values by name (``{"value": ...}``; ``{"mean": ..., "variance": ...}``;
            ``{"0,1": ...}`` for the entries of a matrix; a name with a space, e.g. ``"hessian 0,1"``, is checked by
            ``verify()`` but not returned).
        reference: the same names, each the quantity's defining integral or sum, unevaluated, for ``verify()``.
        form: what ``numpy()`` returns: a ``"scalar"``, a ``"dict"`` of the results, or a ``"matrix"``
            (k x k, from the entries named "i,j").
        parameters: the parameters of the laws, for choosing values in ``verify()``.
        support_bounds: expressions that must be ordered lower < upper at valid parameter values (a Uniform).
        laws: the sympy.stats random variables the quantity is of, whose families' parameter checks ``numpy()``
            runs at the values it is given (a scale declared only real: E[X] of a Gumbel at b = −2 was a number).
    """

    title: str
    results: Mapping[str, sp.Expr]
    reference: Mapping[str, sp.Expr] = field(default_factory=dict)
    form: Literal["scalar", "dict", "matrix"] = "scalar"
    parameters: tuple[sp.Symbol, ...] = ()
    support_bounds: tuple[tuple[sp.Expr, sp.Expr], ...] = ()
    laws: tuple[Any, ...] = ()


def default_values(problem: ProbabilityProblem, seed: int = 0) -> dict[str, float]:
    """Parameter values that satisfy the symbols' assumptions and keep every support non-empty.

    Positive parameters are drawn in (0.6, 2.4), others in (-1, 1), integers in 3..8; a probability
    (a parameter appearing as 1 - p) in (0.15, 0.85).
    """
    rng = np.random.default_rng(seed)
    symbols = set(problem.parameters)
    for expr in problem.results.values():
        symbols |= sp.sympify(expr).free_symbols
    for bounds in problem.support_bounds:
        symbols |= set().union(*(b.free_symbols for b in bounds))
    text = " ".join(str(e) for e in problem.results.values())
    for _ in range(50):
        values: dict[str, float] = {}
        for s in sorted(symbols, key=lambda s: s.name):
            if s.is_integer:
                values[s.name] = float(rng.integers(3, 9))
            elif f"1 - {s.name}" in text or f"{s.name} - 1" in text:
                values[s.name] = float(rng.uniform(0.15, 0.85))
            elif s.is_positive:
                values[s.name] = float(rng.uniform(0.6, 2.4))
            else:
                values[s.name] = float(rng.uniform(-1.0, 1.0))
        at = {s: values[s.name] for s in symbols}
        ordered = all(float(lo.subs(at)) + 0.1 < float(hi.subs(at)) for lo, hi in problem.support_bounds)
        if ordered:
            return values
    raise ParameterError(f"no parameter values found that keep the supports of {problem.title} non-empty")


@numpy_function.register(ProbabilityProblem)
def _numpy(problem: ProbabilityProblem, derivation: Any, **options: Any) -> Callable[..., Any]:
    return _with_parameter_checks(_compiled(problem), problem.laws)


def _with_parameter_checks(function: Callable[..., Any], laws: tuple[Any, ...]) -> Callable[..., Any]:
    """``function`` that first runs each law's parameter check (:func:`symml.model.check_parameters`) at the
    scalar values it is given: a ModelError names a value outside the family's range."""
    if not laws:
        return function

    # each law's parameter symbols, found once here rather than on every call
    parameters = [(law, sorted(law.pspace.distribution.free_symbols, key=str)) for law in laws]

    def checked(**given: Any) -> Any:
        for law, symbols in parameters:
            at = tuple((s, float(given[s.name])) for s in symbols if s.name in given and np.ndim(given[s.name]) == 0)
            if at:
                _check_at(law, at)
        return function(**given)

    return checked


@functools.lru_cache(maxsize=1024)
def _check_at(law: Any, at: tuple[tuple[sp.Symbol, float], ...]) -> None:
    """The law's parameter check at these values, once per law and values (a loop over one value costs ~1 µs)."""
    from symml.model import check_parameters

    check_parameters(law.subs(dict(at)))


def _compiled(problem: ProbabilityProblem) -> Callable[..., Any]:
    if problem.form == "scalar":
        return compile_expression(problem.results["value"], problem.parameters)
    if problem.form == "dict":
        return compile_results(dict(problem.results), problem.parameters)
    # the matrix is the entries named "i,j"; other results (a second route to the same entries) are for verify()
    cells = {name: expr for name, expr in problem.results.items() if " " not in name}
    compiled = compile_results(cells, problem.parameters)
    size = 1 + max(int(name.split(",")[0]) for name in cells)

    def matrix(**given: Any) -> np.ndarray:
        entries = compiled(**given)
        shape = np.broadcast_shapes(*(np.shape(v) for v in entries.values()))
        out = np.empty((size, size) + shape)
        for name, value in entries.items():
            i, j = (int(part) for part in name.split(","))
            out[i, j] = value
        return out

    return matrix


@verify.register(ProbabilityProblem)
def _verify(problem: ProbabilityProblem, derivation: Any, values: Mapping[str, float] | None = None,
            seed: int = 0, tolerance: float = 1e-6, **options: Any) -> Verification:
    """numpy() against the defining integrals or sums, evaluated by quadrature at ``values`` (default: drawn)."""
    values = dict(values) if values is not None else default_values(problem, seed)
    comparisons = []
    for name, expr in problem.results.items():
        needed = {s.name for s in sp.sympify(expr).free_symbols | sp.sympify(problem.reference[name]).free_symbols}
        given = {k: v for k, v in values.items() if k in needed}
        derived = float(compile_expression(expr)(**{k: v for k, v in given.items()
                                                    if k in {s.name for s in sp.sympify(expr).free_symbols}}))
        numeric = float(compile_expression(problem.reference[name])(**{
            k: v for k, v in given.items() if k in {s.name for s in sp.sympify(problem.reference[name]).free_symbols}}))
        comparisons.append(Comparison(name, derived, numeric, relative_error(derived, numeric, scale=1.0)))
    return Verification.from_comparisons(
        comparisons, method="the defining integral or sum by scipy.integrate.quad / partial sums", tolerance=tolerance,
        seed=seed, details=(("parameters", ", ".join(f"{k}={v:.4g}" for k, v in values.items())),))
