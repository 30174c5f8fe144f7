"""``numpy()`` of a matrix derivation: which expressions are exported (the result, or several named outputs
computed in one pass) and by which backend (:mod:`~symml.matrix_calculus.numpy_export`, or JAX by
:mod:`~symml.matrix_calculus.jax_export`). Imported on the first ``numpy()`` of a matrix derivation.

>>> import numpy as np, symml
>>> n, d = symml.dims("n d")
>>> X, w, y = symml.matrix("X", n, d), symml.vector("w", d), symml.vector("y", n)
>>> together = symml.derive.gradient(symml.losses.least_squares(X, w, y), w).numpy(outputs=("value", "gradient"))
>>> value, gradient = together(X=np.eye(2), w=np.ones(2), y=np.zeros(2))
>>> value, gradient
(2.0, array([2., 2.]))
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from symml.errors import ParameterError
from symml.matrix_calculus.expressions import is_matrix
from symml.matrix_calculus.numpy_export import numpy_function
from symml.matrix_calculus.problem import MatrixDerivativeProblem, inputs_of, scalar_inputs_of
from symml.operations import numpy_function as numpy_operation

__all__: list[str] = []


@numpy_operation.register(MatrixDerivativeProblem)
def _(problem: MatrixDerivativeProblem, derivation: Any, *, outputs: Sequence[str] | None = None,
      backend: str = "numpy", **options: Any) -> Callable[..., Any]:
    """NumPy function of the derived result; inputs by name (``g.numpy()(X=..., w=..., y=...)``).

    ``outputs`` (of a gradient or Hessian derivation) names several results computed in one pass, sharing
    their subexpressions: any of "value", "gradient", "hessian"; the function then returns a tuple.
    ``backend="jax"`` gives the same code run by ``jax.numpy`` and compiled by ``jax.jit``
    (:mod:`~symml.matrix_calculus.jax_export`; JAX is optional).
    """
    if options:
        raise ParameterError(f"unknown options of numpy(): {sorted(options)}; known: outputs, backend")
    export = _backend(backend)
    result = derivation.result
    if outputs is None:
        like = problem.wrt if problem.kind == "gradient" else None
        return export(result, inputs_of(problem, result), parameters=scalar_inputs_of(problem, result), like=like)
    exprs = tuple(_output(problem, derivation, name) for name in outputs)
    inputs = sorted({s for e in exprs for s in inputs_of(problem, e)}, key=lambda s: s.name)
    parameters = {s for e in exprs for s in scalar_inputs_of(problem, e)}
    # the value is a number; the gradient and Hessian take the unknown's layout (its shape, for a 1 x 1 unknown)
    likes = tuple(None if name == "value" else problem.wrt for name in outputs)
    return export(exprs, inputs, parameters=parameters, like=likes)


def _backend(name: str) -> Callable[..., Callable[..., Any]]:
    if name == "numpy":
        return numpy_function
    if name == "jax":
        from symml.matrix_calculus.jax_export import jax_function

        return jax_function
    raise ParameterError(f"unknown backend {name!r}; known: 'numpy', 'jax'")


def _output(problem: Any, derivation: Any, name: str) -> Any:
    """The expression of one named output: the function, or its gradient or Hessian (derived if not this one)."""
    from symml.matrix_calculus.derivatives import gradient, hessian

    if problem.kind not in ("gradient", "hessian") or not is_matrix(problem.wrt):
        raise ParameterError(f"outputs= is for the gradient or Hessian of a vector or matrix; this is a {problem.kind}")
    if name == "value":
        return problem.function
    if name in ("gradient", "hessian"):
        return derivation.result if name == problem.kind else {"gradient": gradient, "hessian": hessian}[name](
            problem.function, problem.wrt).result
    raise ParameterError(f"unknown output {name!r}; known: 'value', 'gradient', 'hessian'")

