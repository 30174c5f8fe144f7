"""Checking hand derivations (stub: being built)."""
from __future__ import annotations

from typing import Any

__all__ = ["check", "check_steps"]


def check(*claim: Any, **options: Any) -> Any:
    raise NotImplementedError("symml.check is being built")


def check_steps(steps: Any, **options: Any) -> Any:
    raise NotImplementedError("symml.check_steps is being built")
