"""Checking hand derivations: is this claim right, and which step of my derivation goes wrong?

- :func:`check`: one claim ``left = right`` -> a :class:`Verdict` (truthy exactly when the claim holds; a
  false claim carries a :class:`Counterexample`).
- :func:`check_steps`: a derivation as a list of steps -> a :class:`StepsReport` naming the first wrong step.
- :func:`check_notes` (``symml check FILE``): every chain of equalities in a Markdown or LaTeX file's display
  math -> a :class:`NotesReport` with line numbers.
"""
from __future__ import annotations

from symml.checker.claims import check
from symml.checker.notes import NotesReport, check_notes
from symml.checker.steps import StepCheck, StepsReport, StepStatus, check_steps
from symml.checker.verdict import Counterexample, Verdict, VerdictKind

__all__ = ["check", "check_steps", "check_notes", "Verdict", "VerdictKind", "Counterexample", "StepsReport",
           "StepCheck", "StepStatus", "NotesReport"]
