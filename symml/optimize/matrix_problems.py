"""Optima over vector and matrix unknowns, at matrix level."""
from __future__ import annotations

from typing import Any, Sequence

from symml.budget import SOLVE_SECONDS
from symml.derivation import Derivation
from symml.errors import UnsupportedOperationError

__all__ = ["matrix_optimum", "DERIVE_SECONDS"]

#: The overall budget of one optimisation derivation (every symbolic call inside has its own budget too).
DERIVE_SECONDS = 3 * SOLVE_SECONDS


def matrix_optimum(objective: Any, unknowns: list, subject_to: Sequence[Any], maximise: bool) -> Derivation:
    raise UnsupportedOperationError("matrix unknowns: not yet")
