"""What a derivation shows, line by line, before any renderer spells it: the step lines as LaTeX.

Every renderer goes through :func:`shown_steps` and :func:`shown_summary`, so the terminal, Markdown and LaTeX
outputs show the same lines. Two presentation rules live here because they span several steps:

- an estimate that is the square root of a sample statistic is defined the way textbooks do it, through its
  square: sigma-hat^2 = (1/n) sum_i (x_i - xbar)^2, then sigma-hat = sqrt(sigma-hat^2) (Casella & Berger 7.2.11);
- once defined, an estimate is reused by name: the Hessian at the solution reads -n/sigma-hat^2, not -n over the
  whole sum.

Both print the same values; only the names differ. A third names the large matrix subexpressions that a
derivation would print more than once, and the scalar terms at least half a line wide that one line prints twice
(a predictive density's scale, under a root and inside a power) (:mod:`~symml.render.shared`): each step is followed by the definitions of
the names it uses first ("where A_1 = ..."), and the result by those of every name it uses, so that it reads alone.
"""
from __future__ import annotations

from typing import Any

import sympy as sp

from symml.derivation import Derivation, Step
from symml.render.arrange import arrange
from symml.render.line_breaks import LINE_WIDTH, width
from symml.render.printer import SymmlLatexPrinter, latex
from symml.render.shared import definitions_reached, shared_names

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


# The names of the last derivation shown: its steps and its result are shown by two calls.
_LAST_SHARED: list[tuple[Derivation, dict]] = []


def _shared(derivation: Derivation) -> dict:
    """Names of the large matrix subexpressions the derivation would print more than once (arranged as printed)."""
    if _LAST_SHARED and _LAST_SHARED[0][0] is derivation:
        return _LAST_SHARED[0][1]
    names = _names_of_shared(derivation)
    _LAST_SHARED[:] = [(derivation, names)]
    return names


def _names_of_shared(derivation: Derivation) -> dict:
    lines = [arrange(line) for line in (*(line for step in derivation.steps for line in step.lines),
                                        *derivation.summary)]
    if any(isinstance(line, sp.Basic) and line.has(sp.MatrixExpr) for line in lines):
        return shared_names(lines, _nameable)
    # a scalar formula is named only where one line repeats a term too wide to read twice
    return shared_names(lines, _wide_scalar, size=_WIDE_PARTS, shrink=1.0, within_a_line=True)


def _nameable(node: sp.Basic) -> bool:
    """A matrix expression that reads the same alone (not a negated term, which a sum prints as a subtraction)."""
    return isinstance(node, sp.MatrixExpr) and not (
        isinstance(node, sp.MatMul) and node.args[0].is_Number and node.args[0] < 0)


#: A scalar subexpression with fewer parts is not measured: it cannot be half a line wide.
_WIDE_PARTS = 16


def _wide_scalar(node: sp.Basic) -> bool:
    """A scalar term at least half a line wide that reads the same alone (not a negated term)."""
    return isinstance(node, sp.Expr) and not isinstance(node, sp.MatrixExpr) and \
        not node.could_extract_minus_sign() and width(latex(node)) >= LINE_WIDTH / 2


# The definitions printed for the last derivation's names (its steps'; the result's where-block repeats them):
# (the names, {subexpression: its definition's LaTeX}).
_PRINTED: list = [None, {}]


def _where(lines: tuple, shared: dict, defined: set) -> list[str]:
    """The definitions of the shared names that ``lines`` use and ``defined`` lacks: "where A_1 = ..."."""
    if not shared:
        return []
    number = {node: position for position, node in enumerate(shared)}  # (a list's index compares trees)
    reached = sorted(definitions_reached([arrange(line) for line in lines], shared, defined),
                     key=number.__getitem__)  # by number: a definition reads only names numbered before it
    if _PRINTED[0] is not shared:
        _PRINTED[:] = [shared, {}]
    printed = _PRINTED[1]
    for node in reached:
        if node not in printed:
            printed[node] = f"{shared[node]} = {latex(node, names=_without(shared, node))}"
    definitions = [printed[node] for node in reached]
    return ["\\text{where}", *definitions] if definitions else []


def _without(names: dict, node: Any) -> dict:
    """The names but that of ``node``: its definition prints what it stands for."""
    others = dict(names)
    del others[node]
    return others


def shown_steps(derivation: Derivation) -> list[tuple[Step, list[str]]]:
    """Each step with the LaTeX of the lines it shows, estimates named once they are defined, shared
    subexpressions by name after their definitions."""
    shared = _shared(derivation)
    names: dict = dict(shared)
    defined: set = set()
    shown = []
    for step in derivation.steps:
        lines, estimates = _show(step.lines, names)
        shown.append((step, lines + _where(step.lines, shared, defined)))
        names = {**names, **estimates}
    return shown


def shown_summary(derivation: Derivation) -> list[str]:
    """The LaTeX of the result lines, with the definitions of the shared names they use."""
    shared = _shared(derivation)
    return _show(derivation.summary, shared)[0] + _where(derivation.summary, shared, set())
