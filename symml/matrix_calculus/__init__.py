"""Matrix calculus at matrix level (stub: being built)."""
from __future__ import annotations

from typing import Any

__all__ = ["gradient", "hessian", "jacobian"]


def gradient(expr: Any, wrt: Any, **options: Any) -> Any:
    raise NotImplementedError("symml.derive.gradient is being built")


def hessian(expr: Any, wrt: Any, **options: Any) -> Any:
    raise NotImplementedError("symml.derive.hessian is being built")


def jacobian(expr: Any, wrt: Any, **options: Any) -> Any:
    raise NotImplementedError("symml.derive.jacobian is being built")
