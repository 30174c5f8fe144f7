"""Maximum-likelihood derivations (stub: being built)."""
from __future__ import annotations

from typing import Any

__all__ = ["mle"]


def mle(model: Any, wrt: Any = None, **options: Any) -> Any:
    raise NotImplementedError("symml.derive.mle is being built")


# Registers numpy() and verify() for MLEProblem (the numeric side of this package).
from symml.mle import numeric as _numeric, verification as _verification  # noqa: E402,F401
