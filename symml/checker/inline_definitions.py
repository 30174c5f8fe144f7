r"""Functions the prose defines in inline math: ``the pmf is $f(x; p) = p^x (1-p)^{1-x}$ for $x \in \{0, 1\}$``,
and the normal laws it declares there: ``Let $x \sim \mathcal{N}(\mu, \sigma^2)$``.

Notes often define the density or mass function of one observation in a sentence and use it in the displays after
it (``L(p) = \prod_i f(x_i; p) = \prod_i p^{x_i} (1-p)^{1-x_i}``): without the definition such a step compares an
unknown function with a formula and stays undecided. Only the definition of a function is taken (a name applied to
variables, ``=``, and a body with no other relation), and only when no display row starts with that function
itself, so that a display is never checked against the prose it restates. It is read as a definition (``:=``),
never as a claim. A law declared in a sentence is read as a display declaration at its line would be (the
expectations after it use it); it is an assumption, never a claim.

>>> text = "The pmf is $f(x; p) = p^x (1-p)^{1-x}$ for $x \\in \\{0, 1\\}$, and $\\hat p = 1/2$.\n$$L(p) = 1$$"
>>> inline_definitions(text, [[(2, "L(p) = 1")]])
[[(1, 'f(x; p) \\coloneqq p^x (1-p)^{1-x}')]]
>>> inline_definitions(text + " with data $x_i$", [[(2, "L(p) = 1")]])  # x of x_i: renamed, a dummy
[[(1, 'f(t; p) \\coloneqq p^t (1-p)^{1-t}')]]
"""
from __future__ import annotations

import re

from symml.checker.declared_laws import states_a_normal_law

__all__ = ["INLINE_MATH", "inline_definitions", "with_inline_definitions"]

#: Inline math, ``$...$`` (not ``$$``) or ``\(...\)``: its LaTeX in the first or second group.
INLINE_MATH = re.compile(r"(?<![$\\])\$(?!\$)([^$\n]+?)(?<![$\\])\$(?!\$)|\\\((.+?)\\\)")
#: ``f(x; p) = body``, ``\ell_i(\theta) = body``: the name, its arguments and the body.
_FUNCTION_DEFINITION = re.compile(r"^\s*((?:\\[A-Za-z]+|[A-Za-z])(?:_\{?[A-Za-z]\}?)?)\s*\(([^()]*)\)\s*=(.+)$")
#: Arguments are variables: letters, commands (``\theta``, ``\mu``), subscripts, separated by , ; | \mid.
_VARIABLES = re.compile(r"^(?:\s*(?:\\[A-Za-z]+|[A-Za-z])(?:_\{?[A-Za-z]\}?)?(?:\^\{?2\}?)?\s*"
                        r"(?:[,;|]|\\mid(?![A-Za-z])|$))+$")
_OTHER_RELATION = re.compile(r"[=<>]|\\(?:neq?|leq?|geq?|in|notin|sim|approx|propto|to|forall|coloneqq|equiv|"
                             r"triangleq|quad|text)(?![A-Za-z])")


def inline_definitions(text: str, display_rows: list[list[tuple[int, str]]]) -> list[list[tuple[int, str]]]:
    """The function definitions of the inline math of ``text`` as one-row blocks ``[(line, LaTeX)]``, the relation
    written ``\\coloneqq``, leaving out functions a row of ``display_rows`` starts with; and its normal-law
    declarations as written."""
    displayed = {re.match(r"\s*((?:\\[A-Za-z]+|[A-Za-z])(?:_\{?[A-Za-z]\}?)?)\s*\(", row) for block in display_rows
                 for _, row in block}
    in_displays = {match.group(1) for match in displayed if match is not None}
    blocks = []
    for match in INLINE_MATH.finditer(text):
        math = match.group(1) if match.group(1) is not None else match.group(2)
        if states_a_normal_law(math):
            blocks.append([(text.count("\n", 0, match.start()) + 1, math.strip())])
            continue
        definition = _FUNCTION_DEFINITION.match(math)
        if definition is None or definition.group(1) in in_displays:
            continue
        name, arguments, body = definition.groups()
        if not _VARIABLES.match(arguments) or _OTHER_RELATION.search(body):
            continue
        line = text.count("\n", 0, match.start()) + 1
        arguments, body = _dummies_renamed(arguments, body, text)
        blocks.append([(line, f"{name}({arguments.strip()}) \\coloneqq {body.strip()}")])
    return blocks


def _dummies_renamed(arguments: str, body: str, text: str) -> tuple[str, str]:
    """The arguments of a definition are dummies: one the notes also write with an index (``x`` of ``x_i``, the data)
    is renamed to a letter the notes do not use, else it would be read as the whole data vector (``f(x)`` its joint
    density) rather than one observation."""
    fresh = (letter for letter in "tuvsrw" if not re.search(rf"(?<![\\A-Za-z]){letter}(?![A-Za-z])", text))
    for letter in sorted(set(re.findall(r"(?<![\\A-Za-z])([A-Za-z])(?![A-Za-z_])", arguments))):
        if re.search(rf"(?<![\\A-Za-z]){letter}_", text):
            dummy = next(fresh, None)
            if dummy is None:
                break
            pattern = rf"(?<![\\A-Za-z]){letter}(?![A-Za-z])"
            arguments, body = re.sub(pattern, dummy, arguments), re.sub(pattern, dummy, body)
    return arguments, body


def with_inline_definitions(blocks: list[list[tuple[int, str]]], text: str) -> list[list[tuple[int, str]]]:
    """The display blocks with the inline function definitions of ``text`` among them, in the order of lines."""
    return sorted(blocks + inline_definitions(text, blocks), key=lambda block: block[0][0])
