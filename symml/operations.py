"""The operations a derivation offers beyond rendering, each dispatching on the type of its problem record.

A kind of derivation registers its implementations next to its own code:

    @numpy_function.register(MyProblem)
    def _(problem, derivation, **options): ...

The base cases raise a clear error naming the type, so a new kind that forgets one fails loudly. A kind whose
implementations import NumPy or SciPy can name their modules with :func:`register_lazily` instead, so that
deriving does not import them: the first ``numpy()`` or ``verify()`` of that kind imports them.
"""
from __future__ import annotations

import functools
import importlib
import inspect
import sys
from functools import singledispatch
from typing import Any, Callable, Iterable

from symml.errors import DataError, ParameterError, ShapeError, SymmlError, UnsupportedOperationError

__all__ = ["numpy_function", "verify", "register_lazily", "refusing_bad_arguments", "refuse_none_or_complex",
           "explain_failure", "is_complex"]

#: {problem type: the modules that register its operations}, imported on the first call for that type.
_PROVIDERS: dict[type, tuple[str, ...]] = {}


def register_lazily(problem_type: type, *modules: str) -> None:
    """Import ``modules`` (which register ``numpy_function``/``verify`` for ``problem_type``) on first use."""
    _PROVIDERS[problem_type] = modules


def _import_providers(problem: Any) -> None:
    """Import the modules registered for ``type(problem)`` (once)."""
    for module in _PROVIDERS.pop(type(problem), ()):
        importlib.import_module(module)


class _Operation:
    """An operation dispatching on the type of its problem record; a kind's lazily named modules are imported
    before every dispatch, so importing one of them early (a test, a user) cannot hide the others."""

    def __init__(self, name: str, missing: str) -> None:
        self.__name__ = self.__qualname__ = name
        self.__doc__ = f"{missing[0].upper()}{missing[1:]}; dispatches on ``type(problem)``."

        def unsupported(problem: Any, derivation: Any, **options: Any) -> Any:
            raise UnsupportedOperationError(f"no {missing} is defined for a {type(problem).__name__} derivation")

        self._dispatch = singledispatch(unsupported)

    def register(self, problem_type: type) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator: the implementation for derivations whose problem is a ``problem_type``."""
        return self._dispatch.register(problem_type)

    def __call__(self, problem: Any, derivation: Any, **options: Any) -> Any:
        _import_providers(problem)
        implementation = self._dispatch.dispatch(type(problem))
        if options:
            _check_options(self.__name__, implementation, problem, derivation, options)
        return implementation(problem, derivation, **options)


def _check_options(operation: str, implementation: Callable[..., Any], problem: Any, derivation: Any,
                   options: dict[str, Any]) -> None:
    """An option the kind's implementation does not take is a ParameterError naming the ones it does."""
    try:
        signature = inspect.signature(implementation)
    except (TypeError, ValueError):  # a builtin without a signature: it checks its own options
        return
    try:
        signature.bind(problem, derivation, **options)
    except TypeError:
        taken = [name for name, parameter in list(signature.parameters.items())[2:]
                 if parameter.kind in (parameter.KEYWORD_ONLY, parameter.POSITIONAL_OR_KEYWORD)]
        raise ParameterError(f"{'numpy()' if operation == 'numpy_function' else operation + '()'} of a "
                             f"{type(problem).__name__} derivation takes {', '.join(taken) or 'no options'}; "
                             f"not {', '.join(sorted(options))}") from None


#: A NumPy function of ``derivation.result``.
numpy_function = _Operation("numpy_function", "NumPy export")
#: An independent numeric check of ``derivation.result``.
verify = _Operation("verify", "numeric verification")


def refusing_bad_arguments(function: Any) -> Any:
    """``function`` (what ``numpy()`` returns) with its arguments checked at the boundary, each problem a DataError
    or ShapeError naming the argument: None where a number is expected; complex values (NumPy would keep their real
    part and go on); and, once a call has failed, values that are not numbers (a string, a dict, a ragged list, an
    integer too large for a double) or arrays where a number is expected or that do not broadcast.

    Before the call the values are only type-checked (nothing is converted), so a call that works costs next to
    nothing. Anything but a plain function (a fitted model with methods, a JAX-compiled function) is returned
    unchanged, and so is a function marked ``checks_its_arguments`` (a matrix function's call path makes the same
    checks once per signature of its arguments' shapes and types, :mod:`symml.matrix_calculus.numpy_call`).
    """
    if not inspect.isfunction(function) or getattr(function, "checks_its_arguments", False):
        return function
    from numpy import ndarray  # loaded by now (numpy() made the function); not at import of symml

    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        # plain loops, no generators: this runs on every call of an estimator that itself takes microseconds
        for values in (args, kwargs.values()):
            for value in values:
                kind = value.__class__
                if kind is ndarray:  # the common case first: one attribute read
                    if value.dtype.kind != "c":
                        continue
                elif kind is float or kind is int:
                    continue
                elif value is None:
                    _refuse_none(function, args, kwargs)  # returns where None is the argument's own default
                    continue
                elif not is_complex(value):
                    continue
                raise DataError(COMPLEX_REFUSED)
        try:
            return function(*args, **kwargs)
        except (TypeError, KeyError) as failure:
            _refuse_a_call_that_does_not_fit(function, args, kwargs, failure)
            explain_failure(failure, [*((f"argument {k + 1}", v) for k, v in enumerate(args)), *kwargs.items()])
            raise
        except (ValueError, OverflowError) as failure:
            explain_failure(failure, [*((f"argument {k + 1}", v) for k, v in enumerate(args)), *kwargs.items()])
            raise

    return checked


#: The message refusing complex arguments.
COMPLEX_REFUSED = "complex values were given: symml's numpy() functions compute with real numbers"


def is_complex(value: Any) -> bool:
    """Whether ``value`` is a complex number or an array of them."""
    return isinstance(value, complex) or getattr(getattr(value, "dtype", None), "kind", "") == "c"


def refuse_none_or_complex(named: Iterable[tuple[str, Any]]) -> None:
    """A DataError naming the first of the (name, value) pairs whose value is None, or refusing complex values."""
    for label, value in named:
        if value is None:
            raise DataError(f"{label} is None: expected a number or an array of numbers")
        if is_complex(value):
            raise DataError(COMPLEX_REFUSED)


def explain_failure(failure: Exception, named: list[tuple[str, Any]]) -> None:
    """Raise the DataError or ShapeError that explains why a call with the (name, value) pairs ``named`` failed
    with ``failure`` (a TypeError, ValueError or OverflowError): a value that is not numbers, arrays that do not
    fit together, an array where a number is expected, a negative size. Returns when none of these is the cause
    (or ``failure`` is already symml's own), so that the caller re-raises it."""
    if isinstance(failure, SymmlError):
        return
    bad = [f"{name} = {_shown(value)} ({problem})" for name, value in named if (problem := _not_numbers(value))]
    if bad:
        raise DataError(f"expected numbers or arrays of numbers, not {'; '.join(bad)}") from None
    shapes = ", ".join(f"{name} of shape {_shape(value)}" for name, value in named)
    if isinstance(failure, ValueError) and "broadcast" in str(failure):
        raise ShapeError(f"the arguments do not fit together ({shapes}): {failure}") from None
    if isinstance(failure, TypeError) and "converted to Python scalars" in str(failure):
        raise ShapeError(f"an array was given where a number is expected ({shapes})") from None
    if isinstance(failure, TypeError) and ("interpreted as an integer" in str(failure)
                                           or "sequence of integers" in str(failure)):
        raise DataError(f"expected a whole number, such as a size ({', '.join(f'{n} = {_shown(v)}' for n, v in named)})") \
            from None
    if isinstance(failure, ValueError) and "negative dimensions" in str(failure):
        raise DataError(f"a size is negative ({', '.join(f'{n} = {_shown(v)}' for n, v in named)})") from None


def _refuse_a_call_that_does_not_fit(function: Callable[..., Any], args: tuple, kwargs: dict,
                                     failure: Exception) -> None:
    """A ParameterError naming what is wrong with the call itself, when ``failure`` (a TypeError or KeyError) came
    from the arguments not fitting ``function``'s own: a value without a name for a function taking its arguments
    by name, a missing or an unknown argument, or a name it looked up among ``**values`` that was not given.
    Returns when the call fits (the failure is then about the values). Runs only after a call failed, so a call
    that works pays nothing; before, these were Python's raw TypeError ("takes 0 positional arguments") or
    KeyError ('X')."""
    if isinstance(failure, SymmlError):
        return
    signature = inspect.signature(function, follow_wrapped=False)  # what it takes, not what it passes on to
    parameters = signature.parameters.values()
    by_name = [p.name for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is not None]
    if args and not any(p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                   inspect.Parameter.VAR_POSITIONAL) for p in parameters):
        names = f" ({', '.join(f'{name}=...' for name in by_name)})" if by_name else ""
        raise ParameterError(f"this function takes its arguments by name{names}: got {len(args)} without a name") \
            from None
    try:
        signature.bind(*args, **kwargs)
    except TypeError as wrong:
        shown = ", ".join(str(p.replace(annotation=p.empty)) for p in parameters)
        raise ParameterError(f"the call does not fit the function's arguments ({shown}): {wrong}") from None
    key = failure.args[0] if isinstance(failure, KeyError) and failure.args else None
    if isinstance(key, str) and key not in kwargs and any(p.kind is inspect.Parameter.VAR_KEYWORD
                                                          for p in parameters):
        raise ParameterError(f"missing the argument {key}: pass it as {key}=...") from None


def _refuse_none(function: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    """A None is allowed only for a parameter the function declares with the default None (``out=None``)."""
    try:
        bound = inspect.signature(function).bind_partial(*args, **kwargs).arguments
    except TypeError:
        return  # the call itself will say what is wrong with its arguments
    parameters = inspect.signature(function).parameters
    for name, value in bound.items():
        kind = parameters[name].kind
        refuse_none_or_complex(
            value.items() if kind is inspect.Parameter.VAR_KEYWORD else
            ((f"argument {k + 1}", v) for k, v in enumerate(value)) if kind is inspect.Parameter.VAR_POSITIONAL
            else [(name, value)] if parameters[name].default is not None else [])


def _not_numbers(value: Any) -> str:
    """What keeps ``value`` from being numbers a double holds (a number, an array or nested list of them, a random
    Generator), or "" when nothing does."""
    import numpy as np

    if isinstance(value, np.random.Generator):
        return ""
    try:
        array = np.asarray(value)
    except (TypeError, ValueError, OverflowError):
        return "a ragged list"
    if array.dtype.kind == "O":
        items = array.ravel()
        if any(isinstance(item, int) and abs(item) > sys.float_info.max for item in items):
            return "an integer too large for a double, |x| > 1.8e308: rescale the data"
        if all(isinstance(item, (int, float, np.number)) for item in items):
            return ""
    if array.dtype.kind in "biuf":
        return ""
    if array.ndim == 0:
        return "a string" if isinstance(value, str) else f"a {type(value).__name__}"
    return f"entries of type {type(array.ravel()[0]).__name__}"


def _shown(value: Any) -> str:
    import numpy as np

    if isinstance(value, np.ndarray):
        return f"an array of {value.dtype} of shape {value.shape}"
    text = repr(value)
    return f"a {type(value).__name__}" if " at 0x" in text else text if len(text) <= 60 else text[:57] + "..."


def _shape(value: Any) -> Any:
    import numpy as np

    try:
        return np.shape(value)
    except (TypeError, ValueError):
        return "?"
