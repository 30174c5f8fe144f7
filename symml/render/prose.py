"""Prose in step titles and justifications: plain text with optional ``$...$`` inline math.

Each renderer treats the two parts differently (LaTeX escapes the text, plain text unwraps the math), so
the splitting lives here once.

>>> list(split_math("positive on $(0, \\\\infty)$, so log is defined"))
[('text', 'positive on '), ('math', '(0, \\\\infty)'), ('text', ', so log is defined')]
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from symml.render.line_breaks import inline
from symml.render.prose_formulas import formula_latex, formula_runs
from symml.render.unicode_math import readable

__all__ = ["split_math", "latex_prose", "markdown_prose", "plain_prose", "math_unicode_as_latex"]

_INLINE_MATH = re.compile(r"\$([^$]+)\$")
_LATEX_SPECIALS = {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "{": r"\{", "}": r"\}",
                   "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}


#: Unicode maths that may appear in prose text (engine strings written for terminals), as LaTeX math: pdflatex
#: rejects these characters in text mode.
_UNICODE_MATH = {
    "⊙": r"\odot", "⊗": r"\otimes", "∘": r"\circ", "ᵀ": r"^{\top}", "⁻¹": r"^{-1}", "⁻": "^{-}", "¹": "^{1}",
    "²": "^{2}", "∈": r"\in", "∉": r"\notin", "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "≈": r"\approx",
    "→": r"\to", "∞": r"\infty", "∂": r"\partial", "∇": r"\nabla", "∑": r"\sum", "∏": r"\prod", "…": r"\dots",
    "×": r"\times", "·": r"\cdot", "±": r"\pm", "∼": r"\sim", "⟨": r"\langle", "⟩": r"\rangle", "ℓ": r"\ell",
    "ℝ": r"\mathbb{R}", "−": "-", "√": r"\surd", "𝟏": r"\mathbf{1}", "∅": r"\emptyset",
    "⪰": r"\succeq", "⪯": r"\preceq", "≽": r"\succeq", "≼": r"\preceq", "≻": r"\succ", "≺": r"\prec",
    "⊆": r"\subseteq", "⊂": r"\subset", "∀": r"\forall", "∃": r"\exists", "∩": r"\cap", "∪": r"\cup",
    "≡": r"\equiv", "⇒": r"\Rightarrow", "⇔": r"\Leftrightarrow", "↦": r"\mapsto", "∝": r"\propto",
    "∫": r"\int", "‖": r"\|", "←": r"\leftarrow",
}
#: Text-mode characters pdflatex's default input encoding does not take as they are.
_UNICODE_TEXT = {"é": r"\'{e}", "è": r"\`{e}", "ö": r"\"{o}", "ü": r"\"{u}", "ä": r"\"{a}", "–": "--", "—": "---",
                 "’": "'", "‘": "`", "“": "``", "”": "''"}
#: Combining accents over the character before them (θ̂, x̄), as math accents.
_COMBINING = {"\u0302": r"\hat", "\u0304": r"\bar", "\u0303": r"\tilde", "\u0307": r"\dot"}
_UNICODE_RUN = re.compile("⁻¹|.[\u0302\u0303\u0304\u0307]|[^\x00-\x7f]")


def _unicode_as_latex(character: str) -> str:
    if len(character) == 2 and character[1] in _COMBINING:
        base = _unicode_as_latex(character[0]).strip("$")
        return f"${_COMBINING[character[1]]}{{{base}}}$"
    if character in _UNICODE_TEXT:
        return _UNICODE_TEXT[character]
    if character in _UNICODE_MATH:
        return f"${_UNICODE_MATH[character]}$"
    name = unicodedata.name(character, "")
    plain = unicodedata.normalize("NFKD", character)
    if plain.isascii() and plain.isalnum() and ("SUBSCRIPT" in name or "SUPERSCRIPT" in name or "MODIFIER" in name):
        return f"$_{{{plain}}}$" if "SUBSCRIPT" in name else f"$^{{{plain}}}$"
    if name.startswith("GREEK") and "LETTER" in name:
        letter = name.rsplit(" ", 1)[-1].lower().replace("lamda", "lambda")
        return f"$\\{letter.capitalize() if 'CAPITAL' in name else letter}$"
    return character


def math_unicode_as_latex(tex: str) -> str:
    """LaTeX math with the Unicode of names written by the engine for terminals (ε₀, bias², Σ⁻¹) as commands:
    pdflatex rejects those characters even in math mode.

    >>> print(math_unicode_as_latex("ε_{0}^{2} + bias² + zᵀ Σ⁻¹ z"))
    {\\epsilon}_{0}^{2} + bias^{2} + z^{\\top} {\\Sigma}^{-1} z
    """
    def command(run: re.Match) -> str:
        converted = _unicode_as_latex(run.group(0))
        converted = converted[1:-1] if converted.startswith("$") and converted.endswith("$") else converted
        return f"{{{converted}}}" if re.fullmatch(r"\\[A-Za-z]+", converted) else converted  # {\mu}x, not \mux

    return _UNICODE_RUN.sub(command, tex)


def split_math(prose: str) -> Iterator[tuple[str, str]]:
    """Yield ("text", ...) and ("math", ...) pieces of a prose string in order."""
    position = 0
    for match in _INLINE_MATH.finditer(prose):
        if match.start() > position:
            yield "text", prose[position:match.start()]
        yield "math", match.group(1)
        position = match.end()
    if position < len(prose):
        yield "text", prose[position:]


def latex_prose(prose: str) -> str:
    """The prose with its text escaped for LaTeX (Unicode maths put in math mode), the formulas written in the text
    (a symbol, x_new, f'(u) = 0: :mod:`~symml.render.prose_formulas`) set as math, and its inline math kept.

    >>> latex_prose("d f(A) = f'(A) ⊙ dA on $x > 0$")
    "$d f(A) = f'(A) \\\\odot dA$ on $x > 0$"
    >>> latex_prose("integrate out x_b, then add x_new (scipy's minimize_scalar)")
    "integrate out $x_{b}$, then add $x_{\\\\mathrm{new}}$ (scipy's minimize\\\\_scalar)"
    """
    return "".join(f"${inline(_math(piece))}$" if kind == "math" else _escaped(piece) for kind, piece in _pieces(prose))


def markdown_prose(prose: str) -> str:
    """The prose for Markdown: the formulas written in its text set as ``$...$`` math, all its math in LaTeX.

    >>> markdown_prose("L is convex in $w$, so ∇L(w) = 0 at a minimum")
    '$L$ is convex in $w$, so ${\\\\nabla}L(w) = 0$ at a minimum'
    """
    return "".join(f"${_math(piece)}$" if kind == "math" else piece for kind, piece in _pieces(prose))


#: A relation or operator spelt from Unicode is braced (``{\\le}``) so that no letter joins its name; braced, TeX
#: sets it as an ordinary symbol, without the space around a relation: unbraced, with a space to end its name.
_BRACED_OPERATOR = re.compile(r"\{(\\(?:le|ge|ne|in|notin|to|leftarrow|odot|otimes|approx|propto|cdot|times|pm|sim|"
                              r"equiv|subseteq|succeq|preceq|Rightarrow|mapsto|circ))\} ?")


def _math(piece: str) -> str:
    return _BRACED_OPERATOR.sub(r"\1 ", math_unicode_as_latex(piece))


def _pieces(prose: str) -> Iterator[tuple[str, str]]:
    """:func:`split_math`, with the formulas found in the text pieces as math pieces, spelled in LaTeX."""
    for kind, piece in split_math(prose):
        if kind == "math":
            yield kind, piece
        else:
            for part_kind, part in formula_runs(piece):
                yield part_kind, formula_latex(part) if part_kind == "math" else part


def _escaped(text: str) -> str:
    return _UNICODE_RUN.sub(lambda m: _unicode_as_latex(m.group(0)), "".join(_LATEX_SPECIALS.get(c, c) for c in text))


def plain_prose(prose: str) -> str:
    """The prose for a terminal: inline math written with Unicode symbols, without its dollar signs.

    >>> plain_prose(r"positive on $(0, \\infty)$")
    'positive on (0, ∞)'
    """
    return "".join(readable(piece) if kind == "math" else piece for kind, piece in split_math(prose))
