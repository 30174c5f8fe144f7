"""What a derivation shows, line by line, before any renderer spells it: the step lines as LaTeX.

Every renderer goes through :func:`shown_steps` and :func:`shown_summary`, so the terminal, Markdown and LaTeX
outputs show the same lines. Two presentation rules live here because they span several steps:

- an estimate that is the square root of a sample statistic is defined the way textbooks do it, through its
  square: sigma-hat^2 = (1/n) sum_i (x_i - xbar)^2, then sigma-hat = sqrt(sigma-hat^2) (Casella & Berger 7.2.11);
- once defined, an estimate is reused by name: the Hessian at the solution reads -n/sigma-hat^2, not -n over the
  whole sum.

Both print the same values; only the names differ.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.derivation import Derivation, Step
from symml.render.printer import SymmlLatexPrinter, latex

__all__ = ["shown_steps", "shown_summary"]


def _estimate_definition(line: Any) -> tuple[Any, str, list[str]] | None:
    """For ``Eq(theta_hat, S)`` or ``Eq(theta_hat, sqrt(S))`` with S a sample statistic written as a sum: the
    statistic, the name it goes by from now on, and the lines that define the estimate."""
    if not (isinstance(line, sp.Equality) and isinstance(line.lhs, sp.Symbol) and "hat" in line.lhs.name):
        return None
    estimate = latex(line.lhs)
    if SymmlLatexPrinter._is_composite_mean(line.rhs):
        return line.rhs, estimate, [f"{estimate} = {latex(line.rhs)}"]
    if isinstance(line.rhs, sp.Pow) and line.rhs.exp == sp.S.Half and SymmlLatexPrinter._is_composite_mean(
            line.rhs.base):
        square = f"{estimate}^{{2}}"
        return line.rhs.base, square, [f"{square} = {latex(line.rhs.base)}", f"{estimate} = \\sqrt{{{square}}}"]
    return None


def _show(lines: tuple, names: dict) -> tuple[list[str], dict]:
    """The LaTeX of ``lines`` with the names known so far, and the names they define."""
    shown: list[str] = []
    defined: dict = {}
    for line in lines:
        definition = _estimate_definition(line)
        if definition is None:
            shown.append(latex(line, names=names))
        else:
            statistic, name, definition_lines = definition
            shown.extend(definition_lines)
            defined[statistic] = name
    return shown, defined


def shown_steps(derivation: Derivation) -> list[tuple[Step, list[str]]]:
    """Each step with the LaTeX of the lines it shows, estimates named once they are defined."""
    names: dict = {}
    shown = []
    for step in derivation.steps:
        lines, defined = _show(step.lines, names)
        shown.append((step, lines))
        names = {**names, **defined}
    return shown


def shown_summary(derivation: Derivation) -> list[str]:
    """The LaTeX of the result lines."""
    return _show(derivation.summary, {})[0]
