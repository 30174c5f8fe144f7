"""Names shown on the left of step equations (‖u₁‖, AᵀA, P² − P, ∇f(a)): Unicode in text, LaTeX in LaTeX.

>>> from symml.render.printer import latex
>>> latex(Label("‖A‖₂")), str(Label("‖A‖₂"))
('\\\\|A\\\\|_{2}', '‖A‖₂')
"""
from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["Label"]

_LATEX = [("‖", r"\|"), ("ᵀ", r"^{\top}"), ("⁻¹", "^{-1}"), ("²", "^{2}"), ("₂", "_{2}"), ("−", "-"),
          ("λ", r"\lambda "), ("Λ", r"\Lambda "), ("σ", r"\sigma "), ("∇", r"\nabla "), ("Δ", r"\Delta "),
          ("Σ", r"\Sigma ")]


class Label(sp.Symbol):
    """A symbol standing for a named quantity in a step; its LaTeX translates the Unicode of its name."""

    def _symml_latex(self, printer: Any) -> str:
        text = self.name
        for unicode, latex in _LATEX:
            text = text.replace(unicode, latex)
        return text.replace(" _", "_").replace(" ^", "^").strip()

    _latex = _symml_latex
