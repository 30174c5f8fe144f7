"""Derivation -> plain text with SymPy's 2-D pretty printing, for terminals."""
from __future__ import annotations

import textwrap

import sympy as sp

from symml.derivation import Derivation, Verification
from symml.render.prose import plain_prose

__all__ = ["derivation_text", "verification_text"]

_INDENT = "   "


def _pretty(lines: tuple) -> str:
    return "\n".join(textwrap.indent(sp.pretty(line, use_unicode=True, wrap_line=False), _INDENT) for line in lines)


def derivation_text(derivation: Derivation) -> str:
    """The derivation as numbered steps, each with its justification and its math below."""
    parts = [plain_prose(derivation.title)]
    if derivation.assumptions:
        parts.append("Assumptions: " + "; ".join(plain_prose(a) for a in derivation.assumptions) + ".")
    for number, step in enumerate(derivation.steps, start=1):
        why = f" ({plain_prose(step.why)})" if step.why else ""
        parts.append(f"{number}. {plain_prose(step.title)}{why}\n{_pretty(step.lines)}")
    if derivation.summary:
        parts.append(f"Result\n{_pretty(derivation.summary)}")
    if derivation.remarks:
        parts.append("Remarks: " + " ".join(plain_prose(r) for r in derivation.remarks))
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
