"""The solving core shared by every optimisation symml derives: maximum likelihood, MAP, Lagrangians, minimisers.

An objective goes in (:class:`~symml.optimize.core.Objective`); small rules settle its unknowns in turn: active
inequality constraints (support limits), caller-supplied rules (subgradients), stationarity with a closed-form
solve of scalar systems, linear matrix equations solved at matrix level, then the second-order condition. Where no
closed form exists the stationarity condition is the result, for a numeric solver.
"""
from __future__ import annotations

from symml.optimize.core import Objective, Outcome, optimise

__all__ = ["Objective", "Outcome", "optimise"]
