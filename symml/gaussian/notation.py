"""Names that steps show for 1 x 1 and vector quantities (log p(θ | D), E[t | w]), typeset in LaTeX as written.

>>> from symml.render.printer import latex
>>> latex(named("log p(D)", r"\\log p(\\mathcal{D})"))
'\\\\log p(\\\\mathcal{D})'
"""
from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["Named", "named"]

#: The LaTeX of each name, by name: the record's args stay (name, rows, cols), so SymPy can rebuild it.
_TEX: dict[str, str] = {}


class Named(sp.MatrixSymbol):
    """A matrix-shaped name printed as registered LaTeX (the terminal shows that LaTeX in Unicode)."""

    def _symml_latex(self, printer: Any) -> str:
        return _TEX.get(str(self.name), str(self.name))

    _latex = _symml_latex


def named(text: str, tex: str, rows: Any = 1, cols: Any = 1) -> Named:
    """A name for a step: ``text`` identifies it, ``tex`` is how it prints; 1 x 1 unless a shape is given."""
    _TEX[text] = tex
    return Named(text, rows, cols)
