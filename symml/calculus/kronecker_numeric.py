"""numpy() and verify() for derivatives taken in indices (:class:`~symml.calculus.kronecker.IndexedDerivativeProblem`).

``numpy()`` returns ``f(X=..., w=..., <scalar>=...)``: the arrays by the IndexedBases' names, the sizes read off
their shapes; a gradient comes back as a vector over the entries of w, a Hessian as a matrix.

``verify()`` draws small random sizes (2 to 4 for every size symbol) and random arrays (positive entries for a
base declared positive), and compares the result with finite differences of the *loss* evaluated on those
arrays (:mod:`symml.testing`), at several random points.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import sympy as sp

from symml.calculus.index_arrays import base_shapes, evaluate, index_ranges
from symml.calculus.kronecker import IndexedDerivativeProblem
from symml.derivation import Comparison, Derivation, Verification
from symml.errors import ParameterError
from symml.operations import numpy_function, verify
from symml.testing import gradient_errors, hessian_errors

__all__: list[str] = []

_TOLERANCE = {"gradient": 1e-6, "hessian": 1e-4}


def _names(problem: IndexedDerivativeProblem, result: sp.Expr) -> tuple[list[str], list[str]]:
    """(the IndexedBase names, the scalar symbol names) the loss and the result take."""
    expressions = sp.Tuple(problem.loss, result)
    bases = sorted({str(node.base.label) for node in expressions.atoms(sp.Indexed)})
    bound = set(index_ranges(problem.loss)) | set(index_ranges(result)) | {i for i, _, _ in problem.free}
    sizes = {s for low_high in index_ranges(problem.loss).values() for e in low_high for s in e.free_symbols}
    scalars = sorted(s.name for s in expressions.free_symbols
                     if isinstance(s, sp.Symbol) and s not in bound | sizes and s.name not in bases)
    return bases, scalars


@numpy_function.register(IndexedDerivativeProblem)
def _(problem: IndexedDerivativeProblem, derivation: Derivation, **options: Any) -> Callable[..., Any]:
    result = derivation.result
    bases, scalars = _names(problem, result)

    def derived(**values: Any) -> np.ndarray:
        unknown = sorted(set(values) - set(bases) - set(scalars))
        missing = sorted((set(bases) | set(scalars)) - set(values))
        if unknown or missing:
            raise ParameterError(f"the function takes {bases + scalars}; missing {missing}, unknown {unknown}")
        return evaluate(result, {b: values[b] for b in bases}, {s: values[s] for s in scalars}, problem.free)

    derived.__doc__ = f"The derived {problem.kind} evaluated on arrays; keyword arguments {bases + scalars}."
    return derived


def _random_arrays(problem: IndexedDerivativeProblem, rng: np.random.Generator) -> dict[str, np.ndarray]:
    shapes = base_shapes(problem.loss, index_ranges(problem.loss))
    sizes = {s: sp.Integer(rng.integers(2, 5)) for shape in shapes.values() for e in shape
             for s in sp.sympify(e).free_symbols}
    arrays = {}
    for node in problem.loss.atoms(sp.Indexed):
        name = str(node.base.label)
        shape = tuple(int(sp.sympify(e).xreplace(sizes)) for e in shapes[name])
        values = rng.normal(0, 0.7, size=shape)
        arrays[name] = np.exp(values) if node.base.label.is_positive else values
    return arrays


@verify.register(IndexedDerivativeProblem)
def _(problem: IndexedDerivativeProblem, derivation: Derivation, *, trials: int = 3, seed: int = 0,
      tolerance: float | None = None) -> Verification:
    derived = numpy_function(problem, derivation)
    bases, scalars = _names(problem, derivation.result)
    name = str(problem.wrt.label)
    rng = np.random.default_rng(seed)
    comparisons: list[Comparison] = []
    for trial in range(trials):
        for _ in range(50):  # a point where the loss is finite (domains such as log)
            arrays = _random_arrays(problem, rng)
            point = {s: float(rng.normal(0, 1)) for s in scalars}

            def loss(v: np.ndarray, arrays: dict = arrays, point: dict = point) -> float:
                return float(evaluate(problem.loss, dict(arrays, **{name: v}), point))

            with np.errstate(all="ignore"):
                if np.isfinite(loss(arrays[name])):
                    break
        else:
            raise ParameterError(f"no random arrays found where {problem.loss} is finite")
        data = dict(arrays, **point)

        def at(v: np.ndarray, data: dict = data) -> np.ndarray:
            return derived(**dict(data, **{name: v}))

        check = gradient_errors if problem.kind == "gradient" else hessian_errors
        found = check(loss, at, arrays[name], seed=seed + trial)
        comparisons.extend(Comparison(f"{problem.kind} in indices, {name} of length {arrays[name].size}",
                                      float(a), float(b), float(e)) for a, b, e in found)
    return Verification.from_comparisons(comparisons, method="central finite differences of the loss evaluated on "
                                         "random arrays of random small sizes (symml.testing)", seed=seed,
                                         tolerance=_TOLERANCE[problem.kind] if tolerance is None else tolerance)
