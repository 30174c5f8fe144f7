"""The optional JAX backend: the same generated code as :mod:`~symml.matrix_calculus.numpy_export`, run by
``jax.numpy`` and compiled by ``jax.jit``, so that derived maths runs on accelerators unchanged (issue 17).

JAX is not a dependency of symml (``pip install symml[jax]``); without it, ``numpy(backend="jax")`` raises
:class:`~symml.errors.UnsupportedOperationError` naming the missing package. The function takes its inputs by name
like the NumPy one; vectors may be 1-D or columns; the dimensions are read off the shapes while tracing (so each
new shape compiles once). Scalar results are 0-d arrays (differentiable by ``jax.grad``), not Python floats. JAX
computes in float32 unless ``jax.config.update("jax_enable_x64", True)`` is set.

Structure the NumPy backend reads off the expression carries over where it is the maths (products folded from the
thin end, ``diag`` never formed, solves instead of inverses, stable softplus/sigmoid/log-sum-exp); the
BLAS-specific kernels (``syrk``, blocks of rows) are left to XLA.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

import sympy as sp

from symml.errors import UnsupportedOperationError
from symml.matrix_calculus.numpy_call import as_matrix, check_names
from symml.matrix_calculus.numpy_export import dimensions_of, numpy_source, output_forms
from symml.matrix_calculus.numpy_kernels import commutation, power_sum

__all__ = ["jax_function"]


def _jax() -> Any:
    try:
        import jax
    except ImportError as missing:
        raise UnsupportedOperationError(
            "numpy(backend='jax') needs JAX, which is not installed: pip install jax (or symml[jax])") from missing
    return jax


def _namespace(jax: Any) -> dict[str, Any]:
    """The names generated code calls, as JAX functions (``np`` is ``jax.numpy``)."""
    from jax.scipy.special import logsumexp

    def gram(A: Any, weights: Any = None) -> Any:
        return A.T @ (A if weights is None else weights * A)

    return {"np": jax.numpy, "_expit": jax.nn.sigmoid, "_softplus": jax.nn.softplus, "_softmax": jax.nn.softmax,
            "_logsumexp": logsumexp, "_commutation": commutation, "_power_sum": power_sum,
            "_gram": gram}


def jax_function(expr: Any, inputs: Sequence[Any], *, parameters: Iterable[sp.Symbol] = (),
                 like: Any = None) -> Callable[..., Any]:
    """A jit-compiled JAX function of ``expr`` taking ``inputs`` (matrix symbols) and scalar ``parameters`` by name;
    a tuple of expressions gives a function returning a tuple (see the module docstring)."""
    jax = _jax()
    import jax.numpy as jnp

    parameters = sorted(set(parameters), key=lambda s: s.name)
    source = numpy_source(expr, inputs, parameters, blocking=False)
    namespace = _namespace(jax)
    exec(compile(source, f"<symml jax: {type(expr).__name__}>", "exec"), namespace)  # code we generated
    kernel = namespace["_f"]
    dims = dimensions_of(inputs)
    input_names, parameter_names = [str(s.name) for s in inputs], [str(p.name) for p in parameters]
    forms = output_forms(expr, like)

    def traced(arrays: dict[str, Any], numbers: dict[str, Any]) -> Any:
        sizes: dict[sp.Symbol, int] = {}
        args = [as_matrix(arrays[name], symbol, sizes) for name, symbol in zip(input_names, inputs)]
        results = kernel(*args, *(numbers[name] for name in parameter_names), *(sizes[dim] for dim in dims))
        shaped = [_shape(value, form, arrays) for value, form in zip(results if len(forms) > 1 else (results,), forms)]
        return tuple(shaped) if len(forms) > 1 else shaped[0]

    compiled = jax.jit(traced)

    def call(**given: Any) -> Any:
        check_names(given, input_names, parameter_names)
        return compiled({name: jnp.asarray(given[name]) for name in input_names},
                        {name: jnp.asarray(given[name]) for name in parameter_names})

    call.source = source  # type: ignore[attr-defined]
    return call


def _shape(value: Any, form: str, arrays: dict[str, Any]) -> Any:
    """A result in the form of :func:`~symml.matrix_calculus.numpy_call.numpy_call`: 0-d for "float", 1-D for a
    vector whose ``like`` input was given 1-D."""
    if form == "float":
        return value.reshape(-1)[0]
    if form in arrays and arrays[form].ndim == 1 and 1 in value.shape:
        return value.reshape(-1)
    return value
