"""Display-only names for quantities (H(p), KL(p ‖ q), I(θ)) with a LaTeX form and a Unicode form.

>>> from symml.render.printer import latex
>>> kl = Shown("KL(p ‖ q)", r"\\mathrm{KL}(p \\,\\|\\, q)")
>>> latex(kl)
'\\\\mathrm{KL}(p \\\\,\\\\|\\\\, q)'
"""
from __future__ import annotations

from typing import Any

import sympy as sp

__all__ = ["Expect", "Shown"]

_TEX: dict[str, str] = {}


class Shown(sp.Symbol):
    """A symbol printed as ``text`` in a terminal and as ``tex`` in LaTeX."""

    def __new__(cls, text: str, tex: str) -> "Shown":
        _TEX[text] = tex
        return super().__new__(cls, text)

    def __getnewargs_ex__(self) -> tuple:
        return (self.name, _TEX[self.name]), {}

    def _symml_latex(self, printer: Any) -> str:
        return _TEX[self.name]

    def _latex(self, printer: Any) -> str:
        return _TEX[self.name]

    def _pretty(self, printer: Any) -> Any:
        from sympy.printing.pretty.stringpict import prettyForm

        return prettyForm(self.name)


class Expect(sp.Function):
    """E[g]: an unevaluated expectation, for display in steps (``\\mathbb{E}\\left[g\\right]``)."""

    nargs = 1

    def _symml_latex(self, printer: Any) -> str:
        return f"\\mathbb{{E}}\\left[{printer._print(self.args[0])}\\right]"

    def _latex(self, printer: Any) -> str:
        return self._symml_latex(printer)

    def _sympystr(self, printer: Any) -> str:
        return f"E[{printer._print(self.args[0])}]"

    def _pretty(self, printer: Any) -> Any:
        from sympy.printing.pretty.stringpict import prettyForm

        inner = printer._print(self.args[0])
        return prettyForm(*prettyForm(*inner.parens("[", "]")).left("E"))
