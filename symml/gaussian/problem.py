"""The record every Gaussian-algebra derivation carries: what it computed, as named matrix expressions.

``numpy()`` (:mod:`symml.gaussian.numeric`) turns each named output into a NumPy function of the symbols it is
made of, passed by name; ``verify()`` (:mod:`symml.gaussian.checks`) dispatches on ``kind``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["GaussianProblem", "Kind"]

#: Which derivation a problem record belongs to.
Kind = Literal["conditional", "marginal", "linear_gaussian", "posterior", "map", "predictive", "evidence",
               "evidence_maximisation", "product", "wishart", "inverse_wishart"]


@dataclass(frozen=True)
class GaussianProblem:
    """A Gaussian-algebra derivation's problem.

    Attributes:
        title: one line describing the problem.
        kind: which derivation (``verify()`` dispatches on it).
        outputs: (name, matrix expression) pairs: "mean", "covariance", "log_evidence", ...
        model: the inputs that ``verify()`` needs to pose the problem independently (a JointGaussian, ...).
    """

    title: str
    kind: Kind
    outputs: tuple[tuple[str, Any], ...]
    model: Any = None
