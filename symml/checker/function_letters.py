r"""Letters the notes define as functions: ``A(\theta) = \log Z(\theta)``, ``\phi(x) = x``, then ``A(\eta)``.

A single letter before a bracket is a function or a factor (``a(b + c)``); symml reads most letters as factors
unless the notes use them as functions. A letter the math of the notes defines as a function of names (a row or
an inline formula that starts ``X(u, v) =``) and never writes on its own is a function wherever it appears:
``A(\eta)`` is A applied to eta, not A times eta, and ``A(\theta) = \theta^2 / 2`` defines A.

>>> rows = [[(1, r"p(x) = \exp(\eta x - A(\eta))")]]
>>> sorted(function_letters(r"where $A(\theta) = \theta^2/2$ and $\phi(x) = x$", rows))
['A', 'p', 'phi']
>>> function_letters(r"$a(b) = a b$ with $a = 2$", [])  # a is also a number: a factor
set()
"""
from __future__ import annotations

import re

from symml.checker.inline_definitions import INLINE_MATH

__all__ = ["function_letters"]

#: ``X(u, v) =`` at the start of a formula: the letter (or Greek command) and its arguments.
_DEFINITION = re.compile(r"^\s*(\\[a-zA-Z]+|[A-Za-z])\s*\(([^()]*)\)\s*=(?!=)")
#: The arguments of a definition: names (a letter or a command, with a subscript) separated by commas.
_NAMES = re.compile(r"^\s*(?:\\[A-Za-z]+|[A-Za-z])(?:_\{?[A-Za-z0-9]\}?)?\s*(?:,\s*(?:\\[A-Za-z]+|[A-Za-z])"
                    r"(?:_\{?[A-Za-z0-9]\}?)?\s*)*$")
#: A letter set in roman, ``\mathrm{h}(X)`` (the differential entropy): the letter h for what follows.
_ROMAN_LETTER = re.compile(r"\\(?:mathrm|operatorname)\s*\{\s*([A-Za-z])\s*\}")
#: Commands that are operators or fonts, not names (``\log(x) =`` defines nothing).
_NOT_NAMES = {"log", "ln", "exp", "sin", "cos", "tan", "det", "max", "min", "Pr", "mathbb", "mathrm", "mathbf",
              "operatorname", "text", "frac", "sum", "prod", "int", "left", "right", "hat", "bar", "tilde", "nabla",
              "partial", "sqrt", "ell", "sigma"}


def function_letters(text: str, display_rows: list[list[tuple[int, str]]]) -> set[str]:
    """The letters (Latin, or Greek by name) that the math of ``text`` defines as functions of names and never
    writes on its own (see the module)."""
    formulas = [row for block in display_rows for _, row in block]
    formulas += [inline or parenthesised for inline, parenthesised in INLINE_MATH.findall(text)]
    formulas = [_ROMAN_LETTER.sub(r"\1", formula) for formula in formulas]
    defined = set()
    for formula in formulas:
        match = _DEFINITION.match(formula)
        if match is not None and _NAMES.match(match.group(2)) and match.group(1).lstrip("\\") not in _NOT_NAMES:
            defined.add(match.group(1))
    return {letter.lstrip("\\") for letter in defined if not any(_alone(letter, formula) for formula in formulas)}


def _alone(letter: str, formula: str) -> bool:
    """Whether ``formula`` writes ``letter`` other than before a bracket (a variable or a factor of its own); a
    formula that is the letter alone (``$A$ is the log partition function``) names the function."""
    if formula.strip() == letter:
        return False
    escaped = re.escape(letter)
    before = r"(?<![A-Za-z\\])" if not letter.startswith("\\") else ""
    applied = r"(?!\s*(?:\(|\\left\s*\(|_\{?[^}]*\}?\s*\(|\^|'))"  # X(, X_k(, X^{-1}(, X'(: a function
    return re.search(rf"{before}{escaped}(?![A-Za-z]){applied}", formula) is not None
