"""Derivation -> Markdown with ``$$`` display math (Jupyter, Obsidian, GitHub)."""
from __future__ import annotations

from functools import cache

from symml.derivation import Derivation, Verification
from symml.render.alignment import Breaking, display_rows
from symml.render.line_breaks import broken
from symml.render.presentation import shown_steps, shown_summary
from symml.render.prose import markdown_prose

__all__ = ["derivation_markdown", "verification_markdown"]


def _display(lines: list[str], breaking: Breaking) -> str:
    lines = display_rows(lines, breaking)
    if len(lines) == 1:
        return f"$$\n{lines[0]}\n$$"
    body = " \\\\\n".join(lines)
    return f"$$\n\\begin{{gathered}}\n{body}\n\\end{{gathered}}\n$$"


def derivation_markdown(derivation: Derivation) -> str:
    """The derivation as Markdown: a heading, assumptions, numbered steps, the result and remarks."""
    parts = [f"### {markdown_prose(derivation.title)}"]
    breaking = cache(broken)  # the result repeats lines of the steps: each is broken once
    if derivation.assumptions:
        parts.append("**Assumptions:** " + "; ".join(markdown_prose(a) for a in derivation.assumptions) + ".")
    for number, (step, lines) in enumerate(shown_steps(derivation), start=1):
        why = f" {markdown_prose(step.why)}" if step.why else ""
        parts.append(f"**{number}. {markdown_prose(step.title)}.**{why}")
        parts.append(_display(lines, breaking))
    summary = shown_summary(derivation)
    if summary:
        parts.append("**Result.**")
        parts.append(_display(summary, breaking))
    if derivation.remarks:
        parts.append("**Remarks.** " + " ".join(markdown_prose(r) for r in derivation.remarks))
    return "\n\n".join(parts) + "\n"


def verification_markdown(report: Verification) -> str:
    """The verification report as a Markdown table."""
    verdict = "passed" if report.passed else "**FAILED**"
    lines = [
        f"**Verification {verdict}**: max relative error {report.max_rel_error:.3g} "
        f"(tolerance {report.tolerance:.3g}); method: {report.method}.",
    ]
    extras: list[tuple[str, object]] = [("sample size", report.sample_size), ("seed", report.seed)]
    extras += list(report.details)
    extras_text = "; ".join(f"{name}: {value}" for name, value in extras if value is not None)
    if extras_text:
        lines.append(extras_text + ".")
    if report.comparisons:
        lines.append("")
        lines.append("| quantity | derived | numeric | relative error |")
        lines.append("|---|---|---|---|")
        lines.extend(
            f"| {c.quantity} | {c.derived:.10g} | {c.numeric:.10g} | {c.rel_error:.3g} |" for c in report.comparisons
        )
    return "\n".join(lines) + "\n"
