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
        return self._dispatch(problem, derivation, **options)


#: A NumPy function of ``derivation.result``.
numpy_function = _Operation("numpy_function", "NumPy export")
#: An independent numeric check of ``derivation.result``.
verify = _Operation("verify", "numeric verification")
