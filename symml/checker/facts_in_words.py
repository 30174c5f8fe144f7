r"""A step that fails as read may rest on what the notes say in words: it is then not reported wrong.

Two such sayings are recognised, both checked, never assumed:

- an equation in the prose before the row in its section (``Since $m = 0$, we have ...``, ``where $\bar y =
  0$``), in the sentence that goes on from its display (``..., where $y_i = x_i^T q$``), or a name said to stand
  for an expression (``$z$ denotes $w^T x$``): the step is checked again with it substituted; if it then holds, it holds
  *given that fact*. A step whose sides use different names (a substitution) is checked again the same way: it
  holds given the fact, or stays unchecked (never wrong);
- a constant renamed to absorb a factor (``w_t - \eta \frac{2}{n} X^T(Xw - y) = w_t - \eta (X^T X w - X^T y)``,
  where the prose says "constant factors are absorbed into $\eta$"): if the sides agree once that symbol (which
  only multiplies whole terms) is rescaled by a factor free of it, the step is unchecked with that reason.

A step that fails in both ways stays wrong.

>>> import sympy as sp
>>> m, x = sp.symbols("m x", real=True)
>>> facts_before(["Since $m = 0$ we have"])
['m = 0']
"""
from __future__ import annotations

import re
from typing import Any, Iterable

import sympy as sp

from symml.checker.decide import decide
from symml.checker.failures import SYMPY_FAILURES
from symml.checker.parse_latex import parse_latex
from symml.checker.steps import StepCheck, StepStatus
from symml.checker.vocabulary import Namespace
from symml.errors import ParseError, SymmlError

__all__ = ["reconsider", "facts_before"]

#: Inline math holding one equation ``$ m = 0 $``, ``\( \mu = 0 \)``.
_INLINE_EQUATION = re.compile(r"(?<!\$)\$(?!\$)\s*((?:[^$={}]|\{[^{}$]*\})+?=(?:[^$={}]|\{[^{}$]*\})+?)\s*\$"
                              r"|\\\(\s*([^=]+?=[^=]+?)\s*\\\)")  # an "=" in braces is a sum's limit
#: ``$z$ denotes $w^T x$``, ``$z$ stands for ...``, ``$z$ is defined as ...``: a name said to stand for an expression.
_DENOTES = re.compile(r"(?<!\$)\$([^$=]+?)\$\s+(?:denotes|stands for|is defined as|is short for)\s+\$([^$=]+?)\$")
#: A sentence that goes on from a display: "where ...", "with ...", "and ...".
_GOES_ON = re.compile(r"\s*(?:[-*+]\s+)?[,.]?\s*(?:where|with|and|here)\b", re.I)  # "- where ...": a bullet
#: How many lines of prose around a row may hold a constant's absorbed factor.
_PROSE_LINES = 4
#: How far back (in lines) a section's prose may hold the fact a row uses; a heading ends the section.
_SECTION_LINES = 80
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s|^\s*\\(?:sub)*section\*?\{")


def facts_before(prose: Iterable[str]) -> list[str]:
    """The one-equation inline math of the prose lines, in order, and the names they say stand for an expression
    (``$z$ denotes $w^T x$``)."""
    lines = list(prose)
    said = [f"{name.strip()} = {value.strip()}" for line in lines for name, value in _DENOTES.findall(line)]
    return [" ".join((a or b).split()) for line in lines for a, b in _INLINE_EQUATION.findall(line)] + said


def facts_after(lines: list[str], line: int) -> list[str]:
    """The facts of a sentence that goes on from the display math a row is in, with "where", "with" or "and"
    (``... = \\sum_i y_i^2, where $y_i = x_i^T q$``)."""
    index = min(line, len(lines)) - 1
    while index < len(lines) and not any(closing in lines[index] for closing in ("$$", "\\end", "\\]")):
        index += 1
    following = [text for text in lines[index + 1:index + 3] if text.strip()][:1]
    return facts_before(following) if following and _GOES_ON.match(following[0]) else []


def reconsider(check: StepCheck, lines: list[str], namespace: Namespace, options: dict) -> StepCheck:
    """A wrong step of a notes file, checked again with what the prose before it says (see the module
    docstring); ``lines`` are the file's lines."""
    verdict = check.verdict
    line = check.line
    renamed = (check.status is StepStatus.UNCHECKED and check.note.startswith("the sides use different names")) or (
        check.status is StepStatus.CONDITION and "in the new name(s)" in check.note)  # names the prose defines
    if not (check.status is StepStatus.WRONG or renamed) or verdict is None or line is None:
        return check
    left, right = verdict.left, verdict.right
    try:
        stated = [(fact, "before") for fact in facts_before(_prose_before(lines, line))] + [
            (fact, "after") for fact in facts_after(lines, line)]
        together = (left, right)
        for fact, where in stated:
            substituted = _substitute(fact, namespace, left, right)
            if substituted is not None and decide(*substituted, **options):
                return StepCheck(check.label, StepStatus.HOLDS, check.math, f"holds given {fact}, stated in the "
                                 f"text {where} it", verdict)
            together = _substitute(fact, namespace, *together) or together
        if len(stated) > 1 and together != (left, right) and decide(*together, **options):  # n_1 = ... and n_0 = ...
            facts = " and ".join(fact for fact, _ in stated)
            return StepCheck(check.label, StepStatus.HOLDS, check.math, f"holds given {facts}, stated in the text "
                             "around it", verdict)
        if renamed:  # a substitution no stated fact explains stays unchecked; it is never made wrong here
            return check
        rescaled = _absorbed_factor(left, right, options, _absorbing(lines, line))
    except SymmlError:
        return check
    except SYMPY_FAILURES:
        return check
    if rescaled is not None:
        symbol, factor = rescaled
        return StepCheck(check.label, StepStatus.UNCHECKED, check.math, f"holds if {symbol} absorbs the factor "
                         f"{factor}, as notes say in words; symml does not assume it", verdict)
    return check


def _prose_before(lines: list[str], line: int) -> list[str]:
    """The lines of text before a row, nearest first, from the display math it is in (which starts at ``$$``)
    back to the heading of its section: a fact said once in a section holds for the displays after it there, not
    only for the next one. The lines of the displays in between are not prose."""
    prose: list[str] = []
    index = min(line, len(lines)) - 1
    while index > 0 and not any(opening in lines[index] for opening in ("$$", "\\begin", "\\[")):
        index -= 1
    in_display = False
    for earlier in range(index - 1, max(index - 1 - _SECTION_LINES, -1), -1):
        text = lines[earlier]
        if _HEADING.match(text):
            break
        fences = text.count("$$") % 2 + ("\\end" in text) + ("\\begin" in text)
        if fences % 2:  # a line that opens or closes a display: inside it until the line that opens it
            in_display = not in_display
            continue
        if not in_display and "$$" not in text:
            prose.append(text)
    return prose


def _substitute(fact: str, namespace: Namespace, left: Any, right: Any) -> tuple[Any, Any] | None:
    """Both sides with the fact ``name = value`` substituted, or None unless it is one."""
    doubts = list(namespace.doubts)
    try:
        sides = parse_latex(fact, namespace)
    except ParseError:
        return None
    finally:
        namespace.doubts[:] = doubts
    if len(sides) != 2:
        return None
    name, value = _named_value(sides[0][1], sides[1][1])
    if name is None:
        return None
    if not (left.has(name) or right.has(name)):
        return None
    return left.xreplace({name: value}), right.xreplace({name: value})


def _named_value(left: Any, right: Any) -> tuple[Any, Any]:
    """The name a fact gives a value and that value: ``m = 0``; ``\\sigma^2 = 1`` for a positive name (a variance,
    a scale) gives sigma its positive root, sqrt(1) = 1. ``(None, None)`` for any other equation."""
    if isinstance(left, (sp.Symbol, sp.Indexed)):
        return left, right
    if isinstance(left, sp.Pow) and isinstance(left.base, sp.Symbol) and left.base.is_positive \
            and left.exp.is_number and left.exp.is_positive and right.is_number and right.is_positive:
        return left.base, right ** (1 / left.exp)
    return None, None


def _absorbing(lines: list[str], line: int) -> set[str]:
    """The names the prose around a row says absorb constants ("constant factors are absorbed into $\\eta$"):
    the words of the inline math of a sentence with "absorb" in it, within a few lines of the row."""
    around = " ".join(lines[max(0, line - 1 - 3 * _PROSE_LINES):line + 3 * _PROSE_LINES])
    names: set[str] = set()
    for sentence in re.split(r"(?<=[.!?])\s", around):
        if re.search(r"absorb", sentence, re.I):
            for math in re.findall(r"\$([^$]+)\$", sentence):
                names |= set(re.findall(r"[A-Za-z]+", math))
    return names


def _absorbed_factor(left: Any, right: Any, options: dict, absorbing: set[str]) -> tuple[Any, Any] | None:
    """``(symbol, factor)`` when the sides agree once ``symbol`` on the right is ``factor * symbol``: a symbol
    the prose says absorbs constants, that multiplies whole terms on both sides (to the first power), and a
    factor free of it that is not 1. (Without the prose, a dropped factor of 2 would hide this way.)"""
    terms = [_terms(side) for side in (left, right)] if absorbing else []
    if not all(terms) or not terms:
        return None
    for symbol in sorted(s for s in _multipliers(terms[0]) & _multipliers(terms[1]) if str(s) in absorbing):
        for factor in _candidate_factors(terms[0], terms[1], symbol):
            if decide(left, right.xreplace({symbol: factor * symbol}), **options):
                return symbol, factor
    return None


def _terms(side: Any) -> list[tuple[Any, Any]]:
    """The terms of an expanded side as ``(scalar coefficient, the rest)``."""
    expanded = sp.expand(side.doit()) if not isinstance(side, sp.MatrixExpr) else side.doit().expand()
    result = []
    for term in sp.Add.make_args(expanded) if not isinstance(expanded, sp.MatAdd) else expanded.args:
        if isinstance(term, sp.MatrixExpr):
            coefficient, rest = term.as_coeff_mmul()
            scalars = [f for f in rest.args if not isinstance(f, sp.MatrixExpr)] if isinstance(rest, sp.MatMul) \
                else []
            coefficient = sp.Mul(coefficient, *scalars)
        else:
            coefficient, rest = term.as_independent(*[s for s in term.free_symbols if not _is_scalar(s)])
        result.append((coefficient, rest))
    return result


def _is_scalar(symbol: Any) -> bool:
    return isinstance(symbol, sp.Symbol) and bool(symbol.is_real) and not symbol.is_integer


def _multipliers(terms: list[tuple[Any, Any]]) -> set[Any]:
    """Symbols that appear, on a side, only as a first-power factor of the scalar coefficients of terms."""
    found: set[Any] = set()
    for coefficient, _ in terms:
        found |= {f for f in sp.Mul.make_args(coefficient) if _is_scalar(f)}
    return {s for s in found if all(not rest.has(s) and (not coefficient.has(s) or s in sp.Mul.make_args(
        coefficient)) for coefficient, rest in terms)}


def _candidate_factors(left: list[tuple[Any, Any]], right: list[tuple[Any, Any]], symbol: Any) -> list[Any]:
    """Ratios of the coefficients of the symbol's terms on the two sides, free of the symbol and not 1."""
    factors = []
    for a, _ in left:
        for b, _ in right:
            if a.has(symbol) and b.has(symbol):
                ratio = sp.cancel(a / b)
                if ratio != 1 and ratio != 0 and not ratio.has(symbol) and ratio not in factors:
                    factors.append(ratio)
    return factors[:4]
