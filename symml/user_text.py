r"""Mathematics a user types as a string: LaTeX, or plain text in Python's syntax, never evaluated as code.

Both readers are the checker's: :func:`symml.checker.parse_latex.parse_latex` for ``x^2 e^{x}`` or
``\log(1 + e^{-y w x})``, and :func:`symml.checker.parse_text.parse_text` for ``x**2*exp(x)`` (parsed by ``ast``
against a whitelist, so ``__import__('os')`` is refused, not run). LaTeX is tried first because it is what notes
hold; plain text is the fallback for what the LaTeX reader refuses.

>>> read_chain("x**2*exp(x)")
[('', x**2*exp(x))]
>>> read_chain(r"L = \frac{1}{2} w^2")
[('', L), ('=', w**2/2)]
>>> read_expression("theta*exp(-theta*x)", "a density")
theta*exp(-theta*x)
>>> read_expression("(a1 - 1)*log(p1)", "a log-prior")   # names with digits, as Python reads them
(a1 - 1)*log(p1)
"""
from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef

from symml.errors import ParseError

__all__ = ["read_chain", "read_expression"]


def read_chain(text: str) -> list[tuple[str, Any]]:
    """``text`` as ``[(relation, side), ...]``: ``"a = b"`` gives ``[("", a), ("=", b)]``, one expression one pair."""
    from symml.checker.parse_latex import parse_latex
    from symml.checker.parse_text import parse_text

    def plain() -> list[tuple[str, Any]]:
        return [("" if index == 0 else "=", side) for index, side in enumerate(parse_text(text))]

    try:
        latex_reading = parse_latex(text)
    except ParseError as latex_error:
        try:
            return plain()
        except ParseError as text_error:
            # the message of the reader the text was meant for: a backslash or a brace means LaTeX
            raise (latex_error if "\\" in text or "{" in text else text_error) from None
    if "\\" in text or "{" in text:
        return latex_reading
    try:
        plain_reading = plain()
    except ParseError:  # LaTeX-only spellings without a backslash: x!, a parameter named lambda
        return latex_reading
    # In Python's syntax a1, theta1 and x2 are names and gamma(a) a call, where LaTeX reads a·1, θ·1, 2x and γ·a:
    # text that is valid Python means what Python says, unless that leaves a function LaTeX knows undefined (Gamma(a))
    if _undefined_functions(plain_reading) - _undefined_functions(latex_reading):
        return latex_reading
    return plain_reading


def _undefined_functions(chain: list[tuple[str, Any]]) -> set[str]:
    return {str(f.func) for _, side in chain if isinstance(side, sp.Basic) for f in side.atoms(AppliedUndef)}


def read_expression(text: str, what: str) -> sp.Expr:
    """The one scalar expression typed in ``text`` (``what`` names it in errors); ``"f = ..."`` reads as its right
    side."""
    chain = read_chain(text)
    if len(chain) == 2 and chain[1][0] in ("=", ":=") and isinstance(chain[0][1], (sp.Symbol, sp.Function)):
        chain = chain[1:]  # "L = ..." names the expression
    if len(chain) != 1:
        raise ParseError(f"expected one expression for {what}, but {text!r} is a chain of {len(chain)}")
    (_, expression), = chain
    if not isinstance(expression, sp.Expr) or getattr(expression, "is_Matrix", False):
        raise ParseError(f"expected a scalar expression for {what}, read a {type(expression).__name__} in {text!r}")
    unknown = sorted(_undefined_functions(chain))
    if unknown:
        # a function symml cannot read (scipy's besseli in a Rice density) was kept as an arbitrary function, and
        # the expectations of its derivatives came out as numbers (a negative Fisher information)
        raise ParseError(f"{', '.join(unknown)} in {what} {text!r} is not a function symml knows; build the expression "
                         "with SymPy (sympy.besseli, sympy.harmonic, ...) and pass it instead of text")
    return expression
