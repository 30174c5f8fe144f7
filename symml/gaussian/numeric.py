"""``numpy()`` of a Gaussian-algebra derivation: one NumPy function per named output, the inputs passed by name.

>>> import numpy as np, symml
>>> d_a, d_b = symml.dims("d_a d_b")
>>> joint = symml.gaussian.JointGaussian.blocks(d_a, d_b)
>>> f = symml.derive.conditional(joint, given=joint.x_b).numpy()
>>> out = f(mu_a=[0.0], mu_b=[0.0], Sigma_aa=[[2.0]], Sigma_ab=[[1.0]], Sigma_bb=[[1.0]], x_b=[3.0])
>>> out["mean"], out["covariance"]
(array([3.]), array([[1.]]))
"""
from __future__ import annotations

import inspect
from typing import Any, Callable

import sympy as sp

from symml.errors import ParameterError
from symml.gaussian.overflow_safe import overflow_safe
from symml.gaussian.problem import GaussianProblem
from symml.operations import numpy_function

__all__ = ["output_function", "outputs_function", "signature", "SPECIAL", "array_size"]


def signature(expr: Any) -> tuple[list, list]:
    """The matrix symbols of ``expr`` and its scalar parameters (free symbols that are no matrix's dimension)."""
    matrices = sorted(expr.atoms(sp.MatrixSymbol), key=lambda s: s.name)
    dims = {dim for m in matrices for dim in m.shape}
    parameters = sorted((s for s in expr.free_symbols if isinstance(s, sp.Symbol) and s not in dims
                         and not isinstance(s, sp.MatrixSymbol)), key=lambda s: s.name)
    return matrices, parameters


def output_function(expr: Any) -> tuple[Callable[..., Any], set[str]]:
    """A NumPy function of one output, and the names of the arguments it takes."""
    from symml.matrix_calculus.numpy_export import numpy_function as export

    matrices, parameters = signature(expr)
    return export(overflow_safe(expr), matrices, parameters=parameters), {s.name for s in [*matrices, *parameters]}


#: NumPy exports of kinds whose result is not a set of closed forms (a fixed-point iteration), by kind.
SPECIAL: dict[str, Callable[..., Callable[..., Any]]] = {}


@numpy_function.register(GaussianProblem)
def _numpy(problem: GaussianProblem, derivation: Any, **options: Any) -> Callable[..., Any]:
    if problem.kind in SPECIAL:
        export = SPECIAL[problem.kind]
        accepted = sorted(set(inspect.signature(export).parameters) - {"problem"})
        unknown = sorted(set(options) - set(accepted))
        if unknown:  # moments=True of a Wishart posterior (its option is hyperparameters=True) named, not a TypeError
            raise ParameterError(f"numpy() of this derivation takes {' or '.join(f'{o}=True' for o in accepted)}, "
                                 f"not {', '.join(unknown)}")
        return export(problem, **options)
    return outputs_function(problem)


def outputs_function(problem: GaussianProblem) -> Callable[..., dict[str, Any]]:
    """Every named output as a NumPy function of the inputs by name: ``f(**arrays) -> {name: value}``."""
    functions = {name: output_function(expr) for name, expr in problem.outputs}
    matrices = {m for _, expr in problem.outputs for m in expr.atoms(sp.MatrixSymbol)}
    # a size that multiplies a block (N P) is read off the array of the matrix it is a dimension of (X: N x d)
    sizes = {dim.name: (m.name, axis) for m in matrices for axis, dim in enumerate(m.shape) if isinstance(dim, sp.Symbol)}
    expected = set().union(*(names for _, names in functions.values())) - set(sizes)

    def evaluate(**arrays: Any) -> dict[str, Any]:
        unknown, missing = sorted(set(arrays) - expected), sorted(expected - set(arrays))
        if unknown or missing:
            raise ParameterError(f"expected arguments {sorted(expected)}" + (f"; unknown: {unknown}" if unknown else "")
                                 + (f"; missing: {missing}" if missing else ""))
        given = {**arrays, **{dim: array_size(arrays[name], axis) for dim, (name, axis) in sizes.items()}}
        return {name: _squeezed(f(**{k: given[k] for k in names}), expr.shape)
                for (name, expr), (f, names) in zip(problem.outputs, functions.values())}

    evaluate.arguments = sorted(expected)  # type: ignore[attr-defined]
    return evaluate


def array_size(array: Any, axis: int) -> int:
    """The length of an array along an axis of the symbol it stands for (a 1-D array is a column)."""
    import numpy as np

    shape = np.shape(array)
    return int(shape[axis]) if len(shape) == 2 else (int(shape[0]) if axis == 0 else 1)


def _squeezed(value: Any, shape: tuple) -> Any:
    """A vector output comes back 1-D, a 1 x 1 output as a float; matrices stay 2-D."""
    import numpy as np

    array = np.asarray(value, dtype=float)
    if shape == (1, 1):
        return float(array.reshape(()))
    return array.reshape(-1) if shape[1] == 1 else array
