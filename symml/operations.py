"""The operations a derivation offers beyond rendering, each dispatching on the type of its problem record.

A kind of derivation registers its implementations next to its own code:

    @numpy_function.register(MyProblem)
    def _(problem, derivation, **options): ...

The base cases raise a clear error naming the type, so a new kind that forgets one fails loudly. A kind whose
implementations import NumPy or SciPy can name their modules with :func:`register_lazily` instead, so that
deriving does not import them: the first ``numpy()`` or ``verify()`` of that kind imports them.
"""
from __future__ import annotations

import importlib
from functools import singledispatch
from typing import Any, Callable

from symml.errors import UnsupportedOperationError

__all__ = ["numpy_function", "verify", "register_lazily"]

#: {problem type: the modules that register its operations}, imported on the first call for that type.
_PROVIDERS: dict[type, tuple[str, ...]] = {}


def register_lazily(problem_type: type, *modules: str) -> None:
    """Import ``modules`` (which register ``numpy_function``/``verify`` for ``problem_type``) on first use."""
    _PROVIDERS[problem_type] = modules


def _import_providers(problem: Any) -> bool:
    """Import the modules registered for ``type(problem)``; whether there were any."""
    modules = _PROVIDERS.pop(type(problem), ())
    for module in modules:
        importlib.import_module(module)
    return bool(modules)


@singledispatch
def numpy_function(problem: Any, derivation: Any, **options: Any) -> Callable[..., Any]:
    """A NumPy function of ``derivation.result``; dispatches on ``type(problem)``."""
    if _import_providers(problem):
        return numpy_function(problem, derivation, **options)
    raise UnsupportedOperationError(f"no NumPy export is defined for a {type(problem).__name__} derivation")


@singledispatch
def verify(problem: Any, derivation: Any, **options: Any) -> Any:
    """An independent numeric check of ``derivation.result``; dispatches on ``type(problem)``."""
    if _import_providers(problem):
        return verify(problem, derivation, **options)
    raise UnsupportedOperationError(f"no numeric verification is defined for a {type(problem).__name__} derivation")
