"""The operations a derivation offers beyond rendering, each dispatching on the type of its problem record.

A kind of derivation registers its implementations next to its own code:

    @numpy_function.register(MyProblem)
    def _(problem, derivation, **options): ...

The base cases raise a clear error naming the type, so a new kind that forgets one fails loudly.
"""
from __future__ import annotations

from functools import singledispatch
from typing import Any, Callable

from symml.errors import UnsupportedOperationError

__all__ = ["numpy_function", "verify"]


@singledispatch
def numpy_function(problem: Any, derivation: Any, **options: Any) -> Callable[..., Any]:
    """A NumPy function of ``derivation.result``; dispatches on ``type(problem)``."""
    raise UnsupportedOperationError(f"no NumPy export is defined for a {type(problem).__name__} derivation")


@singledispatch
def verify(problem: Any, derivation: Any, **options: Any) -> Any:
    """An independent numeric check of ``derivation.result``; dispatches on ``type(problem)``."""
    raise UnsupportedOperationError(f"no numeric verification is defined for a {type(problem).__name__} derivation")
