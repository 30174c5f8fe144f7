"""Renderers: pure functions from derivation records to LaTeX, Markdown and plain text.

All LaTeX goes through one printer, :class:`symml.render.printer.SymmlLatexPrinter`.
"""
from symml.render.printer import latex

__all__ = ["latex"]
