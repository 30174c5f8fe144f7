"""How a report shows itself in IPython and Jupyter.

A checker report writes itself as LaTeX (``latex()``, math mode) and Markdown (``markdown()``); Jupyter asks for
``_repr_latex_`` and ``_repr_markdown_``. One mixin answers both, so every report shows the same way and a
renderer written once serves the notebook too.
"""
from __future__ import annotations


class ShownInNotebooks:
    """Mixin for records with ``latex()`` (math mode) and ``markdown()``: Jupyter's display protocol on top."""

    def latex(self) -> str:
        raise NotImplementedError

    def markdown(self) -> str:
        raise NotImplementedError

    def _repr_latex_(self) -> str:
        return f"$${self.latex()}$$"

    def _repr_markdown_(self) -> str:
        return self.markdown()
