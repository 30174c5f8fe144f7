"""The call path of an exported NumPy function: arguments by name, checked once per shape signature.

The first call with a given signature (the shape of each array) checks names, shapes and dimensions and records a
plan: which vectors to reshape into columns, the value of each dimension, how to shape each result. Later calls
with float64 arrays of that signature look the plan up and go straight to the kernel: at n = 10, d = 3 the checks
cost more than the kernel (issue 17). The entry point is generated with the argument names as keyword-only
parameters, so that Python's own argument binding does the name look-ups.

>>> import numpy as np
>>> def kernel(x, n):
...     return x * 2.0
>>> import sympy as sp
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> x = sp.MatrixSymbol("x", n, 1)
>>> double = numpy_call(kernel, [x], [], [n], [(x, "x")])  # the result shaped like x
>>> double(x=np.ones(3))
array([2., 2., 2.])
"""
from __future__ import annotations

import keyword
from typing import Any, Callable, Sequence

import numpy as np
import sympy as sp

from symml.errors import ParameterError, ShapeError

__all__ = ["numpy_call"]

_MAX_SIGNATURES = 64
_FLOAT64 = np.dtype(np.float64)
_MISSING = object()


class _CheckedCall:
    """The kernel called with every check; records the plan of each signature of float64 arrays."""

    def __init__(self, kernel: Callable[..., Any], inputs: Sequence[Any], parameters: Sequence[sp.Symbol],
                 dims: Sequence[sp.Symbol], outputs: Sequence[tuple[Any, str]]) -> None:
        self.kernel = kernel
        self.inputs = list(inputs)
        self.input_names = [str(s.name) for s in inputs]
        self.parameter_names = [str(p.name) for p in parameters]
        self.dims = list(dims)
        self.outputs = list(outputs)
        self.plans: dict[tuple, tuple] = {}

    def __call__(self, arrays: dict[str, Any]) -> Any:
        arrays = {name: value for name, value in arrays.items() if value is not _MISSING}
        known = set(self.input_names) | set(self.parameter_names)
        unknown, missing = sorted(set(arrays) - known), sorted(known - set(arrays))
        if unknown or missing:
            raise ParameterError(
                f"expected arguments {sorted(self.input_names) + self.parameter_names}"
                + (f"; unknown: {unknown}" if unknown else "") + (f"; missing: {missing}" if missing else "")
            )
        sizes: dict[sp.Symbol, int] = {}
        given = [np.asarray(arrays[name], dtype=float) for name in self.input_names]
        args = [_as_2d(array, symbol, sizes) for array, symbol in zip(given, self.inputs)]
        forms = [_form(expr, form, arrays) for expr, form in self.outputs]
        dimension_values = [sizes[dim] for dim in self.dims]
        out = self.kernel(*args, *[float(arrays[name]) for name in self.parameter_names], *dimension_values)
        results = [out] if len(forms) == 1 else list(out)
        raw = [arrays[name] for name in self.input_names]
        if all(isinstance(value, np.ndarray) for value in raw):
            if len(self.plans) >= _MAX_SIGNATURES:
                self.plans.clear()
            shapes = tuple(None if value.shape == arg.shape else arg.shape for value, arg in zip(raw, args))
            finish = _finisher([_fast_shape(value, form) for value, form in zip(results, forms)])
            self.plans[tuple(value.shape for value in raw)] = (shapes, tuple(dimension_values), finish)
        shaped = [_shape(value, form) for value, form in zip(results, forms)]
        return shaped[0] if len(shaped) == 1 else tuple(shaped)


def numpy_call(kernel: Callable[..., Any], inputs: Sequence[Any], parameters: Sequence[sp.Symbol],
               dims: Sequence[sp.Symbol], outputs: Sequence[tuple[Any, str]]) -> Callable[..., Any]:
    """The kernel, called by argument name; ``outputs`` pairs each result expression with its form.

    Args:
        kernel: the generated function, positional arguments: the inputs, the parameters, the dimensions.
        inputs: the matrix symbols, in the kernel's order.
        parameters: the scalar symbols passed by name as numbers.
        dims: the dimension symbols read off the arrays.
        outputs: (expression, form) per result; form is "float", "array" or the name of the input whose layout a
            vector result takes (1-D when that input was given 1-D). One output is returned bare, several as a tuple.
    """
    checked = _CheckedCall(kernel, inputs, parameters, dims, outputs)
    names = checked.input_names + checked.parameter_names
    if not names or not all(name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("_") for name in names):
        return lambda **arrays: checked(arrays)
    inputs_, numbers = checked.input_names, checked.parameter_names
    arguments = ", ".join(f"{name}=_MISSING" for name in names)
    given = ", ".join(f"{name}={name}" for name in names)
    dtypes = "".join(f" or {name}.dtype is not _FLOAT64" for name in inputs_)
    floats = "".join(f"float({name}), " for name in numbers)
    reshaped = "".join(f"{name} if _shapes[{i}] is None else {name}.reshape(_shapes[{i}]), "
                       for i, name in enumerate(inputs_))
    source = (
        f"def _call(*, {arguments}, **_more):\n"
        f"    try:\n"
        f"        _shapes, _sizes, _finish = _plans[({''.join(f'{name}.shape, ' for name in inputs_)})]\n"
        f"        if _more{dtypes}:\n"
        f"            raise KeyError\n"
        f"        _numbers = ({floats})\n"
        f"    except (AttributeError, KeyError, TypeError, ValueError):  # a new signature, a name missing, no array\n"
        f"        return _checked(dict({given}, **_more))\n"
        f"    return _finish(_kernel({reshaped}*_numbers, *_sizes))\n"
    )
    namespace: dict[str, Any] = {"_MISSING": _MISSING, "_FLOAT64": _FLOAT64, "_plans": checked.plans, "_checked": checked,
                 "_kernel": kernel}
    exec(compile(source, "<symml numpy call>", "exec"), namespace)  # code we generated from identifiers
    entry: Callable[..., Any] = namespace["_call"]
    return entry


def _form(expr: Any, form: str, arrays: dict[str, Any]) -> str:
    """"float", "flat" (a vector returned 1-D, as its input was given) or "array"."""
    if form == "float":
        return form
    if form not in ("array", "float") and np.ndim(arrays[form]) == 1 and 1 in tuple(expr.shape):
        return "flat"
    return "array"


def _fast_shape(out: Any, form: str) -> Callable[[Any], Any]:
    """How to shape a result like ``out`` (from the checked call) on later calls of the same signature."""
    if type(out) is np.ndarray and out.dtype is _FLOAT64:
        if form == "float" and out.ndim == 2:
            return lambda value: float(value[0, 0])
        if form == "flat":
            return lambda value: value.reshape(-1)
        if form == "array":
            return lambda value: value
    return lambda value: _shape(value, form)


def _finisher(shapers: list[Callable[[Any], Any]]) -> Callable[[Any], Any]:
    if len(shapers) == 1:
        return shapers[0]
    return lambda values: tuple([shape(value) for shape, value in zip(shapers, values)])


def _shape(out: Any, form: str) -> Any:
    if form == "float":
        return float(np.asarray(out).reshape(-1)[0])
    out = np.asarray(out, dtype=float)
    return out.reshape(-1) if form == "flat" else out


def _as_2d(array: np.ndarray, symbol: Any, sizes: dict[sp.Symbol, int]) -> np.ndarray:
    rows, cols = symbol.shape
    if array.ndim == 1 and (cols == 1 or rows == 1):
        array = array.reshape(-1, 1) if cols == 1 else array.reshape(1, -1)
    elif array.ndim == 0 and (rows, cols) == (1, 1):
        array = array.reshape(1, 1)
    if array.ndim != 2:
        raise ShapeError(f"{symbol.name} must be a matrix of shape {symbol.shape}; got an array of shape {array.shape}")
    for dim, size in zip((rows, cols), array.shape):
        if isinstance(dim, sp.Symbol):
            if sizes.setdefault(dim, size) != size:
                raise ShapeError(f"{symbol.name} has shape {array.shape}, but {dim} = {sizes[dim]} from another input")
        elif dim.is_Integer and int(dim) != size:
            raise ShapeError(f"{symbol.name} must have shape {symbol.shape}; got {array.shape}")
    return array
