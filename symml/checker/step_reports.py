"""The records of a derivation check: what became of each step (:class:`StepStatus`), the items the checker
reads (:class:`Item`), one step's result (:class:`StepCheck`) and the whole report (:class:`StepsReport`), with
their renderings (text, LaTeX, Markdown, JSON-ready data). The checking itself is in ``steps.py``.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from symml.checker.verdict import Verdict, latex_text
from symml.render.display import ShownInNotebooks
from symml.render.printer import latex

__all__ = ["StepStatus", "Item", "StepCheck", "StepsReport"]


class StepStatus(enum.Enum):
    """What became of one step."""

    GIVEN = "given"              # the first expression: nothing to compare with
    DEFINITION = "definition"    # introduces a name
    HOLDS = "holds"              # follows from the previous step
    WRONG = "wrong"              # does not follow: a counterexample shows it
    UNCHECKED = "unchecked"      # an implication symml cannot check, or a line it could not read (not a failure)
    UNDECIDED = "undecided"      # the budget ran out or the sides could not be evaluated
    CONDITION = "condition"      # an equation imposed (set to zero, solved for): checked by the steps after it


@dataclass(frozen=True)
class Item:
    """One thing to check: an expression continuing a chain (``left`` is None) or an equation.

    Attributes:
        left, right: the sides (``left`` None for an expression).
        relation: "=" for an equation, ":=" for a definition, another relation ("≈", "∝") is not checked.
        label: how the report names it ("step 3", "line 12").
        note: why an item without sides (``right`` None) could not be read; it breaks the chain.
    """

    left: Any
    right: Any
    relation: str = "="
    label: str = ""
    note: str = ""
    fresh: bool = False               # starts a new chain: an expression here is compared with nothing
    doubts: tuple[str, ...] = ()      # guesses the reader made: a step read with one is never reported wrong
    section: int = 0                  # the heading it is under (sections.py): a heading starts another derivation


@dataclass(frozen=True)
class StepCheck(ShownInNotebooks):
    """The result for one step: its status, the verdict behind it, and a sentence explaining it."""

    label: str
    status: StepStatus
    math: Any
    note: str = ""
    verdict: Verdict | None = None

    @property
    def counterexample(self) -> Any:
        return None if self.verdict is None else self.verdict.counterexample

    @property
    def line(self) -> int | None:
        """The line number of a step of a notes file ("line 12" -> 12), else None."""
        number = self.label.removeprefix("line ")
        return int(number) if number.isdigit() else None

    def as_dict(self) -> dict[str, Any]:
        """The step as JSON-ready data: line, status, reason, latex, counterexample (in the reader's names)."""
        return {"line": self.line, "label": self.label, "status": self.status.value, "reason": self.note,
                "latex": latex(self.math) if isinstance(self.math, sp.Basic) else "",
                "counterexample": None if self.counterexample is None else self.counterexample.as_dict()}

    def latex(self) -> str:
        """The step as LaTeX (math mode): its math, then its status and reason in words."""
        words = f"{self.label}: {self.status.value}" + (f" ({self.note})" if self.note else "")
        math = latex(self.math) if isinstance(self.math, sp.Basic) else ""
        return f"{math} \\quad {latex_text(words)}"

    def markdown(self) -> str:
        note = self.note + (f"; counterexample {self.counterexample._markdown()}" if self.counterexample else "")
        return f"- **{self.label}** ({self.status.value}): ${latex(self.math)}$ {note}".rstrip()

    def text(self) -> str:
        line = f"{self.label}: {self.status.value}" + (f" ({self.note})" if self.note else "")
        if self.counterexample is not None:
            line += f"\n    counterexample {self.counterexample._text()}"
        return line


@dataclass(frozen=True)
class StepsReport(ShownInNotebooks):
    """Per-step results; truthy iff no step is wrong. ``first_wrong`` names the first wrong step."""

    checks: tuple[StepCheck, ...]
    title: str = "Derivation check"
    notes: tuple[str, ...] = field(default=())

    def __bool__(self) -> bool:
        return self.first_wrong is None

    @property
    def first_wrong(self) -> StepCheck | None:
        return next((c for c in self.checks if c.status is StepStatus.WRONG), None)

    def summary(self) -> str:
        wrong = self.first_wrong
        if wrong is None:
            counts = {s: sum(c.status is s for c in self.checks) for s in StepStatus}
            return (f"no wrong step: {counts[StepStatus.HOLDS]} checked, {counts[StepStatus.UNCHECKED]} unchecked, "
                    f"{counts[StepStatus.UNDECIDED]} undecided")
        return f"{wrong.label} {wrong.note}" if wrong.note.startswith(("does not", "is not")) else \
            f"{wrong.label} is wrong"

    def __str__(self) -> str:
        return "\n".join([f"{self.title}: {self.summary()}", *(f"  {c.text()}" for c in self.checks),
                          *(f"  note: {n}" for n in self.notes)])

    def latex(self) -> str:
        """The report as LaTeX (math mode, one aligned row per step)."""
        rows = " \\\\ ".join(f"& {check.latex()}" for check in self.checks)
        return f"{latex_text(self.title + ': ' + self.summary())} \\\\ \\begin{{aligned}} {rows} \\end{{aligned}}"

    def markdown(self) -> str:
        """The report as Markdown (a table, what Jupyter shows)."""
        lines = [f"**{self.title}**: {self.summary()}", "", "| step | status | math | note |", "|---|---|---|---|"]
        for c in self.checks:
            note = c.note + (f"; counterexample {c.counterexample._markdown()}" if c.counterexample else "")
            lines.append(f"| {c.label} | {c.status.value} | ${_in_table(latex(c.math))}$ | {_in_table(note)} |")
        return "\n".join(lines) + "\n"


def _in_table(text: str) -> str:
    """Text for a Markdown table cell: a bare ``|`` would end the cell, so bars are written as LaTeX words."""
    return text.replace("\\|", "\\Vert ").replace("|", "\\vert ")
