"""Derivation -> LaTeX (amsmath): a fragment for notes, a whole document, or one display block.

>>> import sympy as sp
>>> from symml.derivation import Derivation, Statement, Step
>>> x = sp.Symbol("x")
>>> d = Derivation(Statement("Square"), (Step("Differentiate", sp.Eq(sp.Derivative(x**2, x), 2*x), "power rule"),), 2*x)
>>> print(derivation_latex(d))
\\subsection*{Square}
\\begin{enumerate}
\\item \\textbf{Differentiate.} power rule
\\begin{gather*}
\\frac{d}{d x} x^{2} = 2 x
\\end{gather*}
\\end{enumerate}
"""
from __future__ import annotations

from functools import cache

from symml.derivation import Derivation
from symml.render.alignment import Breaking, display_rows
from symml.render.line_breaks import broken
from symml.render.presentation import shown_steps, shown_summary
from symml.render.prose import latex_prose

__all__ = ["derivation_latex", "derivation_display_latex", "notes_document"]

_PREAMBLE = r"""\documentclass{article}
\usepackage{amsmath,amssymb}
\usepackage[margin=2cm]{geometry}
\allowdisplaybreaks
\setlength{\emergencystretch}{3em}
\begin{document}
"""


def _gather(lines: list[str], breaking: Breaking) -> str:
    body = " \\\\\n".join(display_rows(lines, breaking))
    return f"\\begin{{gather*}}\n{body}\n\\end{{gather*}}"


def derivation_latex(derivation: Derivation, document: bool = False, numbered: bool = False) -> str:
    """The derivation as LaTeX; with ``document=True`` a complete document that pdflatex compiles; with
    ``numbered=True`` its heading is a numbered subsection (listed in a table of contents)."""
    parts = [f"\\subsection{'' if numbered else '*'}{{{latex_prose(derivation.title)}}}"]
    breaking = cache(broken)  # the result repeats lines of the steps: each is broken once
    if derivation.assumptions:
        parts.append("\\paragraph{Assumptions.} " + "; ".join(latex_prose(a) for a in derivation.assumptions) + ".")
    parts.append("\\begin{enumerate}")
    for step, lines in shown_steps(derivation):
        why = f" {latex_prose(step.why)}" if step.why else ""
        parts.append(f"\\item \\textbf{{{latex_prose(step.title)}.}}{why}")
        parts.append(_gather(lines, breaking))
    parts.append("\\end{enumerate}")
    summary = shown_summary(derivation)
    if summary:
        parts.append("\\paragraph{Result.}")
        parts.append(_gather(summary, breaking))
    if derivation.remarks:
        parts.append("\\paragraph{Remarks.} " + " ".join(latex_prose(r) for r in derivation.remarks))
    fragment = "\n".join(parts)
    return f"{_PREAMBLE}{fragment}\n\\end{{document}}\n" if document else fragment


def derivation_display_latex(derivation: Derivation) -> str:
    """The whole derivation as one display-math block (for front ends that render only math)."""
    rows = [f"&\\textbf{{{latex_prose(derivation.title)}}}"]
    for number, (step, lines) in enumerate(shown_steps(derivation), start=1):
        rows.append(f"&\\text{{{number}. {latex_prose(step.title)}}}")
        rows.extend(f"&\\quad {broken(line)}" for line in lines)
    summary = shown_summary(derivation)
    if summary:
        rows.append("&\\textbf{Result}")
        rows.extend(f"&\\quad {broken(line)}" for line in summary)
    body = " \\\\\n".join(rows)
    return f"$$\n\\begin{{aligned}}\n{body}\n\\end{{aligned}}\n$$"


def notes_document(title: str, sections: list[tuple[str, str, list[Derivation]]]) -> str:
    """A complete LaTeX document of lecture notes: a title, a table of contents, and for each
    ``(heading, introduction, derivations)`` a section with one numbered subsection per derivation."""
    parts = [f"\\title{{{latex_prose(title)}}}", "\\date{}", "\\maketitle", "\\tableofcontents"]
    for heading, introduction, derivations in sections:
        parts.append(f"\\section{{{latex_prose(heading)}}}")
        if introduction:
            parts.append(latex_prose(introduction))
        parts.extend(derivation_latex(d, numbered=True) for d in derivations)
    body = "\n\n".join(parts)
    return f"{_PREAMBLE}{body}\n\\end{{document}}\n"
