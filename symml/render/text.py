"""Derivation -> plain text for terminals: the LaTeX printer's lines re-spelt in Unicode, broken to the width.

The math goes through the one LaTeX printer and :func:`symml.render.unicode_math.readable`, so a terminal shows
the same notation as the PDF (``Xᵀ diag(σ(Xw) ⊙ (𝟏 − σ(Xw))) X``, never SymPy's ``DiagMatrix(...)``). Lines
longer than the terminal (``shutil.get_terminal_size()``, 80 columns when output is not a terminal) are broken
before a ``=``, ``+`` or ``−`` at the shallowest bracket depth that makes every piece fit.
"""
from __future__ import annotations

import shutil
import textwrap

from symml.derivation import Derivation, Verification
from symml.render.presentation import shown_steps, shown_summary
from symml.render.prose import plain_prose
from symml.render.unicode_math import readable, width as columns

__all__ = ["derivation_text", "verification_text", "break_line"]

_INDENT = "   "
_CONTINUATION = "    "
_BREAKS = (" = ", " + ", " − ", " ⊙ ", " ⊗ ")


def _cuts(line: str, deepest: int) -> list[int]:
    """Where ``line`` may be broken: before a binary operator, or after a comma, at bracket depth <= deepest."""
    depth, cuts = 0, []
    for position, character in enumerate(line):
        if character in "([{":
            depth += 1
        elif character in ")]}":
            depth -= 1
        elif depth <= deepest and position and (line[position - 1:position + 2] in _BREAKS):
            cuts.append(position - 1)
        elif depth <= deepest and line[position:position + 2] in (", ", "; ") and depth:
            cuts.append(position + 2)
    return cuts


def _pack(pieces: list[str], width: int) -> list[str] | None:
    lines = [pieces[0]]
    for piece in pieces[1:]:
        if columns(lines[-1]) + columns(piece) <= width:
            lines[-1] += piece
        else:
            lines.append(_CONTINUATION + piece.lstrip())
    lines = [line.rstrip() for line in lines]
    return lines if all(columns(line) <= width for line in lines) else None


def break_line(line: str, width: int) -> list[str]:
    """``line`` broken into lines of at most ``width`` columns, at operators where possible.

    >>> break_line("L = a + b − (c + d)", 14)
    ['L = a + b', '    − (c + d)']
    """
    if columns(line) <= width:
        return [line]
    for deepest in range(8):
        cuts = _cuts(line, deepest)
        pieces = [line[start:end] for start, end in zip([0, *cuts], [*cuts, len(line)])]
        packed = _pack(pieces, width) if len(pieces) > 1 else None
        if packed is not None:
            return packed
    return textwrap.wrap(line, width, subsequent_indent=_CONTINUATION, break_long_words=True,
                         break_on_hyphens=False) or [line]


def _math(lines: list[str], width: int) -> str:
    out: list[str] = []
    for tex in lines:
        out.extend(_INDENT + piece for piece in break_line(readable(tex), width - len(_INDENT)))
    return "\n".join(out)


def _fill(text: str, width: int, indent: str = "") -> str:
    return textwrap.fill(text, width, subsequent_indent=indent, break_long_words=True, break_on_hyphens=False)


def derivation_text(derivation: Derivation, width: int | None = None) -> str:
    """The derivation as numbered steps, each with its justification and its math below, at most ``width``
    columns wide (default: the terminal's width)."""
    width = width or shutil.get_terminal_size((80, 24)).columns
    parts = [_fill(plain_prose(derivation.title), width)]
    if derivation.assumptions:
        parts.append(_fill("Assumptions: " + "; ".join(plain_prose(a) for a in derivation.assumptions) + ".", width))
    for number, (step, lines) in enumerate(shown_steps(derivation), start=1):
        why = f" ({plain_prose(step.why)})" if step.why else ""
        heading = _fill(f"{number}. {plain_prose(step.title)}{why}", width, indent=_INDENT)
        parts.append(f"{heading}\n{_math(lines, width)}" if lines else heading)
    summary = shown_summary(derivation)
    if summary:
        parts.append(f"Result\n{_math(summary, width)}")
    if derivation.remarks:
        parts.append(_fill("Remarks: " + " ".join(plain_prose(r) for r in derivation.remarks), width))
    return "\n\n".join(parts)


def verification_text(report: Verification) -> str:
    """The verification report as a few lines of text."""
    verdict = "passed" if report.passed else "FAILED"
    lines = [
        f"Verification {verdict}: max relative error {report.max_rel_error:.3g} (tolerance {report.tolerance:.3g})",
        f"method: {report.method}",
    ]
    if report.sample_size is not None:
        lines.append(f"sample size: {report.sample_size}")
    if report.seed is not None:
        lines.append(f"seed: {report.seed}")
    lines.extend(f"{name}: {value}" for name, value in report.details)
    lines.extend(
        f"  {c.quantity}: derived {c.derived:.10g}, numeric {c.numeric:.10g}, rel. error {c.rel_error:.3g}"
        for c in report.comparisons
    )
    return "\n".join(lines)
