"""The call path of an exported NumPy function: arguments by name, checked once per shape signature.

The first call with a given signature (the shape and dtype of each array) checks names, shapes and dimensions,
chooses the kernel (row-blocked or not, by the shapes) and compiles a plan for the signature: a function that
reshapes the vectors into columns, calls the kernel with the dimensions as constants and shapes the results. Later
calls look the plan up by the signature and call it: at n = 10, d = 3 the checks cost more than the kernel (issue
17). The entry point is generated with the argument names as keyword-only parameters, so that Python's own
argument binding does the name look-ups.

The checked call also makes the boundary checks of every ``numpy()`` function
(:func:`symml.operations.refusing_bad_arguments`, which therefore does not wrap this entry point): None, complex
values, values that are not numbers and arrays where a number is expected are DataError/ShapeError naming the
argument. A planned call needs none of them: its signature fixes the arrays' dtypes (plans are made for arrays of
numbers only) and a parameter that is not a float goes through a check of its own (NumPy's complex scalars
convert to a float silently). At n = 10, d = 3 the separate wrapper cost 0.8 µs of a 3.3 µs logistic gradient.

Float32 arrays are computed in float32 and give float32 results (float64 when any input is float64; integers are
converted to the floating type). ``out=`` receives the array results: one array, or a tuple with one array or None
per result; the arrays are filled and returned.

>>> import numpy as np
>>> def kernel(x, n):
...     return x * 2.0
>>> import sympy as sp
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> x = sp.MatrixSymbol("x", n, 1)
>>> double = numpy_call(kernel, [x], [], [n], [(x, "x")])  # the result shaped like x
>>> double(x=np.ones(3))
array([2., 2., 2.])
>>> double(x=np.ones(3, dtype=np.float32)).dtype
dtype('float32')
>>> buffer = np.empty(3)
>>> double(x=np.ones(3), out=buffer) is buffer
True
"""
from __future__ import annotations

import keyword
from typing import Any, Callable, Sequence

import numpy as np
import sympy as sp

from symml.errors import ParameterError, ShapeError
from symml.operations import explain_failure, is_complex, refuse_none_or_complex

__all__ = ["numpy_call"]

_MAX_SIGNATURES = 64
_MISSING = object()

Chooser = Callable[[Sequence[np.ndarray]], Callable[..., Any]]


def _computation_dtype(arrays: Sequence[np.ndarray]) -> np.dtype:
    """float32 when every floating input is float32 (or narrower), else float64: no silent upcast of float32."""
    floating = [a.dtype for a in arrays if a.dtype.kind == "f"]
    if floating and np.result_type(*floating).itemsize <= 4:
        return np.dtype(np.float32)
    return np.dtype(np.float64)


class _CheckedCall:
    """The kernel called with every check; compiles the plan of each signature of arrays."""

    def __init__(self, kernel: Callable[..., Any], inputs: Sequence[Any], parameters: Sequence[sp.Symbol],
                 dims: Sequence[sp.Symbol], outputs: Sequence[tuple[Any, str]], choose: Chooser | None,
                 flat: bool) -> None:
        self.kernel = kernel
        self.choose = choose
        self.flat = flat and len(outputs) == 1
        self.columns = [i for i, s in enumerate(inputs) if s.shape[1] == 1 and s.shape[0] != 1]
        self.inputs = list(inputs)
        self.input_names = [str(s.name) for s in inputs]
        self.parameter_names = [str(p.name) for p in parameters]
        self.dims = list(dims)
        self.outputs = list(outputs)
        self.plans: dict[tuple, Callable[..., Any]] = {}
        names = self.input_names + self.parameter_names
        # plans are compiled with the names as Python parameters; other names take the checked call always
        self.plannable = bool(names) and all(name.isidentifier() and not keyword.iskeyword(name)
                                             and not name.startswith("_") for name in names)

    def __call__(self, arrays: dict[str, Any], out: Any = None, positional: tuple = ()) -> Any:
        if positional:
            named = ", ".join(f"{name}=..." for name in self.input_names + self.parameter_names)
            raise ParameterError(f"arguments are given by name ({named}); got {len(positional)} without a name")
        arrays = {name: value for name, value in arrays.items() if value is not _MISSING}
        refuse_none_or_complex(arrays.items())
        try:
            return self._checked_call(arrays, out)
        except (TypeError, ValueError, OverflowError) as failure:
            explain_failure(failure, list(arrays.items()))
            raise

    def _checked_call(self, arrays: dict[str, Any], out: Any) -> Any:
        check_names(arrays, self.input_names, self.parameter_names)
        sizes: dict[sp.Symbol, int] = {}
        raw = [arrays[name] for name in self.input_names]
        given = [np.asarray(value) for value in raw]
        dtype = _computation_dtype(given)
        args = [as_matrix(np.asarray(array, dtype=dtype), symbol, sizes) for array, symbol in zip(given, self.inputs)]
        forms = [_form(expr, form, arrays) for expr, form in self.outputs]
        dimension_values = [sizes[dim] for dim in self.dims]
        kernel = self.kernel if self.choose is None else self.choose(args)
        numbers = [float(arrays[name]) for name in self.parameter_names]
        computed = kernel(*args, *numbers, *dimension_values)
        results = [computed] if len(forms) == 1 else list(computed)
        # plans for arrays of numbers only: an array of objects of the same shape may hold a string next time
        if self.plannable and all(isinstance(value, np.ndarray) and value.dtype.kind in "biuf" for value in raw):
            if len(self.plans) >= _MAX_SIGNATURES:
                self.plans.clear()
            key = tuple(item for value in raw for item in (value.shape, value.dtype))
            self.plans[key] = self._plan(kernel, raw, args, dimension_values, results, forms, dtype)
        shaped = [_shape(value, form, dtype) for value, form in zip(results, forms)]
        result = shaped[0] if len(shaped) == 1 else tuple(shaped)
        return result if out is None else _write(out, result)

    def _plan(self, kernel: Callable[..., Any], raw: list[np.ndarray], args: list[np.ndarray],
              dimension_values: list[int], results: list[Any], forms: list[str], dtype: np.dtype) -> Callable[..., Any]:
        """The compiled call of one signature: the inputs' conversions and the results' shaping written out.

        Where the kernel is :func:`flat_safe` and every column vector is given 1-D, the vectors go in as given and
        the result comes out 1-D (no reshaping: at n = 10 it costs more than the arithmetic)."""
        flat = self.flat and bool(self.columns) and all(raw[i].ndim == 1 for i in self.columns)
        arguments = [_conversion(name, value, value if flat and i in self.columns else arg, dtype)
                     for i, (name, value, arg) in enumerate(zip(self.input_names, raw, args))]
        arguments += [*self.parameter_names, *map(str, dimension_values)]
        several = len(results) > 1
        shaped = [_flat_shaping("_r", value, form, dtype) if flat else _shaping(f"_r[{i}]" if several else "_r", value,
                                                                               form, dtype)
                  for i, (value, form) in enumerate(zip(results, forms))]
        returned = f"({', '.join(shaped)},)" if several else shaped[0]
        source = (f"def _planned({', '.join([*self.input_names, *self.parameter_names])}):\n"
                  f"    _r = _kernel({', '.join(arguments)})\n"
                  f"    return {returned}\n")
        namespace: dict[str, Any] = {"_kernel": kernel, "_dtype": dtype, "_shape": _shape}
        exec(compile(source, "<symml numpy plan>", "exec"), namespace)  # code we generated from identifiers
        planned: Callable[..., Any] = namespace["_planned"]
        return planned


def numpy_call(kernel: Callable[..., Any], inputs: Sequence[Any], parameters: Sequence[sp.Symbol],
               dims: Sequence[sp.Symbol], outputs: Sequence[tuple[Any, str]], *,
               choose: Chooser | None = None, flat: bool = False) -> Callable[..., Any]:
    """The kernel, called by argument name; ``outputs`` pairs each result expression with its form.

    Args:
        kernel: the generated function, positional arguments: the inputs, the parameters, the dimensions.
        inputs: the matrix symbols, in the kernel's order.
        parameters: the scalar symbols passed by name as numbers.
        dims: the dimension symbols read off the arrays.
        outputs: (expression, form) per result; form is "float", "array" or the name of the input whose layout a
            vector result takes (1-D when that input was given 1-D). One output is returned bare, several as a tuple.
        choose: a function of the 2-D input arrays returning the kernel to call for their shapes (asked once per
            signature); None calls ``kernel`` always.
        flat: whether the kernel computes the same numbers from 1-D vectors
            (:func:`~symml.matrix_calculus.flat_vectors.flat_safe`), so that vectors given 1-D are passed as given.
    """
    checked = _CheckedCall(kernel, inputs, parameters, dims, outputs, choose, flat)
    names = checked.input_names + checked.parameter_names
    has_out = "out" not in names  # an input named out takes the name
    if not checked.plannable:
        def by_name(*positional: Any, **arrays: Any) -> Any:
            return checked(arrays, arrays.pop("out", None) if has_out else None, positional)

        by_name.checks_its_arguments = True  # type: ignore[attr-defined]
        return by_name
    arguments = ", ".join([*(f"{name}=_MISSING" for name in names), *(["out=None"] if has_out else [])])
    given = ", ".join(f"{name}={name}" for name in names)
    key = "".join(f"{name}.shape, {name}.dtype, " for name in checked.input_names)
    floats = "".join(f"        {name} = {name} if {name}.__class__ is float else _number({name})\n"
                     for name in checked.parameter_names)
    call = f"_planned({', '.join(names)})"
    source = (
        f"def _call(*_positional, {arguments}, **_more):\n"
        f"    try:\n"
        f"        _planned = _plans[({key})]\n"
        f"        if _more or _positional:\n"
        f"            raise KeyError\n"
        f"{floats}"
        f"    except (AttributeError, KeyError, TypeError, ValueError):  # a new signature, a name missing, no array\n"
        f"        return _checked(dict({given}, **_more), {'out' if has_out else 'None'}, _positional)\n"
        + (f"    return {call} if out is None else _write(out, {call})\n" if has_out else f"    return {call}\n")
    )
    namespace: dict[str, Any] = {"_MISSING": _MISSING, "_plans": checked.plans, "_checked": checked, "_write": _write,
                                 "_number": _number}
    exec(compile(source, "<symml numpy call>", "exec"), namespace)  # code we generated from identifiers
    entry: Callable[..., Any] = namespace["_call"]
    entry.checks_its_arguments = True  # type: ignore[attr-defined]
    return entry


def _number(value: Any) -> float:
    """A parameter as a float on a planned call; a TypeError (the checked call then refuses it) for complex values,
    which ``float`` would truncate to their real part (a NumPy complex scalar)."""
    if is_complex(value):
        raise TypeError("complex values")
    return float(value)


def _conversion(name: str, value: np.ndarray, arg: np.ndarray, dtype: np.dtype) -> str:
    """The code turning the input ``name`` given as ``value`` into the kernel's argument ``arg``."""
    code = name if value.dtype == dtype else f"{name}.astype(_dtype)"
    if value.shape == arg.shape:
        return code
    if value.ndim == 1:
        return f"{code}[:, None]" if arg.shape[1] == 1 else f"{code}[None, :]"
    return f"{code}.reshape({arg.shape})"


def _shaping(code: str, value: Any, form: str, dtype: np.dtype) -> str:
    """The code shaping a kernel result like ``value`` (from the checked call) on later calls of its signature."""
    if type(value) is not np.ndarray or value.ndim != 2:
        return f"_shape({code}, {form!r}, _dtype)"
    if form == "float":
        return f"float({code}[0, 0])"
    cast = "" if value.dtype == dtype else ".astype(_dtype)"
    return f"{code}.ravel(){cast}" if form == "flat" else f"{code}{cast}"


def _flat_shaping(code: str, value: Any, form: str, dtype: np.dtype) -> str:
    """The code shaping the 1-D result of a flat call like ``value`` (a column from the checked call)."""
    cast = "" if value.dtype == dtype else ".astype(_dtype)"
    return f"{code}{cast}" if form == "flat" else f"{code}.reshape(-1, 1){cast}"


def _form(expr: Any, form: str, arrays: dict[str, Any]) -> str:
    """"float", "flat" (a vector returned 1-D, as its input was given) or "array"."""
    if form == "float":
        return form
    if form not in ("array", "float") and np.ndim(arrays[form]) == 1 and 1 in tuple(expr.shape):
        return "flat"
    return "array"


def _shape(out: Any, form: str, dtype: np.dtype) -> Any:
    if form == "float":
        return float(np.asarray(out).reshape(-1)[0])
    out = np.asarray(out, dtype=dtype)
    return out.reshape(-1) if form == "flat" else out


def _write(out: Any, result: Any) -> Any:
    """The results written into the buffers ``out`` (an array, or a tuple with one array or None per result)."""
    if not isinstance(result, tuple):
        return _fill(out, result)
    if not isinstance(out, (tuple, list)) or len(out) != len(result):
        raise ParameterError(f"out= must be a tuple of {len(result)} entries (an array or None per result)")
    return tuple(value if buffer is None else _fill(buffer, value) for buffer, value in zip(out, result))


def _fill(buffer: Any, value: Any) -> np.ndarray:
    if not isinstance(buffer, np.ndarray) or not isinstance(value, np.ndarray):
        raise ParameterError(f"out= takes an array for an array result; got {type(buffer).__name__} for "
                             f"a {type(value).__name__} result")
    if buffer.shape != value.shape:
        raise ShapeError(f"out= has shape {buffer.shape}; the result has shape {value.shape}")
    np.copyto(buffer, value, casting="same_kind")
    return buffer


def check_names(arrays: dict[str, Any], input_names: list[str], parameter_names: list[str]) -> None:
    """A :class:`ParameterError` naming the unknown and missing arguments, if any."""
    known = set(input_names) | set(parameter_names)
    unknown, missing = sorted(set(arrays) - known), sorted(known - set(arrays))
    if unknown or missing:
        raise ParameterError(
            f"expected arguments {sorted(input_names) + parameter_names}"
            + (f"; unknown: {unknown}" if unknown else "") + (f"; missing: {missing}" if missing else "")
        )


def as_matrix(array: Any, symbol: Any, sizes: dict[sp.Symbol, int]) -> Any:
    """The array (NumPy or JAX) as the matrix ``symbol`` stands for: vectors as columns or rows, a number as 1 x 1;
    its dimensions checked against ``sizes`` and recorded there."""
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
